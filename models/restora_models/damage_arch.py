"""Damage detector: a small segmentation U-Net marking old-photo damage per pixel.

Input image [B,3,H,W] in 0..1 (any H, W; edge-padded to a multiple of 2**levels inside),
output `damage` [B,4,H,W]: the probability (sigmoid) of each kind at each pixel, in the order
damage_synth.KINDS = scratch, dust, blotch, tear. The kinds are independent channels, since a
scratch can cross a stain. The engine runs it tiled over the whole photo, like the restorer.

Plain 3x3 convolutions + ReLU (no normalisation, so a tile's output does not depend on the
rest of the tile), 2x2 average-pool down, nearest up + concatenation, widths doubling slowly:
the cost is in the full-resolution layers, so they are the narrowest.
"""
from dataclasses import asdict, dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class DamageConfig:
    widths: list = field(default_factory=lambda: [16, 24, 32, 48, 64])   # one per level, full resolution first
    kinds: int = 4

    def to_dict(self):
        return asdict(self)


def _block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU(inplace=True))


class DamageNet(nn.Module):
    def __init__(self, cfg: DamageConfig):
        super().__init__()
        self.cfg = cfg
        w = cfg.widths
        self.down = nn.ModuleList([_block(3 if i == 0 else w[i - 1], w[i]) for i in range(len(w))])
        self.up = nn.ModuleList([_block(w[i] + w[i + 1], w[i]) for i in range(len(w) - 1)])
        self.head = nn.Conv2d(w[0], cfg.kinds, 1)
        nn.init.constant_(self.head.bias, -3.0)      # damage is rare: start by saying "none"

    @property
    def multiple(self):
        return 2 ** (len(self.cfg.widths) - 1)

    def logits(self, x):
        h, w = x.shape[2], x.shape[3]
        m = self.multiple
        ph, pw = (m - h % m) % m, (m - w % m) % m
        x = F.pad(x - 0.5, (0, pw, 0, ph), mode="replicate")
        skips = []
        for i, blk in enumerate(self.down):
            if i:
                x = F.avg_pool2d(x, 2)
            x = blk(x)
            skips.append(x)
        for i in reversed(range(len(self.up))):
            x = F.interpolate(x, scale_factor=2.0, mode="nearest")
            x = self.up[i](torch.cat([skips[i], x], 1))
        return self.head(x)[:, :, :h, :w]

    def forward(self, x):
        return torch.sigmoid(self.logits(x))


def widen(net: "DamageNet", small_state: dict, small_cfg: DamageConfig) -> None:
    """Loads a narrower detector's weights into `net` (same depth and kinds, every width at least as large) so
    that `net` computes exactly what the narrow one did: each layer's old outputs read only the old inputs (the
    weights from the new input channels are zero), while the new output channels keep their random start
    (reading every input) and so learn. The up blocks' concatenated inputs [skip, upsampled] are mapped part by part."""
    old, new = small_cfg.widths, net.cfg.widths
    if len(old) != len(new) or small_cfg.kinds != net.cfg.kinds or any(b < a for a, b in zip(old, new)):
        raise ValueError(f"cannot widen {old} to {new}")

    def load(conv, prefix, in_map):
        w, b = small_state[prefix + ".weight"].float(), small_state[prefix + ".bias"].float()
        with torch.no_grad():
            keep = torch.zeros(conv.weight.shape[1], dtype=torch.bool)
            for _, j in in_map:
                keep[j] = True
            conv.weight[: w.shape[0], ~keep] = 0.0                 # old outputs ignore the new inputs
            for i, j in in_map:
                conv.weight[: w.shape[0], j] = w[:, i]
            conv.bias[: w.shape[0]] = b                             # new outputs keep their random start

    same = lambda n: [(i, i) for i in range(n)]
    for i, blk in enumerate(net.down):
        load(blk[0], f"down.{i}.0", same(3 if i == 0 else old[i - 1]))
        load(blk[2], f"down.{i}.2", same(old[i]))
    for i, blk in enumerate(net.up):
        cat = same(old[i]) + [(old[i] + k, new[i] + k) for k in range(old[i + 1])]
        load(blk[0], f"up.{i}.0", cat)
        load(blk[2], f"up.{i}.2", same(old[i]))
    load(net.head, "head", same(old[0]))
