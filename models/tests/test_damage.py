"""The damage detector: any size in and out, the synthetic damage and its masks, and a tiny
run trained, resumed and exported with its manifest and parity vector."""
import json
import os

import numpy as np
import onnx
import pytest
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


@pytest.mark.parametrize("generator", [1, 3])
def test_real_detail_is_part_of_the_photo_not_damage(generator, monkeypatch):
    """Lettering, bars and frames (and from the third generator poles, wires and the print's border) drawn as content
    change the photo but are never labelled."""
    monkeypatch.setattr(damage_synth, "GENERATOR", generator)
    clean = np.full((96, 96, 3), 0.6, np.float32)
    changed = 0
    for seed in range(6):
        d, m, base = damage_synth.render(clean, np.random.default_rng(seed), present=(0, 0, 0, 0), look=False, detail=1.0)
        assert not m.any(), "no damage drawn, nothing labelled"
        assert np.abs(d - base).max() < 0.06, "the detail is in the clean photo the damage is drawn over"
        changed += int(np.abs(base - clean).max() > 0.2)
    assert changed >= 5, "the detail is visible"


def test_second_generator_draws_even_scratches_and_keeps_the_first(monkeypatch):
    """GENERATOR 2 draws some scratches evenly from end to end (their strongest value held along many pixels);
    GENERATOR 1 (restora-damage <= 1.4.0's recipe, the validation's) almost never does."""
    yy, xx = damage_synth._grid(96, 96)

    def even_lines(gen):
        monkeypatch.setattr(damage_synth, "GENERATOR", gen)
        n = 0
        for seed in range(60):
            a = damage_synth.scratch(np.random.default_rng(seed), 96, 96, yy, xx)[0][0]
            n += int(a.max() > 0.1 and (a >= a.max() - 1e-5).sum() >= 20)
        return n

    first, second = even_lines(1), even_lines(2)
    assert first <= 2 and second >= 4, f"even scratches: first generator {first}, second {second} of 60"


def test_tiny_run_trains_resumes_and_exports(tmp_path):
    cfg = dict(json.load(open(CFG)), name="pytest-damage")
    p = tmp_path / "cfg.json"
    p.write_text(json.dumps(cfg))
    step, _ = train_damage.main(["--config", str(p)])
    assert step == cfg["steps"]
    p.write_text(json.dumps(dict(cfg, steps=cfg["steps"] + 1)))
    step, _ = train_damage.main(["--config", str(p), "--resume", "--out", str(tmp_path / "out")])
    assert step == cfg["steps"] + 1
    # a GPU run's compact checkpoint is adopted as the run's last.pt and resumes from there
    compact = torch.load(str(tmp_path / "out" / "damage.pt"))
    assert compact["step"] == step and compact["arch"] == {"widths": [4, 8], "kinds": 4}
    train_damage.main(["--config", str(p), "--adopt", str(tmp_path / "out" / "damage.pt")])
    p.write_text(json.dumps(dict(cfg, steps=cfg["steps"] + 2)))
    step, _ = train_damage.main(["--config", str(p), "--resume"])
    assert step == cfg["steps"] + 2
    man = export_damage.export_damage("pytest-damage", str(tmp_path / "zoo"), "test")
    d = tmp_path / "zoo" / "restora-damage"
    onnx.checker.check_model(onnx.load(str(d / "model.onnx")))
    assert man["task"] == "damage-detector" and man["inputs"][0]["shape"] == [1, 3, "height", "width"]
    assert man["training"]["steps"] == cfg["steps"] + 2 and man["tile"]["multiple"] == 16
    par = json.load(open(d / "parity.json"))
    assert par["outputs"]["damage"]["shape"] == [1, 4, 40, 56]
    assert "restora-damage" in (d / "MODEL_CARD.md").read_text()


def test_uneven_exposure_is_part_of_the_photo_not_damage():
    """Blown highlights, crushed shadows, uneven printing and vignettes move tones, never content, and are never labelled."""
    rng = np.random.default_rng(11)
    clean = np.random.default_rng(12).random((64, 64, 3)).astype(np.float32) * 0.6 + 0.2
    moved = 0
    for seed in range(8):
        x = damage_synth.print_exposure(clean, np.random.default_rng(seed))
        assert x.shape == clean.shape and x.dtype == np.float32 and 0 <= x.min() and x.max() <= 1
        moved += int(np.abs(x - clean).mean() > 0.02)
        d, m, base = damage_synth.render(clean, rng, present=(0, 0, 0, 0), look=False, exposure=1.0)
        assert not m.any(), "nothing labelled"
        assert np.abs(d - base).max() < 0.06, "the exposure is in the photo the damage is drawn over"
    assert moved >= 6, "the exposure is visible"


def test_widening_starts_from_the_narrow_detectors_function_and_can_learn():
    from restora_models.damage_arch import widen
    torch.manual_seed(0)
    small = DamageNet(DamageConfig(widths=[4, 6, 8]))
    big = DamageNet(DamageConfig(widths=[4, 10, 12]))
    widen(big, small.state_dict(), small.cfg)
    x = torch.rand(2, 3, 20, 28)
    with torch.no_grad():
        assert torch.allclose(small(x), big(x), atol=1e-6)
    big.logits(x).sum().backward()                 # the zero weights from the new channels learn, so they are not dead
    assert big.up[0][0].weight.grad[:, 4 + 6:].abs().sum() > 0
    with pytest.raises(ValueError):
        widen(DamageNet(DamageConfig(widths=[4, 4, 8])), small.state_dict(), small.cfg)
