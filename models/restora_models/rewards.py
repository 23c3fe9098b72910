"""The composite reward of preference optimisation (train_lrpo.py) and the figures of its report.

For a candidate `out` of the refiner, its restorer output `cond` and the ground truth `gt` (all [B,3,H,W] 0..1):

- fidelity  exp(-15 * mean |G(out) - G(gt)|), G a Gaussian low-pass (sigma 2): LRPO's low-frequency fidelity;
            structure and tone must match the ground truth, fine detail is free.
- ssim      SSIM on luma (11x11 Gaussian window, sigma 1.5), as evaluate.py measures it.
- nr        exp(-niqe / 10), niqe the NIQE-like score of nr_quality.py (lower niqe = more natural).
- identity  an identity *proxy*, on face samples only: cosine similarity of frozen restorer-2.0 encoder features
            (its deepest encoder level, average-pooled to 4x4) of the output and of the ground truth. It is not a
            face-recognition descriptor (none ships with the project); it measures whether the face's mid-level
            structure is kept, which is what a wrong identity would change first. 0 on other samples.
- preference  the learned preference model's score (preference.py), minus its score of the restorer output.

R = sum of weights[k] * component k (weights from the config). Within a group every candidate shares the input,
so a component that is constant over the group (identity on a non-face sample) does not move the advantages.
"""
import math

import torch
import torch.nn.functional as F

from .nr_quality import LUMA, niqe
from .restorer_arch import run_blocks

COMPONENTS = ("fidelity", "ssim", "nr", "identity", "preference")


def gaussian_blur(x, sigma):
    r = max(1, int(math.ceil(3 * sigma)))
    ax = torch.arange(-r, r + 1, dtype=x.dtype, device=x.device)
    g = torch.exp(-0.5 * (ax / sigma) ** 2)
    g = g / g.sum()
    c = x.shape[1]
    x = F.pad(x, (r, r, r, r), mode="reflect")
    x = F.conv2d(x, g.view(1, 1, 1, -1).repeat(c, 1, 1, 1), groups=c)
    return F.conv2d(x, g.view(1, 1, -1, 1).repeat(c, 1, 1, 1), groups=c)


def psnr(a, b):
    mse = ((a - b) ** 2).flatten(1).mean(1).clamp(min=1e-10)
    return 10 * torch.log10(1.0 / mse)


def luma(x):
    return (x * LUMA.to(x)).sum(1, keepdim=True)


def ssim(a, b):
    """Per-image SSIM of luma, the same definition as evaluate.ssim (Gaussian sigma 1.5)."""
    x, y = luma(a), luma(b)
    f = lambda z: gaussian_blur(z, 1.5)
    mx, my = f(x), f(y)
    vx, vy, cxy = f(x * x) - mx * mx, f(y * y) - my * my, f(x * y) - mx * my
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    m = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
    return m.flatten(1).mean(1)


def lowpass_fidelity(out, gt, sigma=2.0):
    return torch.exp(-15.0 * (gaussian_blur(out, sigma) - gaussian_blur(gt, sigma)).abs().flatten(1).mean(1))


def lowpass_psnr(out, gt, sigma=2.0):
    return psnr(gaussian_blur(out, sigma), gaussian_blur(gt, sigma))


class IdentityProxy:
    """Frozen features of the restorer's encoder (not a face-recognition network; see the module docstring)."""

    def __init__(self, rest):
        self.rest = rest

    @torch.no_grad()
    def features(self, img, queries):
        r = self.rest
        m = r.cfg.multiple
        h, w = img.shape[2:]
        x = F.pad(img, (0, (m - w % m) % m, 0, (m - h % m) % m), mode="replicate")
        e = r.embed(queries.flatten(1))
        x = r.intro(x)
        for enc, ins, down in zip(r.encoders, r.enc_instr, r.downs):
            x = down(run_blocks(enc, ins(x, e), e))
        return F.adaptive_avg_pool2d(x, 4).flatten(1)

    def similarity(self, out, gt, queries):
        return F.cosine_similarity(self.features(out, queries), self.features(gt, queries), dim=1)


class Rewards:
    """Scores candidates. `pristine`: nr_quality's pristine model; `identity`: IdentityProxy or None;
    `preference`: a PreferenceNet (eval mode) or None; `weights`: {component: weight}."""

    def __init__(self, weights, pristine, identity=None, preference=None):
        self.w, self.pristine, self.identity, self.preference = weights, pristine, identity, preference

    @torch.no_grad()
    def components(self, out, cond, gt, queries, is_face):
        """{component: [B]} for candidates out [B,3,H,W] (cond, gt, queries, is_face [B] aligned with them)."""
        c = dict(fidelity=lowpass_fidelity(out, gt), ssim=ssim(out, gt),
                 nr=torch.exp(-niqe(out.cpu(), self.pristine).to(out.device) / 10.0))
        c["identity"] = torch.zeros(len(out), device=out.device)
        if self.identity is not None and bool(is_face.any()):
            f = is_face.to(out.device)
            c["identity"][f] = self.identity.similarity(out[f], gt[f], queries[f])
        c["preference"] = torch.zeros(len(out), device=out.device)
        if self.preference is not None:
            c["preference"] = self.preference.score(out, cond) - self.preference.score(cond, cond)
        return c

    def total(self, comps):
        return sum(self.w.get(k, 0.0) * comps[k] for k in COMPONENTS)
