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

from .export_dejpeg import architecture_line, trained_and_measured, write_block_net

DETAIL_ID = "restora-detail"
TILE = {"size": 256, "overlap": 16}
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
             architecture_line(a), "",
             "## Training data", "", data,
             "- Each clean crop is degraded by `blind_degradations.py`: a random blur kernel (isotropic or "
             "anisotropic), a random resize down and back up in a random mode, noise, JPEG, in random order and "
             "sometimes twice; some crops stay clean, and some carry a global look (sepia, mono, fade, tint) in both "
             "input and target, so a photo that needs nothing, or a toned print, passes through.", "",
             ] + trained_and_measured(
        t, m, "under degradations written with PIL and scipy, not the training code; PSNR against the clean crop (dB):", "degradation",
        f"Clean crops through it: {plain['output']:.2f} dB from the input." if plain else "", "the benchmark's own degradations",
        "Trained on a 2-core CPU for a few hours in all: it sharpens mild blur and recovers some edges lost to "
        "halving; texture destroyed by strong blur or heavy downscaling does not come back, and it does not invent "
        "detail. It changes a photo that needs nothing slightly (see the clean crops above), which is why the "
        "engine runs it only when blur is to be fixed.", known_failures, val, wall="wall time of this run")
    return "\n".join(lines)


def export_detail(run, out_dir, hardware, version, metrics=None, known_failures=""):
    return write_block_net(run, out_dir, hardware, version, metrics, known_failures, model_id=DETAIL_ID, task="detail-restorer",
                           trainer="train_detail", seed=79, docs=("a tile of the photo, RGB", "the tile with its lost detail restored"),
                           tile=TILE, card_fn=card)


def main(argv=None):
    from .export import export_cli
    return export_cli(argv, "detail-2-cpu", "bench:quality", export_detail, hardware="2-core x86-64 CPU (shared with other work), no GPU, PyTorch 1.13 CPU")


if __name__ == "__main__":
    main()
