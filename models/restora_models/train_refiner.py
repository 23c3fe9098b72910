"""Train the generative refiner under the frozen integrator + restorer.

    cd models && /usr/bin/python3 -m restora_models.train_refiner --config configs/refiner-cpu.json [--resume]

Each batch: 128² patches from the cache, degraded by batches.make_sample
(through train.Sampler); the frozen cue encoder + integrator give the latent
queries, teacher-forced from the sample's target tokens; the frozen restorer
restores a random `refine_crop`² window (each degraded batch serves
`reuse` steps with different windows); the refiner learns x0 (the instruction-
dependent target) from x_t = restored + s * ((1 - t) * z0 + t * eps)
(refiner_arch.py). Queries are zeroed for a fraction `p_uncond` of samples so
classifier-free guidance works. L1 loss on x0.

Runs on CUDA when a GPU is present (models.device()), else the CPU.
The schedule, logging and checkpoints are loop.py's: checkpoints (config inside) in
models/runs/<name>/last.pt; JSONL log with training loss and, every `val_every` steps,
PSNR of the restorer and of the sampled refiner output (fixed noise, default steps)
against the target.
"""
import argparse
import json
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py
import random

import torch
import torch.nn.functional as F

from . import semantics as S
from .checkpoint import load as load_base
from .data import MODELS_DIR, patch_cache
from .loop import Loop
from .models import device
from .refiner_arch import Refiner, RefinerConfig, sample
from .train import Sampler, collate, fixed_val, psnr

DEFAULTS = dict(name="refiner", base_run="v1-cpu", steps=100000, time_limit_s=3600, batch=16, crop=128, refine_crop=64,
                lr=1e-3, weight_decay=0.01, warmup=100, p_uncond=0.1, low_t_fraction=0.5,
                face_fraction=0.45, severity_mix={"light": 0.25, "medium": 0.5, "severe": 0.25}, level_noise=0.0,
                reuse=2, log_every=25, val_every=250, val_size=16, ckpt_every_s=240, max_files=None, threads=2, seed=0,
                sample_steps=4, sample_fidelity=0.7, refiner={})


def load_config(path):
    with open(path) as f:
        return dict(DEFAULTS, **json.load(f))


@torch.no_grad()
def teacher_queries(integ, b):
    """Latent queries [B,K,dq] of the sample's target tokens (teacher forcing, as the restorer was trained)."""
    cues, _ = integ.cue_encoder(b["degraded"])
    bos = torch.full((b["sem"].shape[0], 1), S.BOS, dtype=torch.long, device=b["sem"].device)
    _, queries = integ(cues, b["text"], torch.cat([bos, b["sem"]], 1), b["mask"])
    return queries[:, 1:]


@torch.no_grad()
def condition(integ, rest, b, crop, rng, queries=None):
    """Queries and a crop×crop window of (degraded, restored, target)."""
    if queries is None:
        queries = teacher_queries(integ, b)
    H, W = b["degraded"].shape[2:]
    if crop and crop < H:
        y, x = rng.randrange(H - crop + 1), rng.randrange(W - crop + 1)
        win = lambda t: t[:, :, y:y + crop, x:x + crop].contiguous()
    else:
        win = lambda t: t
    deg, tgt = win(b["degraded"]), win(b["target"])
    return queries, deg, rest(deg, queries), tgt


def refiner_loss(model, cond, target, queries, gen, p_uncond=0.1, low_t_fraction=0.5):
    """L1(x0_hat, target) at a random t; half of the t's from [0, 0.5] where the default fidelity samples."""
    b, dev = cond.shape[0], cond.device
    u = torch.rand(b, generator=gen)
    low = torch.rand(b, generator=gen) < low_t_fraction
    t = torch.where(low, 0.5 * u, u).to(dev)
    keep = (torch.rand(b, generator=gen) >= p_uncond).float()[:, None, None].to(dev)
    s = model.cfg.res_scale
    z0 = (target - cond) / s
    eps = torch.randn(cond.shape, generator=gen).to(dev)
    tt = t[:, None, None, None]
    x_t = cond + s * ((1 - tt) * z0 + tt * eps)
    x0 = model(x_t, cond, t, queries * keep)
    return F.l1_loss(x0, target)


