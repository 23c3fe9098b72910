"""Degradations that generalise, for the restorer (models 2): second-order blind degradation in the
manner of Real-ESRGAN and BSRGAN, with random kernels, random resize modes and a random step order,
plus clean and deliberately toned samples in every batch so the restorer learns to leave good pixels
and a photo's tone alone.

A sample is a pair (degraded, target) of float32 CHW tensors in 0..1. The *target keeps the global
look* of the photo: a sepia, monochrome, faded or tinted "look" is applied to the clean image first
and then both the target and the degraded input carry it. Global tone is the tone stage's job (an
explicit, instruction-driven operation in the app); the restorer only undoes local damage (blur, lost
resolution, noise, grain, JPEG).

This module is deliberately independent of the app's benchmark degradations (bench/degradations in
TypeScript: other kernels, sharp's resize and JPEG), so a benchmark gain is not a gain on the recipe
the model was trained on.
"""
import io
import math

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

LUMA = torch.tensor([0.299, 0.587, 0.114]).view(3, 1, 1)

# Probabilities and ranges; one dict so a config can override any of them.
DEFAULTS = dict(
    p_clean=0.10,          # target = input (sometimes after a near-lossless JPEG)
    p_look=0.45,           # a global look (sepia, mono, fade, tint) on both input and target
    p_second=0.5,          # a second blur/resize/noise/JPEG round
    p_shuffle=0.3,         # BSRGAN-style random order of the first round's steps
    p_blur=0.75, sigma=(0.2, 3.0), p_blur2=0.5, sigma2=(0.2, 1.5),
    p_resize=0.7, scale=(1.0, 4.0), scale2=(1.0, 2.0),
    p_noise=0.7, noise=(1.0, 50.0), noise2=(1.0, 20.0), p_gray_noise=0.4, p_poisson=0.3, p_grain=0.15,
    p_jpeg=0.75, q=(15, 95), q2=(30, 95),
)


def _odd(n):
    return n if n % 2 else n + 1


def blur_kernel(rng, sigma_range):
    """A random 2-D blur kernel: isotropic or anisotropic Gaussian, generalised Gaussian (beta 0.5-4),
    plateau, or (rarely) a sinc that rings. Returns a normalised float32 numpy kernel."""
    size = _odd(int(rng.integers(7, 22)))
    r = size // 2
    ax = np.arange(-r, r + 1, dtype=np.float64)
    xx, yy = np.meshgrid(ax, ax)
    kind = rng.choice(["iso", "aniso", "gen", "plateau", "sinc"], p=[0.35, 0.35, 0.12, 0.08, 0.10])
    if kind == "sinc":
        wc = rng.uniform(np.pi / 3, np.pi) if size < 13 else rng.uniform(np.pi / 5, np.pi)
        d = np.sqrt(xx ** 2 + yy ** 2)
        with np.errstate(divide="ignore", invalid="ignore"):
            k = wc * np.where(d == 0, wc / 2, np.sin(wc * d) / np.where(d == 0, 1, d)) / (2 * np.pi)
        k = k * np.hamming(size)[:, None] * np.hamming(size)[None, :]
        return (k / k.sum()).astype(np.float32)
    s1 = rng.uniform(*sigma_range)
    s2 = s1 if kind == "iso" else rng.uniform(*sigma_range)
    th = rng.uniform(0, np.pi)
    c, s = math.cos(th), math.sin(th)
    u, v = c * xx + s * yy, -s * xx + c * yy
    q = (u / s1) ** 2 + (v / s2) ** 2
    if kind == "gen":
        k = np.exp(-0.5 * q ** (rng.uniform(0.5, 4.0) / 2))
    elif kind == "plateau":
        k = 1.0 / (1.0 + q ** rng.uniform(1.0, 2.0))
    else:
        k = np.exp(-0.5 * q)
    return (k / k.sum()).astype(np.float32)


