"""Models 2: the blind degradations, the restorer without global pooling, and train/resume/compact/adopt/export
of train_restorer on tiny configs (seconds on a CPU)."""
import json
import os
import shutil

import numpy as np
import onnx
import torch

from restora_models import blind_degradations as bd
from restora_models import train, train_restorer
from restora_models.data import MODELS_DIR
from restora_models.restorer_arch import Restorer, RestorerConfig


def smooth_image(h=64, w=80):
    y, x = np.mgrid[0:h, 0:w]
    return torch.from_numpy(np.stack([x / w, y / h, 0.5 + 0.3 * np.sin(x / 5.0)], 0).astype(np.float32))


def test_degrade_is_seeded_and_in_range():
    x = smooth_image()
    a, ta = bd.degrade(x, np.random.default_rng(7))
    b, tb = bd.degrade(x, np.random.default_rng(7))
    assert torch.equal(a, b) and torch.equal(ta, tb)
    assert a.shape == x.shape and ta.shape == x.shape
    assert float(a.min()) >= 0 and float(a.max()) <= 1


def test_clean_samples_come_back_as_their_own_target():
    x = smooth_image()
    for seed in range(6):
        lq, gt = bd.degrade(x, np.random.default_rng(seed), {"p_clean": 1.0, "p_look": 0.0})
        assert torch.equal(gt, x)
        # either the photo itself or a near-lossless JPEG of it
        assert float((lq - gt).abs().mean()) < 2.0 / 255


def test_the_target_keeps_the_look_the_input_has():
    x = smooth_image()
    lq, gt = bd.degrade(x, np.random.default_rng(3), {"p_look": 1.0, "p_clean": 0.0})
    # the look is global: the target is no longer the clean photo, and the degraded input has the same mean colour
    assert not torch.equal(gt, x)
    assert torch.allclose(lq.mean((1, 2)), gt.mean((1, 2)), atol=0.05)


def test_every_blur_kernel_is_normalised():
    rng = np.random.default_rng(0)
    for _ in range(50):
        k = bd.blur_kernel(rng, (0.2, 3.0))
        assert k.shape[0] % 2 == 1 and abs(float(k.sum()) - 1) < 1e-4


def tiny_restorer(sca):
    torch.manual_seed(0)
    r = Restorer(RestorerConfig(width=8, enc=[1, 1], mid=1, dec=[1, 1], emb=16, heads=2, k=11, dq=16, sca=sca)).eval()
    with torch.no_grad():
        for p in r.parameters():   # zero-initialised layers would make every output the input
            p.add_(0.05 * torch.randn_like(p))
    return r


def test_query_attention_has_no_global_pooling():
    """With channel attention from the queries, a pixel's output depends only on its neighbourhood: a change far
    away leaves it exactly as it was, so a tile computes what the whole photo would. NAFNet's global pooling does not."""
    q = torch.randn(1, 11, 16)
    img = torch.rand(1, 3, 64, 160)
    far = img.clone()
    far[:, :, :, 120:] = torch.rand(1, 3, 64, 40)
    with torch.no_grad():
        for sca, same in (("query", True), ("global", False)):
            r = tiny_restorer(sca)
            a, b = r(img, q)[:, :, :, :16], r(far, q)[:, :, :, :16]
            assert torch.equal(a, b) == same, sca


def test_queries_steer_the_query_attention():
    r = tiny_restorer("query")
    img = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        assert not torch.allclose(r(img, torch.zeros(1, 11, 16)), r(img, torch.ones(1, 11, 16)))


def tiny_integrator_run(tmp_path):
    """A tiny integrator run (train.py's tiny config) for the restorer to be steered by."""
    cfg = dict(json.load(open(os.path.join(MODELS_DIR, "configs", "tiny.json"))), name="pytest-tiny-integ", steps=1)
    p = tmp_path / "integ.json"
    p.write_text(json.dumps(cfg))
    train.main(["--config", str(p)])
    return "pytest-tiny-integ"


