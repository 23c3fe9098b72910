"""Train the detail restorer: the JPEG remover's network (dejpeg_arch.py) at unshuffle factor 4, on blind
second-order degradations (blind_degradations.py: random blur kernels, random resize down and back up, noise,
JPEG, in random order, sometimes twice), for the lost resolution and blur the restorer recovers least (#26's blind
super-resolution family).

    cd models && nice -n 15 /usr/bin/python3 -m restora_models.train_detail --config configs/detail-1-cpu.json [--resume] [--out DIR]

Crops come from the patch cache of data.py (bsds500 train+test, faces-flr people 013-102; never old-photos).
Some crops are clean (their own target) and some carry a global look (sepia, mono, fade, tint) in both input and
target, so a photo that needs nothing, or a toned print, passes through. Plain convolutions, no normalisation and
no global pooling: tiles agree. The output is the input plus a zero-initialised correction: untrained, the
network is the identity.

Validation: seeded 128x128 crops of the held-out photos (bsds500/val, people 001-012) under three fixed
degradations written here with PIL and scipy, not with the training code: `sr2` (Gaussian blur 0.8, half size
bicubic, noise 2, JPEG 80, back up bicubic), `blur` (Gaussian blur 1.5) and `plain` (nothing); PSNR of the input
and of the output. Time-limited with a cosine schedule, checkpoints every `ckpt_every_s` (runs/<name>/last.pt),
resumable; --out DIR receives a compact checkpoint (detail.pt: weights, architecture, step) and the log after
every checkpoint.
"""
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py

import numpy as np
import torch
from PIL import Image
from scipy.ndimage import gaussian_filter

from .blind_degradations import degrade
from .train_dejpeg import jpeg, random_crops, train, val_crops

DEFAULTS = dict(name="detail", steps=1_000_000, time_limit_s=3000, batch=16, crop=128, lr=1e-3, warmup=100,
                weight_decay=0.0, max_files=None, val_crops=40, log_every=50, val_every=250, ckpt_every_s=180,
                threads=2, seed=0, arch={"factor": 4}, init_from=None,
                degradations={"p_clean": 0.15, "p_look": 0.3})


def make_batch(patches, cfg, rng):
    xs, ts = [], []
    for p in random_crops(patches, cfg, rng):
        clean = torch.from_numpy(p.transpose(2, 0, 1).astype(np.float32) / 255)
        lq, gt = degrade(clean, rng, cfg["degradations"])
        xs.append(lq)
        ts.append(gt)
    return torch.stack(xs), torch.stack(ts)


def val_degrade(crop, kind, rng):
    """The validation degradations (uint8 HxWx3 in and out), independent of blind_degradations.py."""
    f = crop.astype(np.float32)
    if kind == "blur":
        f = gaussian_filter(f, (1.5, 1.5, 0))
    elif kind == "sr2":
        h, w = crop.shape[:2]
        f = gaussian_filter(f, (0.8, 0.8, 0))
        small = Image.fromarray(np.clip(f + 0.5, 0, 255).astype(np.uint8)).resize((w // 2, h // 2), Image.BICUBIC)
        s = np.asarray(small, np.float32) + rng.normal(0, 2.0, (h // 2, w // 2, 1))
        s = jpeg(np.clip(s + 0.5, 0, 255).astype(np.uint8), 80)
        f = np.asarray(Image.fromarray(s).resize((w, h), Image.BICUBIC), np.float32)
    return np.clip(f + 0.5, 0, 255).astype(np.uint8)


def val_set(cfg):
    """The held-out crops of the JPEG remover's validation (other seed) under each validation degradation."""
    rng = np.random.default_rng(4247)
    crops = val_crops(cfg, seed=4247)
    f = lambda a: torch.from_numpy(np.stack([z.transpose(2, 0, 1) for z in a]).astype(np.float32) / 255)
    return {k: (f([val_degrade(c, k, rng) for c in crops]), f(crops)) for k in ("sr2", "blur", "plain")}


def main(argv=None):
    return train(argv, DEFAULTS, make_batch, val_set, "detail.pt")


if __name__ == "__main__":
    main()