def convolve(x, k):
    """x [3,H,W], k numpy [s,s]: reflect-padded convolution per channel."""
    s = k.shape[0]
    p = s // 2
    h, w = x.shape[1:]
    mode = "reflect" if p < h and p < w else "replicate"
    xp = F.pad(x[None], (p, p, p, p), mode=mode)
    kt = torch.from_numpy(k)[None, None].repeat(3, 1, 1, 1)
    return F.conv2d(xp, kt, groups=3)[0]


RESIZE_MODES = ("area", "bilinear", "bicubic", "pil-lanczos", "pil-box", "pil-hamming", "nearest")
UP_MODES = ("bilinear", "bicubic", "pil-lanczos")


def resize(x, h, w, mode):
    """x [3,H,W] float to (h, w) with one of RESIZE_MODES (PIL modes go through 8 bits, as a file would)."""
    if mode.startswith("pil-"):
        f = {"pil-lanczos": Image.LANCZOS, "pil-box": Image.BOX, "pil-hamming": Image.HAMMING}[mode]
        a = (x.clamp(0, 1).permute(1, 2, 0).numpy() * 255 + 0.5).astype(np.uint8)
        b = np.asarray(Image.fromarray(a).resize((w, h), f), np.float32) / 255.0
        return torch.from_numpy(b).permute(2, 0, 1).contiguous()
    if mode == "area" and (h > x.shape[1] or w > x.shape[2]):
        mode = "bilinear"
    kw = dict(align_corners=False) if mode in ("bilinear", "bicubic") else {}
    if mode in ("bilinear", "bicubic") and (h < x.shape[1]):
        kw["antialias"] = True
    return F.interpolate(x[None], size=(h, w), mode=mode, **kw)[0].clamp(0, 1)


def add_noise(x, rng, sigma_range, o):
    """Gaussian (colour or grey), Poisson-like (signal-dependent) or film grain (spatially correlated,
    in luminance); sigma in 8-bit levels."""
    h, w = x.shape[1:]
    g = torch.Generator().manual_seed(int(rng.integers(2 ** 31)))
    # Favour the lower range while still reaching heavy noise: sigma = lo * (hi/lo)^u.
    lo, hi = sigma_range
    sigma = lo * (hi / lo) ** rng.uniform() / 255.0
    u = rng.uniform()
    if u < o["p_grain"]:
        z = torch.randn(1, 1, h, w, generator=g)
        z = convolve(z.repeat(1, 3, 1, 1)[0], blur_kernel_iso(rng.uniform(0.4, 1.2)))[0:1]
        z = z / (z.std() + 1e-6)
        y = (x * LUMA).sum(0, keepdim=True)
        return x + sigma * z * (0.5 + 2.0 * y * (1 - y))
    if u < o["p_grain"] + o["p_poisson"]:
        y = x if rng.uniform() > o["p_gray_noise"] else (x * LUMA).sum(0, keepdim=True).expand(3, h, w)
        n = torch.randn(1 if y.shape[0] == 1 else 3, h, w, generator=g)
        return x + sigma * 2.0 * torch.sqrt(y.clamp(min=1e-4)) * n
    n = torch.randn(1, h, w, generator=g) if rng.uniform() < o["p_gray_noise"] else torch.randn(3, h, w, generator=g)
    return x + sigma * n


def blur_kernel_iso(sigma):
    r = max(1, int(math.ceil(3 * sigma)))
    ax = np.arange(-r, r + 1, dtype=np.float64)
    k = np.exp(-0.5 * (ax[:, None] ** 2 + ax[None, :] ** 2) / sigma ** 2)
    return (k / k.sum()).astype(np.float32)


def jpeg(x, q, rng=None):
    a = (x.clamp(0, 1).permute(1, 2, 0).numpy() * 255 + 0.5).astype(np.uint8)
    buf = io.BytesIO()
    sub = 0 if (rng is not None and rng.uniform() < 0.15) else 2   # mostly 4:2:0, sometimes 4:4:4
    Image.fromarray(a).save(buf, format="JPEG", quality=int(q), subsampling=sub)
    buf.seek(0)
    return torch.from_numpy(np.asarray(Image.open(buf).convert("RGB"), np.float32) / 255.0).permute(2, 0, 1).contiguous()


