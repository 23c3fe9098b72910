"""Training/validation data from ../shared/data (env RESTORA_DATA overrides).

Splits: faces-flr people 001-012 are validation only; 013-102 (neutral + smiling)
train. bsds500 train+test train, val validates. Training reads a patch cache
(uint8 [N,S,S,3] .npy under models/.cache/) so the loop never decodes JPEGs.
"""
import glob
import os
import random

import numpy as np
from PIL import Image

MODELS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VAL_PEOPLE = set(range(1, 13))


def data_root():
    return os.environ.get("RESTORA_DATA") or os.path.join(MODELS_DIR, "..", "..", "shared", "data")


def face_files(split):
    root = data_root()
    out = []
    for sub in ("neutral_front", "smiling_front"):
        for f in sorted(glob.glob(os.path.join(root, "faces-flr", sub, "*.jpg"))):
            pid = int(os.path.basename(f)[:3])
            if (pid in VAL_PEOPLE) == (split == "val"):
                out.append(f)
    return out


def bsds_files(split):
    root = data_root()
    subs = ("train", "test") if split == "train" else ("val",)
    return sorted(f for s in subs for f in glob.glob(os.path.join(root, "bsds500", s, "*.jpg")))


def load_rgb(path, long_side=None):
    img = Image.open(path).convert("RGB")
    if long_side:
        s = long_side / max(img.size)
        img = img.resize((max(1, round(img.size[0] * s)), max(1, round(img.size[1] * s))), Image.BICUBIC)
    return np.asarray(img)


def _crops(img, n, size, rng):
    h, w = img.shape[:2]
    out = []
    for _ in range(n):
        y, x = rng.randint(0, h - size), rng.randint(0, w - size)
        c = img[y:y + size, x:x + size]
        if rng.random() < 0.5:
            c = c[:, ::-1]
        out.append(np.ascontiguousarray(c))
    return out


def build_patches(size=128, face_crops=36, bsds_crops=24, seed=0, max_files=None):
    """Random crops: faces at several scales (whole-face structure to skin detail),
    bsds at native and 0.7x scale. Returns (uint8 [N,S,S,3], is_face bool [N])."""
    rng = random.Random(seed)
    patches, is_face = [], []
    if use_pack():
        from .pack import load_sources
        src = load_sources()
        faces = [im for im, face in src if face]
        bsds = [im for im, face in src if not face]
    else:
        faces, bsds = face_files("train"), bsds_files("train")
    if max_files:
        faces, bsds = faces[:max_files], bsds[:max_files]
    opened = lambda f: f if isinstance(f, Image.Image) else Image.open(f).convert("RGB")
    for f in faces:
        full = opened(f)
        for side in (256, 384, 576):
            img = np.asarray(full.resize((side, side), Image.BICUBIC))
            cs = _crops(img, face_crops // 3, size, rng)
            patches += cs
            is_face += [True] * len(cs)
    for f in bsds:
        full = opened(f)
        for s in (1.0, 0.7):
            img = np.asarray(full.resize((round(full.size[0] * s), round(full.size[1] * s)), Image.BICUBIC))
            cs = _crops(img, bsds_crops // 2, size, rng)
            patches += cs
            is_face += [False] * len(cs)
    return np.stack(patches), np.array(is_face)


def use_pack():
    """Build crops from models/pack/ when asked to, or when the shared data is missing."""
    from .pack import PACK
    return os.path.exists(PACK) and (os.environ.get("RESTORA_PACK") == "1" or not os.path.isdir(data_root()))


def patch_cache(size=128, max_files=None):
    """Load or build the cached patch array."""
    d = os.path.join(MODELS_DIR, ".cache")
    os.makedirs(d, exist_ok=True)
    tag = f"patches_{size}_{max_files or 'all'}" + ("_pack" if use_pack() else "")
    p, q = os.path.join(d, tag + ".npy"), os.path.join(d, tag + "_face.npy")
    if not os.path.exists(p):
        x, f = build_patches(size, max_files=max_files)
        np.save(p + ".tmp.npy", x)
        np.save(q, f)
        os.replace(p + ".tmp.npy", p)
    return np.load(p, mmap_mode="r"), np.load(q)


def val_images(kind, long_side=None):
    """Full validation images (uint8 HWC): kind 'bsds' (bsds500/val) or 'faces' (people 001-012, 512px)."""
    if kind == "bsds":
        return [load_rgb(f, long_side) for f in bsds_files("val")]
    return [load_rgb(f, long_side or 512) for f in face_files("val")]
