"""The face finder: output shapes at a quarter of the input, box decoding from the heat map, training crops whose
marked faces are where faces were drawn, the loss targets, and a tiny run trained, resumed and exported."""
import json
import os

import numpy as np
import onnx
import torch

from restora_models import export_face_finder, train_face_finder
from restora_models.data import MODELS_DIR
from restora_models.face_finder_arch import STRIDE, FaceFinderConfig, FaceFinderNet, decode
from restora_models.face_finder_data import compose, face_box, load_scenes, load_sprites, targets

CFG = os.path.join(MODELS_DIR, "configs", "face-finder-tiny.json")
SMALL = FaceFinderConfig(widths=(8, 8, 8, 8), blocks=(1, 1, 1, 1), neck=8)


def test_outputs_are_a_quarter_of_the_input_and_do_not_depend_on_brightness():
    net = FaceFinderNet(SMALL).eval()
    with torch.no_grad():
        for h, w in ((32, 32), (48, 80), (96, 64)):
            heat, size, off = net(torch.rand(1, 1, h, w))
            assert heat.shape == (1, 1, h // STRIDE, w // STRIDE)
            assert size.shape == off.shape == (1, 2, h // STRIDE, w // STRIDE)
        y = torch.rand(1, 1, 64, 64)
        a = net(y)[0]
        b = net(0.2 + y * 0.7)[0]     # a faded copy: the network normalises its input by its mean and spread
        c = net(0.25 + y * 0.7)[0]    # the same, brighter
        assert torch.allclose(b, c, atol=1e-4)
        assert not torch.allclose(a, b, atol=1e-6)


def test_decode_finds_the_peak_with_its_size_and_offset():
    g = 16
    heat = torch.full((1, 1, g, g), -8.0)
    heat[0, 0, 5, 9] = 3.0
    heat[0, 0, 5, 10] = 1.0           # a neighbour, not a peak
    size = torch.zeros(1, 2, g, g)
    size[0, :, 5, 9] = torch.log(torch.tensor([6.0, 7.0]))
    off = torch.zeros(1, 2, g, g)
    off[0, :, 5, 9] = torch.tensor([0.25, 0.5])
    boxes = decode(heat, size, off, threshold=0.3)
    assert len(boxes) == 1
    x, y, w, h, s = boxes[0]
    assert abs(w - 6 * STRIDE) < 1e-4 and abs(h - 7 * STRIDE) < 1e-4
    assert abs(x + w / 2 - 9.25 * STRIDE) < 1e-4 and abs(y + h / 2 - 5.5 * STRIDE) < 1e-4 and s > 0.9


def test_face_box_from_landmarks_has_the_detector_proportions():
    cx, top, w, h = face_box([[100, 100], [140, 100], [120, 125], [105, 150], [135, 150]])
    assert abs(w - 2.2 * 40) < 1e-9 and abs(h - 2.41 * 50) < 1e-9
    assert abs(cx - 120) < 1e-9 and abs(top - (100 - 0.85 * 50)) < 1e-9


def test_composed_crops_mark_faces_that_differ_from_the_scene():
    sprites, scenes = load_sprites("val")[:4], load_scenes("val")[:4]
    assert sprites and scenes
    rng = np.random.default_rng(3)
    seen = 0
    for _ in range(6):
        y, faces, ign = compose(sprites, scenes, rng, 128)
        assert y.shape == (128, 128) and y.dtype == np.float32 and 0 <= y.min() and y.max() <= 1
        for bx, by, bw, bh in faces:
            assert 5 <= bw <= 100 and 5 <= bh <= 140
            seen += 1
    assert seen > 0


def test_targets_put_a_one_at_each_face_centre_and_leave_ignored_places_out():
    heat, weight, wh, off, has = targets([(40, 40, 24, 28)], [(0, 0, 16, 16)], 96)
    g = 96 // STRIDE
    assert heat.shape == weight.shape == has.shape == (1, g, g) and wh.shape == off.shape == (2, g, g)
    cy, cx = int((40 + 14) / STRIDE), int((40 + 12) / STRIDE)
    assert heat[0, cy, cx] == 1 and has[0, cy, cx] == 1 and has.sum() == 1
    assert abs(wh[0, cy, cx] - np.log(24 / STRIDE)) < 1e-6
    assert weight[0, 0, 0] == 0 and weight[0, g - 1, g - 1] == 1


def test_tiny_run_trains_resumes_and_exports(tmp_path):
    cfg = dict(json.load(open(CFG)), name="pytest-face-finder")
    p = tmp_path / "cfg.json"
    p.write_text(json.dumps(cfg))
    step = train_face_finder.main(["--config", str(p)])
    assert step == cfg["steps"]
    p.write_text(json.dumps(dict(cfg, steps=cfg["steps"] + 1)))
    step = train_face_finder.main(["--config", str(p), "--resume", "--out", str(tmp_path / "out")])
    assert step == cfg["steps"] + 1
    compact = torch.load(str(tmp_path / "out" / "face-finder.pt"))
    assert compact["step"] == step and compact["arch"] == cfg["arch"]
    man = export_face_finder.export_face_finder("pytest-face-finder", str(tmp_path / "zoo"), "test", "0.0.1")
    d = tmp_path / "zoo" / "restora-face-finder"
    onnx.checker.check_model(onnx.load(str(d / "model.onnx")))
    assert man["task"] == "face-finder" and man["semantics"]["stride"] == STRIDE
    parity = json.loads((d / "parity.json").read_text())
    assert set(parity["outputs"]) == {"heat", "size", "offset"}
    assert "recall" in (d / "MODEL_CARD.md").read_text()
