"""Export the JPEG artefact remover (dejpeg_arch.py) to zoo/restora-dejpeg/ with manifest, parity vector and
model card:
    cd models && /usr/bin/python3 -m restora_models.export_dejpeg --run dejpeg-1-cpu --version 1.0.0 [--metrics FILE] [--known-failures notes.md]
Rebuilt from the config its checkpoint stores; dynamic height and width, each a multiple of 8 (the engine pads
every tile to the photo's 8x8 grid); parity.json holds PyTorch's output on a random input, which
tests/integration/models-parity.test.ts checks ONNX Runtime against. --metrics: the JSON line of
`npm run bench:quality -- --family jpeg …` (bench/quality-bench.ts), kept in the manifest and the card.
"""
import json
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py

import torch

from .data import MODELS_DIR
from .dejpeg_arch import DejpegConfig, DejpegNet

DEJPEG_ID = "restora-dejpeg"
TILE = {"size": 256, "overlap": 16, "multiple": 8}


def load(run):
    st = torch.load(os.path.join(MODELS_DIR, "runs", run, "last.pt"), map_location="cpu")
    net = DejpegNet(DejpegConfig(**st["arch"])).eval()
    net.load_state_dict(st["model"])
    return net, st


def last_val(run):
    """The run's last validation (PSNR of input and output per JPEG quality on held-out crops), as
    {"q20": {"input": …, "output": …}, …}, from the log's q20_in / q20_out figures (train_dejpeg)."""
    val = {}
    log = os.path.join(MODELS_DIR, "runs", run, "log.jsonl")
    if os.path.exists(log):
        for line in open(log):
            rec = json.loads(line)
            outs = [k[:-4] for k in rec if k.endswith("_out")]
            if outs:
                val = {q: {"input": rec[q + "_in"], "output": rec[q + "_out"]} for q in outs}
    return val


def card(man, known_failures=""):
    t, m = man["training"], man.get("metrics") or {}
    data = "\n".join(f"- **{d['name']}** — {d['licence']}. {d['attribution']}" for d in t["data"])
    val = "\n".join(f"| {k} | {v['input']:.2f} | {v['output']:.2f} | {v['output'] - v['input']:+.2f} |" for k, v in t["finalVal"].items() if k != "plain")
    plain = t["finalVal"].get("plain")
    lines = [f"# {man['id']} {man['version']}", "",
             "JPEG artefact remover: undoes the blocking and ringing of JPEG compression before the restorer runs, "
             "when the photo's cues or the instruction say the photo is JPEG-damaged (the `jpeg` setting is `fix`). "
             "It replaces the explicit deblocking filter (electron/engine/steering/deblock.ts) for the whole photo; "
             "face crops, which are not on the photo's grid, keep the filter.", "",
             f"File `{man['file']}`, sha256 `{man['sha256']}`, opset {man['opset']}, {man['params']:,} parameters.", "",
             "## Use", "",
             "Input `image` float32 NCHW [1,3,H,W] in 0..1, H and W multiples of 8, the tile's top-left corner on the "
             "photo's 8x8 JPEG grid (electron/engine/jpeg/remover.ts pads each tile so). Output `image` of the same "
             f"shape. Run in tiles of {TILE['size']} px overlapping by {TILE['overlap']}; no normalisation and no global "
             "pooling, so tiles agree.", "",
             architecture_line(t['arch'], " (each JPEG block becomes 192 channels)", " at block resolution"), "",
             "## Training data", "", data,
             "- Each clean crop, maybe made grey, slightly blurred, noisy or downscaled first (kept in the target), is "
             "compressed by PIL's JPEG encoder (4:2:0) at a quality drawn from 8 to 85, sometimes twice; 12 % are not "
             "compressed, so a photo without artefacts passes through.", "",
             ] + trained_and_measured(
        t, m, "compressed by PIL at each quality, PSNR against the uncompressed crop (dB):", "quality",
        f"Uncompressed crops through it: {plain['output']:.2f} dB from the input." if plain else "", "the benchmark's own JPEG degradations",
        "Trained on a 2-core CPU for under an hour: it removes blocking well and ringing partly; at very low "
        "qualities (below about 15) detail the codec threw away does not come back. A photo that was cropped by a "
        "number of pixels that is not a multiple of 8, or resized after compression, has its blocks off the "
        "grid the engine assumes; there it does less.", known_failures, val)
    return "\n".join(lines)


def architecture_line(a, unshuffle_note="", blocks_note=""):
    """The architecture sentence of both block networks' cards (dejpeg_arch.py at any unshuffle factor)."""
    f = a.get("factor", 8)
    return (f"Architecture (`dejpeg_arch.py`): {f}x{f} pixel unshuffle{unshuffle_note}, {a['blocks']} residual blocks of "
            f"two 3x3 convolutions at width {a['width']}{blocks_note}, a 1x1 convolution and pixel shuffle back, then a "
            f"full-resolution tail of width {a['tail']}; the output is the input plus a correction.")


