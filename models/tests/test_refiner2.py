"""The refiner behind restorer 2 (train_refiner2.py): trains, resumes and starts from another refiner run on tiny
configs, with the restorer-2 sampler and steering (seconds on a CPU)."""
import json
import os
import shutil

import torch

from restora_models import export_refiner, train, train_refiner2, train_restorer
from restora_models.data import MODELS_DIR

RUNS = os.path.join(MODELS_DIR, "runs")
NAMES = ["pytest-rf2-integ", "pytest-rf2-restorer", "pytest-rf2", "pytest-rf2-init"]


def test_refiner2_trains_resumes_and_starts_from_a_run(tmp_path):
    for n in NAMES:
        shutil.rmtree(os.path.join(RUNS, n), ignore_errors=True)
    try:
        integ = dict(json.load(open(os.path.join(MODELS_DIR, "configs", "tiny.json"))), name=NAMES[0], steps=1)
        (tmp_path / "integ.json").write_text(json.dumps(integ))
        assert train.main(["--config", str(tmp_path / "integ.json")]) == 1
        rest = dict(json.load(open(os.path.join(MODELS_DIR, "configs", "restorer-tiny.json"))), name=NAMES[1], integrator_from=NAMES[0], steps=1)
        (tmp_path / "rest.json").write_text(json.dumps(rest))
        assert train_restorer.main(["--config", str(tmp_path / "rest.json")]) == 1

        tiny = json.load(open(os.path.join(MODELS_DIR, "configs", "refiner-tiny.json")))
        cfg = dict(tiny, name=NAMES[2], base_run=NAMES[1], steps=2, val_every=2, instruction_p=0.5)
        (tmp_path / "r.json").write_text(json.dumps(cfg))
        assert train_refiner2.main(["--config", str(tmp_path / "r.json")]) == 2
        (tmp_path / "r.json").write_text(json.dumps(dict(cfg, steps=3)))
        assert train_refiner2.main(["--config", str(tmp_path / "r.json"), "--resume", "--out", str(tmp_path / "out")]) == 3
        assert torch.load(tmp_path / "out" / "refiner.pt", weights_only=False)["step"] == 3, "the checkpoint is copied out"
        lines = [json.loads(l) for l in open(os.path.join(RUNS, NAMES[2], "log.jsonl"))]
        assert [l["step"] for l in lines if "loss" in l][-1] == 3
        val = [l for l in lines if "val_psnr_refined" in l]
        assert val and all(l["val_psnr_restorer"] > 0 for l in val), "validation compares the refiner with the restorer"
        st = torch.load(os.path.join(RUNS, NAMES[2], "last.pt"), weights_only=False)
        assert st["kind"] == "refiner-2" and st["base_run"] == NAMES[1]

        # Exported as a refiner 2: its card names its trainer, its base and the known failures given.
        (tmp_path / "kf.md").write_text("- Measured nothing yet (a test).")
        export_refiner.main(["--run", NAMES[2], "--kind", "2", "--version", "2.0.0-test", "--known-failures", str(tmp_path / "kf.md"), "--out", str(tmp_path / "zoo")])
        man = json.load(open(tmp_path / "zoo" / "restora-refiner" / "manifest.json"))
        card = (tmp_path / "zoo" / "restora-refiner" / "MODEL_CARD.md").read_text()
        assert man["version"] == "2.0.0-test" and man["training"]["baseRun"] == NAMES[1]
        assert "train_refiner2 --config" in card and "- Measured nothing yet (a test)." in card and "## Use" in card

        # Started from that run: the same weights before any step.
        (tmp_path / "i.json").write_text(json.dumps(dict(cfg, name=NAMES[3], init_from=NAMES[2], steps=0)))
        train_refiner2.main(["--config", str(tmp_path / "i.json")])
        init = torch.load(os.path.join(RUNS, NAMES[3], "last.pt"), weights_only=False)["refiner"]
        assert all(torch.equal(init[k], st["refiner"][k]) for k in st["refiner"])
    finally:
        for n in NAMES:
            shutil.rmtree(os.path.join(RUNS, n), ignore_errors=True)
