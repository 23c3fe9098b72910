"""Train, resume and export on the tiny config (seconds on a CPU)."""
import hashlib
import json
import os
import shutil

import numpy as np
import onnx
import torch

from restora_models import train
from restora_models.data import MODELS_DIR

CFG = os.path.join(MODELS_DIR, "configs", "tiny.json")


def tiny_cfg(tmp_path, **over):
    cfg = dict(json.load(open(CFG)), name="pytest-tiny")
    cfg.update(over)
    p = tmp_path / "tiny.json"
    p.write_text(json.dumps(cfg))
    return str(p)


def test_train_steps_decrease_loss_on_a_fixed_batch():
    from restora_models.models import build
    from restora_models.tokenizer import Tokenizer
    import random
    from restora_models.batches import make_sample
    import numpy as np
    torch.manual_seed(0)
    cfg = train.load_config(CFG)
    tok = Tokenizer.load(os.path.join(MODELS_DIR, cfg["tokenizer"]))
    integ, rest = build(cfg, tok.size)
    rng = random.Random(0)
    y, x = np.mgrid[0:32, 0:32]
    clean = (np.stack([x * 8, y * 8, (x + y) * 4], -1) % 256).astype(np.uint8)
    b = train.collate([make_sample(clean, s, "medium", rng) for s in range(4)], tok, torch.device("cpu"))
    opt = torch.optim.Adam(list(integ.parameters()) + list(rest.parameters()), lr=3e-3)
    losses = []
    for _ in range(12):
        out, ce, aux, _ = train.forward(integ, rest, b)
        loss = train.charbonnier(out, b["target"]) + 0.1 * ce + 0.1 * aux
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0] * 0.8


def test_train_resume_and_export(tmp_path):
    run_dir = os.path.join(MODELS_DIR, "runs", "pytest-tiny")
    shutil.rmtree(run_dir, ignore_errors=True)
    try:
        assert train.main(["--config", tiny_cfg(tmp_path, steps=3)]) == 3
        assert train.main(["--config", tiny_cfg(tmp_path, steps=5), "--resume"]) == 5
        lines = [json.loads(l) for l in open(os.path.join(run_dir, "log.jsonl"))]
        assert [l["step"] for l in lines if "loss" in l] == [1, 2, 3, 4, 5]
        from restora_models import export
        out = tmp_path / "zoo"
        export.main(["--run", "pytest-tiny", "--out", str(out)])
        for mid, task in (("restora-restorer", "restorer"), ("restora-integrator", "integrator"),
                          ("restora-cue-encoder", "cue-encoder")):
            d = out / mid
            man = json.loads((d / "manifest.json").read_text())
            assert man["schema"] == 1 and man["task"] == task and man["opset"] == 17 and man["file"] == "model.onnx"
            assert man["sha256"] == hashlib.sha256((d / "model.onnx").read_bytes()).hexdigest()
            assert man["training"]["steps"] == 5 and man["training"]["data"]
            onnx.checker.check_model(onnx.load(str(d / "model.onnx")))
            assert (d / "MODEL_CARD.md").exists() and json.loads((d / "parity.json").read_text())["outputs"]
        assert json.loads((out / "restora-restorer" / "manifest.json").read_text())["tile"]["multiple"] == 8
        sem = json.loads((out / "restora-integrator" / "manifest.json").read_text())["semantics"]
        assert sem["K"] == len(sem["slots"]) and (out / "restora-integrator" / "tokenizer.json").exists()
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


def test_cue_encoder_v2_fits_severity_labels_and_the_v2_stage_exports(tmp_path):
    """The v2 cue encoder can fit a batch of severity labels (v1 could not: see
    integrator_arch.CueEncoderV2), and tune_integrator --cue_arch v2 swaps it in,
    resumes into the integrator tuning and exports with the new architecture."""
    import random
    import numpy as np
    import torch.nn.functional as F
    from restora_models.batches import make_sample
    from restora_models.checkpoint import load
    from restora_models.integrator_arch import CueEncoderV2, IntegratorConfig
    from restora_models import tune_integrator
    from restora_models.tokenizer import Tokenizer
    torch.manual_seed(0)
    cfg = train.load_config(CFG)
    tok = Tokenizer.load(os.path.join(MODELS_DIR, cfg["tokenizer"]))
    rng = random.Random(0)
    y, x = np.mgrid[0:32, 0:32]
    clean = (np.stack([x * 8, y * 8, (x + y) * 4], -1) % 256).astype(np.uint8)
    b = train.collate([make_sample(clean, s, sev, rng) for s, sev in enumerate(["light", "medium", "severe"] * 3)],
                      tok, torch.device("cpu"))
    enc = CueEncoderV2(IntegratorConfig(d=32, cues=4, cue_size=32, cue_arch="v2"))
    opt = torch.optim.Adam(enc.parameters(), lr=3e-3)
    errs = []
    for _ in range(60):
        logits = enc.severity_logits(b["degraded"])
        errs.append((torch.sigmoid(logits) - b["sev"]).abs().mean().item())
        loss = F.binary_cross_entropy_with_logits(logits, b["sev"])
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert errs[-1] < 0.5 * errs[0]
    cues, sev = enc(b["degraded"])
    assert cues.shape == (9, 4, 32) and sev.shape == (9, 8)

    base_dir = os.path.join(MODELS_DIR, "runs", "pytest-tiny")
    for d in (base_dir, base_dir + "-cues2"):
        shutil.rmtree(d, ignore_errors=True)
    try:
        assert train.main(["--config", tiny_cfg(tmp_path, steps=2)]) == 2
        tune_integrator.main(["--run", "pytest-tiny", "--cue_arch", "v2", "--cue_seconds", "1", "--seconds", "1",
                              "--batch", "2"])
        integ, _, _, st = load("pytest-tiny-cues2")
        assert isinstance(integ.cue_encoder, CueEncoderV2) and st["config"]["stage2_cue_steps"] >= 1
        from restora_models import export
        out = tmp_path / "zoo"
        export.main(["--run", "pytest-tiny-cues2", "--out", str(out)])
        man = json.loads((out / "restora-cue-encoder" / "manifest.json").read_text())
        assert man["cueArch"] == "v2" and man["training"]["stage2"]["cueSteps"] >= 1
        assert "GroupNorm" in (out / "restora-cue-encoder" / "MODEL_CARD.md").read_text()
    finally:
        for d in (base_dir, base_dir + "-cues2"):
            shutil.rmtree(d, ignore_errors=True)
