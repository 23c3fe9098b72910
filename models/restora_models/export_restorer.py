"""Export a models-2 restorer run (train_restorer.py) to zoo/restora-restorer: the ONNX graph (opset 17, any
H x W), its manifest, parity vector and model card. The cue encoder and integrator it was steered by are the
shipped ones (the run's `integrator_from`), so they are left as they are.

    cd models && /usr/bin/python3 -m restora_models.export_restorer --run restorer-2-cpu --version 2.0.0 \
        [--metrics bench-bsds.jsonl bench-faces.jsonl] [--speed speed.json] [--known-failures notes.md]

A face restorer (a run trained on aligned faces, `"patches": "faces-aligned"`) goes to zoo/restora-face-restorer
(task `face-restorer`, the face pass's model) with `--face`; its card's figures come from the JSON line
`npm run bench:faces:restore -- --models DIR` prints (`--face-metrics FILE`):

    cd models && /usr/bin/python3 -m restora_models.export_restorer --run face-restorer-1-cpu --version 1.0.0 --face \
        [--face-metrics face-bench.jsonl] [--known-failures notes.md]

Every figure in the card comes from the manifest's `metrics`, and every metric from a measurement file:
`--metrics` takes the JSON lines `npm run bench:quality` prints (the last line of each run), `--speed` the
JSON line `npm run bench:speed:models` prints. Without them the card says "not measured".
"""
import argparse
import json
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch

from . import semantics as S
from .checkpoint import load
from .data import MODELS_DIR
from .export import DATA, export_graph, flat, git_rev, io, rand, round_half, write_model
from .models import greedy_decode
from . import export as export_mod
from . import model_card

TILE = {"size": 512, "overlap": 32}


