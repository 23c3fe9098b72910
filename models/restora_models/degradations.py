"""Synthetic degradations: the standard blind pipeline plus old-photo damage.

sample_recipe(seed, severity) draws every parameter from mulberry32 in the fixed
order documented in models/degradations.md; apply_recipe(img, recipe, keep=...)
renders it. Rendering a recipe restricted to a subset of ops gives the component
images the instruction targets need (e.g. clean + the same grain only).
Images are float32 HWC RGB in [0, 1].
"""
import io
import math

import numpy as np
from PIL import Image, ImageDraw
from scipy.signal import fftconvolve
from scipy.ndimage import gaussian_filter

from .prng import Mulberry32, gaussian_block, uniform_block

SEVERITIES = ("light", "medium", "severe")
# Application order. Pixel noise of an op comes from its own seed, so dropping
# an op never changes the randomness of the others.
OP_ORDER = ("grain", "blur", "downsample", "fade", "mono", "cast",
            "scratches", "dust", "noise", "jpeg")

# Per severity: probability that an op is on, and parameter ranges.
RANGES = {
    "light": dict(p=dict(grain=.35, blur=.6, downsample=.4, fade=.35, mono=.25, cast=.35,
                         scratches=.3, dust=.3, noise=.6, jpeg=.6),
                  sigma=(0.2, 1.0), r=(1.0, 1.5), delta=(1.0, 5.0), q=(70, 95),
                  grain=(0.015, 0.035), fade=(0.1, 0.35), cast=(0.2, 0.5),
                  scratches=(1, 3), dust=(5, 25)),
    "medium": dict(p=dict(grain=.4, blur=.75, downsample=.6, fade=.5, mono=.3, cast=.5,
                          scratches=.5, dust=.5, noise=.8, jpeg=.8),
                   sigma=(0.5, 2.0), r=(1.0, 2.5), delta=(3.0, 12.0), q=(45, 85),
                   grain=(0.025, 0.06), fade=(0.2, 0.6), cast=(0.3, 0.8),
                   scratches=(2, 6), dust=(15, 60)),
    "severe": dict(p=dict(grain=.45, blur=.9, downsample=.8, fade=.6, mono=.35, cast=.6,
                          scratches=.7, dust=.7, noise=.9, jpeg=.9),
                   sigma=(1.0, 4.0), r=(1.5, 4.0), delta=(8.0, 20.0), q=(30, 60),
                   grain=(0.04, 0.09), fade=(0.4, 0.85), cast=(0.5, 1.0),
                   scratches=(4, 10), dust=(40, 120)),
}
DAMAGE_TYPES = ("scratches", "noise", "blur", "jpeg", "fade", "cast", "grain", "mono")


def _r(x, n=5):
    return round(float(x), n)


def sample_recipe(seed, severity):
    """Ordered list of ops with parameters; every draw from Mulberry32(seed)."""
    cfg = RANGES[severity]
    g = Mulberry32(seed)
    ops = []
    for name in OP_ORDER:
        on = g.next() < cfg["p"][name]  # always exactly one draw per op
        if not on:
            continue
        op = {"op": name}
        if name == "grain":
            op["amount"] = _r(g.uniform(*cfg["grain"]))
            op["size"] = _r(g.uniform(0.4, 1.2))
            op["seed"] = g.seed32()
        elif name == "blur":
            s1 = g.uniform(*cfg["sigma"])
            aniso = g.next() < 0.3
            s2 = g.uniform(*cfg["sigma"]) if aniso else s1
            theta = g.uniform(0.0, math.pi) if aniso else 0.0
            op.update(sigma_x=_r(s1), sigma_y=_r(s2), theta=_r(theta))
        elif name == "downsample":
            op["r"] = _r(g.uniform(*cfg["r"]))
        elif name == "fade":
            op["amount"] = _r(g.uniform(*cfg["fade"]))
        elif name == "mono":
            pass
        elif name == "cast":
            sepia = g.next() < 0.5
            op["kind"] = "sepia" if sepia else "tint"
            op["strength"] = _r(g.uniform(*cfg["cast"]))
            op["gains"] = [_r(g.uniform(-0.15, 0.15)) for _ in range(3)]
        elif name == "scratches":
            n = g.randint(*cfg["scratches"])
            lines = []
            for _ in range(n):
                lines.append(dict(x=_r(g.next()), y=_r(g.next()), angle=_r(g.uniform(0, math.pi)),
                                  length=_r(g.uniform(0.2, 1.0)), bend=_r(g.uniform(-0.15, 0.15)),
                                  width=_r(g.uniform(0.6, 2.2)), bright=g.next() < 0.7,
                                  opacity=_r(g.uniform(0.4, 0.95))))
            op["lines"] = lines
        elif name == "dust":
            op["count"] = g.randint(*cfg["dust"])
            op["seed"] = g.seed32()
        elif name == "noise":
            op["sigma"] = _r(g.uniform(*cfg["delta"]) / 255.0, 6)
            op["gray"] = g.next() < 0.3
            op["seed"] = g.seed32()
        elif name == "jpeg":
            op["quality"] = g.randint(*cfg["q"])
        ops.append(op)
    return {"seed": int(seed), "severity": severity, "ops": ops}


