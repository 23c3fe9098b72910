"""Export the damage detector (damage_arch.py) to zoo/restora-damage/ with manifest, parity
vector and model card:

    cd models && /usr/bin/python3 -m restora_models.export_damage --run damage-2-cpu --version 1.1.0 [--threshold P] [--kind-threshold blotch=P] [--low P] [--metrics FILE] [--known-failures notes.md]

Rebuilt from the config its checkpoint stores; dynamic height and width (the graph pads to a
multiple of 16 itself); parity.json holds PyTorch's output on a random input whose size is not a
multiple of 16, which tests/integration/models-parity.test.ts checks ONNX Runtime against. --metrics: the JSON line of `npm run bench:damage` (bench/damage-bench.ts),
kept in the manifest and the model card.
"""
import argparse
import json
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py
import torch

from .damage_arch import DamageConfig, DamageNet
from .damage_synth import KINDS
from .data import MODELS_DIR

DAMAGE_ID = "restora-damage"
DAMAGE_VERSION = "1.1.0"
TILE = {"size": 256, "overlap": 32, "multiple": 16}


def load(run):
    st = torch.load(os.path.join(MODELS_DIR, "runs", run, "last.pt"), map_location="cpu")
    net = DamageNet(DamageConfig(**st["arch"])).eval()
    net.load_state_dict(st["model"])
    return net, st


def card(man, known_failures=""):
    t, m = man["training"], man.get("metrics") or {}
    data = "\n".join(f"- **{d['name']}** — {d['licence']}. {d['attribution']}" for d in t["data"])
    lines = [f"# {man['id']} {man['version']}", "",
             "Damage detector: marks old-photo damage per pixel in four kinds — scratches and creases, dust and "
             "spots, blotches and stains, torn or missing areas — for the repair stage "
             "(electron/engine/stages/repair.ts), which fills the marked pixels from their surroundings.", "",
             f"File `{man['file']}`, sha256 `{man['sha256']}`, opset {man['opset']}, {man['params']:,} parameters.", "",
             "## Use", "",
             "Input `image` float32 NCHW [1,3,H,W] in 0..1, any H and W (padded to a multiple of 16 inside). "
             "Output `damage` [1,4,H,W]: the probability of each kind (" + ", ".join(KINDS) + ") at each pixel; "
             f"the engine marks a kind at ≥ {man['semantics']['threshold']} (semantics.threshold)"
             + "".join(f", {k} at ≥ {v}" for k, v in man['semantics'].get('kindThresholds', {}).items())
             + (" (semantics.kindThresholds)" if man['semantics'].get('kindThresholds') else "")
             + (f", and grows the marks into connected pixels of the same kind at ≥ {man['semantics']['thresholdLow']} (thresholdLow, hysteresis)"
                if man['semantics'].get('thresholdLow') else "")
             + (", reading each tile also mirrored left to right and averaging the two (semantics.flip)" if man['semantics'].get('flip') else "")
             + f". Run in tiles of {TILE['size']} px overlapping by {TILE['overlap']} "
             "(each tile keeps its core); no normalisation layers, so a tile's output does not depend on the rest of it.", "",
             f"Architecture (`damage_arch.py`): a plain U-Net, widths {t['arch']['widths']}, 3x3 conv + ReLU, "
             "average-pool down, nearest up.", "",
             "## Training data", "", data,
             "- No real old photographs were used. Damage is synthetic (`damage_synth.py`): each clean crop gets an "
             "old-photo look (black and white or sepia, fading, blur, grain, halftone, paper texture — not damage), "
             "then scratches, dust, blotches and tears drawn as alpha layers with their per-kind masks.", "",
             "## How it was trained", "",
             f"- Command: `{t['command']}`",
             f"- Config `{t['config']}`: {json.dumps(t['runConfig'])}",
             f"- Steps: {t['steps']}, wall time {t['wallSeconds']} s, hardware: {t['hardware']}."
             + (f" Started from `{t['initFrom']['checkpoint']}` ({t['initFrom']['steps']} earlier steps, {t['initFrom']['wallSeconds']} s)"
                + (f", widened from {t['initFrom']['widenedFrom']} so that it began computing exactly what that model did"
                   " (`damage_arch.widen`)" if t['initFrom'].get('widenedFrom') else "") + "."
                if t.get('initFrom') else ""),
             f"- Loss: binary cross-entropy + soft Dice per kind. Source commit at export: `{t['sourceCommit']}`.",
             f"- Validation at the end (held-out bsds500/val and faces 001-012 crops, synthetic damage in the "
             f"training styles): {json.dumps(t.get('finalVal', {}).get('any', {}))} (any damage, threshold 0.5).", "",
             "## Measured", ""]
    if m:
        lines += ["`npm run bench:damage` (bench/damage-bench.ts): held-out bsds500/val photos with damage drawn by the "
                  "benchmark's own code (other widths and shapes than training), and the same photos clean:", "",
                  "```json", json.dumps(m, indent=1), "```", ""]
    else:
        lines += ["Not measured yet.", ""]
    lines += ["## Limits and known failures", "",
              "Trained on synthetic damage only, on a 2-core CPU: it misses faint and very "
              "wide damage and many thin dark lines on busy texture, and marks some strong fine texture and saturated "
              "flat areas (a yellow skirt, bright cloth) as stains; the tear channel fires on flat bright paper and sky, "
              "so the engine repairs stains and tears only when they are named. The mask is not good enough to run unasked: repair "
              "runs when the instruction names damage. The user can see and edit the mask (the Restore panel's mask "
              "editor, `restora damage FILE -o MASK.png`, `restora restore --mask FILE`).", ""]
    if known_failures:
        lines += [known_failures.strip(), ""]
    return "\n".join(lines)