def test_train_resume_compact_adopt_export(tmp_path):
    runs = os.path.join(MODELS_DIR, "runs")
    names = ["pytest-tiny-integ", "pytest-r2", "pytest-r2-adopted", "pytest-r2-recovered", "pytest-r2-faces"]
    for n in names:
        shutil.rmtree(os.path.join(runs, n), ignore_errors=True)
    try:
        integ = tiny_integrator_run(tmp_path)
        base = json.load(open(os.path.join(MODELS_DIR, "configs", "restorer-tiny.json")))
        base.update(name="pytest-r2", integrator_from=integ, val_size=6)

        def cfg(**over):
            p = tmp_path / "r2.json"
            p.write_text(json.dumps(dict(base, **over)))
            return str(p)
        out = tmp_path / "out"
        assert train_restorer.main(["--config", cfg(steps=2), "--out", str(out)]) == 2
        assert train_restorer.main(["--config", cfg(steps=4), "--resume", "--out", str(out)]) == 4
        # the face restorer's data: faces aligned as the engine aligns them, crops from brow to chin
        assert train_restorer.main(["--config", cfg(name="pytest-r2-faces", steps=2, patches="faces-aligned", per_face=2, face_fraction=1.0)]) == 2
        lines = [json.loads(l) for l in open(os.path.join(runs, "pytest-r2", "log.jsonl"))]
        assert [l["step"] for l in lines if "psnr_out" in l] == [1, 2, 3, 4]
        assert all("val_psnr_out" in l for l in lines if l.get("final"))
        compact = torch.load(out / "restorer.pt", weights_only=False)
        assert compact["step"] == 4 and all(v.dtype == torch.float16 for v in compact["restorer"].values())
        assert train_restorer.main(["--config", cfg(name="pytest-r2-adopted"), "--adopt", str(out / "restorer.pt")]) == 4
        # four steps leave many weights at their initial values, which the ONNX exporter would store once for all
        # (equal constants are shared) and recover could not tell apart: make them distinct, as trained ones are
        ap = os.path.join(runs, "pytest-r2-adopted", "last.pt")
        st = torch.load(ap, weights_only=False)
        torch.manual_seed(1)
        st["restorer"] = {k: v + 0.05 * torch.randn_like(v) for k, v in st["restorer"].items()}
        torch.save(st, ap)
        from restora_models import export_restorer
        zoo = tmp_path / "zoo"
        bench = tmp_path / "bench.jsonl"
        bench.write_text(json.dumps({"bench": "quality", "gt": "/x/bsds500/val", "faces": False, "instruction": "", "seed": 0,
                                     "results": [{"family": "noise", "severity": "medium", "images": 2,
                                                  "means": {k: {"psnr": v, "ssim": 0.5} for k, v in (("input", 20.0), ("classical", 22.0), ("restorer", 27.5))},
                                                  "gainOverInputDb": 7.5, "gainOverClassicalDb": 5.5,
                                                  "goals": {"gain": {"target": ">= +6 dB", "value": 7.5, "pass": True}}}]}) + "\n")
        export_restorer.main(["--run", "pytest-r2-adopted", "--version", "2.0.0-test", "--out", str(zoo), "--metrics", str(bench)])
        d = zoo / "restora-restorer"
        onnx.checker.check_model(onnx.load(str(d / "model.onnx")))
        man = json.load(open(d / "manifest.json"))
        assert man["version"] == "2.0.0-test" and man["arch"]["sca"] == "query" and "preprocess" not in man
        assert man["metrics"]["independent"][0]["gainDb"] == 7.5
        card = open(d / "MODEL_CARD.md").read()
        assert "| bsds500/val | noise | medium | 2 | 20.00 | 22.00 | 27.50 | +7.50 | +5.50 |" in card
        # weights stored as float16 behind casts; recover brings back exactly the (float16-exact) weights
        g = onnx.load(str(d / "model.onnx")).graph
        assert sum(1 for t in g.initializer if t.data_type == onnx.TensorProto.FLOAT16) > 10
        for m in ("restora-cue-encoder", "restora-integrator"):
            shutil.copytree(os.path.join(MODELS_DIR, "zoo", m), zoo / m)
        from restora_models import recover
        recover.main(["--zoo", str(zoo), "--name", "pytest-r2-recovered"])
        rec = torch.load(os.path.join(runs, "pytest-r2-recovered", "last.pt"), weights_only=False)["restorer"]
        ref = torch.load(os.path.join(runs, "pytest-r2-adopted", "last.pt"), weights_only=False)["restorer"]
        assert all(torch.equal(rec[k], ref[k].half().float()) for k in ref)
        # the same run exported as the face restorer: its own id, task and card, figures from bench:faces:restore
        fb = tmp_path / "faces.jsonl"
        row = lambda p, i: {"psnr": p, "identity": i, "texture": 0.9, "colour": 0.5, "found": 1.0, "n": 2}
        fb.write_text(json.dumps({"bench": "faces-restore", "portraits": 2, "size": 512, "seed": 0, "secondsPerRestore": {"face": 1.0},
                                  "results": {"sr/medium": {"input": row(27.0, 0.3), "restorer": row(28.0, 0.31), "face": row(28.5, 0.25)}}}) + "\n")
        export_restorer.main(["--run", "pytest-r2-adopted", "--version", "1.0.0-test", "--out", str(zoo), "--face", "--face-metrics", str(fb)])
        fman = json.load(open(zoo / "restora-face-restorer" / "manifest.json"))
        assert fman["id"] == "restora-face-restorer" and fman["task"] == "face-restorer" and fman["metrics"]["faces"]["portraits"] == 2
        assert [i["name"] for i in fman["inputs"]] == ["image", "queries"]
        fcard = open(zoo / "restora-face-restorer" / "MODEL_CARD.md").read()
        assert "| sr/medium | this model | 28.50 | 0.250 | 0.90 | 0.5 | 1.00 |" in fcard and "CC-BY 4.0" in fcard
    finally:
        for n in names:
            shutil.rmtree(os.path.join(runs, n), ignore_errors=True)