@torch.no_grad()
def validate(model, val, cfg):
    model.eval()
    q, deg, rest_out, tgt = val
    eps = torch.randn(rest_out.shape, generator=torch.Generator().manual_seed(7)).to(rest_out.device)
    out = sample(model, rest_out, q, eps, cfg["sample_fidelity"], cfg["sample_steps"])
    model.train()
    return dict(val_psnr_in=psnr(deg, tgt), val_psnr_restorer=psnr(rest_out, tgt), val_psnr_refined=psnr(out, tgt))


class Setup:
    """What a refiner run starts with: its folder, the frozen base models (integrator, restorer, tokenizer, their
    checkpoint), a refiner and its optimiser, resumed from the run's last.pt when asked."""

    def __init__(self, cfg, resume):
        torch.set_num_threads(cfg["threads"])
        torch.manual_seed(cfg["seed"])
        self.run_dir = os.path.join(MODELS_DIR, "runs", cfg["name"])
        self.ckpt_path = os.path.join(self.run_dir, "last.pt")
        self.integ, self.rest, self.tok, self.base = load_base(cfg["base_run"])  # a run name or a .pt path
        for p in list(self.integ.parameters()) + list(self.rest.parameters()):
            p.requires_grad_(False)
        self.rcfg = RefinerConfig(k=S.K, dq=self.integ.cfg.dq, **cfg["refiner"])
        self.dev = device()
        self.integ.to(self.dev), self.rest.to(self.dev)
        self.model = Refiner(self.rcfg).to(self.dev)
        self.opt = torch.optim.AdamW(self.model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"], betas=(0.9, 0.99))
        self.step, self.elapsed, self.resumed = 0, 0.0, False
        if resume and os.path.exists(self.ckpt_path):
            st = torch.load(self.ckpt_path, map_location=self.dev)
            self.model.load_state_dict(st["refiner"])
            self.opt.load_state_dict(st["opt"])
            self.step, self.elapsed, self.resumed = st["step"], st["elapsed"], True
            print(f"resumed at step {self.step}, {self.elapsed:.0f}s")


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--resume", action="store_true")
    args = ap.parse_args(argv)
    cfg = load_config(args.config)
    su = Setup(cfg, args.resume)
    run_dir, integ, rest, tok, base, rcfg, dev = su.run_dir, su.integ, su.rest, su.tok, su.base, su.rcfg, su.dev
    model, opt, step, elapsed = su.model, su.opt, su.step, su.elapsed
    patches, is_face = patch_cache(cfg["crop"], cfg["max_files"])
    sampler = Sampler(cfg, patches, is_face, cfg["seed"] * 1000003 + step + 17)
    crop_rng = random.Random(cfg["seed"] + step)
    gen = torch.Generator().manual_seed(cfg["seed"] * 7919 + step)
    vb = fixed_val(cfg, tok, dev, patches)
    val = condition(integ, rest, vb, cfg["refine_crop"], random.Random(5))
    batch = {}

    def one_step(i):
        if i % cfg["reuse"] == 0 or not batch:
            # degrading a batch costs more than a step: each one serves `reuse` steps (new window, t, noise)
            batch["b"] = collate(sampler.get(), tok, dev)
            batch["q"] = teacher_queries(integ, batch["b"])
        q, _, cond, tgt = condition(integ, rest, batch["b"], cfg["refine_crop"], crop_rng, batch["q"])
        loss = refiner_loss(model, cond, tgt, q, gen, cfg["p_uncond"], cfg["low_t_fraction"])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return dict(loss=loss.item())

    def state():
        return dict(refiner=model.state_dict(), opt=opt.state_dict(), refiner_cfg=rcfg.to_dict(), base_run=cfg["base_run"],
                    base_step=base["step"])

    loop = Loop(cfg, run_dir, opt, [cfg["lr"]], state, step, elapsed)
    return loop.run(one_step, lambda: validate(model, val, cfg))


if __name__ == "__main__":
    main()
