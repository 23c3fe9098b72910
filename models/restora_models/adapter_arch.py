"""Restorer adapter: personalisation weights passed to the graph as one ordinary
input (a flat float32 vector), so ONNX Runtime — which has no training or LoRA
API — can run, and differentiate, the adapted restorer. Zero = the base model.

The vector holds, in this order (see `AdapterLayout`):
  1. per instruction block (6): deltas on its FiLM output — gamma, beta and the
     gate logit, one value per channel (the same knobs the instruction already
     turns, so the adapter can shift "how much to restore" per level);
  2. per NAF block (11 in 1.7, counting those inside the instruction blocks): a rank-r update of its two expanding 1x1 convolutions
     (c1 and f1, c -> 2c): W' = W + B A, with A a fixed seeded random
     projection baked into the graph and B [2c, r] learned (LoRA with a frozen
     A). With both LoRA factors learned, zero would be a saddle point (zero
     gradient for both); freezing A keeps zero = base and a non-zero gradient;
  3. (`spatial`, since 1.7) per NAF block a delta on its depthwise 3x3 kernels
     [2c, 9] (how much each channel sharpens or smooths: the spatial filtering a
     1x1 low-rank update cannot change) and on its two residual scales beta and
     gamma [2, c] (how much the block does at all);
  4. a bias delta on the output convolution (3 values: overall colour balance).

`AdaptedRestorer(rest)` wraps a trained `restorer_arch.Restorer` without
touching its weights; `forward(image, queries, adapter)` equals
`rest(image, queries)` exactly when `adapter` is all zeros.
"""
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from .restorer_arch import NAFBlock, InstructionBlock

A_SEED = 20260725


@dataclass
class Slot:
    name: str
    offset: int
    shape: tuple

    @property
    def size(self):
        n = 1
        for s in self.shape:
            n *= s
        return n


class AdapterLayout:
    """Offsets of every adapter tensor inside the flat vector."""

    def __init__(self, rest, rank=4, spatial=False):
        self.rank = rank
        self.spatial = spatial
        self.slots = []
        off = 0

        def add(name, shape):
            nonlocal off
            s = Slot(name, off, tuple(shape))
            self.slots.append(s)
            off += s.size
            return s

        self.film = [add(f"film{i}", (3, ins.block.c3.in_channels)) for i, ins in enumerate(instr_blocks(rest))]
        self.lora = []
        for i, blk in enumerate(naf_blocks(rest)):
            c = blk.c3.in_channels
            self.lora.append((add(f"naf{i}.c1", (2 * c, rank)), add(f"naf{i}.f1", (2 * c, rank))))
        self.dw, self.scales = [], []
        if spatial:
            for i, blk in enumerate(naf_blocks(rest)):
                c = blk.c3.in_channels
                self.dw.append(add(f"naf{i}.dw", (2 * c, 9)))
                self.scales.append(add(f"naf{i}.scales", (2, c)))
        self.ending = add("ending.bias", (3,))
        self.size = off

    def to_dict(self):
        return {"size": self.size, "rank": self.rank, "spatial": self.spatial,
                "slots": [{"name": s.name, "offset": s.offset, "shape": list(s.shape)} for s in self.slots]}


def instr_blocks(rest):
    return list(rest.enc_instr) + list(rest.dec_instr)


def naf_blocks(rest):
    """Every NAFBlock in forward order: encoder levels, middle, decoder levels."""
    out = []
    for ins, enc in zip(rest.enc_instr, rest.encoders):
        out.append(ins.block)
        out += [m for m in enc if isinstance(m, NAFBlock)]
    out += [m for m in rest.middle if isinstance(m, NAFBlock)]
    for dec, ins in zip(rest.decoders, rest.dec_instr):
        out.append(ins.block)
        out += [m for m in dec if isinstance(m, NAFBlock)]
    return out


def frozen_projections(rest, rank):
    """The fixed A matrices [r, c] (seeded; rows ~ N(0, 1/c) so B A has the scale of a weight)."""
    g = torch.Generator().manual_seed(A_SEED)
    out = []
    for blk in naf_blocks(rest):
        c = blk.c3.in_channels
        out.append(tuple(torch.randn(rank, c, generator=g) / c ** 0.5 for _ in range(2)))
    return out


