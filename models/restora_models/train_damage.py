"""Train the damage detector (damage_arch.py) on synthetic damage over the clean training photos.

    cd models && nice -n 15 /usr/bin/python3 -m restora_models.train_damage --config configs/damage-cpu.json [--resume] [--out DIR]
    /usr/bin/python3 -m restora_models.train_damage --config configs/damage-gpu.json --adopt OUT/damage.pt   (a GPU run's result)

Crops come from the patch cache of data.py (bsds500 train+test, faces-flr people 013-102;
never old-photos); damage_synth.render gives each an old-photo look and draws the damage and its
per-kind mask. Rendering runs in `workers` background processes. Loss: binary cross-entropy +
soft Dice per kind (Dice keeps thin, rare kinds from being drowned by the clean pixels).
Validation: crops of the held-out photos (bsds500/val, people 001-012) with seeded damage;
precision, recall and F1 of each kind and of "any damage" at 0.5. Time-limited with a cosine
schedule over the time limit, checkpoints every `ckpt_every_s` (runs/<name>/last.pt holds the
config, the model config and the weights), resumable. On a lent GPU machine (models/gpu/run.sh
JOB=damage) it trains on CUDA from the training pack, and --out DIR receives a compact checkpoint
(damage.pt: weights, architecture, step) and the log after every checkpoint.
"""
import argparse
import json
import multiprocessing as mp
import os
import shutil

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py
import time

import numpy as np
import torch
import torch.nn.functional as F

from . import damage_synth
from .damage_arch import DamageConfig, DamageNet, widen
from .data import MODELS_DIR, bsds_files, data_root, load_rgb, patch_cache, val_images
from .loop import lr_factor, start_from

DEFAULTS = dict(name="damage", steps=1_000_000, time_limit_s=4800, batch=10, crop=128, lr=2e-3, warmup=100,
                weight_decay=1e-4, dice=1.0, workers=1, max_files=None, val_crops=48, log_every=50, val_every=250,
                ckpt_every_s=180, threads=1, seed=0, arch={}, init_from=None, widen_from=None, clean_look=0.0, detail=0.0, exposure=0.0,
                generator=1)


def make_batch(patches, n, crop, rng, clean_look=0.0, detail=0.0, exposure=0.0):
    """n damaged crops and their masks; `clean_look` of them keep the photo's own colour (no old look); `detail`
    of them get lettering, bars or frames drawn in as content first (damage_synth.real_detail, unlabelled);
    `exposure` of them are printed unevenly (damage_synth.print_exposure, unlabelled)."""
    xs, ms = [], []
    for i in rng.integers(0, len(patches), n):
        c = np.asarray(patches[i], np.float32) / 255
        if crop < c.shape[0]:
            y, x = rng.integers(0, c.shape[0] - crop + 1, 2)
            c = c[y:y + crop, x:x + crop]
        c = np.rot90(c, int(rng.integers(4)))
        d, m, _ = damage_synth.render(np.ascontiguousarray(c), rng, look=rng.random() >= clean_look, detail=detail,
                                     exposure=exposure)
        xs.append(d.transpose(2, 0, 1))
        ms.append(m)
    return np.stack(xs), np.stack(ms)


def _worker(q, cfg, seed):
    os.nice(5)
    patches, _ = patch_cache(128, cfg["max_files"])
    rng = np.random.default_rng(seed)
    while True:
        q.put(make_batch(patches, cfg["batch"], cfg["crop"], rng, cfg["clean_look"], cfg["detail"], cfg["exposure"]))


