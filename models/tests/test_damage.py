"""The damage detector: any size in and out, the synthetic damage and its masks, and a tiny
run trained, resumed and exported with its manifest and parity vector."""
import json
import os

import numpy as np
import onnx
import torch

from restora_models import damage_synth, export_damage, train_damage
from restora_models.damage_arch import DamageConfig, DamageNet
from restora_models.data import MODELS_DIR

CFG = os.path.join(MODELS_DIR, "configs", "damage-tiny.json")


def test_any_size_in_gives_the_same_size_out_in_0_to_1():
    net = DamageNet(DamageConfig(widths=[4, 8, 8])).eval()
    with torch.no_grad():
        for h, w in ((5, 3), (33, 47), (64, 64)):
            y = net(torch.rand(1, 3, h, w))
            assert y.shape == (1, 4, h, w) and float(y.min()) >= 0 and float(y.max()) <= 1


def test_synthetic_damage_marks_what_it_changed():
    rng = np.random.default_rng(3)
    clean = np.random.default_rng(4).random((96, 96, 3)).astype(np.float32) * 0.5 + 0.25
    d, m, _ = damage_synth.render(clean, rng)
    assert d.shape == clean.shape and m.shape == (4, 96, 96)
    assert m.any(), "some damage drawn"


def test_tiny_run_trains_resumes_and_exports(tmp_path):
    cfg = dict(json.load(open(CFG)), name="pytest-damage")
    p = tmp_path / "cfg.json"
    p.write_text(json.dumps(cfg))
    step, _ = train_damage.main(["--config", str(p)])
    assert step == cfg["steps"]
    p.write_text(json.dumps(dict(cfg, steps=cfg["steps"] + 1)))
    step, _ = train_damage.main(["--config", str(p), "--resume"])
    assert step == cfg["steps"] + 1
    man = export_damage.export_damage("pytest-damage", str(tmp_path / "zoo"), "test")
    d = tmp_path / "zoo" / "restora-damage"
    onnx.checker.check_model(onnx.load(str(d / "model.onnx")))
    assert man["task"] == "damage-detector" and man["inputs"][0]["shape"] == [1, 3, "height", "width"]
    assert man["training"]["steps"] == cfg["steps"] + 1 and man["tile"]["multiple"] == 16
    par = json.load(open(d / "parity.json"))
    assert par["outputs"]["damage"]["shape"] == [1, 4, 40, 56]
    assert "restora-damage" in (d / "MODEL_CARD.md").read_text()
