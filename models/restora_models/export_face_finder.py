"""Export the face finder (face_finder_arch.py) to zoo/restora-face-finder/ with manifest, parity vector and card:
    cd models && /usr/bin/python3 -m restora_models.export_face_finder --run face-finder-1-cpu --version 1.0.0 [--metrics FILE] [--known-failures notes.md]
Rebuilt from the config its checkpoint stores; batch norm folded into the convolutions by the exporter's constant
folding; dynamic height and width, multiples of 16 (the engine pads). parity.json holds PyTorch's outputs on a
random input, which tests/integration/models-parity.test.ts checks ONNX Runtime against. --metrics: the JSON line
of `npm run bench:faces` (bench/faces-bench.ts), kept in the manifest and the card.
"""
import json
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py

import torch

from .data import MODELS_DIR
from .face_finder_arch import MULTIPLE, STRIDE, FaceFinderExport, FaceFinderNet

FINDER_ID = "restora-face-finder"


def load(run):
    st = torch.load(os.path.join(MODELS_DIR, "runs", run, "last.pt"), map_location="cpu")
    net = FaceFinderNet(st["arch"]).eval()
    net.load_state_dict(st["model"])
    return net, st


def last_val(run):
    """The run's last validation record (recall, precision, false detections per crop on held-out crops)."""
    val = {}
    log = os.path.join(MODELS_DIR, "runs", run, "log.jsonl")
    if os.path.exists(log):
        for line in open(log):
            rec = json.loads(line)
            if "recall" in rec:
                val = {k: rec[k] for k in ("recall", "precision", "false_per_crop", "step")}
    return val


def card(man, known_failures=""):
    t, m, v = man["training"], man.get("metrics") or {}, man["training"]["finalVal"]
    data = "\n".join(f"- **{d['name']}** — {d['licence']}. {d['attribution']}" for d in t["data"])
    lines = [f"# {man['id']} {man['version']}", "",
             "Face finder: proposes where the faces of an old photograph are, including the small, faded, blurred and "
             "shadowed faces of group photos that the general face detector (SSD MobileNet v1 of @vladmandic/face-api) "
             "does not see. Its boxes join that detector's as candidates of the face search "
             "(electron/engine/faces/find-faces.ts) and are judged by the same checks (verify.ts).", "",
             f"File `{man['file']}`, sha256 `{man['sha256']}`, opset {man['opset']}, {man['params']:,} parameters.", "",
             "## Use", "",
             f"Input `luma` float32 [1,1,H,W], the photo's luminance (0.299 R + 0.587 G + 0.114 B) in 0..1, H and W "
             f"multiples of {MULTIPLE}. Outputs at a quarter of the input's resolution: `heat` [1,1,H/4,W/4], the "
             "probability that a face's centre is in each cell; `size` [1,2,H/4,W/4], the box's width and height in "
             "input pixels; `offset` [1,2,H/4,W/4], the centre's position inside its cell (x, y, in cells). A face is a "
             "cell that is the maximum of its 3x3 neighbourhood and above the threshold. One pass finds faces of about "
             "10 to 80 px; the engine runs it on a pyramid of the photo for bigger ones. The input is normalised "
             "inside the network by its own mean and spread.", "",
             "## Training data", "", data,
             "- People 013-102 of faces-flr (neutral and smiling) cut head-and-shoulders from their portraits, "
             "turned, narrowed, darkened, some under drawn hats, placed alone or in rows on BSDS500 training scenes "
             "(places where the scenes may show faces of their own left out of the loss), then aged as a whole: "
             "monochrome or toned, faded, blurred, downscaled, grainy, JPEG-compressed, scratched and dusted. Face "
             "widths 9-80 px.", "",
             "## How it was trained", "",
             f"- Command: `{t['command']}`",
             f"- Config `{t['config']}`: {json.dumps(t['runConfig'])}",
             f"- Steps: {t['steps']}, wall time {t['wallSeconds']} s, hardware: {t['hardware']}. Loss: centre-point "
             f"focal loss on the heat map, L1 on log size and offset. Source commit at export: `{t['sourceCommit']}`.", "",
             "## Measured", "",
             f"Validation at the end of training (48 crops of 256 px composed the same way from held-out people "
             f"001-012 on BSDS500 val scenes, threshold {t['runConfig'].get('threshold', 0.3)}, IoU >= 0.3): recall "
             f"{v.get('recall', float('nan')):.3f}, precision {v.get('precision', float('nan')):.3f}, "
             f"{v.get('false_per_crop', float('nan')):.2f} false detections per crop. This is the training recipe's own "
             "composition; the benchmark below is the measure.", ""]
    if m:
        lines += ["Face search with it (`npm run bench:faces`: aged group photos composed by the benchmark's own code "
                  "from held-out people, and real old photographs with faces marked by hand):", "",
                  "```json", json.dumps(m, indent=1), "```", ""]
    lines += ["## Limits and known failures", "",
              "Trained for about an hour on a 2-core CPU, on 90 people photographed frontally in a studio and pasted "
              "into scenes: faces of real old photographs get low scores from it (models/notes/faces.md, eleventh "
              "session), and faces turned away, looking down, of children and of very old people are found less "
              "often. Its boxes are candidates, not answers: on its own it marks some face-like texture (windows, "
              "knots, foliage), which the search's checks (a sure score, or SSD's agreement) are there to reject.", ""]
    if known_failures:
        lines += [known_failures.strip(), ""]
    return "\n".join(lines)


