"""JPEG artefact remover: a block-aware network that undoes JPEG's blocking and ringing.

JPEG quantises each 8x8 block of the photo on its own, so its artefacts live on that grid. The network
sees the photo the same way: the input is cut into 8x8 blocks (pixel unshuffle: 192 channels per block,
aligned to the photo's grid by the engine, which runs it tiled at multiples of 8), a stack of residual
3x3 convolutions at block resolution looks at each block with its neighbours (what the codec threw away
is predicted from what the neighbouring blocks kept), and a 1x1 convolution writes each block's 64
pixels back (pixel shuffle). A small full-resolution tail then cleans what is left within blocks
(ringing along edges). The output is the input plus a correction, so an input without artefacts can
pass through.

Input [B,3,H,W] in 0..1, H and W multiples of 8 (the engine pads); output the same shape.

`factor` (default 8, the JPEG block) is the unshuffle factor: the detail restorer (train_detail.py) uses the same
network at factor 4 for blur and lost resolution, whose damage has no grid.
Plain convolutions + ReLU, no normalisation and no global pooling: a tile's output depends only on its
neighbourhood (receptive field 8 x (2 x depth + 1) pixels), so tiles agree.
"""
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn


@dataclass
class DejpegConfig:
    width: int = 96        # channels at block resolution
    blocks: int = 6        # residual blocks (two 3x3 convolutions each) at block resolution
    tail: int = 16         # channels of the full-resolution tail (0: none)
    factor: int = 8        # pixel unshuffle factor (8: JPEG blocks)

    def to_dict(self):
        return asdict(self)


class _Res(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.a = nn.Conv2d(c, c, 3, padding=1)
        self.b = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return x + self.b(torch.relu(self.a(x)))


class DejpegNet(nn.Module):
    def __init__(self, cfg: DejpegConfig):
        super().__init__()
        self.cfg = cfg
        packed = 3 * cfg.factor ** 2
        self.down = nn.PixelUnshuffle(cfg.factor)
        self.head = nn.Conv2d(packed, cfg.width, 1 if cfg.factor >= 4 else 3, padding=0 if cfg.factor >= 4 else 1)
        self.body = nn.Sequential(*[_Res(cfg.width) for _ in range(cfg.blocks)])
        self.out = nn.Conv2d(cfg.width, packed, 1)
        self.up = nn.PixelShuffle(cfg.factor)
        if cfg.tail:
            self.tail = nn.Sequential(nn.Conv2d(6, cfg.tail, 3, padding=1), nn.ReLU(inplace=True),
                                      nn.Conv2d(cfg.tail, cfg.tail, 3, padding=1), nn.ReLU(inplace=True),
                                      nn.Conv2d(cfg.tail, 3, 3, padding=1))
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)
        if cfg.tail:
            nn.init.zeros_(self.tail[-1].weight)
            nn.init.zeros_(self.tail[-1].bias)

    def forward(self, x):
        y = x + self.up(self.out(self.body(torch.relu(self.head(self.down(x - 0.5))))))
        if self.cfg.tail:
            y = y + self.tail(torch.cat([x, y], 1))
        return y
