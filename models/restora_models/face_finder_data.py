"""Training crops for the face finder: aged group-photo scenes made from portraits, with every face's box.

People: head-and-shoulders cuts of faces-flr portraits (people 013-102 train, 001-012 validate), feathered out of
their studio background with a soft head-and-shoulders shape, turned a little, narrowed (a face half turned away),
darkened (a face in a hat's shadow), sometimes under a drawn hat. Scenes: BSDS500 training photos (train + test)
at random scales; the places in them where the app's detector sees a possible face of their own
(models/data/bsds-scene-faces.json, models/tools/scene-faces.ts) are left out of the loss. Then the whole crop is
aged: monochrome or toned, faded, blurred, downscaled, grainy, JPEG-compressed, scratched and dusted
(damage_synth, blind_degradations). Face widths run from 9 to 80 px (log-uniform), so faces of 18-30 px, which
old group photos are full of, are well represented.

Box convention: the detector-style box from a face's 5 landmarks (eyes, nose, mouth corners): 2.2 eye distances
wide, from 0.85 eye-to-mouth heights above the eyes to 0.56 below the mouth, the proportions of the app's SSD
boxes on these portraits; the engine's merge and landmark steps expect boxes of that shape.
"""
import json
import math
import os

import numpy as np
from PIL import Image, ImageDraw, ImageFilter
from scipy.ndimage import gaussian_filter

from . import blind_degradations as bd
from . import damage_synth
from .data import MODELS_DIR, VAL_PEOPLE, bsds_files, data_root, use_pack
from .damage_synth import LUMA
from .face_finder_arch import STRIDE
from .pack import image_key

SPRITE = 192          # sprites are cut at this side; the face box is SPRITE / CUT wide
IGNORE_SCORE = 0.5    # a scene's own possible face is left out of the loss from this detector score; below it, the
                      # face-like texture SSD half-believes (windows, knots, folds) is background to learn to reject
CUT = 2.8             # sprite side in face-box widths (the portraits hold about 2.9)


def face_box(p):
    """(cx, top, w, h) of the detector-style box of 5 landmarks."""
    p = np.asarray(p, np.float64)
    eye_d = math.hypot(p[1, 0] - p[0, 0], p[1, 1] - p[0, 1])
    eye_y, mouth_y = (p[0, 1] + p[1, 1]) / 2, (p[3, 1] + p[4, 1]) / 2
    m = mouth_y - eye_y
    return p[:, 0].mean(), eye_y - 0.85 * m, 2.2 * eye_d, 2.41 * m


def _feather_mask(size, fw, fh, rng=None):
    """A head-and-shoulders alpha (size²) around a face box of fw x fh centred in the sprite."""
    big = size * 2
    m = Image.new("L", (big, big), 0)
    d = ImageDraw.Draw(m)
    c = big / 2
    k = 2
    hw = (0.56 if rng is None else rng.uniform(0.5, 0.62)) * fw * k   # head: the face and the hair above it
    d.ellipse([c - hw, c - 1.05 * fh * k, c + hw, c + 0.6 * fh * k], fill=255)
    sw = fw * k * (1.3 if rng is None else rng.uniform(1.1, 1.45))   # shoulders, as far as the portrait shows them
    top = c + 0.8 * fh * k
    d.ellipse([c - sw, top, c + sw, top + 2.0 * fh * k], fill=255)
    d.rectangle([c - 0.35 * fw * k, c, c + 0.35 * fw * k, top + fh * k], fill=255)   # neck
    m = m.resize((size, size), Image.BILINEAR).filter(ImageFilter.GaussianBlur(size * 0.025))
    return np.asarray(m, np.float32) / 255


def _pack_images(faces):
    """{name: PIL image} of the training pack's faces (at pack.FACE_SIDE px) or scenes; a lent GPU machine has no
    ../shared/data. Only training images are packed: validation there reuses a few of them (a sanity check)."""
    from .pack import load_sources
    return {name: img for img, is_face, name in load_sources(with_names=True) if is_face == faces and name}