def val_set(cfg):
    """Seeded damage over crops of the held-out photos (the same every run). Without ../shared/data (a GPU
    pack machine) the last training patches stand in: a sanity check only."""
    rng = np.random.default_rng(4242)
    damage_synth.GENERATOR = 1
    if not os.path.isdir(data_root()):
        patches, _ = patch_cache(128, cfg["max_files"])
        imgs = [np.asarray(p) for p in patches[-cfg["val_crops"]:]]
    elif cfg["max_files"]:
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
    dev = next(net.parameters()).device
    pred = torch.cat([net(x[i:i + 8].to(dev)).cpu() for i in range(0, len(x), 8)]) > 0.5
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
    ap.add_argument("--out", help="after every checkpoint also write damage.pt (weights, architecture, step) and the log here")
    ap.add_argument("--adopt", help="make runs/<name>/last.pt from a compact checkpoint (a GPU run's damage.pt) and stop")
    args = ap.parse_args(argv)
    cfg = dict(DEFAULTS, **json.load(open(args.config)))
    if args.adopt:
        return adopt(cfg, args.adopt)
    torch.set_num_threads(cfg["threads"])
    torch.manual_seed(cfg["seed"])
    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    net = DamageNet(DamageConfig(**cfg["arch"]))
    opt = torch.optim.AdamW(net.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    run_dir = os.path.join(MODELS_DIR, "runs", cfg["name"])
    os.makedirs(run_dir, exist_ok=True)
    ckpt = os.path.join(run_dir, "last.pt")
    if cfg["widen_from"]:                    # a wider detector that starts computing what a narrower one did
        st = torch.load(os.path.join(MODELS_DIR, cfg["widen_from"]), map_location="cpu")
        widen(net, {k: v.float() for k, v in st["model"].items()}, DamageConfig(**st["arch"]))
        print(f"widened {st['arch']['widths']} from {cfg['widen_from']} (its step {st['step']}) to {net.cfg.widths}", flush=True)
    step, elapsed = start_from(cfg, net, opt, run_dir, args.resume, dev, MODELS_DIR)
    with open(os.path.join(run_dir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=1)
    val = val_set(cfg)                       # always the first generator's damage: comparable across runs
    damage_synth.GENERATOR = cfg["generator"]  # the training crops' (the workers fork after this)
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
        next_batch = lambda: make_batch(patches, cfg["batch"], cfg["crop"], rng, cfg["clean_look"], cfg["detail"], cfg["exposure"])
    log = open(os.path.join(run_dir, "log.jsonl"), "a")
    t0, last = time.time() - elapsed, time.time()
    acc, n = 0.0, 0

    def checkpoint():
        save(ckpt, dict(model=net.state_dict(), opt=opt.state_dict(), step=step, elapsed=time.time() - t0,
                        config=cfg, arch=net.cfg.to_dict()))
        if args.out:
            os.makedirs(args.out, exist_ok=True)
            save(os.path.join(args.out, "damage.pt"), dict(model={k: v.cpu() for k, v in net.state_dict().items()}, arch=net.cfg.to_dict(),
                                                            step=step, elapsed=time.time() - t0, config=cfg))
            log.flush()
            shutil.copyfile(os.path.join(run_dir, "log.jsonl"), os.path.join(args.out, "log.jsonl"))

    while step < cfg["steps"] and time.time() - t0 < cfg["time_limit_s"]:
        for g in opt.param_groups:
            g["lr"] = cfg["lr"] * lr_factor(cfg, step, time.time() - t0)
        x, m = next_batch()
        loss = loss_fn(net.logits(torch.from_numpy(x).to(dev, non_blocking=True)), torch.from_numpy(m).to(dev, non_blocking=True).float(), cfg["dice"])
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
    checkpoint()
    log.close()
    if cfg["workers"]:
        for p in procs:
            p.terminate()
    return step, v


def adopt(cfg, path):
    """runs/<name>/last.pt from a GPU run's compact damage.pt (weights in float32, no optimiser state), for export."""
    st = torch.load(path, map_location="cpu")
    run_dir = os.path.join(MODELS_DIR, "runs", cfg["name"])
    os.makedirs(run_dir, exist_ok=True)
    save(os.path.join(run_dir, "last.pt"), dict(model={k: v.float() for k, v in st["model"].items()}, opt=None, step=st["step"],
                                                elapsed=st["elapsed"], config=st.get("config", cfg), arch=st["arch"]))
    print(f"adopted {path} (step {st['step']}) as runs/{cfg['name']}/last.pt", flush=True)
    return st["step"], None


if __name__ == "__main__":
    main()
