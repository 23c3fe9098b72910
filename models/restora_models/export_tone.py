"""Export the tone model (tone_arch.py) to zoo/restora-tone/ with manifest, parity
vector and model card. Called by export.py for a run trained behind a tone model
(`tone_from`), or alone:

    cd models && /usr/bin/python3 -m restora_models.export_tone --run tone-cpu
"""
import argparse
import json
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py
import numpy as np
import torch

from . import model_card
from . import semantics as S
from .data import MODELS_DIR
from .prng import uniform_block
from .tone_arch import Tone, ToneConfig, thumbnail

TONE_ID = "restora-tone"


def load_tone(run):
    st = torch.load(os.path.join(MODELS_DIR, "runs", run, "last.pt"), map_location="cpu")
    tone = Tone(ToneConfig(**st["tone_cfg"])).eval()
    tone.load_state_dict(st["tone"])
    return tone, st


def tone_chain(run):
    """Tone run `run` and the runs it started from (config init_run), first run first:
    [{run, config, steps, wallSeconds, loss}]; [] for None."""
    chain = []
    while run:
        st = torch.load(os.path.join(MODELS_DIR, "runs", run, "last.pt"), map_location="cpu")
        chain.insert(0, {"run": run, "config": f"configs/{st['config']['name']}.json", "steps": st["step"],
                         "wallSeconds": round(st["elapsed"]), "loss": st["config"].get("loss", "mse")})
        if st.get("recovered"):   # rebuilt from the zoo (recover.py): the runs before it are in its manifest
            return list(st["recovered"]["training"].get("initFrom", [])) + chain
        run = st["config"].get("init_run")
    return chain


def train_tone_command(config):
    return f"/usr/bin/python3 -m restora_models.train_tone --config {config}"


def export_tone(run, out_dir, version, hardware, metrics=None):
    from .export import DATA, export_graph, flat, git_rev, io, rand, write_model
    tone, st = load_tone(run)
    cfg = st["config"]
    s = tone.cfg.size
    os.makedirs(os.path.join(out_dir, TONE_ID), exist_ok=True)
    img, q = rand(31, (1, 3, s, s)), rand(32, (1, S.K, tone.cfg.dq), -1.0, 1.0)
    path = os.path.join(out_dir, TONE_ID, "model.onnx")
    export_graph(tone, (img, q), path, ["image", "queries"], ["matrix"], None)
    with torch.no_grad():
        m = tone(img, q)
        # whole-photo vectors: the engine's thumbnail (area average, or bilinear when smaller) + model on an
        # HWC image of uniform_block(seed) values, larger than the view and smaller than it
        pipeline = []
        for seed, h, w in ((33, 301, 203), (34, 50, 70)):
            hwc = torch.from_numpy(uniform_block(seed, h * w * 3).astype(np.float32).reshape(h, w, 3))
            th = thumbnail(hwc.permute(2, 0, 1)[None], s)
            pipeline.append({"seed": seed, "height": h, "width": w, "thumbnail_head": flat(th.permute(0, 2, 3, 1).reshape(-1)[:48]),
                             "thumbnail_mean": float(th.mean()), "matrix": flat(tone(th, q))})
    # a run that started from another tone run's weights (init_run) records the whole chain, first run first;
    # a run rebuilt from the zoo (recover.py) takes the runs before it from its manifest
    rec = st.get("recovered")
    chain = list(rec["training"].get("initFrom", [])) if rec else tone_chain(cfg.get("init_run"))
    configs = [c["config"] for c in chain] + [f"configs/{cfg['name']}.json"]
    training = {"data": DATA, "config": f"configs/{cfg['name']}.json",
                "command": "cd models && " + " && ".join(train_tone_command(c) for c in configs),
                "baseRun": cfg["base_run"], "samples": cfg.get("samples"), "loss": cfg.get("loss", "mse"),
                "steps": st["step"] + sum(c["steps"] for c in chain),
                "wallSeconds": round(st["elapsed"]) + sum(c["wallSeconds"] for c in chain),
                "hardware": hardware, "sourceCommit": git_rev(), "runConfig": cfg, "arch": tone.cfg.to_dict()}
    if chain:
        training["initFrom"] = chain
    return write_model(out_dir, TONE_ID, "tone",
                       [io("image", "float32", [1, 3, s, s], "NCHW", [0, 1],
                           f"the whole photo resized to {s}x{s} (area average; aspect ignored)"),
                        io("queries", "float32", [1, S.K, tone.cfg.dq], doc="integrator queries at the K generated semantic tokens")],
                       [io("matrix", "float32", [1, 3, 4], doc="y = M[:, :3] @ rgb + M[:, 3], then clamp to 0..1")],
                       int(sum(p.numel() for p in tone.parameters())), training, metrics or {}, {"version": version},
                       {"inputs": {"image": {"shape": list(img.shape), "data": flat(img)},
                                   "queries": {"shape": list(q.shape), "data": flat(q)}},
                        "outputs": {"matrix": {"shape": list(m.shape), "data": flat(m)}}, "pipeline": pipeline, "atol": 1e-4},
                       model_card.tone)


def main(argv=None):
    from .export import VERSION
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", default="tone-cpu")
    ap.add_argument("--out", default=os.path.join(MODELS_DIR, "zoo"))
    ap.add_argument("--hardware", default="2-core x86-64 CPU (shared), no GPU, PyTorch 1.13 CPU")
    args = ap.parse_args(argv)
    mpath = os.path.join(MODELS_DIR, "runs", args.run, "metrics.json")
    man = export_tone(args.run, args.out, VERSION, args.hardware, json.load(open(mpath)) if os.path.exists(mpath) else None)
    print("exported", man["id"], man["sha256"])


if __name__ == "__main__":
    main()
