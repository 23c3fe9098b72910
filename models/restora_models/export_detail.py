"""Export the detail restorer (dejpeg_arch.py at unshuffle factor 4, trained by train_detail.py) to
zoo/restora-detail/ with manifest, parity vector and model card:
    cd models && /usr/bin/python3 -m restora_models.export_detail --run detail-2-cpu --version 1.0.0 [--metrics FILE] [--known-failures notes.md]
Rebuilt from the config its checkpoint stores; dynamic height and width, each a multiple of the factor (the
engine pads every tile, electron/engine/detail/detail-restorer.ts); parity.json holds PyTorch's output on a
random input, which tests/integration/models-parity.test.ts checks ONNX Runtime against. --metrics: the JSON line
of `npm run bench:quality -- --family clean,toned,sr,blur …` (bench/quality-bench.ts), kept in the manifest and
the card.
"""
import json
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py

import torch

from .export_dejpeg import last_val, load

DETAIL_ID = "restora-detail"
TILE = {"size": 256, "overlap": 16, "multiple": 4}
VAL_NAMES = {"sr2": "blur 0.8, half size, noise 2, JPEG 80, back up", "blur": "Gaussian blur 1.5"}


def card(man, known_failures=""):
    t, m = man["training"], man.get("metrics") or {}
    data = "\n".join(f"- **{d['name']}** — {d['licence']}. {d['attribution']}" for d in t["data"])
    val = "\n".join(f"| {VAL_NAMES.get(k, k)} | {v['input']:.2f} | {v['output']:.2f} | {v['output'] - v['input']:+.2f} |"
                    for k, v in t["finalVal"].items() if k != "plain")
    plain = t["finalVal"].get("plain")
    a = t["arch"]
    lines = [f"# {man['id']} {man['version']}", "",
             "Detail restorer: gives back some of the detail that blur, downscaling, noise and JPEG took, before the "
             "restorer runs, when the blur is to be fixed — the words ask for it (\"fix the blur\", \"make it crisp\") "
             "or say nothing of blur or sharpness and the photo's cues read it as blurred. \"Leave the blur\", \"keep it "
             "soft\" and \"only the faces\" keep it off (electron/engine/restore-file.ts, `detailRestorerFor`).", "",
             f"File `{man['file']}`, sha256 `{man['sha256']}`, opset {man['opset']}, {man['params']:,} parameters.", "",
             "## Use", "",
             f"Input `image` float32 NCHW [1,3,H,W] in 0..1, H and W multiples of {a['factor']} (the engine pads each "
             "tile with its edge pixels). Output `restored` of the same shape. No normalisation and no global pooling, "
             "so tiles agree.", "",
             f"Architecture (`dejpeg_arch.py`): {a['factor']}x{a['factor']} pixel unshuffle, {a['blocks']} residual "
             f"blocks of two 3x3 convolutions at width {a['width']}, a 1x1 convolution and pixel shuffle back, then a "
             f"full-resolution tail of width {a['tail']}; the output is the input plus a correction.", "",
             "## Training data", "", data,
             "- Each clean crop is degraded by `blind_degradations.py`: a random blur kernel (isotropic or "
             "anisotropic), a random resize down and back up in a random mode, noise, JPEG, in random order and "
             "sometimes twice; some crops stay clean, and some carry a global look (sepia, mono, fade, tint) in both "
             "input and target, so a photo that needs nothing, or a toned print, passes through.", "",
             "## How it was trained", "",
             f"- Command: `{t['command']}`",
             f"- Config `{t['config']}`: {json.dumps(t['runConfig'])}",
             f"- Steps: {t['steps']}, wall time of this run {t['wallSeconds']} s, hardware: {t['hardware']}. Loss: L1. "
             f"Source commit at export: `{t['sourceCommit']}`.", "",
             "## Measured", "",
             "Validation at the end of training: 40 held-out 128x128 crops (bsds500/val and faces-flr people 001-012) "
             "under degradations written with PIL and scipy, not the training code; PSNR against the clean crop (dB):", "",
             "| degradation | input | output | gain |", "| --- | --- | --- | --- |", val, "",
             (f"Clean crops through it: {plain['output']:.2f} dB from the input." if plain else ""), ""]
    if m:
        lines += ["The whole restore with it (`npm run bench:quality`, the benchmark's own degradations on held-out photos):", "",
                  "```json", json.dumps(m, indent=1), "```", ""]
    lines += ["## Limits and known failures", "",
              "Trained on a 2-core CPU for a few hours in all: it sharpens mild blur and recovers some edges lost to "
              "halving; texture destroyed by strong blur or heavy downscaling does not come back, and it does not invent "
              "detail. It changes a photo that needs nothing slightly (see the clean crops above), which is why the "
              "engine runs it only when blur is to be fixed.", ""]
    if known_failures:
        lines += [known_failures.strip(), ""]
    return "\n".join(lines)


def export_detail(run, out_dir, hardware, version, metrics=None, known_failures=""):
    from .export import DATA, export_graph, flat, git_rev, io, rand, sha256
    net, st = load(run)
    cfg = st["config"]
    factor = net.cfg.to_dict()["factor"]
    d = os.path.join(out_dir, DETAIL_ID)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "model.onnx")
    x = rand(79, (1, 3, 40, 56))
    export_graph(net, (x,), path, ["image"], ["restored"], {"image": {2: "height", 3: "width"}, "restored": {2: "height", 3: "width"}})
    with torch.no_grad():
        y = net(x)
    training = {"data": DATA, "config": f"configs/{cfg['name']}.json",
                "command": f"cd models && nice -n 10 /usr/bin/python3 -m restora_models.train_detail --config configs/{cfg['name']}.json",
                "steps": st["step"], "wallSeconds": round(st["elapsed"]), "hardware": hardware, "sourceCommit": git_rev(),
                "runConfig": cfg, "arch": net.cfg.to_dict(), "finalVal": last_val(run)}
    man = {"schema": 1, "id": DETAIL_ID, "version": version, "task": "detail-restorer", "file": "model.onnx",
           "sha256": sha256(path), "opset": 17,
           "inputs": [io("image", "float32", [1, 3, "height", "width"], "NCHW", [0, 1], "a tile of the photo, RGB")],
           "outputs": [io("restored", "float32", [1, 3, "height", "width"], "NCHW", [0, 1], "the tile with its lost detail restored")],
           "tile": dict(TILE, multiple=factor), "params": int(sum(p.numel() for p in net.parameters())), "semantics": {"grid": factor},
           "training": training, "metrics": metrics or {}}
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump(man, f, indent=1, ensure_ascii=False)
    with open(os.path.join(d, "parity.json"), "w") as f:
        json.dump({"inputs": {"image": {"shape": list(x.shape), "data": flat(x)}},
                   "outputs": {"restored": {"shape": list(y.shape), "data": flat(y)}}, "atol": 1e-4}, f)
    with open(os.path.join(d, "MODEL_CARD.md"), "w") as f:
        f.write(card(man, known_failures))
    return man


def main(argv=None):
    from .export import export_cli
    return export_cli(argv, "detail-2-cpu", "bench:quality", export_detail, hardware="2-core x86-64 CPU (shared with other work), no GPU, PyTorch 1.13 CPU")


if __name__ == "__main__":
    main()
