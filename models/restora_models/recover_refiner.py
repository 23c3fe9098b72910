"""Rebuild the shipped generative refiner (zoo/restora-refiner) as a PyTorch checkpoint: the base policy that
preference optimisation (train_lrpo.py) starts from, now that the run that trained it is gone.

    cd models && /usr/bin/python3 -m restora_models.recover_refiner [--zoo zoo] [--name zoo-refiner-1.0.0]

The architecture comes from the manifest (`architecture`); every ONNX initializer is copied into its parameter by
name, and the one the exporter renamed (the cross-attention's key/value Linear, folded into a MatMul) is taken in
graph order and transposed back (recover.linear_rule). The rebuilt model must reproduce parity.json's x0 and its
whole sampler run within 1e-4, or nothing is written. Writes runs/<name>/last.pt with the keys train_refiner.py and
export_refiner.py use (refiner, refiner_cfg, config, step, elapsed, base_run, base_step) plus `recovered`.
"""
import argparse
import json
import os

import torch

from .data import MODELS_DIR
from .recover import assign_in_order, fill, initializers, linear_rule, parity_inputs
from .refiner_arch import Refiner, RefinerConfig, sample

MODEL_ID = "restora-refiner"


def rebuild(zoo):
    """(Refiner in eval mode, manifest) from zoo/restora-refiner, checked against its parity vectors."""
    d = os.path.join(zoo, MODEL_ID)
    man = json.load(open(os.path.join(d, "manifest.json")))
    model = Refiner(RefinerConfig(**man["architecture"])).eval()
    sd, left, unnamed = fill(model, initializers(os.path.join(d, "model.onnx")))
    assign_in_order(sd, left, unnamed, linear_rule)
    model.load_state_dict(sd)
    worst = parity_error(model, json.load(open(os.path.join(d, "parity.json"))))
    print(f"{MODEL_ID} {man['version']}: max |PyTorch - parity| = {worst:.2e}")
    if worst > 1e-4:
        raise SystemExit(f"{MODEL_ID}: recovered weights do not reproduce the parity vector ({worst:.2e})")
    return model, man


@torch.no_grad()
def parity_error(model, par):
    """Largest difference from the exported x0 and from the exported whole sampler run."""
    x, c, t, q = parity_inputs(par, ["x_t", "cond", "t", "queries"], [torch.float32] * 4)
    ref = lambda v: torch.tensor(v["data"]).reshape(v["shape"])
    worst = (model(x, c, t, q) - ref(par["outputs"]["x0"])).abs().max().item()
    s = par.get("sample")
    if s:
        out = sample(model, c, q, ref(s["eps"]), s["fidelity"], s["steps"], s["guidance"])
        worst = max(worst, (out - ref(s["output"])).abs().max().item())
    return worst


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--zoo", default=os.path.join(MODELS_DIR, "zoo"))
    ap.add_argument("--name", default=None, help="run name (default: zoo-refiner-<version>)")
    args = ap.parse_args(argv)
    model, man = rebuild(args.zoo)
    tr = man["training"]
    cfg_path = os.path.join(MODELS_DIR, tr["config"])
    cfg = json.load(open(cfg_path)) if os.path.exists(cfg_path) else {}
    name = args.name or "zoo-refiner-" + man["version"]
    run_dir = os.path.join(MODELS_DIR, "runs", name)
    os.makedirs(run_dir, exist_ok=True)
    path = os.path.join(run_dir, "last.pt")
    torch.save(dict(refiner=model.state_dict(), opt=None, refiner_cfg=model.cfg.to_dict(), step=tr["steps"],
                    elapsed=tr["wallSeconds"], config=dict(cfg, name=name), base_run=tr["baseRun"], base_step=tr["baseStep"],
                    recovered={"from": man["sha256"], "version": man["version"], "training": tr}), path)
    print("wrote", path)
    return path


if __name__ == "__main__":
    main()
