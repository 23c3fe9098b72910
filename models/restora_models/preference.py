"""A small learned preference model: a CNN that scores an image (optionally beside its restorer output, `cond`)
so that a preferred image scores above a rejected one (Bradley-Terry: P(a > b) = sigmoid(s(a) - s(b))).

Pairs come from two sources:
- synthetic, from ground truth. The rule: of two versions of the same clean crop, the one closer to the clean
  photo is preferred: the clean crop itself (half the time) or a *mild* artefact of one kind, against a *strong*
  artefact of one kind — blur (Gaussian sigma 0.8-2.5 px), noise (sigma 4-16 /255), a colour shift (per-channel
  gains of 6-15 % or a 30-70 % sepia mix), over-sharpening (unsharp mask, amount 1-3) or JPEG (quality 10-35).
  Blur and over-sharpening both lose, so the model cannot learn "sharper is better" or "smoother is better".
- the user's A/B picks (the Fine-tune tab's `picks`: input photo, instructionA, instructionB, choice 'a' | 'b' |
  'neither'), rendered by the restorer under each instruction; the chosen rendering is preferred. 'neither' and
  contradictory picks (both A and B chosen for the same input and pair) are dropped, as the app does.
"""
import json
import os
from dataclasses import asdict, dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from .degradations import SEPIA, _jpeg
from .rewards import gaussian_blur

KINDS = ("blur", "noise", "colour", "oversharp", "jpeg")


@dataclass
class PreferenceConfig:
    width: int = 16
    use_cond: bool = False   # also see the restorer output (the score can then judge the change it made)

    def to_dict(self):
        return asdict(self)


