"""Restorer: a small NAFNet-style U-Net conditioned on the integrator's K latent
queries — instruction gating at every level (InstructIR:
f = Block((x*gamma + beta) * sigmoid(W e)) + x, e from the flattened queries;
the first block of every level is such a gated block)
and cross-attention from the bottleneck features to the queries.
Input [B,3,H,W] in 0..1, any H,W (padded inside to a multiple of `multiple`,
cropped back); output = clamp(input + predicted correction, 0, 1).
"""
from dataclasses import InitVar, dataclass, asdict, field
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class RestorerConfig:
    width: int = 16
    enc: list = field(default_factory=lambda: [1, 1, 1])
    mid: int = 2
    dec: list = field(default_factory=lambda: [1, 1, 1])
    k: int = 11
    dq: int = 64
    emb: int = 128
    heads: int = 4
    # The pixel-unshuffle stem went with its unshipped run (v2.0-cpu, notes/models-1.x.md); checkpoints
    # written before still name stem 1, which is what every restorer has.
    stem: InitVar[int] = 1
    sca: str = "global"   # "global": NAFNet's channel attention over the mean of the whole input (models 1.x);
                          # "query": channel attention from the photo's latent queries (models 2): no global
                          # pooling anywhere, so a tile computes what the whole photo would (no TLC needed)

    def __post_init__(self, stem):
        if stem != 1:
            raise ValueError(f"restorer stem {stem} was removed; only 1 remains")

    def to_dict(self):
        return asdict(self)

    @property
    def multiple(self):
        return 2 ** len(self.enc)


class LayerNorm2d(nn.Module):
    def __init__(self, c, eps=1e-6):
        super().__init__()
        self.w = nn.Parameter(torch.ones(1, c, 1, 1))
        self.b = nn.Parameter(torch.zeros(1, c, 1, 1))
        self.eps = eps

    def forward(self, x):
        mu = x.mean(1, keepdim=True)
        var = ((x - mu) ** 2).mean(1, keepdim=True)
        return (x - mu) * torch.rsqrt(var + self.eps) * self.w + self.b


class NAFBlock(nn.Module):
    def __init__(self, c, emb=None):
        super().__init__()
        self.n1, self.n2 = LayerNorm2d(c), LayerNorm2d(c)
        self.c1 = nn.Conv2d(c, 2 * c, 1)
        self.dw = nn.Conv2d(2 * c, 2 * c, 3, padding=1, groups=2 * c)
        # emb given: channel attention from the query embedding instead of the pooled features
        self.sca = nn.Conv2d(c, c, 1) if emb is None else nn.Linear(emb, c)
        self.c3 = nn.Conv2d(c, c, 1)
        self.f1 = nn.Conv2d(c, 2 * c, 1)
        self.f2 = nn.Conv2d(c, c, 1)
        self.beta = nn.Parameter(torch.zeros(1, c, 1, 1))
        self.gamma = nn.Parameter(torch.zeros(1, c, 1, 1))

    def attend(self, x, e):
        """Simplified channel attention: from the pooled features (NAFNet) or from the query embedding e."""
        if isinstance(self.sca, nn.Linear):
            return x * (1 + self.sca(e)[:, :, None, None])
        return x * self.sca(x.mean((2, 3), keepdim=True))

    def forward(self, inp, e=None):
        a, b = self.dw(self.c1(self.n1(inp))).chunk(2, dim=1)
        x = self.attend(a * b, e)
        y = inp + self.c3(x) * self.beta
        a, b = self.f1(self.n2(y)).chunk(2, dim=1)
        return y + self.f2(a * b) * self.gamma


class InstructionBlock(nn.Module):
    """f = NAFBlock((x * (1 + gamma) + beta) * sigmoid(W e)) + x."""
    def __init__(self, c, emb, query_sca=False):
        super().__init__()
        self.film = nn.Linear(emb, 3 * c)
        self.block = NAFBlock(c, emb if query_sca else None)
        nn.init.zeros_(self.film.weight)
        nn.init.zeros_(self.film.bias)

    def forward(self, x, e):
        g, b, w = self.film(e)[:, :, None, None].chunk(3, dim=1)
        return self.block((x * (1 + g) + b) * torch.sigmoid(w + 2.0), e) + x


