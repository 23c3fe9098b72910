"""Inputs for preference optimisation of the refiner: degraded crops, their ground truth, and the restorer-2.0
output the refiner starts from.

Degradations are degradations.py's recipes (medium and severe) without scratches and dust: those are the damage
detector's and inpainter's job before the restorer, and neither the restorer nor the refiner removes them, so
keeping them would only add the same unreachable error to every candidate. The ground truth keeps the photo's look
(the recipe's fade, monochrome and cast applied to the clean image): restorer 2.0 keeps tone unless asked, and
so must the refiner ("no colour shift").

Held out: bsds500/val (a central crop of each image) and faces-flr people 001-012 (template-aligned face crops,
face_data.py: the whole face, as the app's face pipeline sees it), seeds 50000 + i (bsds) / 60000 + i (faces).
"""
import os

import numpy as np
import torch

from .degradations import apply_recipe, sample_recipe

LOOK = {"fade", "mono", "cast"}
DROPPED = {"scratches", "dust"}


def degrade(clean, seed, severity):
    """clean HWC float32 0..1 -> (degraded, target), both HWC float32."""
    r = sample_recipe(seed, severity)
    r = dict(r, ops=[o for o in r["ops"] if o["op"] not in DROPPED])
    return apply_recipe(clean, r), apply_recipe(clean, r, keep=LOOK)


def chw(a):
    return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32)).permute(2, 0, 1).contiguous()


@torch.no_grad()
def restore(integ, rest, tok, deg):
    """(queries, restorer output) for degraded crops [B,3,H,W] under the empty instruction (the app's default),
    the queries decoded from the crops themselves as train_restorer steers restorer 2."""
    from .train_restorer import steering
    q = steering(integ, tok, deg, [""] * len(deg))
    return q, rest(deg, q)


class TrainInputs:
    """Random training inputs: crops of the patch cache (bsds500 train/test, faces-flr 013-102), a severity from
    `severity_mix`, a recipe from `seed_base + counter` (never the held-out seeds)."""

    def __init__(self, cfg, patches, is_face, seed):
        self.cfg, self.patches = cfg, patches
        self.faces, self.other = np.nonzero(is_face)[0], np.nonzero(~is_face)[0]
        self.rng = np.random.default_rng(seed)
        self.counter = seed * 100003

    def one(self, size):
        face = self.rng.random() < self.cfg["face_fraction"] and len(self.faces)
        pool = self.faces if face else self.other
        p = np.asarray(self.patches[pool[self.rng.integers(len(pool))]])
        y, x = self.rng.integers(0, p.shape[0] - size + 1), self.rng.integers(0, p.shape[1] - size + 1)
        clean = p[y:y + size, x:x + size].astype(np.float32) / 255.0
        if self.rng.random() < 0.5:
            clean = clean[:, ::-1]
        sev = self.rng.choice(list(self.cfg["severity_mix"]), p=list(self.cfg["severity_mix"].values()))
        self.counter += 1
        deg, gt = degrade(clean, 1_000_000 + self.counter, sev)
        return chw(deg), chw(gt), bool(face)

    def batch(self, n, size):
        s = [self.one(size) for _ in range(n)]
        return torch.stack([a for a, _, _ in s]), torch.stack([b for _, b, _ in s]), torch.tensor([f for _, _, f in s])


def heldout(n_bsds, n_faces, size, severities=("medium", "severe")):
    """Held-out inputs: list of dict(name, severity, deg, gt [3,S,S], is_face)."""
    from .data import val_images
    from .face_data import MARGIN, aligned_cache
    out = []
    bsds = val_images("bsds")[:n_bsds]
    faces = []
    if n_faces:
        crops, ids = aligned_cache(size, "val")
        faces = [c[MARGIN:MARGIN + size, MARGIN:MARGIN + size] for c in crops[:n_faces]]
    for sev in severities:
        for i, im in enumerate(bsds):
            y, x = (im.shape[0] - size) // 2, (im.shape[1] - size) // 2
            deg, gt = degrade(im[y:y + size, x:x + size].astype(np.float32) / 255.0, 50000 + i, sev)
            out.append(dict(name=f"bsds-{i}", severity=sev, deg=chw(deg), gt=chw(gt), is_face=False))
        for i, im in enumerate(faces):
            deg, gt = degrade(im.astype(np.float32) / 255.0, 60000 + i, sev)
            out.append(dict(name=f"face-{i}", severity=sev, deg=chw(deg), gt=chw(gt), is_face=True))
    return out


def have_shared_data():
    from .data import data_root
    return os.path.isdir(data_root())
