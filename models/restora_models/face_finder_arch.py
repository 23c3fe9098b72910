"""The face finder: a small fully convolutional detector for the small, faded, blurred faces of old group photos.

It reads the photo's luminance only (old prints are mono or toned; colour carries little about where a face is and
much about the print's age), normalised inside the network by the input's own mean and spread, so a faded tile and
a contrasty one look alike to it. Centre-point detection (as CenterNet does it): at a quarter of the input's
resolution, one channel says how likely a face's centre is at each cell, two give the box's log width and height
(in cells), two the centre's offset inside its cell. Four stride-2 stages (to 1/16) and a top-down path back to
1/4; batch norm (folded into the convolutions at export) and no global pooling, so tiles agree with the whole.
Faces from about 10 to 80 px wide are what one pass finds; the engine runs it on a pyramid for bigger ones.
"""
from dataclasses import asdict, dataclass

import torch
from torch import nn
import torch.nn.functional as F

STRIDE = 4
MULTIPLE = 16


@dataclass
class FaceFinderConfig:
    widths: tuple = (16, 32, 64, 96)
    blocks: tuple = (1, 2, 2, 2)
    neck: int = 48

    def to_dict(self):
        d = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}


def conv_bn(cin, cout, stride=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Res(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.a = conv_bn(c, c)
        self.b = nn.Sequential(nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c))

    def forward(self, x):
        return F.relu(x + self.b(self.a(x)))


class FaceFinderNet(nn.Module):
    def __init__(self, cfg=FaceFinderConfig()):
        super().__init__()
        if isinstance(cfg, dict):
            cfg = FaceFinderConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in cfg.items()})
        self.cfg = cfg
        stages, cin = [], 1
        for w, n in zip(cfg.widths, cfg.blocks):
            stages.append(nn.Sequential(conv_bn(cin, w, 2), *[Res(w) for _ in range(n)]))
            cin = w
        self.stages = nn.ModuleList(stages)
        k = cfg.neck
        self.lat = nn.ModuleList([nn.Conv2d(w, k, 1) for w in cfg.widths[1:]])   # 1/4, 1/8, 1/16
        self.smooth = nn.ModuleList([conv_bn(k, k), conv_bn(k, k)])
        self.head = conv_bn(k, k)
        self.heat = nn.Conv2d(k, 1, 1)
        self.size = nn.Conv2d(k, 2, 1)
        self.offset = nn.Conv2d(k, 2, 1)
        nn.init.constant_(self.heat.bias, -4.0)

    def forward(self, y):
        """y: [N,1,H,W] luminance in 0..1, H and W multiples of 16. Returns (heat logits [N,1,H/4,W/4],
        log size in cells [N,2,..] (width, height), centre offset in cells [N,2,..] (x, y))."""
        m = y.mean(dim=(2, 3), keepdim=True)
        s = ((y - m) ** 2).mean(dim=(2, 3), keepdim=True).sqrt()
        x = (y - m) / (s + 0.05)
        feats = []
        for st in self.stages:
            x = st(x)
            feats.append(x)
        top = self.lat[2](feats[3])
        top = self.smooth[0](self.lat[1](feats[2]) + F.interpolate(top, scale_factor=2.0, mode="nearest"))
        top = self.smooth[1](self.lat[0](feats[1]) + F.interpolate(top, scale_factor=2.0, mode="nearest"))
        h = self.head(top)
        return self.heat(h), self.size(h), self.offset(h)


class FaceFinderExport(nn.Module):
    """What ships: the heat map as probabilities, and the boxes' width and height in input pixels."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, y):
        heat, size, off = self.net(y)
        return torch.sigmoid(heat), torch.exp(size.clamp(-3.0, 5.0)) * STRIDE, off


def decode(heat, size, off, threshold=0.3, top=100):
    """Boxes (x, y, w, h, score) in input pixels from one image's outputs (logits), peaks of a 3x3 max pool."""
    p = torch.sigmoid(heat[0, 0])
    peak = (p == F.max_pool2d(p[None, None], 3, 1, 1)[0, 0]) & (p >= threshold)
    ys, xs = torch.nonzero(peak, as_tuple=True)
    scores = p[ys, xs]
    order = scores.argsort(descending=True)[:top]
    out = []
    for i in order.tolist():
        gy, gx = int(ys[i]), int(xs[i])
        w = float(torch.exp(size[0, 0, gy, gx])) * STRIDE
        h = float(torch.exp(size[0, 1, gy, gx])) * STRIDE
        cx = (gx + float(off[0, 0, gy, gx])) * STRIDE
        cy = (gy + float(off[0, 1, gy, gx])) * STRIDE
        out.append((cx - w / 2, cy - h / 2, w, h, float(scores[i])))
    return out