class CrossAttention(nn.Module):
    def __init__(self, c, dq, heads):
        super().__init__()
        self.heads = heads
        self.norm = LayerNorm2d(c)
        self.q = nn.Conv2d(c, c, 1)
        self.kv = nn.Linear(dq, 2 * c)
        self.out = nn.Conv2d(c, c, 1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, x, queries):
        b, c, h, w = x.shape
        nh = self.heads
        q = self.q(self.norm(x)).reshape(b, nh, c // nh, h * w).transpose(2, 3)    # B,nh,HW,ch
        k, v = self.kv(queries).chunk(2, dim=2)
        k = k.reshape(b, -1, nh, c // nh).permute(0, 2, 3, 1)                       # B,nh,ch,K
        v = v.reshape(b, -1, nh, c // nh).transpose(1, 2)                           # B,nh,K,ch
        att = torch.softmax(q @ k * (1.0 / math.sqrt(c // nh)), dim=-1)
        y = (att @ v).transpose(2, 3).reshape(b, c, h, w)
        return x + self.out(y)


class Restorer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        w = cfg.width
        self.embed = nn.Sequential(nn.Linear(cfg.k * cfg.dq, cfg.emb), nn.GELU(), nn.Linear(cfg.emb, cfg.emb))
        self.intro = nn.Conv2d(3, w, 3, padding=1)
        self.ending = nn.Conv2d(w, 3, 3, padding=1)
        nn.init.zeros_(self.ending.weight)  # start as the identity: output = input
        nn.init.zeros_(self.ending.bias)
        self.encoders, self.downs, self.enc_instr = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        c = w
        q = cfg.sca == "query"
        qe = cfg.emb if q else None
        for n in cfg.enc:
            self.enc_instr.append(InstructionBlock(c, cfg.emb, q))
            self.encoders.append(nn.Sequential(*[NAFBlock(c, qe) for _ in range(n - 1)]))
            self.downs.append(nn.Conv2d(c, 2 * c, 2, stride=2))
            c *= 2
        self.middle = nn.Sequential(*[NAFBlock(c, qe) for _ in range(cfg.mid)])
        self.cross = CrossAttention(c, cfg.dq, cfg.heads)
        self.ups, self.decoders, self.dec_instr = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        for n in cfg.dec:
            self.ups.append(nn.Sequential(nn.Conv2d(c, 2 * c, 1, bias=False), nn.PixelShuffle(2)))
            c //= 2
            self.decoders.append(nn.Sequential(*[NAFBlock(c, qe) for _ in range(n - 1)]))
            self.dec_instr.append(InstructionBlock(c, cfg.emb, q))

    def forward(self, image, queries):
        """image [B,3,H,W] 0..1; queries [B,K,dq]."""
        h, w = image.shape[2], image.shape[3]
        m = self.cfg.multiple
        ph, pw = (m - h % m) % m, (m - w % m) % m
        x0 = F.pad(image, (0, pw, 0, ph), mode="replicate")
        e = self.embed(queries.flatten(1))
        x = self.intro(x0)
        skips = []
        for enc, ins, down in zip(self.encoders, self.enc_instr, self.downs):
            x = run_blocks(enc, ins(x, e), e)
            skips.append(x)
            x = down(x)
        x = self.cross(run_blocks(self.middle, x, e), queries)
        for up, dec, ins, skip in zip(self.ups, self.decoders, self.dec_instr, skips[::-1]):
            x = run_blocks(dec, ins(up(x) + skip, e), e)
        out = x0 + self.ending(x)
        return torch.clamp(out[:, :, :h, :w], 0.0, 1.0)


def run_blocks(blocks, x, e):
    for blk in blocks:
        x = blk(x, e)
    return x

