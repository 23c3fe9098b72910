"""Aligned face crops for the face restorer: faces-flr portraits cut to the engine's template.

The engine (electron/engine/faces/align.ts) aligns every detected face with a similarity transform from its 5
landmarks (eye centres, nose tip, mouth corners) to the FFHQ template GFPGAN and CodeFormer use, scaled to the
crop size; the restorer then sees that crop. Training crops are made the same way from the landmarks the app's
own detector found on each portrait (models/data/faces-flr-landmarks.json, written by
`node --import tsx models/tools/face-landmarks.ts`), so training and inference agree on where the eyes are.

Each cached crop carries a margin of `MARGIN` px on every side, so the trainer can jitter the alignment by a
few pixels (the detector's landmarks on a damaged face are not exact) without going outside the crop.
People 001-012 are held out (validation and benchmarks only); 013-102, neutral and smiling, train.
"""
import json
import os

import numpy as np
from PIL import Image

from .data import MODELS_DIR, VAL_PEOPLE, data_root

TEMPLATE_512 = np.array([[192.98138, 239.94708], [318.90277, 240.1936], [256.63416, 314.01935],
                         [201.26117, 371.41043], [313.08905, 371.15118]], np.float64)
LANDMARKS = os.path.join(MODELS_DIR, "data", "faces-flr-landmarks.json")
MARGIN = 16


def similarity(src, dst):
    """Least-squares similarity (rotation, uniform scale, translation) mapping src points to dst: 2x3 matrix."""
    src, dst = np.asarray(src, np.float64), np.asarray(dst, np.float64)
    ms, md = src.mean(0), dst.mean(0)
    p, q = src - ms, dst - md
    den = (p ** 2).sum()
    a = (p * q).sum() / den
    b = (p[:, 0] * q[:, 1] - p[:, 1] * q[:, 0]).sum() / den
    m = np.array([[a, -b, 0.0], [b, a, 0.0]])
    m[:, 2] = md - m[:, :2] @ ms
    return m


def align(img, points, size, margin=0):
    """The (size + 2 margin)² crop of `img` (PIL RGB) whose inner size² square is the template-aligned face.
    Shrinks the photo first (box filter) so the warp does not alias when a big face becomes a small crop."""
    m = similarity(points, TEMPLATE_512 * size / 512 + margin)
    scale = float(np.sqrt(abs(np.linalg.det(m[:, :2]))))
    if scale < 0.5:
        k = scale * 1.5
        img = img.resize((max(1, round(img.size[0] * k)), max(1, round(img.size[1] * k))), Image.BOX)
        m = m @ np.diag([1 / k, 1 / k, 1.0])
    inv = np.linalg.inv(np.vstack([m, [0, 0, 1]]))[:2]
    out = size + 2 * margin
    # Pillow maps output pixel centres (x + 0.5, y + 0.5) through inv in continuous coordinates, as the engine does
    data = tuple(inv.reshape(-1))
    return np.asarray(img.transform((out, out), Image.AFFINE, data, resample=Image.BICUBIC))


def landmarks():
    with open(LANDMARKS) as f:
        return json.load(f)


def face_items(split):
    """[(relative path, person id, 5 points)] for 'train' (013-102) or 'val' (001-012), neutral and smiling."""
    out = []
    for rel, pts in sorted(landmarks().items()):
        if pts is None:
            continue
        pid = int(os.path.basename(rel)[:3])
        if (pid in VAL_PEOPLE) == (split == "val"):
            out.append((rel, pid, pts))
    return out


def aligned_cache(size, split="train", max_files=None):
    """uint8 [N, size+2M, size+2M, 3] aligned faces (cached under models/.cache/) and person ids [N]."""
    d = os.path.join(MODELS_DIR, ".cache")
    os.makedirs(d, exist_ok=True)
    tag = f"faces_aligned_{size}_{split}_{max_files or 'all'}"
    p, q = os.path.join(d, tag + ".npy"), os.path.join(d, tag + "_ids.npy")
    if not os.path.exists(p):
        items = face_items(split)[:max_files] if max_files else face_items(split)
        crops, ids = [], []
        for rel, pid, pts in items:
            img = Image.open(os.path.join(data_root(), "faces-flr", rel)).convert("RGB")
            crops.append(align(img, pts, size, MARGIN))
            ids.append(pid)
        np.save(q, np.array(ids, np.int32))
        np.save(p + ".tmp.npy", np.stack(crops))
        os.replace(p + ".tmp.npy", p)
    return np.load(p), np.load(q)


def aligned_patches(size=128, scales=(448, 512, 576), per_face=32, split="train", seed=0, max_files=None):
    """Training crops for the face restorer: `size`² pieces of faces aligned as the engine aligns them
    (the 512 template, and ±12 % around it for the detector's scale error), centred anywhere from brow to chin
    and cheek to cheek. uint8 [N, size, size, 3] and a face flag per crop (all True), cached under models/.cache/."""
    import random
    d = os.path.join(MODELS_DIR, ".cache")
    os.makedirs(d, exist_ok=True)
    tag = f"faces_patches_{size}_{split}_{'-'.join(map(str, scales))}_{per_face}_{seed}_{max_files or 'all'}"
    p = os.path.join(d, tag + ".npy")
    if not os.path.exists(p):
        rng = random.Random(seed)
        out = []
        for s in scales:
            crops, _ = aligned_cache(s, split, max_files)
            for c in crops:
                for _ in range(per_face):
                    cy = MARGIN + rng.uniform(0.22, 0.82) * s
                    cx = MARGIN + rng.uniform(0.2, 0.8) * s
                    y = int(min(max(0, round(cy - size / 2)), c.shape[0] - size))
                    x = int(min(max(0, round(cx - size / 2)), c.shape[1] - size))
                    out.append(c[y:y + size, x:x + size])
        np.save(p + ".tmp.npy", np.stack(out))
        os.replace(p + ".tmp.npy", p)
    x = np.load(p, mmap_mode="r")
    return x, np.ones(len(x), bool), tag