def load_sprites(split, side=SPRITE):
    """[(rgba float32 side x side x 4, box (x, y, w, h) in sprite pixels)] for the split's portraits; alpha is 0
    where the cut runs past the portrait's edge."""
    with open(os.path.join(MODELS_DIR, "data", "faces-flr-landmarks.json")) as f:
        marks = json.load(f)
    root = data_root()
    packed = _pack_images(True) if use_pack() else None
    out = []
    for key, pts in sorted(marks.items()):
        if pts is None:
            continue
        pid = int(os.path.basename(key)[:3])
        if packed is None and (pid in VAL_PEOPLE) != (split == "val"):
            continue
        if packed is not None:
            if key not in packed or (split == "val" and len(out) >= 8):
                continue
            img = packed[key].resize((1350, 1350), Image.BICUBIC)   # back to the landmarks' pixels
        else:
            img = Image.open(os.path.join(root, "faces-flr", key)).convert("RGB")
        cx, top, w, h = face_box(pts)
        cy = top + h / 2
        half = CUT * w / 2
        x0, y0 = round(cx - half), round(cy - half)
        x1, y1 = x0 + round(2 * half), y0 + round(2 * half)
        crop = img.crop((x0, y0, x1, y1)).resize((side, side), Image.BOX)
        inside = Image.new("L", img.size, 255).crop((x0, y0, x1, y1)).resize((side, side), Image.BOX)
        k = side / (x1 - x0)
        fw, fh = w * k, h * k
        rgba = np.concatenate([np.asarray(crop, np.float32) / 255, np.asarray(inside, np.float32)[..., None] / 255], 2)
        out.append((rgba, (side / 2 - fw / 2, side / 2 - fh / 2, fw, fh)))
    return out


def load_scenes(split):
    """[(rgb uint8, [ignored boxes (x, y, w, h)])] of BSDS500 (train + test, or val)."""
    marks = {}
    path = os.path.join(MODELS_DIR, "data", "bsds-scene-faces.json")
    if os.path.exists(path):
        with open(path) as f:
            marks = json.load(f)
    if use_pack():
        scenes = sorted(_pack_images(False).items())
        scenes = scenes[-8:] if split == "val" else scenes
        return [(np.asarray(img), [b[:4] for b in marks.get(key, []) if b[4] >= IGNORE_SCORE]) for key, img in scenes]
    out = []
    for fpath in bsds_files(split):
        key = image_key(fpath)
        boxes = [b[:4] for b in marks.get(key, []) if b[4] >= IGNORE_SCORE]
        out.append((np.asarray(Image.open(fpath).convert("RGB")), boxes))
    return out