def export_face_finder(run, out_dir, hardware, version, metrics=None, known_failures=""):
    from .export import DATA, export_graph, flat, git_rev, io, rand, sha256
    net, st = load(run)
    cfg = st["config"]
    d = os.path.join(out_dir, FINDER_ID)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "model.onnx")
    x = rand(91, (1, 1, 48, 64))
    wrapped = FaceFinderExport(net).eval()
    dyn = {"luma": {2: "height", 3: "width"}, "heat": {2: "h4", 3: "w4"}, "size": {2: "h4", 3: "w4"}, "offset": {2: "h4", 3: "w4"}}
    export_graph(wrapped, (x,), path, ["luma"], ["heat", "size", "offset"], dyn)
    with torch.no_grad():
        heat, size, off = wrapped(x)
    training = {"data": DATA, "config": f"configs/{cfg['name']}.json",
                "command": f"cd models && nice -n 10 /usr/bin/python3 -m restora_models.train_face_finder --config configs/{cfg['name']}.json",
                "steps": st["step"], "wallSeconds": round(st["elapsed"]), "hardware": hardware, "sourceCommit": git_rev(),
                "runConfig": cfg, "arch": net.cfg.to_dict(), "finalVal": last_val(run)}
    quarter = [1, 1, "height/4", "width/4"]
    man = {"schema": 1, "id": FINDER_ID, "version": version, "task": "face-finder", "file": "model.onnx",
           "sha256": sha256(path), "opset": 17,
           "inputs": [io("luma", "float32", [1, 1, "height", "width"], "NCHW", [0, 1], "the photo's luminance, H and W multiples of 16")],
           "outputs": [io("heat", "float32", quarter, "NCHW", [0, 1], "probability of a face's centre per cell"),
                       io("size", "float32", [1, 2, "height/4", "width/4"], "NCHW", None, "box width and height in input pixels"),
                       io("offset", "float32", [1, 2, "height/4", "width/4"], "NCHW", None, "centre offset inside the cell (x, y), cells")],
           "params": int(sum(p.numel() for p in net.parameters())),
           "semantics": {"stride": STRIDE, "multiple": MULTIPLE, "faceRange": [10, 80], "threshold": cfg.get("threshold", 0.3)},
           "training": training, "metrics": metrics or {}}
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump(man, f, indent=1, ensure_ascii=False)
    with open(os.path.join(d, "parity.json"), "w") as f:
        json.dump({"inputs": {"luma": {"shape": list(x.shape), "data": flat(x)}},
                   "outputs": {"heat": {"shape": list(heat.shape), "data": flat(heat)},
                               "size": {"shape": list(size.shape), "data": flat(size)},
                               "offset": {"shape": list(off.shape), "data": flat(off)}}, "atol": 1e-3}, f)
    with open(os.path.join(d, "MODEL_CARD.md"), "w") as f:
        f.write(card(man, known_failures))
    return man


def main(argv=None):
    from .export import export_cli
    return export_cli(argv, "face-finder-2-cpu", "bench:faces", export_face_finder)


if __name__ == "__main__":
    main()
