"""Semantic integrator (after Pref-Restore, scaled down to run on a CPU).

CueEncoder: a small CNN over the degraded image (128x128) -> Nc cue tokens
plus an auxiliary head predicting per-damage severity (0..1).
Integrator: a causal transformer over [cue tokens ; instruction tokens ;
BOS ; semantic tokens so far]; a next-token head over the semantic vocabulary
and a connector (Linear -> GELU -> Linear -> RMSNorm) mapping the hidden state
at every semantic position to a dense latent query of width dq.
"""
from dataclasses import dataclass, asdict
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class IntegratorConfig:
    text_vocab: int = 1459
    sem_vocab: int = 30
    d: int = 128
    layers: int = 4
    heads: int = 4
    cues: int = 16          # 4x4 grid
    cue_size: int = 128     # cue encoder input side
    n_aux: int = 8          # severity outputs (degradations.DAMAGE_TYPES)
    max_len: int = 96       # cues + instruction + BOS + K + 1
    dq: int = 64
    cue_arch: str = "v1"    # "v1": plain strided CNN; "v2": CueEncoderV2 (see there)

    def to_dict(self):
        return asdict(self)


class CueEncoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        chans = [3, 32, 48, 96, cfg.d]
        layers = []
        for a, b in zip(chans[:-1], chans[1:]):
            layers += [nn.Conv2d(a, b, 3, stride=2, padding=1), nn.GELU(), nn.Conv2d(b, b, 3, padding=1), nn.GELU()]
        self.body = nn.Sequential(*layers)
        side = int(round(math.sqrt(cfg.cues)))
        self.pool = nn.AvgPool2d(cfg.cue_size // 16 // side)
        self.norm = nn.LayerNorm(cfg.d)
        self.aux = nn.Sequential(nn.Linear(cfg.d, cfg.d), nn.GELU(), nn.Linear(cfg.d, cfg.n_aux))

    def forward(self, image):
        """image [B,3,128,128] in 0..1 -> cues [B,Nc,d], severity [B,n_aux] in 0..1."""
        f = self.body(image - 0.5)
        g = f.mean((2, 3))
        cues = self.norm(self.pool(f).flatten(2).transpose(1, 2))
        return cues, torch.sigmoid(self.aux(g))


class ImageStats(nn.Module):
    """Fixed (not learned) damage statistics of the cue crop, per image: noise level
    (Immerkaer's Laplacian estimator), gradient energy at two scales and their
    ratios (blur), 8x8 blocking along both axes at the strongest phase (JPEG), bright
    or dark outliers against a 5x5 mean (scratches, dust), saturation and chroma spread
    (mono, casts), luminance mean, spread and range (fading). Returned as
    log(|value| + 1e-3), so the network sees ratios. Everything is plain tensor ops
    that export to ONNX with a fixed input size."""
    n = 15

    def __init__(self):
        super().__init__()
        self.register_buffer("lap", torch.tensor([[1., -2., 1.], [-2., 4., -2.], [1., -2., 1.]]).view(1, 1, 3, 3))

    def forward(self, x):
        y = 0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3]
        noise = F.conv2d(y, self.lap).abs().mean((1, 2, 3)) * 0.2089
        dx = (y[..., :, 1:] - y[..., :, :-1]).abs()
        dy = (y[..., 1:, :] - y[..., :-1, :]).abs()
        grad = dx.mean((1, 2, 3)) + dy.mean((1, 2, 3))
        grad2 = (y[..., :, 2:] - y[..., :, :-2]).abs().mean((1, 2, 3)) + (y[..., 2:, :] - y[..., :-2, :]).abs().mean((1, 2, 3))
        w8 = (dx.shape[-1] // 8) * 8
        ph = dx[..., :w8].mean((1, 2)).reshape(x.shape[0], w8 // 8, 8).mean(1)
        pv = dy[..., :w8, :].mean((1, 3)).reshape(x.shape[0], w8 // 8, 8).mean(1)
        bx = ph.max(1).values / (ph.mean(1) + 1e-4)
        by = pv.max(1).values / (pv.mean(1) + 1e-4)
        outl = ((y - F.avg_pool2d(y, 5, 1, 2, count_include_pad=False)).abs() > 0.15).float().mean((1, 2, 3))
        sat = (x.max(1).values - x.min(1).values).mean((1, 2))
        c = x - y
        cdev = (c - c.mean((2, 3), keepdim=True)).abs().mean((1, 2, 3))
        ym = F.avg_pool2d(y, 4)
        lo, hi = ym.amin((1, 2, 3)), ym.amax((1, 2, 3))
        f = torch.stack([noise, grad, grad2, noise / (grad + 1e-3), grad / (grad2 + 1e-3), bx, by, outl, sat, cdev,
                         y.mean((1, 2, 3)), y.std((1, 2, 3)), lo, hi, hi - lo], 1)
        return torch.log(f.abs() + 1e-3)


class CueEncoderV2(nn.Module):
    """Cue encoder that can see pixel-level damage.

    v1 starts with a stride-2 convolution, pools only spatial means and has no
    normalisation; measured on 300 held-out crops its severity head correlates
    0.32-0.35 with the true noise/blur/JPEG/scratch strengths (mono: -0.08), a
    fresh copy trained on the severity loss alone does not beat a constant in
    500 steps, and it cannot even overfit one batch of 32. v2: a lossless
    space-to-depth stem (PixelUnshuffle 2: every pixel reaches the first
    convolution, where noise, grain and JPEG blocking live, at the cost of a
    stride-2 convolution), GroupNorm in every stage, and mean + standard-deviation
    pooling (damage shows in the energy of features more than in their mean),
    and fixed image statistics (ImageStats: noise, blur, blocking, outliers,
    colour, tone) through a small MLP; the pooled and fixed statistics feed the
    severity head and are added to every cue token so the integrator reads them. Same input and outputs as v1 (a 4x4 grid
    of cue tokens, severity).
    """
    def __init__(self, cfg):
        super().__init__()
        d = cfg.d
        self.stem = nn.Sequential(nn.PixelUnshuffle(2), nn.Conv2d(12, 32, 3, padding=1), nn.GELU(),
                                  nn.Conv2d(32, 32, 3, padding=1), nn.GroupNorm(4, 32), nn.GELU())
        chans = [32, 48, 96, d]
        layers = []
        for a, b in zip(chans[:-1], chans[1:]):
            layers += [nn.Conv2d(a, b, 3, stride=2, padding=1), nn.GroupNorm(4, b), nn.GELU(),
                       nn.Conv2d(b, b, 3, padding=1), nn.GELU()]
        self.body = nn.Sequential(*layers)
        side = int(round(math.sqrt(cfg.cues)))
        self.pool = nn.AvgPool2d(cfg.cue_size // 16 // side)
        self.stats = ImageStats()
        self.stats_norm = nn.BatchNorm1d(ImageStats.n, affine=False)
        self.stats_mlp = nn.Sequential(nn.Linear(ImageStats.n, d), nn.GELU(), nn.Linear(d, d), nn.GELU())
        self.glob = nn.Linear(3 * d, d)
        self.norm = nn.LayerNorm(d)
        self.aux = nn.Sequential(nn.Linear(3 * d, d), nn.GELU(), nn.Linear(d, cfg.n_aux))

    def features(self, image):
        f = self.body(self.stem(image - 0.5))
        mu = f.mean((2, 3))
        sd = torch.sqrt(((f - mu[:, :, None, None]) ** 2).mean((2, 3)) + 1e-6)
        st = self.stats_mlp(self.stats_norm(self.stats(image)))
        return f, torch.cat([mu, sd, st], 1)

    def severity_logits(self, image):
        return self.aux(self.features(image)[1])

    def forward(self, image):
        """image [B,3,128,128] in 0..1 -> cues [B,Nc,d], severity [B,n_aux] in 0..1."""
        f, g = self.features(image)
        cues = self.norm(self.pool(f).flatten(2).transpose(1, 2) + self.glob(g)[:, None, :])
        return cues, torch.sigmoid(self.aux(g))


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, bias):
        b, s, d = x.shape
        h = self.heads
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q = q.reshape(b, s, h, d // h).transpose(1, 2)
        k = k.reshape(b, s, h, d // h).transpose(1, 2)
        v = v.reshape(b, s, h, d // h).transpose(1, 2)
        att = torch.softmax(q @ k.transpose(2, 3) * (1.0 / math.sqrt(d // h)) + bias, dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, s, d)
        x = x + self.proj(y)
        return x + self.mlp(self.ln2(x))


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.w = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt((x * x).mean(-1, keepdim=True) + self.eps) * self.w


class Integrator(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.cue_encoder = CueEncoderV2(cfg) if cfg.cue_arch == "v2" else CueEncoder(cfg)
        self.text_emb = nn.Embedding(cfg.text_vocab, cfg.d)
        self.sem_emb = nn.Embedding(cfg.sem_vocab, cfg.d)
        self.seg_emb = nn.Parameter(torch.zeros(3, cfg.d))
        self.pos_emb = nn.Parameter(torch.randn(cfg.max_len, cfg.d) * 0.02)
        self.blocks = nn.ModuleList([Block(cfg.d, cfg.heads) for _ in range(cfg.layers)])
        self.ln_f = nn.LayerNorm(cfg.d)
        self.head = nn.Linear(cfg.d, cfg.sem_vocab)
        self.connector = nn.Sequential(nn.Linear(cfg.d, cfg.d), nn.GELU(), nn.Linear(cfg.d, cfg.dq), RMSNorm(cfg.dq))

    def forward(self, cues, text_ids, sem_ids, text_mask=None):
        """cues [B,Nc,d]; text_ids [B,L] int64; sem_ids [B,T] int64 (BOS first);
        text_mask [B,L] bool (training batches pad instructions; padding takes no
        position and is never attended, so a padded row equals the unpadded one).
        Returns logits [B,T,V] (position t predicts token t+1) and queries [B,T,dq]."""
        t = sem_ids.shape[1]
        x = torch.cat([cues + self.seg_emb[0], self.text_emb(text_ids) + self.seg_emb[1],
                       self.sem_emb(sem_ids) + self.seg_emb[2]], dim=1)
        s = x.shape[1]
        idx = torch.arange(s, device=x.device)
        bias = (idx[None, :] > idx[:, None]).to(x.dtype) * -1e9  # causal
        if text_mask is None:
            x = x + self.pos_emb[:s]
            bias = bias[None, None]
        else:
            b = x.shape[0]
            ones_c = torch.ones(b, cues.shape[1], dtype=torch.bool, device=x.device)
            ones_t = torch.ones(b, t, dtype=torch.bool, device=x.device)
            valid = torch.cat([ones_c, text_mask, ones_t], 1)
            pos = (valid.long().cumsum(1) - 1).clamp(min=0)
            x = x + self.pos_emb[pos]
            bias = bias[None, None] + (~valid)[:, None, None, :].to(x.dtype) * -1e9
        for blk in self.blocks:
            x = blk(x, bias)
        h = self.ln_f(x[:, s - t:])
        return self.head(h), self.connector(h)


class IntegratorStep(nn.Module):
    """One decode step for export: next-token logits from the last position and
    the queries at every semantic position."""
    def __init__(self, integrator):
        super().__init__()
        self.m = integrator

    def forward(self, cues, instruction_ids, semantic_ids):
        logits, queries = self.m(cues, instruction_ids, semantic_ids)
        return logits[:, -1], queries


class CueStep(nn.Module):
    def __init__(self, integrator):
        super().__init__()
        self.m = integrator.cue_encoder

    def forward(self, image):
        return self.m(image)