class AdaptedRestorer(torch.nn.Module):
    def __init__(self, rest, rank=4, spatial=False):
        super().__init__()
        self.rest = rest.eval()
        for p in self.rest.parameters():
            p.requires_grad_(False)
        self.layout = AdapterLayout(rest, rank, spatial)
        for i, (a1, a2) in enumerate(frozen_projections(rest, rank)):
            self.register_buffer(f"a{i}_c1", a1)
            self.register_buffer(f"a{i}_f1", a2)
        self._naf_index = {id(b): i for i, b in enumerate(naf_blocks(rest))}
        self._ins_index = {id(b): i for i, b in enumerate(instr_blocks(rest))}

    def part(self, adapter, slot):
        return adapter[slot.offset:slot.offset + slot.size].reshape(slot.shape)

    def lora(self, x, conv, adapter, slot, a):
        """conv(x) with weight W + B A, the low-rank part as matmuls (their backward is plain matmul)."""
        n, c, h, w = x.shape
        b = self.part(adapter, slot)
        low = torch.matmul(b, torch.matmul(a, x.reshape(n, c, h * w)))
        return conv(x) + low.reshape(n, -1, h, w)

    def naf(self, blk, inp, adapter, e):
        i = self._naf_index[id(blk)]
        s1, s2 = self.layout.lora[i]
        a1, a2 = getattr(self, f"a{i}_c1"), getattr(self, f"a{i}_f1")
        h = self.lora(blk.n1(inp), blk.c1, adapter, s1, a1)
        beta, gamma = blk.beta, blk.gamma
        if self.layout.spatial:
            h = blk.dw(h) + self.depthwise_delta(h, self.part(adapter, self.layout.dw[i]))
            sc = self.part(adapter, self.layout.scales[i])
            beta = beta + sc[0][None, :, None, None]
            gamma = gamma + sc[1][None, :, None, None]
        else:
            h = blk.dw(h)
        a, b = h.chunk(2, dim=1)
        x = blk.attend(a * b, e)
        y = inp + blk.c3(x) * beta
        a, b = self.lora(blk.n2(y), blk.f1, adapter, s2, a2).chunk(2, dim=1)
        return y + blk.f2(a * b) * gamma

    @staticmethod
    def depthwise_delta(x, d):
        """A depthwise 3x3 convolution (zero padding, as blk.dw) with kernels d [C, 9], written as nine
        shifted products: a convolution's weight gradient has no exportable decomposition here, these do."""
        h, w = x.shape[2], x.shape[3]
        xp = F.pad(x, (1, 1, 1, 1))
        out = None
        for k in range(9):
            ky, kx = divmod(k, 3)
            t = xp[:, :, ky:ky + h, kx:kx + w] * d[:, k][None, :, None, None]
            out = t if out is None else out + t
        return out

    def instr(self, ins, x, e, adapter):
        d = self.part(adapter, self.layout.film[self._ins_index[id(ins)]])
        g, b, w = ins.film(e)[:, :, None, None].chunk(3, dim=1)
        g = g + d[0][None, :, None, None]
        b = b + d[1][None, :, None, None]
        w = w + d[2][None, :, None, None]
        return self.naf(ins.block, (x * (1 + g) + b) * torch.sigmoid(w + 2.0), adapter, e) + x

    def seq(self, mods, x, adapter, e):
        for m in mods:
            x = self.naf(m, x, adapter, e)
        return x

    def forward(self, image, queries, adapter, pad=True):
        """image [B,3,H,W] 0..1; queries [B,K,dq]; adapter [P]. `pad=False` requires H, W
        multiples of `rest.cfg.multiple` (the gradient graph: replicate-pad has no exportable backward)."""
        r = self.rest
        h, w = image.shape[2], image.shape[3]
        m = r.cfg.multiple
        if pad:
            x0 = F.pad(image, (0, (m - w % m) % m, 0, (m - h % m) % m), mode="replicate")
        else:
            assert h % m == 0 and w % m == 0, "gradient graph needs H, W multiples of %d" % m
            x0 = image
        e = r.embed(queries.flatten(1))
        x = r.intro(x0)
        skips = []
        for enc, ins, down in zip(r.encoders, r.enc_instr, r.downs):
            x = self.seq(enc, self.instr(ins, x, e, adapter), adapter, e)
            skips.append(x)
            x = down(x)
        x = r.cross(self.seq(r.middle, x, adapter, e), queries)
        for up, dec, ins, skip in zip(r.ups, r.decoders, r.dec_instr, skips[::-1]):
            x = self.seq(dec, self.instr(ins, up(x) + skip, e, adapter), adapter, e)
        bias = self.part(adapter, self.layout.ending)[None, :, None, None]
        out = x0 + r.ending(x) + bias
        return torch.clamp(out[:, :, :h, :w], 0.0, 1.0)


def restoration_loss(adapted, adapter, image, queries, target):
    """Mean squared error of the adapted output against the target (the gradient graph's loss)."""
    out = adapted(image, queries, adapter, pad=False)
    return ((out - target) ** 2).mean()  # written out: aten.mse_loss has no ONNX export