def bench_metrics(files):
    """The independent benchmark's results, compacted: one entry per (data set, family, severity); where files
    measure the same one, the later file's run wins (a family re-measured after a change)."""
    out = []
    for fn in files or []:
        with open(fn) as f:
            lines = [json.loads(l) for l in f if l.strip().startswith("{") and '"bench":"quality"' in l.replace(" ", "")]
        for b in lines:
            data = "faces-flr 001-012 (512 px)" if b["faces"] else os.path.basename(os.path.dirname(b["gt"].rstrip("/"))) + "/" + os.path.basename(b["gt"].rstrip("/"))
            for r in b.get("results", []):
                m = r["means"]
                out.append({"data": data, "images": r["images"], "family": r["family"], "severity": r["severity"],
                            "instruction": b.get("instruction", ""), "seed": b.get("seed", 0),
                            "psnr": {k: m[k]["psnr"] for k in ("input", "classical", "restorer")},
                            "ssim": {k: m[k]["ssim"] for k in ("input", "classical", "restorer")},
                            "gainDb": r["gainOverInputDb"], "edgeDb": r["gainOverClassicalDb"],
                            "goals": r["goals"], "meanRestoreSeconds": r.get("meanRestoreSeconds")})
    last = {(e["data"], e["family"], e["severity"], e["instruction"]): i for i, e in enumerate(out)}
    return [e for i, e in enumerate(out) if last[(e["data"], e["family"], e["severity"], e["instruction"])] == i]


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--out", default=os.path.join(MODELS_DIR, "zoo"))
    ap.add_argument("--metrics", nargs="*", default=[])
    ap.add_argument("--speed")
    ap.add_argument("--known-failures", help="a markdown file: what was seen to go wrong (real photos looked at, failures measured)")
    ap.add_argument("--hardware", default="2-core x86-64 CPU (shared), no GPU, PyTorch 1.13 CPU")
    ap.add_argument("--face", action="store_true", help="export as the face restorer (zoo/restora-face-restorer)")
    ap.add_argument("--face-metrics", help="the JSON line(s) of npm run bench:faces:restore (the last one is used)")
    args = ap.parse_args(argv)
    torch.manual_seed(0)
    integ, rest, tok, st = load(args.run)
    cfg = st["config"]
    rcfg = rest.cfg
    run_cfg = os.path.join("configs", cfg["name"] + ".json")
    chain, prev = [], cfg.get("init_from")
    while prev:   # a campaign across sessions: each run continued from the one before
        p = torch.load(os.path.join(MODELS_DIR, "runs", prev, "last.pt"), map_location="cpu", weights_only=False)
        if p.get("recovered"):
            # rebuilt from the shipped ONNX by recover.py (a new machine): its manifest holds the history before it
            rt = p["recovered"]["training"]
            earlier = list(rt.get("initFrom", []))
            chain[:0] = earlier + [{"run": f"models {p['recovered']['version']}", "config": rt["config"],
                                     "steps": rt["steps"] - sum(c["steps"] for c in earlier),
                                     "wallSeconds": rt["wallSeconds"] - sum(c["wallSeconds"] for c in earlier)}]
            break
        chain.insert(0, {"run": prev, "config": os.path.join("configs", p["config"]["name"] + ".json"), "steps": p["step"],
                         "wallSeconds": round(p["elapsed"])})
        prev = p["config"].get("init_from")
    cmds = ["/usr/bin/python3 -m restora_models.recover"] + [f"/usr/bin/python3 -m restora_models.train_restorer --config {c['config']}"
                                                               for c in chain] + [f"/usr/bin/python3 -m restora_models.train_restorer --config {run_cfg}"]
    training = {"data": DATA, "command": "cd models && " + " && ".join(cmds), "config": run_cfg,
                "steps": st["step"] + sum(c["steps"] for c in chain),
                "wallSeconds": round(st["elapsed"]) + sum(c["wallSeconds"] for c in chain), "hardware": args.hardware,
                "sourceCommit": git_rev(), "runConfig": cfg, "integratorFrom": cfg["integrator_from"],
                "degradations": "restora_models/blind_degradations.py", **({"initFrom": chain} if chain else {})}
    metrics = {"independent": bench_metrics(args.metrics)}
    if args.face_metrics:
        with open(args.face_metrics) as f:
            metrics["faces"] = [json.loads(l) for l in f if '"faces-restore"' in l.replace(" ", "")][-1]
    if args.speed:
        with open(args.speed) as f:
            metrics["speed"] = json.loads([l for l in f if l.strip().startswith("{")][-1])
    if args.known_failures:
        with open(args.known_failures) as f:
            metrics["knownFailures"] = f.read().strip()
    export_mod.VERSION = args.version
    mid, task = ("restora-face-restorer", "face-restorer") if args.face else ("restora-restorer", "restorer")
    d = os.path.join(args.out, mid)
    os.makedirs(d, exist_ok=True)
    img = rand(21, (1, 3, 40, 56))
    round_half(rest)   # stored as float16 in the file (half the size), computed in float32
    with torch.no_grad():
        cues, _ = integ.cue_encoder(rand(11, (1, 3, integ.cfg.cue_size, integ.cfg.cue_size)))
        _, q = greedy_decode(integ, cues, torch.tensor([tok.encode("")], dtype=torch.long))
        out = rest.eval()(img, q)
    export_graph(rest, (img, q), os.path.join(d, "model.onnx"), ["image", "queries"], ["restored"],
                 {"image": {2: "H", 3: "W"}, "restored": {2: "H", 3: "W"}}, half_weights=True)
    nparams = int(sum(p.numel() for p in rest.parameters()))
    write_model(args.out, mid, task,
                [io("image", "float32", [1, 3, "H", "W"], "NCHW", [0, 1],
                    "an aligned face crop (the FFHQ template at 512 px)" if args.face else "the photo (after the tone stage), any size"),
                 io("queries", "float32", [1, S.K, integ.cfg.dq], doc="integrator queries at the K generated semantic tokens")],
                [io("restored", "float32", [1, 3, "H", "W"], "NCHW", [0, 1])],
                nparams, training, metrics, {"tile": dict(TILE, multiple=rcfg.multiple), "arch": rcfg.to_dict(), "weights": "float16"},
                {"inputs": {"image": {"shape": list(img.shape), "data": flat(img)}, "queries": {"shape": list(q.shape), "data": flat(q)}},
                 "outputs": {"restored": {"shape": list(out.shape), "data": flat(out)}}, "atol": 1e-4},
                model_card.face_restorer if args.face else model_card.restorer2)
    print("exported", d)


if __name__ == "__main__":
    main()