class PreferenceNet(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        w = cfg.width
        cin = 6 if cfg.use_cond else 3
        act = nn.GELU
        self.body = nn.Sequential(nn.Conv2d(cin, w, 3, padding=1), act(),
                                  nn.Conv2d(w, 2 * w, 3, stride=2, padding=1), act(),
                                  nn.Conv2d(2 * w, 2 * w, 3, padding=1), act(),
                                  nn.Conv2d(2 * w, 4 * w, 3, stride=2, padding=1), act(),
                                  nn.Conv2d(4 * w, 4 * w, 3, stride=2, padding=1), act())
        self.head = nn.Sequential(nn.Linear(8 * w, 32), act(), nn.Linear(32, 1))

    def forward(self, img, cond=None):
        """img [B,3,H,W] 0..1 (cond: the restorer output, when use_cond) -> score [B]."""
        x = img * 2 - 1
        if self.cfg.use_cond:
            x = torch.cat([x, (img - cond) * 10], 1)
        f = self.body(x)
        return self.head(torch.cat([f.mean((2, 3)), f.std((2, 3))], 1))[:, 0]

    @torch.no_grad()
    def score(self, img, cond=None):
        return self(img, cond)


def bt_loss(s_pref, s_rej):
    """Bradley-Terry negative log-likelihood that the preferred one wins."""
    return F.softplus(-(s_pref - s_rej)).mean()


def load(path):
    st = torch.load(path, map_location="cpu")
    net = PreferenceNet(PreferenceConfig(**st["cfg"]))
    net.load_state_dict(st["model"])
    return net.eval(), st


# --- synthetic pairs -------------------------------------------------------------------------------------------

def artefact(x, kind, strong, rng):
    """x [3,H,W] 0..1 with one artefact of `kind`, strong or mild (see the module docstring)."""
    u = lambda a, b: float(rng.uniform(a, b))
    if kind == "blur":
        return gaussian_blur(x[None], u(0.8, 2.5) if strong else u(0.3, 0.5))[0]
    if kind == "noise":
        return (x + torch.from_numpy(rng.standard_normal(x.shape).astype(np.float32)) * (u(4, 16) if strong else u(0, 1.5)) / 255).clamp(0, 1)
    if kind == "colour":
        if strong and rng.random() < 0.4:
            sep = torch.einsum("ij,jhw->ihw", torch.from_numpy(SEPIA), x)
            return (x + u(0.3, 0.7) * (sep - x)).clamp(0, 1)
        g = torch.from_numpy(rng.choice([-1.0, 1.0], 3) * (rng.uniform(0.06, 0.15, 3) if strong else rng.uniform(0, 0.01, 3))).float()
        return (x * (1 + g.view(3, 1, 1))).clamp(0, 1)
    if kind == "oversharp":
        return (x + (u(1.0, 3.0) if strong else u(0.0, 0.15)) * (x - gaussian_blur(x[None], 1.0)[0])).clamp(0, 1)
    if kind == "jpeg":
        q = int(rng.integers(10, 36)) if strong else 92
        return torch.from_numpy(_jpeg(x.permute(1, 2, 0).numpy(), {"quality": q})).permute(2, 0, 1).contiguous()
    raise ValueError(kind)


def synthetic_pair(clean, rng):
    """(preferred, rejected, kind of the rejected one) from a clean crop [3,H,W]."""
    kind = KINDS[rng.integers(len(KINDS))]
    pref = clean if rng.random() < 0.5 else artefact(clean, KINDS[rng.integers(len(KINDS))], False, rng)
    return pref, artefact(clean, kind, True, rng), kind


def stand_in_cond(clean):
    """For synthetic pairs when use_cond: a posterior-mean-like stand-in for the restorer output (a soft copy)."""
    return gaussian_blur(clean[None], 1.0)[0]


# --- the user's picks ------------------------------------------------------------------------------------------

def load_picks(path):
    """Usable picks from a JSON file: a list of picks or an object with "picks" (a fine-tuning run's
    config.json). Returns (picks, notes)."""
    raw = json.load(open(path))
    picks = raw.get("picks", []) if isinstance(raw, dict) else raw
    notes, seen, out = [], {}, []
    for p in picks:
        choice = str(p.get("choice", "")).lower()
        if choice not in ("a", "b", "neither") or not p.get("input"):
            notes.append(f"skipped a malformed pick: {json.dumps(p)[:120]}")
            continue
        if choice == "neither":
            continue
        key = (p["input"], p.get("instructionA", ""), p.get("instructionB", ""))
        seen.setdefault(key, set()).add(choice)
        out.append(dict(p, choice=choice))
    bad = {k for k, v in seen.items() if len(v) > 1}
    if bad:
        notes.append(f"dropped contradictory picks for {sorted(os.path.basename(k[0]) for k in bad)}")
    return [p for p in out if (p["input"], p.get("instructionA", ""), p.get("instructionB", "")) not in bad], notes


def render_picks(picks, base, side=256):
    """[(preferred, rejected, cond)] tensors [3,H,W]: each pick's input rendered by the restorer under
    instructionA and instructionB (cond: under the empty instruction). base: (integ, rest, tok)."""
    from .data import load_rgb
    from .pipeline import restore
    integ, rest, tok = base
    out = []
    for p in picks:
        img = load_rgb(p["input"], side).astype(np.float32) / 255.0
        t = lambda text: torch.from_numpy(restore(integ, rest, tok, img, text)[0]).permute(2, 0, 1).contiguous()
        a, b = t(p.get("instructionA", "")), t(p.get("instructionB", ""))
        out.append((a, b, t("")) if p["choice"] == "a" else (b, a, t("")))
    return out


def random_crop(x, size, rng):
    h, w = x.shape[1:]
    if h <= size and w <= size:
        return x
    y, z = int(rng.integers(0, max(1, h - size + 1))), int(rng.integers(0, max(1, w - size + 1)))
    return x[:, y:y + size, z:z + size]


def accuracy(net, pairs, batch=64):
    """Fraction of pairs (preferred, rejected, cond) the model orders correctly."""
    right = 0
    for i in range(0, len(pairs), batch):
        chunk = pairs[i:i + batch]
        p = torch.stack([c[0] for c in chunk])
        r = torch.stack([c[1] for c in chunk])
        c = torch.stack([c[2] for c in chunk]) if net.cfg.use_cond else None
        right += int((net.score(p, c) > net.score(r, c)).sum())
    return right / max(1, len(pairs))


def n_params(net):
    return int(sum(p.numel() for p in net.parameters()))