def _person(sprite, rng):
    """A sprite made into one person of the photo: (rgba float32, face box in its pixels)."""
    rgba, (bx, by, bw, bh) = sprite
    n = rgba.shape[0]
    alpha = _feather_mask(n, bw, bh, rng) * rgba[..., 3]
    x = rgba[..., :3].copy()
    if rng.random() < 0.45:                                   # in shadow (a hat's brim, the light from behind)
        x = x * rng.uniform(0.25, 0.75)
    elif rng.random() < 0.4:
        x = np.clip(0.5 + (x - 0.5) * rng.uniform(0.4, 0.9) + rng.uniform(-0.1, 0.15), 0, 1)
    if rng.random() < 0.45:                                   # a hat: crown and brim over the hair
        img = Image.fromarray((x * 255).astype(np.uint8))
        a = Image.fromarray((alpha * 255).astype(np.uint8))
        d, da = ImageDraw.Draw(img), ImageDraw.Draw(a)
        shade = tuple(int(v) for v in rng.integers(10, 90, 3)) if rng.random() < 0.8 else tuple(int(v) for v in rng.integers(150, 230, 3))
        brim_y = by + bh * rng.uniform(-0.05, 0.12)
        brim_w = bw * rng.uniform(0.6, 0.95)
        cx = bx + bw / 2
        crown_h = bh * rng.uniform(0.3, 0.7)
        for dd, col in ((d, shade), (da, 255)):
            dd.rectangle([cx - bw * 0.45, brim_y - crown_h, cx + bw * 0.45, brim_y], fill=col)
            dd.ellipse([cx - brim_w, brim_y - bh * 0.08, cx + brim_w, brim_y + bh * 0.08], fill=col)
        x = np.asarray(img, np.float32) / 255
        if rng.random() < 0.6:                                # the brim's shadow on the brow
            yy = np.arange(n, dtype=np.float32)[:, None]
            sh = np.clip((yy - brim_y) / (bh * 0.25), 0, 1)
            x = x * (0.45 + 0.55 * sh)[..., None]
        alpha = np.asarray(a, np.float32) / 255
    rgba = np.concatenate([x, alpha[..., None]], 2)
    ang = rng.uniform(-12, 12) if rng.random() < 0.7 else 0.0
    squash = rng.uniform(0.72, 1.0) if rng.random() < 0.4 else 1.0
    flip = rng.random() < 0.5
    im = Image.fromarray((rgba * 255).astype(np.uint8), "RGBA")
    if flip:
        im = im.transpose(Image.FLIP_LEFT_RIGHT)
    if squash != 1.0:
        w2 = max(8, round(n * squash))
        im = im.resize((w2, n), Image.BILINEAR)
        canvas = Image.new("RGBA", (n, n), (0, 0, 0, 0))
        canvas.paste(im, ((n - w2) // 2, 0))
        im = canvas
    if ang:
        im = im.rotate(ang, resample=Image.BILINEAR)
    fw = bw * squash
    fh = bh
    return im, (n / 2 - fw / 2, by, fw, fh)


def _scene_crop(scene, size, rng):
    """(rgb float32 size², ignored boxes in the crop's pixels) from a random scale and place of a scene."""
    img, boxes = scene
    h, w = img.shape[:2]
    s = math.exp(rng.uniform(math.log(max(size / min(h, w), 0.45)), math.log(2.2)))
    nh, nw = max(size, round(h * s)), max(size, round(w * s))
    sy, sx = nh / h, nw / w
    im = Image.fromarray(img).resize((nw, nh), Image.BILINEAR)
    y0, x0 = int(rng.integers(0, nh - size + 1)), int(rng.integers(0, nw - size + 1))
    crop = np.asarray(im.crop((x0, y0, x0 + size, y0 + size)), np.float32) / 255
    ign = [(bx * sx - x0, by * sy - y0, bw * sx, bh * sy) for bx, by, bw, bh in boxes]
    if rng.random() < 0.5:
        crop = crop[:, ::-1].copy()
        ign = [(size - x - bw, y, bw, bh) for x, y, bw, bh in ign]
    return crop, ign


def _age(x, rng):
    """An old photograph's look and damage on the composed crop (float32 HxWx3)."""
    if rng.random() < 0.7:
        x, _, _ = damage_synth.render(x, rng, present=(0.35, 0.35, 0.12, 0.08), look=True)
    else:
        x = damage_synth.old_look(x, rng)
    if rng.random() < 0.55:                                  # soft focus and motion: faces in group photos rarely are sharp
        sigma = rng.uniform(0.5, 2.8)
        x = gaussian_filter(x, (sigma, sigma, 0)).astype(np.float32)
    if rng.random() < 0.4:                                   # a small print scanned and enlarged
        h, w = x.shape[:2]
        f = rng.uniform(1.5, 3.5)
        im = Image.fromarray((np.clip(x, 0, 1) * 255 + 0.5).astype(np.uint8))
        im = im.resize((max(8, round(w / f)), max(8, round(h / f))), Image.BOX).resize((w, h), Image.BICUBIC)
        x = np.asarray(im, np.float32) / 255
    if rng.random() < 0.35:
        x = x + rng.normal(0, rng.uniform(0.01, 0.06), x.shape[:2]).astype(np.float32)[..., None]
    if rng.random() < 0.2:
        import torch
        t = bd.jpeg(torch.from_numpy(np.ascontiguousarray(np.clip(x, 0, 1).transpose(2, 0, 1))), int(rng.integers(25, 80)))
        x = t.numpy().transpose(1, 2, 0)
    return np.clip(x, 0, 1).astype(np.float32)


def compose(sprites, scenes, rng, size=192, min_face=9, max_face=80, max_people=9):
    """(luminance float32 size², faces [(x, y, w, h)], ignored [(x, y, w, h)]) of one aged crop."""
    x, ign = _scene_crop(scenes[int(rng.integers(len(scenes)))], size, rng)
    faces = []
    n = 0 if rng.random() < 0.15 else int(rng.integers(1, max_people + 1))
    rows = rng.random() < 0.5                                 # a posed group: a row of similar faces
    row_w = math.exp(rng.uniform(math.log(min_face), math.log(max_face)))
    row_y = rng.uniform(0.1, 0.7) * size
    placed = []
    for i in range(n):
        fw = row_w * rng.uniform(0.85, 1.15) if rows else math.exp(rng.uniform(math.log(min_face), math.log(max_face)))
        im, (bx, by, bw, bh) = _person(sprites[int(rng.integers(len(sprites)))], rng)
        k = fw / bw
        side = max(4, round(im.size[0] * k))
        im = im.resize((side, side), Image.BOX if k < 1 else Image.BILINEAR)
        bx, by, bw, bh = bx * k, by * k, bw * k, bh * k
        cx = rng.uniform(-0.1, 1.1) * size if not rows else (i + rng.uniform(0.2, 0.8)) * size / max(1, n) + rng.normal(0, 3)
        cy = rng.uniform(-0.05, 1.0) * size if not rows else row_y + rng.normal(0, fw * 0.2)
        ox, oy = round(cx - (bx + bw / 2)), round(cy - (by + bh / 2))
        box = (ox + bx, oy + by, bw, bh)
        # a later person in front covers earlier ones: drop faces mostly hidden behind the new one
        arr = np.asarray(im, np.float32) / 255
        a = arr[..., 3:4]
        ys0, xs0 = max(0, oy), max(0, ox)
        ys1, xs1 = min(size, oy + side), min(size, ox + side)
        if ys1 <= ys0 or xs1 <= xs0:
            continue
        sub = arr[ys0 - oy:ys1 - oy, xs0 - ox:xs1 - ox]
        x[ys0:ys1, xs0:xs1] = x[ys0:ys1, xs0:xs1] * (1 - sub[..., 3:4]) + sub[..., :3] * sub[..., 3:4]
        cover = np.zeros((size, size), np.float32)
        cover[ys0:ys1, xs0:xs1] = sub[..., 3]
        kept = []
        for f in placed:
            fx0, fy0 = max(0, int(f[0])), max(0, int(f[1]))
            fx1, fy1 = min(size, int(f[0] + f[2]) + 1), min(size, int(f[1] + f[3]) + 1)
            hidden = cover[fy0:fy1, fx0:fx1].mean() if fx1 > fx0 and fy1 > fy0 else 1.0
            if hidden < 0.35:
                kept.append(f)
            elif hidden < 0.7:
                ign.append(f)
        placed = kept + [box]
        del a
    for f in placed:
        inside = (max(0.0, min(size, f[0] + f[2]) - max(0.0, f[0])) * max(0.0, min(size, f[1] + f[3]) - max(0.0, f[1]))) / (f[2] * f[3])
        (faces if inside >= 0.6 else ign).append(f)
    x = _age(x, rng)
    return (x @ LUMA).astype(np.float32), faces, ign


def targets(faces, ignored, size):
    """Heat map [1,g,g], its loss weight [1,g,g], size [2,g,g] (log cells), offset [2,g,g], and the mask of
    cells that carry a box [1,g,g], for a crop of side `size` (g = size / STRIDE)."""
    g = size // STRIDE
    heat = np.zeros((g, g), np.float32)
    weight = np.ones((g, g), np.float32)
    wh = np.zeros((2, g, g), np.float32)
    off = np.zeros((2, g, g), np.float32)
    has = np.zeros((g, g), np.float32)
    yy, xx = np.mgrid[0:g, 0:g].astype(np.float32)
    for bx, by, bw, bh in ignored:
        x0, y0 = int(max(0, bx / STRIDE)), int(max(0, by / STRIDE))
        x1, y1 = int(min(g, math.ceil((bx + bw) / STRIDE))), int(min(g, math.ceil((by + bh) / STRIDE)))
        weight[y0:y1, x0:x1] = 0
    for bx, by, bw, bh in faces:
        cx, cy = (bx + bw / 2) / STRIDE, (by + bh / 2) / STRIDE
        gx, gy = int(min(g - 1, max(0, math.floor(cx)))), int(min(g - 1, max(0, math.floor(cy))))
        sigma = max(0.5, (bw / STRIDE) / 6)
        heat = np.maximum(heat, np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * sigma ** 2)))
        wh[:, gy, gx] = (math.log(bw / STRIDE), math.log(bh / STRIDE))
        off[:, gy, gx] = (cx - gx, cy - gy)
        has[gy, gx] = 1
        heat[gy, gx] = 1
        weight[gy, gx] = 1
    return heat[None], weight[None], wh, off, has[None]


def batch(sprites, scenes, rng, n, size):
    import torch
    ys, hs, ws, whs, offs, hass = [], [], [], [], [], []
    for _ in range(n):
        y, faces, ign = compose(sprites, scenes, rng, size)
        h, w, wh, off, has = targets(faces, ign, size)
        ys.append(y[None]); hs.append(h); ws.append(w); whs.append(wh); offs.append(off); hass.append(has)
    t = lambda a: torch.from_numpy(np.stack(a))
    return t(ys), t(hs), t(ws), t(whs), t(offs), t(hass)


def val_set(n=48, size=256, seed=7):
    """Fixed validation crops from held-out people on BSDS500 val scenes: [(luminance, faces, ignored)]."""
    rng = np.random.default_rng(seed)
    sprites, scenes = load_sprites("val"), load_scenes("val")
    return [compose(sprites, scenes, rng, size) for _ in range(n)]