def trained_and_measured(t, m, val_how, val_column, plain_line, bench_families, limits, known_failures, val_rows, wall="wall time"):
    """The card sections both block networks share (this remover and export_detail's): how it was trained, the
    validation table of its last log line, the bench line when given, and the limits with measured failures."""
    lines = ["## How it was trained", "",
             f"- Command: `{t['command']}`",
             f"- Config `{t['config']}`: {json.dumps(t['runConfig'])}",
             f"- Steps: {t['steps']}, {wall} {t['wallSeconds']} s, hardware: {t['hardware']}. Loss: L1. "
             f"Source commit at export: `{t['sourceCommit']}`."]
    if t["runConfig"].get("init_from"):
        lines.append(f"- Started from `{t['runConfig']['init_from']}` (an earlier run's weights): the steps and time above are this run's alone.")
    lines += ["", "## Measured", "",
              f"Validation at the end of training: 40 held-out 128x128 crops (bsds500/val and faces-flr people 001-012), {val_how}", "",
              f"| {val_column} | input | output | gain |", "| --- | --- | --- | --- |", val_rows, "", plain_line, ""]
    if m:
        lines += [f"The whole restore with it (`npm run bench:quality`, {bench_families} on held-out photos):", "",
                  "```json", json.dumps(m, indent=1), "```", ""]
    lines += ["## Limits and known failures", "", limits, ""]
    if known_failures:
        lines += [known_failures.strip(), ""]
    return lines


def write_block_net(run, out_dir, hardware, version, metrics, known_failures, *, model_id, task, trainer, seed, docs, tile, card_fn):
    """Exports a block network's run (dejpeg_arch.py) to out_dir/model_id: the ONNX graph with dynamic height and
    width, the manifest, PyTorch's output on a seeded random input (parity.json) and the card (card_fn). The
    network's unshuffle factor is the grid its tiles are padded to (the manifest's tile multiple and
    semantics.grid)."""
    from .export import DATA, export_graph, flat, git_rev, io, rand, sha256
    net, st = load(run)
    cfg = st["config"]
    factor = net.cfg.to_dict()["factor"]
    d = os.path.join(out_dir, model_id)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "model.onnx")
    x = rand(seed, (1, 3, 40, 56))
    export_graph(net, (x,), path, ["image"], ["restored"], {"image": {2: "height", 3: "width"}, "restored": {2: "height", 3: "width"}})
    with torch.no_grad():
        y = net(x)
    training = {"data": DATA, "config": f"configs/{cfg['name']}.json",
                "command": f"cd models && nice -n 10 /usr/bin/python3 -m restora_models.{trainer} --config configs/{cfg['name']}.json",
                "steps": st["step"], "wallSeconds": round(st["elapsed"]), "hardware": hardware, "sourceCommit": git_rev(),
                "runConfig": cfg, "arch": net.cfg.to_dict(), "finalVal": last_val(run)}
    man = {"schema": 1, "id": model_id, "version": version, "task": task, "file": "model.onnx",
           "sha256": sha256(path), "opset": 17,
           "inputs": [io("image", "float32", [1, 3, "height", "width"], "NCHW", [0, 1], docs[0])],
           "outputs": [io("restored", "float32", [1, 3, "height", "width"], "NCHW", [0, 1], docs[1])],
           "tile": dict(tile, multiple=factor), "params": int(sum(p.numel() for p in net.parameters())), "semantics": {"grid": factor},
           "training": training, "metrics": metrics or {}}
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump(man, f, indent=1, ensure_ascii=False)
    with open(os.path.join(d, "parity.json"), "w") as f:
        json.dump({"inputs": {"image": {"shape": list(x.shape), "data": flat(x)}},
                   "outputs": {"restored": {"shape": list(y.shape), "data": flat(y)}}, "atol": 1e-4}, f)
    with open(os.path.join(d, "MODEL_CARD.md"), "w") as f:
        f.write(card_fn(man, known_failures))
    return man


def export_dejpeg(run, out_dir, hardware, version, metrics=None, known_failures=""):
    return write_block_net(run, out_dir, hardware, version, metrics, known_failures, model_id=DEJPEG_ID, task="jpeg-remover",
                           trainer="train_dejpeg", seed=73, docs=("a tile of the photo, RGB, on its 8x8 grid", "the tile without JPEG artefacts"),
                           tile=TILE, card_fn=card)


def main(argv=None):
    from .export import export_cli
    return export_cli(argv, "dejpeg-1-cpu", "bench:quality", export_dejpeg, hardware="2-core x86-64 CPU (shared with other training), no GPU, PyTorch 1.13 CPU")


if __name__ == "__main__":
    main()
