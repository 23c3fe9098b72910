"""Rebuild a training checkpoint from the shipped ONNX models, so training can go on
from what ships after models/runs/ is gone (it is never committed).

    cd models && /usr/bin/python3 -m restora_models.recover [--zoo zoo] [--name zoo-1.3]

Reads restora-cue-encoder, restora-integrator and restora-restorer from the zoo,
rebuilds the PyTorch modules from the configuration the restorer's manifest names
(`training.config`, plus the cue architecture in the cue encoder's manifest) and
copies every ONNX initializer into its parameter: by name where the exporter kept
the name, otherwise in graph order (Linear weights folded into MatMul constants are
transposed back; GroupNorm and the segment embedding were folded into Mul/Add
constants). The result is checked against each model's parity vector (PyTorch
outputs recorded at export) and refused if any differs by more than 1e-4.
Writes runs/<name>/last.pt with the same keys train.py writes, plus `recovered`
(the zoo's sha256s and the manifest's training record, which export carries on).
When the zoo ships a tone model, it is rebuilt too, as runs/<its run name>/last.pt with
the keys train_tone.py writes (GroupNorm affines come back from their Mul/Add constants),
so the restorer's `tone_from` resolves on a fresh machine.
"""
import argparse
import json
import os

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from .data import MODELS_DIR
from .export import HALF_SUFFIX
from .integrator_arch import CueStep, Integrator, IntegratorConfig, IntegratorStep
from .restorer_arch import Restorer, RestorerConfig
from .tokenizer import Tokenizer
from .tone_arch import Tone, ToneConfig
from .train import DEFAULTS
from . import semantics as S


def initializers(path):
    """(name, float32 array, consuming op) for every initializer, in graph order; weights stored as float16
    behind a Cast (export.store_half) come back under their own name with the op that consumes the cast."""
    g = onnx.load(path).graph
    consumers = {}
    for node in g.node:
        if node.op_type == "Cast" and len(node.input) == 1 and node.input[0].endswith(HALF_SUFFIX):
            continue
        for i in node.input:
            consumers.setdefault(i, node.op_type)
    out = []
    for t in g.initializer:
        name, a = t.name, numpy_helper.to_array(t)
        if name.endswith(HALF_SUFFIX):
            name, a = name[:-len(HALF_SUFFIX)], a.astype(np.float32)
        out.append((name, a, consumers.get(name)))
    return out


def fill(module, inits, prefix=""):
    """Copy ONNX initializers into module's state dict. Returns the keys left unset."""
    sd = module.state_dict()
    done = set()
    unnamed = []
    for name, arr, op in inits:
        key = name[len(prefix):] if name.startswith(prefix) else None
        if key in sd:
            sd[key].copy_(torch.from_numpy(arr.copy()).reshape(sd[key].shape))
            done.add(key)
        else:
            unnamed.append((name, arr, op))
    left = [k for k in sd if k not in done and not k.endswith("num_batches_tracked")]
    return sd, left, unnamed


def assign_in_order(sd, left, unnamed, rules):
    """rules(key, tensor) -> how many unnamed constants that key consumes and how to
    rebuild it from them; constants are taken in graph order."""
    it = iter(unnamed)
    for key in left:
        n, build = rules(key, sd[key])
        parts = [next(it)[1] for _ in range(n)]
        sd[key].copy_(build(parts).reshape(sd[key].shape))
    rest = list(it)
    if rest:
        raise SystemExit(f"unassigned ONNX constants: {[r[0] for r in rest]}")


def linear_rule(key, t):
    if key == "seg_emb":   # folded into three Add constants, one per segment
        return 3, lambda p: torch.from_numpy(np.stack([x.reshape(-1) for x in p]))
    if key.endswith(".weight") and t.dim() == 2:   # nn.Linear -> MatMul(x, W^T)
        return 1, lambda p: torch.from_numpy(p[0].T.copy())
    raise SystemExit(f"no rule to recover parameter {key}")


def cue_rule(key, t):
    if t.dim() == 1:   # GroupNorm affine folded into Mul (weight) then Add (bias)
        return 1, lambda p: torch.from_numpy(p[0].reshape(-1).copy())
    raise SystemExit(f"no rule to recover cue-encoder parameter {key}")


def recover_tone(zoo):
    """runs/<tone run>/last.pt rebuilt from zoo/restora-tone (None when the zoo has no tone model)."""
    mdir = os.path.join(zoo, "restora-tone")
    if not os.path.exists(os.path.join(mdir, "manifest.json")):
        return None
    man = json.load(open(os.path.join(mdir, "manifest.json")))
    tr = man["training"]
    tone = Tone(ToneConfig(**tr["arch"])).eval()
    sd, left, unnamed = fill(tone, initializers(os.path.join(mdir, "model.onnx")))
    assign_in_order(sd, left, unnamed, cue_rule)
    tone.load_state_dict(sd)
    check("restora-tone", tone, json.load(open(os.path.join(mdir, "parity.json"))), ["image", "queries"], [torch.float32] * 2)
    name = tr["runConfig"]["name"]
    before = tr.get("initFrom", [])
    run_dir = os.path.join(MODELS_DIR, "runs", name)
    os.makedirs(run_dir, exist_ok=True)
    torch.save(dict(tone=tone.state_dict(), opt=None, step=tr["steps"] - sum(c["steps"] for c in before),
                    elapsed=tr["wallSeconds"] - sum(c["wallSeconds"] for c in before), config=tr["runConfig"],
                    tone_cfg=tone.cfg.to_dict(), base_run=tr["baseRun"],
                    recovered={"from": man["sha256"], "version": man["version"], "training": tr}),
               os.path.join(run_dir, "last.pt"))
    print("wrote", os.path.join(run_dir, "last.pt"))
    return name


