"""A NIQE-like no-reference quality score in PyTorch (no gradients needed: it is a reward and a report figure).

Natural photographs have characteristic statistics of their mean-subtracted, contrast-normalised (MSCN) luma
coefficients; blur, noise, ringing and over-sharpening move them. Following NIQE (Mittal, Soundararajan & Bovik,
2013): per patch, fit a generalised Gaussian to the MSCN coefficients (shape, variance) and an asymmetric one to
the products of horizontal, vertical and both diagonal neighbours (shape, mean, left and right variance): 18
features, at two scales. A multivariate Gaussian of these features over sharp patches of *clean training photos*
is the pristine model (`fit_pristine`); an image's score is the Mahalanobis-like distance between the Gaussian of
its own patches and the pristine one. Lower is more natural.

Differences from the published NIQE: the pristine model is fitted on this project's training crops (bsds500
train/test, faces-flr 013-102), patches are 32 px (training crops are 64-128 px, not megapixel photos), and the
image's own covariance is shrunk towards the pristine one when it has few patches. Scores are comparable only with
each other (same pristine model), not with published NIQE numbers or the app's bench NIQE.
"""
import math

import torch
import torch.nn.functional as F

LUMA = torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)
SHIFTS = ((0, 1), (1, 0), (1, 1), (1, -1))
_ALPHAS = torch.arange(0.2, 10.0, 0.001, dtype=torch.float64)


def _ratio(a):
    """Gamma(2/a)^2 / (Gamma(1/a) Gamma(3/a)): (E|x|)^2 / E[x^2] of a generalised Gaussian of shape a."""
    return torch.exp(2 * torch.lgamma(2 / a) - torch.lgamma(1 / a) - torch.lgamma(3 / a))


_RATIOS = _ratio(_ALPHAS)


def _shape_from_ratio(r):
    """Invert _ratio by table lookup (it is monotonic in a)."""
    idx = torch.searchsorted(_RATIOS.to(r.dtype).contiguous(), r.clamp(float(_RATIOS[0]), float(_RATIOS[-1])).contiguous())
    return _ALPHAS.to(r.dtype)[idx.clamp(max=len(_ALPHAS) - 1)]


def _gauss_window(size=7, sigma=7 / 6):
    ax = torch.arange(size, dtype=torch.float32) - (size - 1) / 2
    g = torch.exp(-0.5 * (ax / sigma) ** 2)
    g = g / g.sum()
    return (g[:, None] * g[None, :])[None, None]


def mscn(y, c=1.0 / 255):
    """MSCN coefficients of luma y [B,1,H,W] in 0..1 (NIQE's C = 1 on 0..255)."""
    w = _gauss_window().to(y)
    mu = F.conv2d(F.pad(y, (3, 3, 3, 3), mode="replicate"), w)
    var = F.conv2d(F.pad(y * y, (3, 3, 3, 3), mode="replicate"), w) - mu * mu
    return (y - mu) / (var.clamp(min=0).sqrt() + c), var.clamp(min=0).sqrt()


def _ggd(x):
    """x [N,P]: shape and variance of a zero-mean generalised Gaussian, by moment matching."""
    s2 = (x * x).mean(1)
    r = x.abs().mean(1) ** 2 / s2.clamp(min=1e-12)
    return _shape_from_ratio(r), s2


def _aggd(x):
    """x [N,P]: shape, mean, left and right variance of an asymmetric generalised Gaussian (BRISQUE's fit)."""
    neg, pos = (x < 0).float(), (x > 0).float()
    sl = ((x * x * neg).sum(1) / neg.sum(1).clamp(min=1)).sqrt()
    sr = ((x * x * pos).sum(1) / pos.sum(1).clamp(min=1)).sqrt()
    g = sl / sr.clamp(min=1e-12)
    r = x.abs().mean(1) ** 2 / (x * x).mean(1).clamp(min=1e-12)
    rn = r * (g ** 3 + 1) * (g + 1) / (g ** 2 + 1) ** 2
    a = _shape_from_ratio(rn)
    eta = (sr - sl) * torch.exp(torch.lgamma(2 / a) - torch.lgamma(1 / a)) * torch.exp(0.5 * (torch.lgamma(1 / a) - torch.lgamma(3 / a)))
    return a, eta, sl * sl, sr * sr


def _patches(t, p):
    """[B,1,H,W] -> [B, n, p*p] non-overlapping p x p patches (the remainder is dropped)."""
    b, _, h, w = t.shape
    t = t[:, 0, :h - h % p, :w - w % p]
    return t.reshape(b, h // p, p, w // p, p).permute(0, 1, 3, 2, 4).reshape(b, (h // p) * (w // p), p * p)


def patch_features(img, patch=32):
    """img [B,3,H,W] 0..1 -> (features [B, n, 36], sharpness [B, n]) for each patch at scales 1 and 1/2."""
    y = (img.float() * LUMA.to(img.device)).sum(1, keepdim=True)
    feats, sharp = [], None
    for scale in (1, 2):
        ys = y if scale == 1 else F.interpolate(y, scale_factor=0.5, mode="bilinear", align_corners=False, antialias=True)
        p = patch // scale
        m, sig = mscn(ys)
        mp = _patches(m, p)
        b, n, _ = mp.shape
        flat = mp.reshape(b * n, -1).double()
        a, s2 = _ggd(flat)
        f = [a, s2]
        for dy, dx in SHIFTS:
            shifted = torch.roll(m, shifts=(-dy, -dx), dims=(2, 3))
            prod = _patches(m * shifted, p).reshape(b * n, -1).double()
            f += list(_aggd(prod))
        feats.append(torch.stack(f, 1).reshape(b, n, -1))
        if scale == 1:
            sharp = _patches(sig, p).mean(2).double()
    return torch.cat(feats, 2), sharp


def fit_pristine(images, patch=32, keep=0.75, batch=32):
    """Pristine model from clean images [N,3,H,W]: mean and covariance of the features of the sharper patches
    (those whose mean local deviation is at least `keep` times the image's sharpest patch, as NIQE selects)."""
    rows = []
    for i in range(0, len(images), batch):
        f, s = patch_features(images[i:i + batch], patch)
        sel = s >= keep * s.max(1, keepdim=True).values
        rows.append(f[sel])
    x = torch.cat(rows)
    x = x[torch.isfinite(x).all(1)]
    return dict(mu=x.mean(0), cov=torch.cov(x.T), patch=patch, n=len(x))


@torch.no_grad()
def niqe(img, pristine, shrink=8.0):
    """NIQE-like score per image [B] (lower is more natural). The image's own covariance gets weight
    n / (n + shrink) against the pristine one, so a small image with few patches is still scored stably."""
    f, _ = patch_features(img, pristine["patch"])
    mu_p, cov_p = pristine["mu"].to(f), pristine["cov"].to(f)
    out = []
    for fi in f:
        fi = fi[torch.isfinite(fi).all(1)]
        n = len(fi)
        mu = fi.mean(0)
        cov_i = torch.cov(fi.T) if n > 1 else cov_p
        w = n / (n + shrink)
        cov = 0.5 * (cov_p + w * cov_i + (1 - w) * cov_p)
        d = (mu - mu_p)[None]
        out.append(math.sqrt(max(0.0, float(d @ torch.linalg.pinv(cov) @ d.T))))
    return torch.tensor(out, dtype=torch.float32)
