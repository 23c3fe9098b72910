"""Tone: one global colour transform per photo (fading, sepia and colour casts).

Measured on bsds500/val medium (20 images, seeds 50000+i): the best 3x4 affine map
of the *degraded input* alone onto the clean image gains +3.5 dB, while the 1.3
restorer gained +1.3 dB — most of what it left was global tone that a tile-sized
U-Net cannot judge (it sees one 256-px tile at a time). So the app estimates the
transform once per photo from a 128x128 copy of the whole photo and the latent
queries (which carry "keep the cast", "leave the fading", "gently"), applies it to
the whole photo, and the restorer then works on tone-corrected pixels.

Input image [B,3,S,S] in 0..1 (the whole photo resized to S x S), queries
[B,K,dq]; output matrix [B,3,4]: y = M[:, :, :3] @ rgb + M[:, :, 3]. The last
layer starts at zero, so an untrained model is the identity.
"""
from dataclasses import InitVar, dataclass, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ToneConfig:
    size: int = 128
    width: int = 32
    k: int = 11
    dq: int = 64
    hidden: int = 128
    depth: int = 2          # stride-2 stages over the 32x32 working copy (1.4: 2)
    # The parametric heads went with their unshipped runs (notes/models-1.x.md, configs removed);
    # checkpoints written before still name head "matrix", which is what every tone model has.
    head: InitVar[str] = "matrix"

    def __post_init__(self, head):
        if head != "matrix":
            raise ValueError(f"tone head {head!r} was removed; only 'matrix' remains")

    def to_dict(self):
        return asdict(self)


PERCENTILES = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)
N_STATS = 12 + 4 * len(PERCENTILES) + 18


def tone_stats(x):
    """Per-image colour statistics that do not depend on the photo's scale: channel
    means, the colour covariance, and percentiles of R, G, B and luma taken after a
    4x4 average (what auto-levels and grey-world judge from; percentiles rather than
    extremes so scratches and dust do not decide). [B,3,S,S] -> [B,N_STATS]."""
    b = x.shape[0]
    mu = x.mean((2, 3))
    d = x - mu[:, :, None, None]
    cov = (d[:, [0, 0, 0, 1, 1, 2]] * d[:, [0, 1, 2, 1, 2, 2]]).mean((2, 3))
    sd = torch.sqrt(cov[:, [0, 3, 5]] + 1e-6)
    p = F.avg_pool2d(x, 4)
    p = torch.cat([p, 0.299 * p[:, 0:1] + 0.587 * p[:, 1:2] + 0.114 * p[:, 2:3]], 1).reshape(b, 4, -1)
    n = p.shape[2]
    srt = torch.sort(p, dim=2)[0]
    pc = torch.stack([srt[:, :, min(n - 1, int(f * n))] for f in PERCENTILES], 2)     # [B,4,7]
    # The corrections themselves are ratios of these (a levels stretch is 1/spread, a cast a channel
    # ratio), which an MLP finds hard to form from the raw values: give them directly.
    lo, mid, hi = pc[:, :, 1], pc[:, :, 3], pc[:, :, 5]
    inv = 1.0 / (hi - lo + 0.05)
    ratios = torch.cat([mu / (p[:, 3].mean(1, keepdim=True) + 0.02), mid[:, :3] / (mid[:, 3:] + 0.02)], 1)
    derived = torch.cat([inv * 0.1, lo * inv, (1.0 - hi) * inv, ratios], 1)
    return torch.cat([mu, sd, cov * 10.0, pc.reshape(b, -1), derived], 1)


class Tone(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        w = cfg.width
        layers = [nn.Conv2d(3, w, 3, padding=1), nn.GELU()]
        for i in range(cfg.depth):
            layers += [nn.Conv2d(w if i == 0 else 2 * w, 2 * w, 3, stride=2, padding=1), nn.GroupNorm(4, 2 * w), nn.GELU()]
        self.body = nn.Sequential(*layers)
        self.q = nn.Sequential(nn.Linear(cfg.k * cfg.dq, cfg.hidden), nn.GELU())
        self.head = nn.Sequential(nn.Linear(4 * w + N_STATS + cfg.hidden, cfg.hidden), nn.GELU(),
                                  nn.Linear(cfg.hidden, cfg.hidden), nn.GELU(), nn.Linear(cfg.hidden, 12))
        nn.init.zeros_(self.head[-1].weight)
        nn.init.zeros_(self.head[-1].bias)
        self.register_buffer("eye", torch.cat([torch.eye(3), torch.zeros(3, 1)], 1))

    def forward(self, image, queries):
        """image [B,3,S,S] 0..1, queries [B,K,dq] -> matrix [B,3,4]."""
        f = self.body(F.avg_pool2d(image, 4) - 0.5)            # 32x32 working copy
        mu = f.mean((2, 3))
        sd = torch.sqrt(((f - mu[:, :, None, None]) ** 2).mean((2, 3)) + 1e-6)
        h = torch.cat([mu, sd, tone_stats(image), self.q(queries.flatten(1))], 1)
        return self.eye + self.head(h).reshape(-1, 3, 4)


def best_matrix(x, y, ridge=1e-5):
    """Per image, the 3x4 colour matrix that maps x [B,3,H,W] closest to y (least squares): the
    ceiling of any global tone fix, and the training stand-in for the tone model. -> [B,3,4].
    A small ridge pulls the 3x3 part towards the identity: on a black-and-white photo the three
    channels are (nearly) equal, plain least squares is then free to put large opposite weights on
    their tiny JPEG differences, and on 5 of the 34 black-and-white held-out tone samples it came
    out worse than the input by over 1 dB (lstsq 25.53 dB on them, ridge 1e-5: 27.98; colour
    photos unchanged, 26.759 -> 26.758)."""
    b = x.shape[0]
    a = torch.cat([x.flatten(2).transpose(1, 2), torch.ones(b, x.shape[2] * x.shape[3], 1, dtype=x.dtype)], 2).double()
    t = y.flatten(2).transpose(1, 2).double()
    n = a.shape[1]
    reg = torch.diag(torch.tensor([1.0, 1.0, 1.0, 0.0], dtype=torch.float64)) * (ridge * n)
    eye = torch.cat([torch.eye(3), torch.zeros(1, 3)]).double()
    at = a.transpose(1, 2)
    return torch.linalg.solve(at @ a + reg, at @ t + reg @ eye).float().transpose(1, 2)


def apply_tone(matrix, image):
    """y = clamp(M[:, :, :3] @ rgb + M[:, :, 3], 0, 1) for image [B,3,H,W]."""
    y = torch.einsum("bij,bjhw->bihw", matrix[:, :, :3], image) + matrix[:, :, 3, None, None]
    return y.clamp(0.0, 1.0)


def thumbnail(image, size):
    """The tone model's view of a whole photo [B,3,H,W]: size x size, aspect ignored
    (colour statistics do not care). Larger sides are area-averaged (each output pixel
    the mean of its input rectangle, as adaptive average pooling), smaller ones
    bilinear. The engine implements the same (electron/engine/pipeline/tone.ts)."""
    h, w = image.shape[2], image.shape[3]
    if h >= size and w >= size:
        return F.adaptive_avg_pool2d(image, (size, size))
    return F.interpolate(image, size=(size, size), mode="bilinear", align_corners=False)
