"""The detail restorer: the JPEG remover's network at unshuffle factor 4 (shapes, identity when untrained), its
validation degradations, and a tiny run trained, resumed and copied out compactly."""
import json
import os

import numpy as np
import onnx
import torch

from restora_models import export_detail, train_detail
from restora_models.data import MODELS_DIR
from restora_models.dejpeg_arch import DejpegConfig, DejpegNet

CFG = os.path.join(MODELS_DIR, "configs", "detail-tiny.json")


def test_factor_four_keeps_shapes_and_an_untrained_network_is_the_identity():
    net = DejpegNet(DejpegConfig(factor=4, width=8, blocks=1, tail=4)).eval()
    with torch.no_grad():
        for h, w in ((8, 8), (40, 56), (64, 24)):
            x = torch.rand(1, 3, h, w)
            assert torch.equal(net(x), x)


def test_validation_degradations_change_the_crop_except_plain():
    rng = np.random.default_rng(3)
    crop = (np.random.default_rng(4).random((64, 64, 3)) * 200 + 20).astype(np.uint8)
    for kind in ("sr2", "blur"):
        out = train_detail.val_degrade(crop, kind, rng)
        assert out.shape == crop.shape and np.abs(out.astype(int) - crop).mean() > 2, kind
    assert np.array_equal(train_detail.val_degrade(crop, "plain", rng), crop)


def test_batches_are_degraded_pairs_of_the_crop_size():
    cfg = dict(train_detail.DEFAULTS, batch=3, crop=32)
    patches = [(np.random.default_rng(i).random((48, 48, 3)) * 255).astype(np.uint8) for i in range(4)]
    x, t = train_detail.make_batch(patches, cfg, np.random.default_rng(0))
    assert x.shape == t.shape == (3, 3, 32, 32)
    assert float(x.min()) >= 0 and float(x.max()) <= 1


def test_tiny_run_trains_resumes_copies_out_and_exports(tmp_path):
    cfg = dict(json.load(open(CFG)), name="pytest-detail")
    p = tmp_path / "cfg.json"
    p.write_text(json.dumps(cfg))
    step, val = train_detail.main(["--config", str(p)])
    assert step == cfg["steps"] and set(val) == {"sr2", "blur", "plain"}
    p.write_text(json.dumps(dict(cfg, steps=cfg["steps"] + 1)))
    step, _ = train_detail.main(["--config", str(p), "--resume", "--out", str(tmp_path / "out")])
    assert step == cfg["steps"] + 1
    compact = torch.load(str(tmp_path / "out" / "detail.pt"))
    assert compact["step"] == step and compact["arch"]["factor"] == 4
    man = export_detail.export_detail("pytest-detail", str(tmp_path / "zoo"), "test", "0.0.1")
    d = tmp_path / "zoo" / "restora-detail"
    onnx.checker.check_model(onnx.load(str(d / "model.onnx")))
    assert man["task"] == "detail-restorer" and man["tile"]["multiple"] == 4 and man["semantics"] == {"grid": 4}
    assert json.loads((d / "manifest.json").read_text())["sha256"] == man["sha256"]
    parity = json.loads((d / "parity.json").read_text())
    assert parity["inputs"]["image"]["shape"] == [1, 3, 40, 56] and "restored" in parity["outputs"]
    assert "Gaussian blur 1.5" in (d / "MODEL_CARD.md").read_text()
