"""Generative refiner: a small conditional pixel-space diffusion U-Net.

It adds detail on top of the restorer's output (`cond`), steered by the
integrator's K latent queries (cross-attention at the bottleneck and a
FiLM embedding at every level) and the noise level t.

Parameterisation (residual flow matching, x0 prediction):
    z0  = (x0 - cond) / s                    # the detail the restorer missed, scaled
    z_t = (1 - t) * z0 + t * eps             # t in [0, 1], eps ~ N(0, I)
    x_t = cond + s * z_t                     # what the network sees, in pixel space
The network predicts x0 = cond + s * f(z_t, cond, t, queries). With f's last
layer zero-initialised the untrained model returns the restorer output.

Few-step sampler (SDEdit start + deterministic DDIM-style updates), also in
the engine (electron/engine/generative/sampler.ts):
    t_0 = 1 - fidelity;  x = cond + s * t_0 * eps
    for t, t' in schedule:   x0 = f(x, t) (with guidance);  x = (1 - t') x0 + t' * (x - (1 - t) x0) / t
Classifier-free guidance: the unconditional branch gets all-zero queries
(training drops the queries a fraction of the time).
"""
from dataclasses import dataclass, asdict, field
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .restorer_arch import CrossAttention, LayerNorm2d, NAFBlock


@dataclass
class RefinerConfig:
    patch: int = 4          # space-to-depth factor: the U-Net runs at H/patch (cheap on a CPU)
    width: int = 32
    levels: list = field(default_factory=lambda: [1, 1])   # NAF blocks per encoder level (each halves H, W)
    mid: int = 1
    k: int = 11
    dq: int = 64
    emb: int = 64
    heads: int = 2
    res_scale: float = 0.1

    def to_dict(self):
        return asdict(self)

    @property
    def multiple(self):
        return self.patch * 2 ** len(self.levels)


def timestep_embedding(t, dim):
    """Sinusoidal features of t in [0, 1] (scaled to 0..1000 like DDPM timesteps)."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    a = (t.float() * 1000.0)[:, None] * freqs[None]
    return torch.cat([torch.sin(a), torch.cos(a)], 1)


class CondBlock(nn.Module):
    """NAFBlock(x * (1 + gamma) + beta) + x, gamma/beta from the time+query embedding."""
    def __init__(self, c, emb):
        super().__init__()
        self.film = nn.Linear(emb, 2 * c)
        self.block = NAFBlock(c)
        nn.init.zeros_(self.film.weight)
        nn.init.zeros_(self.film.bias)

    def forward(self, x, e):
        g, b = self.film(e)[:, :, None, None].chunk(2, dim=1)
        return self.block(x * (1 + g) + b) + x


class Refiner(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        w, emb = cfg.width, cfg.emb
        self.t_embed = nn.Sequential(nn.Linear(emb, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.q_embed = nn.Sequential(nn.Linear(cfg.k * cfg.dq, emb), nn.SiLU(), nn.Linear(emb, emb))
        p2 = cfg.patch * cfg.patch
        self.intro = nn.Sequential(nn.PixelUnshuffle(cfg.patch), nn.Conv2d(6 * p2, w, 3, padding=1))
        self.ending = nn.Conv2d(w, 3 * p2, 3, padding=1)
        self.shuffle = nn.PixelShuffle(cfg.patch)
        nn.init.zeros_(self.ending.weight)
        nn.init.zeros_(self.ending.bias)
        self.enc, self.downs = nn.ModuleList(), nn.ModuleList()
        c = w
        for n in cfg.levels:
            self.enc.append(nn.ModuleList([CondBlock(c, emb) for _ in range(n)]))
            self.downs.append(nn.Conv2d(c, 2 * c, 2, stride=2))
            c *= 2
        self.middle = nn.ModuleList([CondBlock(c, emb) for _ in range(cfg.mid)])
        self.cross = CrossAttention(c, cfg.dq, cfg.heads)
        self.ups, self.dec = nn.ModuleList(), nn.ModuleList()
        for n in cfg.levels[::-1]:
            self.ups.append(nn.Sequential(nn.Conv2d(c, 2 * c, 1, bias=False), nn.PixelShuffle(2)))
            c //= 2
            self.dec.append(nn.ModuleList([CondBlock(c, emb) for _ in range(n)]))
        self.norm_out = LayerNorm2d(c)

    def forward(self, x_t, cond, t, queries):
        """x_t, cond [B,3,H,W]; t [B] in [0,1]; queries [B,K,dq] (zeros = unconditional) -> x0 [B,3,H,W]."""
        s = self.cfg.res_scale
        h, w = x_t.shape[2], x_t.shape[3]
        m = self.cfg.multiple
        ph, pw = (m - h % m) % m, (m - w % m) % m
        z = F.pad((x_t - cond) * (1.0 / s), (0, pw, 0, ph), mode="replicate")
        c0 = F.pad(cond, (0, pw, 0, ph), mode="replicate")
        e = self.t_embed(timestep_embedding(t, self.cfg.emb)) + self.q_embed(queries.flatten(1))
        x = self.intro(torch.cat([z, c0 * 2.0 - 1.0], 1))
        skips = []
        for blocks, down in zip(self.enc, self.downs):
            for b in blocks:
                x = b(x, e)
            skips.append(x)
            x = down(x)
        for b in self.middle:
            x = b(x, e)
        x = self.cross(x, queries)
        for up, blocks, skip in zip(self.ups, self.dec, skips[::-1]):
            x = up(x) + skip
            for b in blocks:
                x = b(x, e)
        z0 = self.shuffle(self.ending(self.norm_out(x)))[:, :, :h, :w]
        return cond + s * z0


def schedule(fidelity, steps):
    """Noise levels t_0 > t_1 > ... > t_n = 0 for a run at this fidelity (empty when fidelity >= 1)."""
    t0 = max(0.0, min(1.0, 1.0 - fidelity))
    if t0 <= 0.0 or steps < 1:
        return []
    return [t0 * (1.0 - i / steps) for i in range(steps + 1)]


@torch.no_grad()
def sample(model, cond, queries, eps, fidelity=0.7, steps=4, guidance=1.0):
    """The engine's sampler in PyTorch (for validation and tests). eps ~ N(0,1), shape of cond."""
    ts = schedule(fidelity, steps)
    if not ts:
        return cond.clone()
    s = model.cfg.res_scale
    x = cond + s * ts[0] * eps
    zero = torch.zeros_like(queries)
    x0 = cond
    for t, tn in zip(ts[:-1], ts[1:]):
        tt = torch.full((cond.shape[0],), t, dtype=torch.float32, device=cond.device)
        x0 = model(x, cond, tt, queries)
        if guidance != 1.0:
            x0u = model(x, cond, tt, zero)
            x0 = x0u + guidance * (x0 - x0u)
        noise = (x - (1 - t) * x0) / t
        x = (1 - tn) * x0 + tn * noise
    return x0.clamp(0.0, 1.0)
