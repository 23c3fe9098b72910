"""The JPEG artefact remover: block-aware shapes, an untrained network that passes its input through,
JPEG training pairs, and a tiny run trained, resumed and exported with its manifest and parity vector."""
import json
import os

import numpy as np
import onnx
import torch

from restora_models import export_dejpeg, train_dejpeg
from restora_models.data import MODELS_DIR
from restora_models.dejpeg_arch import DejpegConfig, DejpegNet

CFG = os.path.join(MODELS_DIR, "configs", "dejpeg-tiny.json")


def test_sizes_on_the_grid_in_and_out_and_an_untrained_network_is_the_identity():
    net = DejpegNet(DejpegConfig(width=8, blocks=1, tail=4)).eval()
    with torch.no_grad():
        for h, w in ((8, 8), (40, 56), (64, 24)):
            x = torch.rand(1, 3, h, w)
            y = net(x)
            assert y.shape == x.shape
            assert torch.equal(y, x), "zero-initialised corrections: the input passes through"


def test_training_pairs_compress_the_input_and_keep_the_target():
    rng = np.random.default_rng(5)
    clean = (np.random.default_rng(6).random((64, 64, 3)) * 200 + 20).astype(np.uint8)
    cfg = dict(train_dejpeg.DEFAULTS, plain=0.0, grey=0.0, pre=0.0, twice=0.0, q_min=20, q_max=20)
    x, t = train_dejpeg.pair(clean, rng, cfg)
    assert x.shape == t.shape == clean.shape and np.array_equal(t, clean)
    assert np.abs(x.astype(int) - t).mean() > 2, "quality 20 changes the crop"
    x, t = train_dejpeg.pair(clean, rng, dict(cfg, plain=1.0))
    assert np.array_equal(x, t), "an uncompressed crop is its own target"


def test_tiny_run_trains_resumes_and_exports(tmp_path):
    cfg = dict(json.load(open(CFG)), name="pytest-dejpeg")
    p = tmp_path / "cfg.json"
    p.write_text(json.dumps(cfg))
    step, val = train_dejpeg.main(["--config", str(p)])
    assert step == cfg["steps"] and set(val) == {"q15", "q20", "q30", "q50", "plain"}
    p.write_text(json.dumps(dict(cfg, steps=cfg["steps"] + 1)))
    step, _ = train_dejpeg.main(["--config", str(p), "--resume", "--out", str(tmp_path / "out")])
    assert step == cfg["steps"] + 1
    compact = torch.load(str(tmp_path / "out" / "dejpeg.pt"))
    assert compact["step"] == step and compact["arch"] == DejpegConfig(**cfg["arch"]).to_dict()
    man = export_dejpeg.export_dejpeg("pytest-dejpeg", str(tmp_path / "zoo"), "test", "0.0.1")
    d = tmp_path / "zoo" / "restora-dejpeg"
    onnx.checker.check_model(onnx.load(str(d / "model.onnx")))
    assert man["task"] == "jpeg-remover" and man["tile"]["multiple"] == 8
    assert json.loads((d / "manifest.json").read_text())["sha256"] == man["sha256"]
    parity = json.loads((d / "parity.json").read_text())
    assert parity["inputs"]["image"]["shape"] == [1, 3, 40, 56] and "restored" in parity["outputs"]
    assert "q20" in (d / "MODEL_CARD.md").read_text()
