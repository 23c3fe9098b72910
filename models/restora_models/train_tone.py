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
Resumable; checkpoint runs/<name>/last.pt holds the tone config, weights and the base
run it was trained under.
"""
import argparse
import json
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py
import time

import numpy as np
import torch
import torch.nn.functional as F

from . import semantics as S
from .checkpoint import load
from .data import MODELS_DIR
from . import tone_data
from .tone_arch import Tone, ToneConfig, apply_tone, best_matrix
from .train import log_record, lr_factor, psnr, save

DEFAULTS = dict(name="tone", base_run="zoo-1.3.0", steps=100000, time_limit_s=1200, batch=64, lr=2e-3, warmup=50,
                samples=6000, val_samples=124, workers=2, max_files=None, weight_decay=0.01, decoded_queries=True,
                loss="mse", init_run=None, init_partial=False, extra_sets=[], log_every=50, val_every=200, ckpt_every_s=120, threads=2, seed=0, tone={},
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
        init = torch.load(os.path.join(MODELS_DIR, "runs", cfg["init_run"], "last.pt"), map_location="cpu")["tone"]
        if cfg["init_partial"]:   # another head: take the layers whose shapes match, keep the rest as initialised
            own = tone.state_dict()
            fresh = sorted(k for k in own if k not in init or init[k].shape != own[k].shape)
            init = dict(own, **{k: v for k, v in init.items() if k in own and v.shape == own[k].shape})
            print("init_partial: kept fresh", ", ".join(fresh))
        tone.load_state_dict(init)
    run_dir = os.path.join(MODELS_DIR, "runs", cfg["name"])
    os.makedirs(run_dir, exist_ok=True)
    ckpt = os.path.join(run_dir, "last.pt")
    step, elapsed = 0, 0.0
    if args.resume and os.path.exists(ckpt):
        st = torch.load(ckpt, map_location="cpu")
        tone.load_state_dict(st["tone"]), opt.load_state_dict(st["opt"])
        step, elapsed = st["step"], st["elapsed"]
        print(f"resumed at step {step}, {elapsed:.0f}s")
    def cache(samples, seed, **kw):  # the run's rendering settings; kw: the cache's own (view_min, mix_p)
        return tone_data.build(cfg["base_run"], samples, seed, severity_mix=cfg["severity_mix"], level_noise=cfg["level_noise"],
                               level_noise_all=cfg["level_noise_all"], workers=cfg["workers"], max_files=cfg["max_files"],
                               decoded=cfg["decoded_queries"], **kw)

    train_set = cache(cfg["samples"], cfg["seed"] + 1)
    for extra in cfg["extra_sets"]:  # more caches (other seeds, wider windows, composites) appended to the first
        more = cache(extra["samples"], extra["seed"], **{k: extra[k] for k in ("view_min", "mix_p") if k in extra})
        train_set = tuple(np.concatenate([a, b]) for a, b in zip(train_set, more))
    vd, vt, vq = tone_data.build(cfg["base_run"], cfg["val_samples"], 424242, val=True, workers=cfg["workers"],
                                 max_files=cfg["max_files"])
    val = batch_of(vd, vt, vq, np.arange(len(vd)))
    print(f"{len(train_set[0])} training samples; held-out: input {psnr(val[0], val[1]):.2f} dB, "
          f"best possible matrix {psnr(apply_tone(best_matrix(val[0], val[1]), val[0]), val[1]):.2f} dB", flush=True)
    rng = np.random.default_rng(cfg["seed"] + step)
    log = open(os.path.join(run_dir, "log.jsonl"), "a")
    t0, last = time.time() - elapsed, time.time()
    acc, n = 0.0, 0

    def checkpoint():
        save(ckpt, dict(tone=tone.state_dict(), opt=opt.state_dict(), step=step, elapsed=time.time() - t0,
                        config=cfg, tone_cfg=tone.cfg.to_dict(), base_run=cfg["base_run"]))

    while step < cfg["steps"] and time.time() - t0 < cfg["time_limit_s"]:
        f = lr_factor(cfg, step, time.time() - t0)
        for g in opt.param_groups:
            g["lr"] = cfg["lr"] * f
        d, t, q = batch_of(*train_set, rng.integers(0, len(train_set[0]), cfg["batch"]), rng)
        loss = tone_loss(apply_tone(tone(d, q), d), t, cfg["loss"])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(tone.parameters(), 1.0)
        opt.step()
        step += 1
        acc, n = acc + loss.item(), n + 1
        rec = None
        if step % cfg["log_every"] == 0:
            rec = dict(loss=round(acc / n, 6))
            acc, n = 0.0, 0
        if step % cfg["val_every"] == 0:
            rec = dict(rec or {}, **{k: round(v, 3) for k, v in validate(tone, val).items()})
        if rec:
            rec.update(step=step, seconds=round(time.time() - t0, 1), lr=round(opt.param_groups[0]["lr"], 7))
            log_record(log, rec)
        if time.time() - last > cfg["ckpt_every_s"]:
            checkpoint()
            last = time.time()
    rec = dict(step=step, seconds=round(time.time() - t0, 1), final=True,
               **{k: round(v, 3) for k, v in validate(tone, val).items()})
    log_record(log, rec)
    log.close()
    checkpoint()
    return step


if __name__ == "__main__":
    main()