def labels(recipe):
    """Per damage type, how strongly it was applied (0..1)."""
    lab = {k: 0.0 for k in DAMAGE_TYPES}
    for op in recipe["ops"]:
        n = op["op"]
        if n == "grain":
            lab["grain"] = min(1.0, op["amount"] / 0.09)
        elif n == "blur":
            lab["blur"] = max(lab["blur"], min(1.0, max(op["sigma_x"], op["sigma_y"]) / 4.0))
        elif n == "downsample":
            lab["blur"] = max(lab["blur"], min(1.0, (op["r"] - 1.0) / 3.0))
        elif n == "fade":
            lab["fade"] = op["amount"]
        elif n == "mono":
            lab["mono"] = 1.0
        elif n == "cast":
            lab["cast"] = op["strength"]
        elif n == "scratches":
            lab["scratches"] = max(lab["scratches"], min(1.0, len(op["lines"]) / 8.0))
        elif n == "dust":
            lab["scratches"] = max(lab["scratches"], min(1.0, op["count"] / 100.0))
        elif n == "noise":
            lab["noise"] = min(1.0, op["sigma"] * 255.0 / 20.0)
        elif n == "jpeg":
            lab["jpeg"] = min(1.0, (95 - op["quality"]) / 65.0)
    return {k: round(v, 4) for k, v in lab.items()}


LUMA = (0.299, 0.587, 0.114)
FADE_LEVEL = (0.95, 0.92, 0.85)   # the warm level fading lifts towards (_fade)


def luminance(x):
    return x[..., 0] * LUMA[0] + x[..., 1] * LUMA[1] + x[..., 2] * LUMA[2]


def _gauss_kernel(sx, sy, theta):
    rad = min(20, int(math.ceil(3.0 * max(sx, sy))))
    ax = np.arange(-rad, rad + 1, dtype=np.float64)
    xx, yy = np.meshgrid(ax, ax)
    c, s = math.cos(theta), math.sin(theta)
    u, v = c * xx + s * yy, -s * xx + c * yy
    k = np.exp(-0.5 * ((u / sx) ** 2 + (v / sy) ** 2))
    return (k / k.sum()).astype(np.float32)


def _resize(x, w, h):
    chans = [np.asarray(Image.fromarray(x[..., c], mode="F").resize((w, h), Image.BILINEAR))
             for c in range(3)]
    return np.stack(chans, -1).astype(np.float32)


def _grain(x, op):
    h, w = x.shape[:2]
    field = gaussian_block(op["seed"], h * w).reshape(h, w).astype(np.float32)
    field = gaussian_filter(field, op["size"])
    field /= field.std() + 1e-6
    y = luminance(x)
    return x + (op["amount"] * field * (0.4 + 2.4 * y * (1.0 - y)))[..., None]


def _blur(x, op):
    k = _gauss_kernel(op["sigma_x"], op["sigma_y"], op["theta"])
    pad = k.shape[0] // 2
    xp = np.pad(x, ((pad, pad), (pad, pad), (0, 0)), mode="reflect")
    return np.stack([fftconvolve(xp[..., c], k, mode="valid") for c in range(3)], -1).astype(np.float32)


def _fade(x, op):
    a = op["amount"]
    x = 0.5 + (x - 0.5) * (1.0 - 0.55 * a)          # lose contrast
    return x * (1.0 - 0.25 * a) + 0.25 * a * np.array(FADE_LEVEL, np.float32)  # lift + yellow


def _mono(x):
    return np.repeat(luminance(x)[..., None], 3, -1)


SEPIA = np.array([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]], np.float32)


def _cast(x, op):
    s = op["strength"]
    if op["kind"] == "sepia":
        toned = x @ SEPIA.T
    else:
        toned = x * (1.0 + np.array(op["gains"], np.float32) * 2.0)
    return x + s * (toned - x)


