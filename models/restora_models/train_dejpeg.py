"""Train the JPEG artefact remover (dejpeg_arch.py) on the clean training photos compressed at random qualities.

    cd models && nice -n 15 /usr/bin/python3 -m restora_models.train_dejpeg --config configs/dejpeg-1-cpu.json [--resume] [--out DIR]

Crops come from the patch cache of data.py (bsds500 train+test, faces-flr people 013-102; never old-photos).
Each crop, before it is compressed, may be made grey, slightly blurred, noisy or downscaled: that is part of
the target (the network undoes JPEG only, so the restorer after it still sees the blur it must remove). Then
PIL's JPEG encoder (4:2:0 chroma, the usual camera and web setting) at a quality drawn from 8..85, sometimes
twice; 12 % of crops are not compressed at all, so a photo without artefacts passes through unchanged.
Loss: L1. Validation: seeded crops of the held-out photos (bsds500/val, people 001-012) at qualities 15, 20,
30 and 50 and uncompressed: PSNR of the input and of the output. Time-limited with a cosine schedule,
checkpoints every `ckpt_every_s` (runs/<name>/last.pt), resumable; --out DIR receives a compact checkpoint
(dejpeg.pt: weights, architecture, step) and the log after every checkpoint.
"""
import io
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py

import numpy as np
import torch
from PIL import Image
from scipy.ndimage import gaussian_filter

from .data import MODELS_DIR, data_root, patch_cache, val_images
from .damage_synth import LUMA
from .dejpeg_arch import DejpegConfig, DejpegNet
from .loop import Loop, compact_copy, start_from, trainer_setup

DEFAULTS = dict(name="dejpeg", steps=1_000_000, time_limit_s=3000, batch=16, crop=128, lr=1e-3, warmup=100,
                weight_decay=0.0, max_files=None, val_crops=40, log_every=50, val_every=250, ckpt_every_s=180,
                threads=2, seed=0, arch={}, init_from=None, plain=0.12, grey=0.2, pre=0.3, twice=0.1,
                q_min=8, q_max=85)
VAL_Q = (15, 20, 30, 50, None)


def jpeg(x, q):
    """HxWx3 uint8 through PIL's JPEG encoder at quality q (4:2:0)."""
    buf = io.BytesIO()
    Image.fromarray(x).save(buf, format="JPEG", quality=int(q), subsampling=2)
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


def pre_degrade(x, rng):
    """What the photo may have been before it was compressed (kept in the target): blur, noise or a downscale."""
    f = x.astype(np.float32)
    k = rng.integers(3)
    if k == 0:
        s = rng.uniform(0.4, 1.5)
        f = gaussian_filter(f, (s, s, 0))
    elif k == 1:
        f = f + rng.normal(0, rng.uniform(2, 8), f.shape[:2])[..., None]
    else:
        h, w = f.shape[:2]
        s = rng.uniform(1.3, 2.5)
        small = Image.fromarray(np.clip(f, 0, 255).astype(np.uint8)).resize((max(8, int(w / s)), max(8, int(h / s))), Image.BICUBIC)
        f = np.asarray(small.resize((w, h), Image.BICUBIC), np.float32)
    return np.clip(f + 0.5, 0, 255).astype(np.uint8)


def pair(clean, rng, cfg):
    """(compressed, target) uint8 HxWx3 for one crop."""
    x = clean
    if rng.random() < cfg["grey"]:
        x = np.repeat(np.clip(x.astype(np.float32) @ LUMA + 0.5, 0, 255).astype(np.uint8)[..., None], 3, axis=2)
    if rng.random() < cfg["pre"]:
        x = pre_degrade(x, rng)
    if rng.random() < cfg["plain"]:
        return x, x
    q = int(cfg["q_min"] + (cfg["q_max"] - cfg["q_min"]) * rng.random() ** 1.3)
    y = jpeg(x, q)
    if rng.random() < cfg["twice"]:
        y = jpeg(y, int(rng.integers(cfg["q_min"], cfg["q_max"] + 1)))
    return y, x


def random_crops(patches, cfg, rng):
    """`batch` random crops of `crop` px from the patch cache, each turned by a random multiple of 90 degrees."""
    c = cfg["crop"]
    for i in rng.integers(0, len(patches), cfg["batch"]):
        p = np.asarray(patches[i])
        if c < p.shape[0]:
            y, x = rng.integers(0, p.shape[0] - c + 1, 2)
            p = p[y:y + c, x:x + c]
        yield np.ascontiguousarray(np.rot90(p, int(rng.integers(4))))


