"""Train the tone model (tone_arch.py) under a frozen integrator.

    cd models && /usr/bin/python3 -m restora_models.train_tone --config configs/tone-cpu.json [--resume]

loss = MSE(apply_tone(tone(degraded, queries), degraded), target), or with loss "log_mse" the mean
over photos of log MSE (tone_loss; since 1.5), against the instruction-
dependent target of batches.make_sample, so "keep the cast", "leave the fading"
and "gently" are learned from the queries. Queries are the frozen integrator's,
greedy-decoded from the instruction and the photo as in the app (decoded_queries). Samples are whole photos at the
app's thumbnail size, rendered once into a cache (tone_data.py); validation is the
held-out photos (bsds500/val, people 001-012) at medium severity with the empty
instruction and greedy-decoded queries, against the best possible 3x4 matrix.
Resumable; the schedule, logging and checkpoints are loop.py's: runs/<name>/last.pt holds the tone
config, weights and the base run it was trained under.
"""
import argparse
import json
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py

import numpy as np
import torch
import torch.nn.functional as F

from . import semantics as S
from .checkpoint import load
from .data import MODELS_DIR
from . import tone_data
from .loop import Loop
from .tone_arch import Tone, ToneConfig, apply_tone, best_matrix
from .train import psnr

DEFAULTS = dict(name="tone", base_run="zoo-1.3.0", steps=100000, time_limit_s=1200, batch=64, lr=2e-3, warmup=50,
                samples=6000, val_samples=124, workers=2, max_files=None, weight_decay=0.01, decoded_queries=True,
                loss="mse", init_run=None, log_every=50, val_every=200, ckpt_every_s=120, threads=2, seed=0, tone={},
                level_noise=0.5, level_noise_all=0.25, face_fraction=0.45,
                severity_mix={"light": 0.3, "medium": 0.45, "severe": 0.25})


def batch_of(d, t, q, idx, rng=None):
    """Samples idx as float tensors; with rng, each turned by a random multiple of 90 degrees and
    maybe mirrored (a photo's tone does not depend on its orientation)."""
    f = lambda x: torch.from_numpy(x[idx]).permute(0, 3, 1, 2).float() / 255.0
    d, t = f(d), f(t)
    if rng is not None:
        k, flip = int(rng.integers(4)), bool(rng.integers(2))
        d, t = torch.rot90(d, k, (2, 3)), torch.rot90(t, k, (2, 3))
        if flip:
            d, t = d.flip(3), t.flip(3)
    return d, t, torch.from_numpy(q[idx].astype(np.float32))


def tone_loss(y, t, kind):
    """"mse" over the batch, or "log_mse": the mean over photos of log(MSE), i.e. minus the mean PSNR
    up to a constant, which is what the benchmarks report. Plain MSE lets a wrong matrix on a photo that
    needed nothing cost little (its error is small in absolute terms); in dB it costs what it costs the user."""
    if kind == "mse":
        return F.mse_loss(y, t)
    if kind == "log_mse":
        return torch.log(((y - t) ** 2).mean((1, 2, 3)) + 1e-5).mean()
    raise ValueError(f"unknown tone loss {kind!r}")


@torch.no_grad()
def validate(tone, val):
    tone.eval()
    d, t, q = val
    y = apply_tone(tone(d, q), d)
    tone.train()
    return dict(val_psnr_in=psnr(d, t), val_psnr_tone=psnr(y, t))


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--resume", action="store_true")
    args = ap.parse_args(argv)
    cfg = dict(DEFAULTS, **json.load(open(args.config)))
    torch.set_num_threads(cfg["threads"])
    torch.manual_seed(cfg["seed"])
    integ, _, tok, base = load(cfg["base_run"])
    tone = Tone(ToneConfig(k=S.K, dq=integ.cfg.dq, **cfg["tone"]))
    opt = torch.optim.AdamW(tone.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    if cfg["init_run"]:  # start from another tone run's weights (same architecture), with a fresh optimiser
        tone.load_state_dict(torch.load(os.path.join(MODELS_DIR, "runs", cfg["init_run"], "last.pt"), map_location="cpu")["tone"])
    run_dir = os.path.join(MODELS_DIR, "runs", cfg["name"])
    ckpt = os.path.join(run_dir, "last.pt")
    step, elapsed = 0, 0.0
    if args.resume and os.path.exists(ckpt):
        st = torch.load(ckpt, map_location="cpu")
        tone.load_state_dict(st["tone"]), opt.load_state_dict(st["opt"])
        step, elapsed = st["step"], st["elapsed"]
        print(f"resumed at step {step}, {elapsed:.0f}s")
    train_set = tone_data.build(cfg["base_run"], cfg["samples"], cfg["seed"] + 1, severity_mix=cfg["severity_mix"],
                                level_noise=cfg["level_noise"], level_noise_all=cfg["level_noise_all"], workers=cfg["workers"],
                                max_files=cfg["max_files"], decoded=cfg["decoded_queries"])
    vd, vt, vq = tone_data.build(cfg["base_run"], cfg["val_samples"], 424242, val=True, workers=cfg["workers"],
                                 max_files=cfg["max_files"])
    val = batch_of(vd, vt, vq, np.arange(len(vd)))
    print(f"{len(train_set[0])} training samples; held-out: input {psnr(val[0], val[1]):.2f} dB, "
          f"best possible matrix {psnr(apply_tone(best_matrix(val[0], val[1]), val[0]), val[1]):.2f} dB", flush=True)
    rng = np.random.default_rng(cfg["seed"] + step)

    def one_step(i):
        d, t, q = batch_of(*train_set, rng.integers(0, len(train_set[0]), cfg["batch"]), rng)
        loss = tone_loss(apply_tone(tone(d, q), d), t, cfg["loss"])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(tone.parameters(), 1.0)
        opt.step()
        return dict(loss=loss.item())

    def state():
        return dict(tone=tone.state_dict(), opt=opt.state_dict(), tone_cfg=tone.cfg.to_dict(), base_run=cfg["base_run"])

    loop = Loop(cfg, run_dir, opt, [cfg["lr"]], state, step, elapsed, digits=(6, 3))
    return loop.run(one_step, lambda: validate(tone, val))


if __name__ == "__main__":
    main()