def parity_inputs(par, names, dtypes):
    return [torch.tensor(par["inputs"][n]["data"], dtype=d).reshape(par["inputs"][n]["shape"]) for n, d in zip(names, dtypes)]


def check(name, module, par, names, dtypes):
    with torch.no_grad():
        outs = module(*parity_inputs(par, names, dtypes))
    outs = outs if isinstance(outs, tuple) else (outs,)
    worst = 0.0
    for o, (k, v) in zip(outs, par["outputs"].items()):
        ref = torch.tensor(v["data"]).reshape(v["shape"])
        worst = max(worst, (o - ref).abs().max().item())
    print(f"{name}: max |PyTorch - parity| = {worst:.2e}")
    if worst > 1e-4:
        raise SystemExit(f"{name}: recovered weights do not reproduce the parity vector ({worst:.2e})")


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--zoo", default=os.path.join(MODELS_DIR, "zoo"))
    ap.add_argument("--name", default=None, help="run name (default: zoo-<restorer version>)")
    args = ap.parse_args(argv)
    man = {m: json.load(open(os.path.join(args.zoo, m, "manifest.json")))
           for m in ("restora-cue-encoder", "restora-integrator", "restora-restorer")}
    rman = man["restora-restorer"]
    # Architectures: from the manifests (exports since 1.4 record them), else from the training config they name.
    cfg_path = os.path.join(MODELS_DIR, rman["training"]["config"])
    cfg = dict(DEFAULTS, **(rman["training"].get("runConfig") or (json.load(open(cfg_path)) if os.path.exists(cfg_path) else {})))
    tok = Tokenizer.load(os.path.join(args.zoo, "restora-integrator", "tokenizer.json"))
    iarch = man["restora-integrator"].get("arch") or dict(cfg.get("integrator", {}), text_vocab=tok.size, sem_vocab=S.VOCAB_SIZE)
    icfg = IntegratorConfig(**iarch)
    icfg.cue_arch = man["restora-cue-encoder"].get("cueArch", icfg.cue_arch)
    integ = Integrator(icfg).eval()
    rest = Restorer(RestorerConfig(**(rman.get("arch") or dict(cfg.get("restorer", {}), k=S.K, dq=icfg.dq)))).eval()

    path = lambda m: os.path.join(args.zoo, m, "model.onnx")
    sd, left, unnamed = fill(rest, initializers(path("restora-restorer")))
    assign_in_order(sd, left, unnamed, linear_rule)
    rest.load_state_dict(sd)
    enc = integ.cue_encoder
    sd, left, unnamed = fill(enc, initializers(path("restora-cue-encoder")), "m.")
    assign_in_order(sd, left, unnamed, cue_rule)
    enc.load_state_dict(sd)
    body = {k: v for k, v in integ.state_dict().items() if not k.startswith("cue_encoder.")}
    inits = initializers(path("restora-integrator"))
    sd, left, unnamed = fill(integ, [(("m." if not n.startswith("m.") else "") + n, a, o) for n, a, o in inits], "m.")
    left = [k for k in left if k in body]
    assign_in_order(sd, left, unnamed, linear_rule)
    integ.load_state_dict(sd)

    par = lambda m: json.load(open(os.path.join(args.zoo, m, "parity.json")))
    check("restora-restorer", rest, par("restora-restorer"), ["image", "queries"], [torch.float32] * 2)
    check("restora-cue-encoder", CueStep(integ).eval(), par("restora-cue-encoder"), ["image"], [torch.float32])
    check("restora-integrator", IntegratorStep(integ).eval(), par("restora-integrator"),
          ["cues", "instruction_ids", "semantic_ids"], [torch.float32, torch.long, torch.long])

    name = args.name or "zoo-" + rman["version"]
    run_dir = os.path.join(MODELS_DIR, "runs", name)
    os.makedirs(run_dir, exist_ok=True)
    st = dict(integrator=integ.state_dict(), restorer=rest.state_dict(), opt=None,
              step=rman["training"]["steps"], elapsed=rman["training"]["wallSeconds"],
              config=dict(cfg, name=name), integrator_cfg=icfg.to_dict(), restorer_cfg=rest.cfg.to_dict(),
              tokenizer=tok.to_json(),
              recovered={"from": {m: man[m]["sha256"] for m in man}, "version": rman["version"],
                         "training": rman["training"]})
    torch.save(st, os.path.join(run_dir, "last.pt"))
    print("wrote", os.path.join(run_dir, "last.pt"))
    recover_tone(args.zoo)


if __name__ == "__main__":
    main()