def make_batch(patches, cfg, rng):
    xs, ts = [], []
    for p in random_crops(patches, cfg, rng):
        d, t = pair(p, rng, cfg)
        xs.append(d.transpose(2, 0, 1))
        ts.append(t.transpose(2, 0, 1))
    f = lambda a: torch.from_numpy(np.stack(a).astype(np.float32) / 255)
    return f(xs), f(ts)


def val_crops(cfg, seed=4243):
    """Seeded 128x128 crops of the held-out photos (the same every run). Without ../shared/data (a GPU pack
    machine) the last training patches stand in: a sanity check only."""
    rng = np.random.default_rng(seed)
    if os.path.isdir(data_root()):
        imgs = val_images("bsds") + val_images("faces", 512)
    else:
        patches, _ = patch_cache(128, cfg["max_files"])
        imgs = [np.asarray(p) for p in patches[-cfg["val_crops"]:]]
    crops = []
    for i in range(cfg["val_crops"]):
        im = imgs[(i * 7) % len(imgs)]
        y, x = rng.integers(0, im.shape[0] - 128 + 1), rng.integers(0, im.shape[1] - 128 + 1)
        crops.append(np.ascontiguousarray(im[y:y + 128, x:x + 128]))
    return crops


def val_set(cfg):
    """The held-out crops at each validation quality."""
    crops = val_crops(cfg)
    out = {}
    for q in VAL_Q:
        d = [c if q is None else jpeg(c, q) for c in crops]
        f = lambda a: torch.from_numpy(np.stack([z.transpose(2, 0, 1) for z in a]).astype(np.float32) / 255)
        out["plain" if q is None else f"q{q}"] = (f(d), f(crops))
    return out


def psnr(a, b):
    mse = ((a.clamp(0, 1) - b) ** 2).mean((1, 2, 3)).clamp_min(1e-10)
    return float((10 * torch.log10(1 / mse)).mean())


@torch.no_grad()
def validate(net, val):
    net.eval()
    dev = next(net.parameters()).device
    res = {}
    for k, (x, t) in val.items():
        y = torch.cat([net(x[i:i + 8].to(dev)).cpu() for i in range(0, len(x), 8)])
        res[k] = {"input": round(psnr(x, t), 3), "output": round(psnr(y, t), 3)}
    net.train()
    return res


def train(argv, defaults, make_batch, val_set, compact_name):
    """The loop both block-network trainers share (this one and train_detail.py): AdamW on L1, time-limited cosine,
    checkpoints and a compact copy (`compact_name` in --out) after each. Returns (steps, the last validation)."""
    args, cfg, dev = trainer_setup(argv, defaults, f"after every checkpoint also write {compact_name} (weights, architecture, step) and the log here")
    net = DejpegNet(DejpegConfig(**dict(defaults.get("arch", {}), **cfg["arch"]))).to(dev)
    opt = torch.optim.AdamW(net.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    run_dir = os.path.join(MODELS_DIR, "runs", cfg["name"])
    step, elapsed = start_from(cfg, net, opt, run_dir, args.resume, dev, MODELS_DIR)
    patches, _ = patch_cache(128, cfg["max_files"])
    val = val_set(cfg)
    rng = np.random.default_rng(cfg["seed"] * 1000 + step)
    print(f"{sum(p.numel() for p in net.parameters())} parameters; {len(patches)} patches; device {dev}", flush=True)

    def one_step(_):
        x, t = make_batch(patches, cfg, rng)
        loss = (net(x.to(dev)) - t.to(dev)).abs().mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return dict(loss=loss.item())

    last_val = {}

    def validate_flat():
        """The log's figures: q20_in, q20_out, … (export_dejpeg.last_val reads them back)."""
        last_val.clear()
        last_val.update(validate(net, val))
        return {f"{k}_{io}": v[key] for k, v in last_val.items() for io, key in (("in", "input"), ("out", "output"))}

    def state():
        return dict(model=net.state_dict(), opt=opt.state_dict(), arch=net.cfg.to_dict())

    copy_out = compact_copy(args.out, compact_name, net, run_dir) if args.out else None
    loop = Loop(cfg, run_dir, opt, [cfg["lr"]], state, step, elapsed, after_checkpoint=copy_out, digits=(5, 3))
    return loop.run(one_step, validate_flat), dict(last_val)


def main(argv=None):
    return train(argv, DEFAULTS, make_batch, val_set, "dejpeg.pt")


if __name__ == "__main__":
    main()