SEPIA = torch.tensor([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]])


def look(x, rng):
    """A global look a photo may rightly have: sepia, warm/cool/neutral monochrome, faded, tinted."""
    kind = rng.choice(["sepia", "mono", "warm", "cool", "fade", "tint"], p=[0.25, 0.2, 0.15, 0.1, 0.2, 0.1])
    y = (x * LUMA).sum(0, keepdim=True)
    if kind == "sepia":
        s = rng.uniform(0.4, 1.0)
        t = torch.einsum("ij,jhw->ihw", SEPIA, x)
        t = t / max(1.0, float(t.max()))
        x = x + s * (t - x)
    elif kind == "mono":
        x = y.expand(3, -1, -1)
    elif kind in ("warm", "cool"):
        a = rng.uniform(0.03, 0.12)
        tint = torch.tensor([1 + a, 1.0, 1 - a]) if kind == "warm" else torch.tensor([1 - a, 1.0, 1 + a])
        x = y * tint.view(3, 1, 1)
    elif kind == "fade":
        c, lift = rng.uniform(0.55, 0.95), rng.uniform(0.0, 0.18)
        x = lift + (1 - lift - rng.uniform(0, 0.1)) * (0.5 + (x - 0.5) * c)
    else:
        gains = torch.tensor(rng.uniform(0.88, 1.12, size=3), dtype=torch.float32)
        x = x * gains.view(3, 1, 1)
    return x.clamp(0, 1)


def degrade(clean, rng, o=None):
    """clean [3,H,W] float 0..1 -> (degraded, target), both [3,H,W]. rng: numpy Generator."""
    o = dict(DEFAULTS, **(o or {}))
    h, w = clean.shape[1:]
    gt = look(clean, rng) if rng.uniform() < o["p_look"] else clean
    if rng.uniform() < o["p_clean"]:
        x = jpeg(gt, rng.integers(90, 99)) if rng.uniform() < 0.5 else gt
        return x, gt
    x = gt
    cur = (h, w)
    steps = ["blur", "resize", "noise", "jpeg"]
    if rng.uniform() < o["p_shuffle"]:
        rng.shuffle(steps)
    rounds = [1, 2] if rng.uniform() < o["p_second"] else [1]
    did = False
    for rd in rounds:
        for st in steps:
            first = rd == 1
            if st == "blur" and rng.uniform() < (o["p_blur"] if first else o["p_blur2"]):
                x = convolve(x, blur_kernel(rng, o["sigma"] if first else o["sigma2"]))
                did = True
            elif st == "resize" and rng.uniform() < o["p_resize"]:
                lo, hi = o["scale"] if first else o["scale2"]
                f = rng.uniform(lo, hi)
                if rng.uniform() < 0.15 and first:
                    f = 1.0 / rng.uniform(1.0, 1.5)   # sometimes up, as scanners and viewers do
                nh, nw = max(8, round(cur[0] / f)), max(8, round(cur[1] / f))
                x = resize(x, nh, nw, RESIZE_MODES[rng.integers(len(RESIZE_MODES) - (0 if first else 1))])
                cur = (nh, nw)
                did = True
            elif st == "noise" and rng.uniform() < o["p_noise"]:
                x = add_noise(x, rng, o["noise"] if first else o["noise2"], o).clamp(0, 1)
                did = True
            elif st == "jpeg" and rng.uniform() < o["p_jpeg"]:
                x = jpeg(x, rng.integers(*(o["q"] if first else o["q2"])), rng)
                did = True
    if not did:
        x = add_noise(x, rng, o["noise"], o).clamp(0, 1)
    if cur != (h, w):
        x = resize(x, h, w, UP_MODES[rng.integers(len(UP_MODES))])
    return x.clamp(0, 1), gt
