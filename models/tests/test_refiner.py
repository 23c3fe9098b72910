"""The generative refiner: architecture, sampler, train/resume/export on tiny configs (seconds on a CPU)."""
import hashlib
import json
import os
import shutil

import onnx
import torch

from restora_models import train, train_refiner
from restora_models.data import MODELS_DIR
from restora_models.refiner_arch import Refiner, RefinerConfig, sample, schedule

TINY = os.path.join(MODELS_DIR, "configs", "refiner-tiny.json")


def tiny_model():
    torch.manual_seed(0)
    return Refiner(RefinerConfig(**json.load(open(TINY))["refiner"])).eval()


def test_untrained_refiner_returns_the_restorer_output_at_any_size():
    m = tiny_model()
    cond = torch.rand(2, 3, 13, 21)
    x0 = m(torch.rand(2, 3, 13, 21), cond, torch.tensor([0.2, 0.9]), torch.randn(2, 11, 64))
    assert x0.shape == cond.shape and torch.allclose(x0, cond)


def test_schedule_and_fidelity_one_is_the_identity():
    assert schedule(1.0, 4) == [] and schedule(0.0, 2) == [1.0, 0.5, 0.0]
    assert [round(t, 6) for t in schedule(0.7, 3)] == [0.3, 0.2, 0.1, 0.0]
    m = tiny_model()
    cond, eps = torch.rand(1, 3, 16, 16), torch.randn(1, 3, 16, 16)
    assert torch.equal(sample(m, cond, torch.randn(1, 11, 64), eps, fidelity=1.0), cond)


def test_sampler_is_deterministic_and_noise_and_guidance_matter():
    m = tiny_model()
    for p in m.ending.parameters():   # make the prediction depend on its inputs
        torch.nn.init.normal_(p, std=0.05)
    for blk in [b for level in m.enc for b in level]:
        torch.nn.init.normal_(blk.film.weight, std=0.3)
    cond, q = torch.rand(1, 3, 16, 16), torch.randn(1, 11, 64)
    e1, e2 = torch.randn(1, 3, 16, 16, generator=torch.Generator().manual_seed(1)), torch.randn(1, 3, 16, 16)
    a = sample(m, cond, q, e1, 0.5, 3, 1.0)
    assert torch.equal(a, sample(m, cond, q, e1, 0.5, 3, 1.0))
    assert not torch.equal(a, sample(m, cond, q, e2, 0.5, 3, 1.0))
    assert not torch.equal(a, sample(m, cond, q, e1, 0.5, 3, 3.0))


def test_refiner_train_resume_and_export(tmp_path):
    base_dir = os.path.join(MODELS_DIR, "runs", "pytest-refiner-base")
    run_dir = os.path.join(MODELS_DIR, "runs", "pytest-refiner")
    for d in (base_dir, run_dir):
        shutil.rmtree(d, ignore_errors=True)
    try:
        base = dict(json.load(open(os.path.join(MODELS_DIR, "configs", "tiny.json"))), name="pytest-refiner-base", steps=1)
        (tmp_path / "base.json").write_text(json.dumps(base))
        assert train.main(["--config", str(tmp_path / "base.json")]) == 1

        def cfg(steps):
            c = dict(json.load(open(TINY)), name="pytest-refiner", steps=steps)
            p = tmp_path / f"refiner-{steps}.json"
            p.write_text(json.dumps(c))
            return str(p)
        assert train_refiner.main(["--config", cfg(3)]) == 3
        assert train_refiner.main(["--config", cfg(5), "--resume"]) == 5
        lines = [json.loads(l) for l in open(os.path.join(run_dir, "log.jsonl"))]
        assert [l["step"] for l in lines if "loss" in l] == [1, 2, 3, 4, 5]
        assert all(l["loss"] > 0 for l in lines if "loss" in l)
        assert "val_psnr_refined" in lines[-1]

        from restora_models import export_refiner
        out = tmp_path / "zoo"
        export_refiner.main(["--run", "pytest-refiner", "--out", str(out)])
        d = out / "restora-refiner"
        man = json.loads((d / "manifest.json").read_text())
        assert man["schema"] == 1 and man["task"] == "refiner" and man["opset"] == 17 and man["file"] == "model.onnx"
        assert man["sha256"] == hashlib.sha256((d / "model.onnx").read_bytes()).hexdigest()
        assert man["training"]["steps"] == 5 and man["training"]["data"] and man["training"]["baseRun"] == "pytest-refiner-base"
        assert man["sampler"]["defaultSteps"] <= 8 and man["tile"]["multiple"] == 4
        assert [i["name"] for i in man["inputs"]] == ["x_t", "cond", "t", "queries"]
        g = onnx.load(str(d / "model.onnx"))
        onnx.checker.check_model(g)
        dims = {i.name: [x.dim_param or x.dim_value for x in i.type.tensor_type.shape.dim] for i in g.graph.input}
        assert dims["x_t"] == ["B", 3, "H", "W"] and dims["t"] == ["B"]
        assert all(i.type.tensor_type.elem_type == onnx.TensorProto.FLOAT for i in g.graph.input)
        par = json.loads((d / "parity.json").read_text())
        assert par["outputs"]["x0"]["shape"] == par["inputs"]["x_t"]["shape"] and par["sample"]["steps"] == 4
        assert "Known failures" in (d / "MODEL_CARD.md").read_text()
    finally:
        for d in (base_dir, run_dir):
            shutil.rmtree(d, ignore_errors=True)
