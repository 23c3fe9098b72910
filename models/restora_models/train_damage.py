"""Train the damage detector (damage_arch.py) on synthetic damage over the clean training photos.

    cd models && nice -n 15 /usr/bin/python3 -m restora_models.train_damage --config configs/damage-cpu.json [--resume]

Crops come from the patch cache of data.py (bsds500 train+test, faces-flr people 013-102;
never old-photos); damage_synth.render gives each an old-photo look and draws the damage and its
per-kind mask. Rendering runs in `workers` background processes. Loss: binary cross-entropy +
soft Dice per kind (Dice keeps thin, rare kinds from being drowned by the clean pixels).
Validation: crops of the held-out photos (bsds500/val, people 001-012) with seeded damage;
precision, recall and F1 of each kind and of "any damage" at 0.5. Time-limited with a cosine
schedule over the time limit, checkpoints every `ckpt_every_s` (runs/<name>/last.pt holds the
config, the model config and the weights), resumable.
"""
import argparse
import json
import multiprocessing as mp
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py
import time

import numpy as np
import torch
import torch.nn.functional as F

from . import damage_synth
from .damage_arch import DamageConfig, DamageNet
from .data import MODELS_DIR, bsds_files, load_rgb, patch_cache, val_images
from .loop import lr_factor

DEFAULTS = dict(name="damage", steps=1_000_000, time_limit_s=4800, batch=10, crop=128, lr=2e-3, warmup=100,
                weight_decay=1e-4, dice=1.0, workers=1, max_files=None, val_crops=48, log_every=50, val_every=250,
                ckpt_every_s=180, threads=1, seed=0, arch={})


def make_batch(patches, n, crop, rng):
    xs, ms = [], []
    for i in rng.integers(0, len(patches), n):
        c = np.asarray(patches[i], np.float32) / 255
        if crop < c.shape[0]:
            y, x = rng.integers(0, c.shape[0] - crop + 1, 2)
            c = c[y:y + crop, x:x + crop]
        c = np.rot90(c, int(rng.integers(4)))
        d, m, _ = damage_synth.render(np.ascontiguousarray(c), rng)
        xs.append(d.transpose(2, 0, 1))
        ms.append(m)
    return np.stack(xs), np.stack(ms)


def _worker(q, cfg, seed):
    os.nice(5)
    patches, _ = patch_cache(128, cfg["max_files"])
    rng = np.random.default_rng(seed)
    while True:
        q.put(make_batch(patches, cfg["batch"], cfg["crop"], rng))


def val_set(cfg):
    """Seeded damage over crops of the held-out photos (the same every run)."""
    rng = np.random.default_rng(4242)
    if cfg["max_files"]:
        imgs = [load_rgb(f) for f in bsds_files("val")[:cfg["max_files"]]]
    else:
        imgs = val_images("bsds") + val_images("faces", 512)
    xs, ms = [], []
    for i in range(cfg["val_crops"]):
        im = imgs[i % len(imgs)]
        y, x = rng.integers(0, im.shape[0] - 128 + 1), rng.integers(0, im.shape[1] - 128 + 1)
        d, m, _ = damage_synth.render(im[y:y + 128, x:x + 128].astype(np.float32) / 255, rng)
        xs.append(d.transpose(2, 0, 1))
        ms.append(m)
    return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ms)).float()


def loss_fn(logits, target, dice_w):
    bce = F.binary_cross_entropy_with_logits(logits, target)
    p = torch.sigmoid(logits)
    inter = (p * target).sum((0, 2, 3))
    dice = 1 - (2 * inter + 1) / (p.sum((0, 2, 3)) + target.sum((0, 2, 3)) + 1)
    return bce + dice_w * dice.mean()