def export_damage(run, out_dir, hardware, metrics=None, threshold=0.5, low=None, version=DAMAGE_VERSION, known_failures="", kind_thresholds=None, flip=False):
    from .export import DATA, export_graph, flat, git_rev, io, rand, sha256
    net, st = load(run)
    cfg = st["config"]
    d = os.path.join(out_dir, DAMAGE_ID)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "model.onnx")
    x = rand(71, (1, 3, 40, 56))
    export_graph(net, (x,), path, ["image"], ["damage"],
                 {"image": {2: "height", 3: "width"}, "damage": {2: "height", 3: "width"}})
    with torch.no_grad():
        y = net(x)
    final = {}
    log = os.path.join(MODELS_DIR, "runs", run, "log.jsonl")
    if os.path.exists(log):
        for line in open(log):
            rec = json.loads(line)
            if rec.get("final"):
                final = rec["val"]
    training = {"data": DATA, "config": f"configs/{cfg['name']}.json",
                "command": f"cd models && nice -n 5 /usr/bin/python3 -m restora_models.train_damage --config configs/{cfg['name']}.json",
                "steps": st["step"], "wallSeconds": round(st["elapsed"]), "hardware": hardware, "sourceCommit": git_rev(),
                "runConfig": cfg, "arch": net.cfg.to_dict(), "finalVal": final}
    start = cfg.get("init_from") or cfg.get("widen_from")
    if start:
        src = os.path.join(MODELS_DIR, start)
        if os.path.exists(src):
            prev = torch.load(src, map_location="cpu")
            training["initFrom"] = {"checkpoint": start, "steps": prev["step"], "wallSeconds": round(prev["elapsed"]),
                                    **({"widenedFrom": prev["arch"]["widths"]} if cfg.get("widen_from") else {})}
    man = {"schema": 1, "id": DAMAGE_ID, "version": version, "task": "damage-detector", "file": "model.onnx",
           "sha256": sha256(path), "opset": 17,
           "inputs": [io("image", "float32", [1, 3, "height", "width"], "NCHW", [0, 1], "the photo (or a tile of it), RGB")],
           "outputs": [io("damage", "float32", [1, len(KINDS), "height", "width"], "NCHW", [0, 1],
                          "probability of each kind per pixel: " + ", ".join(KINDS))],
           "tile": TILE, "params": int(sum(p.numel() for p in net.parameters())), "semantics": {"kinds": list(KINDS), "threshold": threshold, **({"kindThresholds": kind_thresholds} if kind_thresholds else {}), **({"thresholdLow": low} if low else {}), **({"flip": True} if flip else {})},
           "training": training, "metrics": metrics or {}}
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump(man, f, indent=1, ensure_ascii=False)
    with open(os.path.join(d, "parity.json"), "w") as f:
        json.dump({"inputs": {"image": {"shape": list(x.shape), "data": flat(x)}},
                   "outputs": {"damage": {"shape": list(y.shape), "data": flat(y)}}, "atol": 1e-4}, f)
    with open(os.path.join(d, "MODEL_CARD.md"), "w") as f:
        f.write(card(man, known_failures))
    return man


def kind_thresholds(items):
    """{"blotch": 0.95} from ["blotch=0.95"]; a kind the detector does not have, or a probability outside 0..1, is refused."""
    out = {}
    for it in items:
        k, _, v = it.partition("=")
        if k not in KINDS or not 0 < float(v) < 1:
            raise SystemExit(f"--kind-threshold {it}: expected KIND=P with KIND one of {', '.join(KINDS)} and 0 < P < 1")
        out[k] = float(v)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", default="damage-cpu")
    ap.add_argument("--out", default=os.path.join(MODELS_DIR, "zoo"))
    ap.add_argument("--metrics", help="the JSON line (last line) of bench:damage")
    ap.add_argument("--threshold", type=float, default=0.5,
                    help="probability at which the engine marks a pixel (chosen with bench:damage --gt bsds500/train --threshold)")
    ap.add_argument("--low", type=float, help="lower threshold for hysteresis marking (bench:damage --low)")
    ap.add_argument("--kind-threshold", action="append", default=[], metavar="KIND=P",
                    help="a kind's own threshold (repeatable), e.g. blotch=0.95")
    ap.add_argument("--flip", action="store_true", help="the engine also reads each tile mirrored and averages (semantics.flip; bench:damage --flip)")
    ap.add_argument("--version", default=DAMAGE_VERSION)
    ap.add_argument("--known-failures", help="a Markdown file of measured failures, added to the card's limits")
    ap.add_argument("--hardware", default="2-core x86-64 CPU (shared with other training), no GPU, PyTorch 1.13 CPU")
    args = ap.parse_args(argv)
    metrics = None
    if args.metrics:
        metrics = json.loads(open(args.metrics).read().strip().splitlines()[-1])
    man = export_damage(args.run, args.out, args.hardware, metrics, args.threshold, args.low, args.version,
                        open(args.known_failures).read() if args.known_failures else "", kind_thresholds(args.kind_threshold), args.flip)
    print("exported", man["id"], man["sha256"])


if __name__ == "__main__":
    main()