def _scratches(x, op):
    h, w = x.shape[:2]
    ss = 2  # draw supersampled for soft edges
    scale = max(h, w)
    out = x
    for ln in op["lines"]:
        m = Image.new("L", (w * ss, h * ss), 0)
        d = ImageDraw.Draw(m)
        cx, cy = ln["x"] * w, ln["y"] * h
        L = ln["length"] * scale
        dx, dy = math.cos(ln["angle"]), math.sin(ln["angle"])
        pts = []
        for i in range(17):
            t = i / 16.0 - 0.5
            off = ln["bend"] * L * (1.0 - 4.0 * t * t)  # parabola: a crease that bows
            pts.append(((cx + dx * t * L - dy * off) * ss, (cy + dy * t * L + dx * off) * ss))
        d.line(pts, fill=255, width=max(1, int(round(ln["width"] * ss))))
        mask = np.asarray(m.resize((w, h), Image.BILINEAR), np.float32)[..., None] / 255.0 * ln["opacity"]
        tone = 0.95 if ln["bright"] else 0.08
        out = out * (1.0 - mask) + tone * mask
    return out


def _dust(x, op):
    h, w = x.shape[:2]
    u = uniform_block(op["seed"], 4 * op["count"]).reshape(-1, 4)
    m = Image.new("L", (w * 2, h * 2), 0)
    tone_img = Image.new("L", (w * 2, h * 2), 0)
    d, dt = ImageDraw.Draw(m), ImageDraw.Draw(tone_img)
    for ux, uy, ur, ub in u:
        r = (0.4 + 2.6 * ur ** 3) * max(1.0, max(h, w) / 256.0) * 2
        px, py = ux * w * 2, uy * h * 2
        box = [px - r, py - r, px + r, py + r]
        d.ellipse(box, fill=255)
        dt.ellipse(box, fill=255 if ub < 0.6 else 0)
    mask = np.asarray(m.resize((w, h), Image.BILINEAR), np.float32)[..., None] / 255.0
    tone = np.asarray(tone_img.resize((w, h), Image.BILINEAR), np.float32)[..., None] / 255.0
    tone = 0.08 + 0.87 * tone
    return x * (1.0 - mask) + tone * mask


def _noise(x, op):
    h, w = x.shape[:2]
    n = 1 if op["gray"] else 3
    z = gaussian_block(op["seed"], h * w * n).reshape(h, w, n).astype(np.float32)
    return x + op["sigma"] * z


def _jpeg(x, op):
    img = Image.fromarray((np.clip(x, 0, 1) * 255.0 + 0.5).astype(np.uint8))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=int(op["quality"]))
    buf.seek(0)
    return np.asarray(Image.open(buf).convert("RGB"), np.float32) / 255.0


def apply_recipe(img, recipe, keep=None):
    """Render recipe on img (HWC float32 0..1). keep: optional set of op names;
    only those ops are applied (the others are skipped). Returns same-size image."""
    h, w = img.shape[:2]
    x = img.astype(np.float32)
    small = False
    for op in recipe["ops"]:
        n = op["op"]
        if keep is not None and n not in keep:
            continue
        if n == "grain":
            x = _grain(x, op)
        elif n == "blur":
            x = _blur(x, op)
        elif n == "downsample":
            nw, nh = max(1, round(w / op["r"])), max(1, round(h / op["r"]))
            x = _resize(x, nw, nh)
            small = True
        elif n == "fade":
            x = _fade(x, op)
        elif n == "mono":
            x = _mono(x)
        elif n == "cast":
            x = _cast(x, op)
        elif n == "scratches":
            x = _scratches(x, op)
        elif n == "dust":
            x = _dust(x, op)
        elif n == "noise":
            x = _noise(x, op)
        elif n == "jpeg":
            x = _jpeg(x, op)
        x = np.clip(x, 0.0, 1.0)
    if small:
        x = _resize(x, w, h)
    return np.clip(x, 0.0, 1.0).astype(np.float32)


def with_op(recipe, name):
    """Recipe with op `name` present (added with default params if absent) — used
    to render 'make it black and white' on a colour input."""
    if any(o["op"] == name for o in recipe["ops"]):
        return recipe
    ops = list(recipe["ops"]) + [{"op": name}]
    ops.sort(key=lambda o: OP_ORDER.index(o["op"]))
    return dict(recipe, ops=ops)