def scores(pred, target):
    """Precision, recall, F1 per kind and for 'any damage', over all pixels given."""
    out = {}
    names = list(damage_synth.KINDS) + ["any"]
    pred = torch.cat([pred, pred.amax(1, keepdim=True)], 1)
    target = torch.cat([target, target.amax(1, keepdim=True)], 1)
    for k, name in enumerate(names):
        tp = float((pred[:, k] * target[:, k]).sum())
        p, t = float(pred[:, k].sum()), float(target[:, k].sum())
        prec, rec = tp / max(p, 1), tp / max(t, 1)
        out[name] = dict(precision=round(prec, 4), recall=round(rec, 4), f1=round(2 * prec * rec / max(prec + rec, 1e-9), 4))
    return out


@torch.no_grad()
def validate(net, val):
    net.eval()
    x, m = val
    pred = torch.cat([net(x[i:i + 8]) for i in range(0, len(x), 8)]) > 0.5
    net.train()
    return scores(pred.float(), m)


def save(path, state):
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)


def log_record(log, rec):
    line = json.dumps(rec)
    log.write(line + "\n")
    log.flush()
    print(line, flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--resume", action="store_true")
    args = ap.parse_args(argv)
    cfg = dict(DEFAULTS, **json.load(open(args.config)))
    torch.set_num_threads(cfg["threads"])
    torch.manual_seed(cfg["seed"])
    net = DamageNet(DamageConfig(**cfg["arch"]))
    opt = torch.optim.AdamW(net.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    run_dir = os.path.join(MODELS_DIR, "runs", cfg["name"])
    os.makedirs(run_dir, exist_ok=True)
    ckpt = os.path.join(run_dir, "last.pt")
    step, elapsed = 0, 0.0
    if args.resume and os.path.exists(ckpt):
        st = torch.load(ckpt, map_location="cpu")
        net.load_state_dict(st["model"]), opt.load_state_dict(st["opt"])
        step, elapsed = st["step"], st["elapsed"]
        print(f"resumed at step {step}, {elapsed:.0f}s", flush=True)
    with open(os.path.join(run_dir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=1)
    val = val_set(cfg)
    seed = cfg["seed"] * 1000 + step
    if cfg["workers"]:
        q = mp.get_context("fork").Queue(maxsize=4)
        procs = [mp.get_context("fork").Process(target=_worker, args=(q, cfg, seed + i), daemon=True) for i in range(cfg["workers"])]
        for p in procs:
            p.start()
        next_batch = q.get
    else:
        patches, _ = patch_cache(128, cfg["max_files"])
        rng = np.random.default_rng(seed)
        next_batch = lambda: make_batch(patches, cfg["batch"], cfg["crop"], rng)
    log = open(os.path.join(run_dir, "log.jsonl"), "a")
    t0, last = time.time() - elapsed, time.time()
    acc, n = 0.0, 0

    def checkpoint():
        save(ckpt, dict(model=net.state_dict(), opt=opt.state_dict(), step=step, elapsed=time.time() - t0,
                        config=cfg, arch=net.cfg.to_dict()))

    while step < cfg["steps"] and time.time() - t0 < cfg["time_limit_s"]:
        for g in opt.param_groups:
            g["lr"] = cfg["lr"] * lr_factor(cfg, step, time.time() - t0)
        x, m = next_batch()
        loss = loss_fn(net.logits(torch.from_numpy(x)), torch.from_numpy(m).float(), cfg["dice"])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        step += 1
        acc, n = acc + loss.item(), n + 1
        rec = None
        if step % cfg["log_every"] == 0:
            rec = dict(loss=round(acc / n, 5))
            acc, n = 0.0, 0
        if step % cfg["val_every"] == 0:
            v = validate(net, val)
            rec = dict(rec or {}, val_f1={k: v[k]["f1"] for k in v}, val_any=v["any"])
        if rec:
            rec.update(step=step, seconds=round(time.time() - t0, 1), lr=round(opt.param_groups[0]["lr"], 7))
            log_record(log, rec)
        if time.time() - last > cfg["ckpt_every_s"]:
            checkpoint()
            last = time.time()
    v = validate(net, val)
    log_record(log, dict(step=step, seconds=round(time.time() - t0, 1), final=True, val=v))
    log.close()
    checkpoint()
    if cfg["workers"]:
        for p in procs:
            p.terminate()
    return step, v


if __name__ == "__main__":
    main()
