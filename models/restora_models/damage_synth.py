"""Synthetic old-photo damage for training the damage detector (damage_arch.py).

render(clean, rng) -> (damaged, mask): `clean` is an HxWx3 float32 photo in 0..1, given an
old-photo look first (black and white or sepia, faded, blurred, grain, halftone screen, paper
texture: none of which is damage), then damaged in four kinds, each drawn as an alpha layer:

  0 scratch  thin/thick, bright/dark, straight/curved/broken scratches and creases (a bright
             ridge with a dark shadow beside it)
  1 dust     specks and irregular spots (0.5-4 px), hairs and fibres
  2 blotch   stains and blotches 6-45 px with soft or sharp edges: ink, bleach, brown water
             stains with a darker tide line, mould
  3 tear     torn or missing paper: jagged areas at an edge or corner filled with paper, card or
             black, and jagged tear cracks

A pixel is labelled with a kind where that kind's alpha is at least 0.25 and the pixel visibly
changed (by more than 0.03): damage the eye cannot see is not asked of the detector. The
benchmark (bench/damage-bench.ts) draws its damage with its own code, in other widths and shapes.
"""
import io

import numpy as np
from PIL import Image
from scipy.ndimage import gaussian_filter

KINDS = ("scratch", "dust", "blotch", "tear")
LUMA = np.array([0.299, 0.587, 0.114], np.float32)


# ---------------------------------------------------------------- geometry helpers

def _grid(h, w):
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    return yy, xx


def _seg_dist(yy, xx, p, q):
    """Distance of every pixel to segment p-q, and the position along it (0..1)."""
    d = q - p
    ll = float(d @ d) + 1e-9
    t = np.clip(((xx - p[0]) * d[0] + (yy - p[1]) * d[1]) / ll, 0, 1)
    return np.hypot(xx - (p[0] + t * d[0]), yy - (p[1] + t * d[1])), t


def _polyline_dist(yy, xx, pts):
    """Distance to a polyline and the arc-length fraction of the nearest point."""
    seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    cum = np.concatenate([[0], np.cumsum(seg)]) / max(seg.sum(), 1e-6)
    best = np.full(yy.shape, 1e9, np.float32)
    arc = np.zeros(yy.shape, np.float32)
    for i in range(len(pts) - 1):
        d, t = _seg_dist(yy, xx, pts[i], pts[i + 1])
        m = d < best
        best = np.where(m, d, best)
        arc = np.where(m, cum[i] + t * (cum[i + 1] - cum[i]), arc)
    return best, arc


def _curve(rng, h, w, length_frac, bend):
    """A random curve (quadratic Bezier with a wobble) as ~24 points in (x, y)."""
    c = np.array([rng.uniform(-0.1, 1.1) * w, rng.uniform(-0.1, 1.1) * h])
    ang = rng.uniform(0, np.pi)
    if rng.random() < 0.45:                         # mostly vertical, as film scratches run
        ang = np.pi / 2 + rng.normal(0, 0.15)
    L = length_frac * max(h, w)
    dvec = np.array([np.cos(ang), np.sin(ang)]) * L / 2
    p0, p2 = c - dvec, c + dvec
    p1 = c + np.array([-dvec[1], dvec[0]]) / max(np.linalg.norm(dvec), 1e-6) * bend * L * rng.normal()
    t = np.linspace(0, 1, 24)[:, None]
    pts = (1 - t) ** 2 * p0 + 2 * (1 - t) * t * p1 + t ** 2 * p2
    wob = rng.uniform(0, 1.5) * np.sin(t * rng.uniform(2, 12) + rng.uniform(0, 6))
    normal = np.array([-dvec[1], dvec[0]]) / max(np.linalg.norm(dvec), 1e-6)
    return (pts + wob * normal).astype(np.float32)


def _smooth_noise(rng, h, w, cells):
    """Smooth random field in 0..1 from a coarse grid, bilinearly upsampled."""
    g = rng.random((cells + 1, cells + 1)).astype(np.float32)
    im = Image.fromarray((g * 255).astype(np.uint8)).resize((w, h), Image.BILINEAR)
    return np.asarray(im, np.float32) / 255


def _profile1d(rng, n, cells):
    """Intensity along a line: smooth noise in 0..1, sometimes broken into dashes."""
    g = rng.random(cells + 1)
    x = np.interp(np.linspace(0, cells, n), np.arange(cells + 1), g)
    if rng.random() < 0.3:
        x = (x > rng.uniform(0.25, 0.5)).astype(np.float32) * x
    return x.astype(np.float32)


# The generator's version (train_damage sets it from its config's "generator"; 1 is restora-damage <= 1.4.0's recipe).
# 2: a third of the scratches are drawn evenly from end to end (1.4.0 learned "an even straight line is content",
#    as real_detail's frames and bars are even, and left long, even, bright scratches over colourful texture
#    unmarked), thick scratches (3-6 px) are drawn more often, and content lines come only as structures (bars at
#    most 26 px apart, so several cross a crop; frames of at least two nested edges): a single isolated even line
#    is never shown as content.
# 3: also poles, posts and sticks (shaded across their width, rising from inside the crop), overhead wires (two to
#    four sagging side by side) and the print's own straight border (mount, scanner lid, black surround) as content,
#    never labelled: 1.4.0 erased a flagpole (PostOfficeVermont1914) and a held pole (bsds500 val) as scratches, and
#    1.5.0 at step 3,500 read Chief's black surround as a tear along the whole edge.
GENERATOR = 1


# ---------------------------------------------------------------- real detail (not damage)
# Thin strokes that belong to the photo: lettering on signs and captions, window bars, fences, railings and
# frames. The detector marked them as scratches on real prints (a shop sign's letters, window mullions), so
# some training crops carry them as part of the photo, unlabelled, under the same look and damage.

def _stroke_alpha(yy, xx, p, q, width):
    d, _ = _seg_dist(yy, xx, np.asarray(p, np.float32), np.asarray(q, np.float32))
    return np.clip(width / 2 + 0.5 - d, 0, 1)


def _glyph(rng, yy, xx, x0, y0, gw, gh, width):
    """A letter-like shape in the cell (x0, y0, gw, gh): two to four strokes and bowls, as serif capitals have."""
    a = np.zeros(yy.shape, np.float32)
    l, r, t, b, m = x0, x0 + gw, y0, y0 + gh, y0 + gh / 2
    strokes = [((l, t), (l, b)), ((r, t), (r, b)), ((l, t), (r, t)), ((l, b), (r, b)), ((l, m), (r, m)),
               ((l, b), ((l + r) / 2, t)), (((l + r) / 2, t), (r, b)), ((l, t), (r, b)), (((l + r) / 2, t), ((l + r) / 2, b))]
    for k in rng.choice(len(strokes), int(rng.integers(2, 5)), replace=False):
        a = np.maximum(a, _stroke_alpha(yy, xx, *strokes[k], width))
    if rng.random() < 0.35:                              # a bowl (B, D, O, P, R, S)
        cy = t + gh * rng.choice([0.25, 0.5, 0.75]); ry = gh * rng.choice([0.25, 0.5])
        ring = np.abs(np.hypot((xx - (l + r) / 2) / max(gw / 2, 1), (yy - cy) / max(ry, 1)) - 1) * min(gw / 2, ry)
        a = np.maximum(a, np.clip(width / 2 + 0.5 - ring, 0, 1))
    return a


def _over(img, a, col):
    """`col` laid over the crop with alpha `a` (HxW): content drawn into the photo."""
    return np.clip(img * (1 - a[..., None]) + a[..., None] * col, 0, 1).astype(np.float32)


def _pole(img, rng, yy, xx):
    """A pole, mast, post or stick as content: a straight object 2-9 px wide rising from a point inside the crop and
    leaving it, shaded across its width (lit on one side) with a grain along it. A scratch is flat across."""
    h, w = img.shape[:2]
    base = np.array([rng.uniform(0.1, 0.9) * w, rng.uniform(0.4, 1.0) * h], np.float32)
    ang = -np.pi / 2 + rng.normal(0, 0.25) if rng.random() < 0.75 else rng.uniform(0, 2 * np.pi)
    d = np.array([np.cos(ang), np.sin(ang)], np.float32)
    tip = base + d * 2 * max(h, w)
    dist, t = _seg_dist(yy, xx, base, tip)
    width = rng.uniform(2, 9) * (1 - rng.uniform(0, 0.5) * t)          # tapering toward the far end
    a = np.clip(width / 2 + 0.5 - dist, 0, 1)
    across = ((xx - base[0]) * -d[1] + (yy - base[1]) * d[0]) / np.maximum(width / 2, 0.5)   # -1..1 across the pole
    lit = rng.uniform(0.15, 0.75)
    tone = np.clip(lit + rng.choice([-1, 1]) * rng.uniform(0.25, 0.45) * np.clip(across, -1, 1), 0, 1)
    grain = _profile1d(rng, 256, int(rng.integers(8, 30)))
    tone = np.clip(tone + 0.12 * (np.interp(t * 8 % 1, np.linspace(0, 1, 256), grain) - 0.5), 0, 1)
    return a, np.repeat(tone[..., None], 3, axis=2)


def _wires(rng, h, w, yy, xx):
    """Two to four overhead wires or ropes as content: thin dark curves that sag and run side by side."""
    a = np.zeros((h, w), np.float32)
    tilt, sag = rng.uniform(-0.3, 0.3), rng.uniform(0, 0.25) * w
    y0, gap, width = rng.uniform(0.1, 0.8) * h, rng.uniform(3, 14), rng.uniform(0.6, 1.6)
    for k in range(int(rng.integers(2, 5))):
        xs = np.linspace(-0.1 * w, 1.1 * w, 32)
        u = (xs - w / 2) / (w / 2)
        ys = y0 + k * gap * rng.uniform(0.8, 1.2) + tilt * (xs - w / 2) + sag * (u ** 2 - 1) * -1
        d, _ = _polyline_dist(yy, xx, np.stack([xs, ys], 1).astype(np.float32))
        a = np.maximum(a, np.clip(width / 2 + 0.5 - d, 0, 1))
    return a


def _border(img, rng, yy, xx):
    """The print's own edge as content: a straight band of mount, scanner lid or black surround along one to four
    sides, slightly skewed, with a clean edge (alpha and colour). A tear's edge is jagged; this one is straight."""
    h, w = img.shape[:2]
    a = np.zeros((h, w), np.float32)
    for side in rng.choice(4, int(rng.integers(1, 5)), replace=False):
        skew, depth = rng.normal(0, 0.02), rng.uniform(3, 24)
        if side == 0:
            d = yy - (depth + skew * (xx - w / 2))
        elif side == 1:
            d = (h - 1 - yy) - (depth + skew * (xx - w / 2))
        elif side == 2:
            d = xx - (depth + skew * (yy - h / 2))
        else:
            d = (w - 1 - xx) - (depth + skew * (yy - h / 2))
        a = np.maximum(a, np.clip(0.5 - d / rng.uniform(0.5, 1.5), 0, 1))
    v = rng.choice([rng.uniform(0.0, 0.12), rng.uniform(0.8, 1.0), rng.uniform(0.45, 0.75)], p=[0.5, 0.3, 0.2])
    return a, np.array([v, v * rng.uniform(0.92, 1.0), v * rng.uniform(0.8, 1.0)], np.float32)


def real_detail(img, rng, yy, xx):
    """The crop with lettering, bars or frames drawn into it as content (dark on light or light on dark); from the
    third generator also poles and posts (shaded across), overhead wires (in groups) and the print's straight border."""
    h, w = img.shape[:2]
    if GENERATOR >= 3 and rng.random() < 0.45:
        r = rng.random()
        if r < 0.25:
            return _over(img, *_border(img, rng, yy, xx))
        if r < 0.65:
            return _over(img, *_pole(img, rng, yy, xx))
        a = _wires(rng, h, w, yy, xx) * rng.uniform(0.6, 1.0)
        return _over(img, a, rng.uniform(0.0, 0.3))
    a = np.zeros((h, w), np.float32)
    kind = rng.choice(["letters", "bars", "frame"], p=[0.5, 0.3, 0.2])
    width = rng.choice([rng.uniform(0.8, 1.6), rng.uniform(1.6, 3.0)], p=[0.6, 0.4])
    if kind == "letters":
        gh = rng.uniform(7, 30); gw = gh * rng.uniform(0.5, 0.8); gap = gw * rng.uniform(0.2, 0.6)
        for _ in range(int(rng.integers(1, 4))):          # one to three lines of text
            y0 = rng.uniform(-0.2 * gh, h - 0.8 * gh); x = rng.uniform(-gw, w * 0.3)
            while x < w:
                if rng.random() < 0.85:                   # spaces between words
                    a = np.maximum(a, _glyph(rng, yy, xx, x, y0, gw, gh, width))
                x += gw + gap
    elif kind == "bars":                                 # window bars, fences, railings: parallel thin lines
        ang = rng.choice([np.pi / 2, 0.0, rng.uniform(0, np.pi)], p=[0.5, 0.3, 0.2])
        dvec = np.array([np.cos(ang), np.sin(ang)]); nvec = np.array([-dvec[1], dvec[0]])
        spacing = rng.uniform(6, 26 if GENERATOR >= 2 else 40); start = rng.uniform(-w, 0); n = int(2 * max(h, w) / spacing) + 2
        c = np.array([w / 2, h / 2])
        for i in range(n):
            off = start + i * spacing
            p = c + nvec * off - dvec * max(h, w); q = c + nvec * off + dvec * max(h, w)
            a = np.maximum(a, _stroke_alpha(yy, xx, p, q, width))
        if rng.random() < 0.5:                            # cut to a window or fence panel
            x0, y0 = rng.uniform(0, w / 2, 2) if h == w else (rng.uniform(0, w / 2), rng.uniform(0, h / 2))
            a *= ((xx >= x0) & (xx < x0 + rng.uniform(w / 3, w)) & (yy >= y0) & (yy < y0 + rng.uniform(h / 3, h)))
    else:                                                # frames and mouldings: nested rectangles
        x0, y0 = rng.uniform(-w / 4, w / 2), rng.uniform(-h / 4, h / 2)
        x1, y1 = x0 + rng.uniform(w / 4, w), y0 + rng.uniform(h / 4, h)
        for k in range(int(rng.integers(2 if GENERATOR >= 2 else 1, 4))):
            e = k * rng.uniform(2, 6)
            for p, q in (((x0 + e, y0 + e), (x1 - e, y0 + e)), ((x1 - e, y0 + e), (x1 - e, y1 - e)),
                         ((x1 - e, y1 - e), (x0 + e, y1 - e)), ((x0 + e, y1 - e), (x0 + e, y0 + e))):
                a = np.maximum(a, _stroke_alpha(yy, xx, p, q, width))
    a *= rng.uniform(0.5, 1.0)
    y = float(img.mean())
    ink = rng.uniform(0.0, 0.25) if (y > 0.45 and rng.random() < 0.8) or rng.random() < 0.3 else rng.uniform(0.75, 1.0)
    col = np.array([ink, ink, ink], np.float32) if rng.random() < 0.6 else img.reshape(-1, 3).mean(0) * (0.3 if ink < 0.5 else 1.6)
    return _over(img, a, np.clip(col, 0, 1))


# ---------------------------------------------------------------- exposure (not damage)
# Blown-out windows and white dresses, crushed shadows, uneven printing and vignettes are large flat bright or
# dark areas that follow the photo's content. 1.2.0 marked them as stains and tears on real prints (CottonMill's
# windows, 1896NewsBoyGirl's dresses), so some training crops carry them, unlabelled.

def print_exposure(img, rng):
    """The crop as an unevenly exposed print: one or two of blown highlights, crushed shadows, uneven
    illumination and a vignette. Not damage: the content stays where it was, only its tones move."""
    h, w = img.shape[:2]
    x = img.astype(np.float32)
    kinds = rng.choice(["blown", "crushed", "uneven", "vignette"], size=int(rng.integers(1, 3)), replace=False,
                       p=[0.35, 0.2, 0.25, 0.2])
    for kind in kinds:
        if kind == "blown":                              # overexposed: the top of the range goes flat white
            g = rng.uniform(1.25, 2.0)
            x = np.minimum(x * g + rng.uniform(0, 0.1), 1.0)
        elif kind == "crushed":                          # underexposed or contrasty: shadows go flat black
            t = rng.uniform(0.05, 0.2)
            x = np.clip((x - t) / (1 - t), 0, 1)
        elif kind == "uneven":                           # uneven printing or developing: soft light and dark areas
            f = 1 + rng.uniform(0.15, 0.45) * 2 * (_smooth_noise(rng, h, w, int(rng.integers(2, 5))) - 0.5)
            x = np.clip(x * f[..., None], 0, 1)
        else:                                            # vignette: a darker or lighter falloff from a centre
            yy, xx = _grid(h, w)
            cy, cx = rng.uniform(-0.5, 1.5) * h, rng.uniform(-0.5, 1.5) * w
            r = np.hypot(yy - cy, xx - cx) / (rng.uniform(0.6, 1.6) * max(h, w))
            v = np.clip(r, 0, 1.5) ** rng.uniform(1.5, 3)
            x = np.clip(x * (1 - rng.uniform(0.2, 0.5) * v[..., None]) if rng.random() < 0.75
                        else x + (1 - x) * rng.uniform(0.2, 0.6) * np.clip(v, 0, 1)[..., None], 0, 1)
    return x.astype(np.float32)


# ---------------------------------------------------------------- photo look (not damage)

def old_look(img, rng):
    """An old-photo appearance on a clean colour crop. None of it is labelled damage."""
    x = img
    if rng.random() < 0.65:                          # black and white, maybe toned
        y = (x @ LUMA)[..., None]
        x = np.repeat(y, 3, axis=2)
        if rng.random() < 0.5:
            tone = np.array([1.0, rng.uniform(0.8, 0.95), rng.uniform(0.55, 0.8)], np.float32)
            x = x * tone + (1 - tone) * rng.uniform(0, 0.25) * x
    if rng.random() < 0.5:                           # fading: lifted blacks, lower contrast
        lo, hi = rng.uniform(0, 0.25), rng.uniform(0.75, 1)
        x = lo + (hi - lo) * x
    if rng.random() < 0.3:
        x = _blur(x, rng.uniform(0.4, 1.5))
    if rng.random() < 0.15:                          # halftone screen (printed photos)
        yy, xx = _grid(*x.shape[:2])
        p = rng.uniform(3, 6)
        a = rng.uniform(0, np.pi)
        u, v = np.cos(a) * xx + np.sin(a) * yy, -np.sin(a) * xx + np.cos(a) * yy
        dots = (np.cos(2 * np.pi * u / p) * np.cos(2 * np.pi * v / p)) * 0.5 + 0.5
        x = x * (1 - 0.25 * rng.random()) + (dots[..., None] - 0.5) * rng.uniform(0.05, 0.2)
    if rng.random() < 0.3:                           # paper texture: fine fibrous low-contrast grain
        tex = _smooth_noise(rng, x.shape[0], x.shape[1], int(rng.integers(20, 60))) - 0.5
        x = x + tex[..., None] * rng.uniform(0.03, 0.1)
    if rng.random() < 0.6:                           # film grain
        s = rng.uniform(0.005, 0.05)
        n = rng.normal(0, s, x.shape[:2]).astype(np.float32)
        if rng.random() < 0.5:
            n = _blur(n[..., None], 0.7)[..., 0]
        x = x + n[..., None]
    x = np.clip(x, 0, 1).astype(np.float32)
    if rng.random() < 0.25:
        x = _jpeg(x, int(rng.integers(40, 90)))
    return x


def _blur(x, sigma):
    return gaussian_filter(x, (sigma, sigma, 0)).astype(np.float32)


def _jpeg(x, q):
    buf = io.BytesIO()
    Image.fromarray((x * 255 + 0.5).astype(np.uint8)).save(buf, "JPEG", quality=q)
    return np.asarray(Image.open(buf).convert("RGB"), np.float32) / 255


# ---------------------------------------------------------------- damage layers
# Each returns (alpha HxW in 0..1, colour: HxWx3 or a 3-vector, or a function of the image).

def _ink(rng, bright):
    v = rng.uniform(0.82, 1.0) if bright else rng.uniform(0.0, 0.18)
    return np.array([v, v, v], np.float32) * (1 if rng.random() < 0.7 else np.array([1, 0.95, 0.85], np.float32))


def scratch(rng, h, w, yy, xx):
    pts = _curve(rng, h, w, rng.uniform(0.3, 1.6), rng.uniform(0, 0.35))
    d, arc = _polyline_dist(yy, xx, pts)
    if GENERATOR >= 2:
        width = rng.choice([rng.uniform(0.6, 1.5), rng.uniform(1.5, 3.0), rng.uniform(3.0, 6.0)], p=[0.45, 0.35, 0.2])
    else:
        width = rng.choice([rng.uniform(0.6, 1.5), rng.uniform(1.5, 3.0), rng.uniform(3.0, 5.0)], p=[0.5, 0.35, 0.15])
    if GENERATOR >= 2 and rng.random() < 0.35:
        along = np.ones_like(arc)                    # an even line from end to end, as a stylus or a fold leaves
    else:
        prof = _profile1d(rng, 256, int(rng.integers(2, 10)))
        along = np.interp(arc, np.linspace(0, 1, 256), 0.4 + 0.6 * prof)
    edge = np.clip(width / 2 + 0.5 - d, 0, 1)
    if rng.random() < 0.3:                           # soft, gaussian cross-section
        edge = np.exp(-0.5 * (d / max(width / 2.5, 0.4)) ** 2)
    alpha = edge * along * rng.uniform(0.55, 1.0)
    bright = rng.random() < 0.6
    layers = [(alpha, _ink(rng, bright))]
    if width > 2 and rng.random() < 0.4:             # crease: a shadow beside the ridge
        side = rng.choice([-1, 1])
        d2, _ = _polyline_dist(yy, xx, pts + side * np.array([0.0, width * 0.8], np.float32))
        sh = np.clip(width / 2 + 0.5 - d2, 0, 1) * along * rng.uniform(0.3, 0.6) * (d > width / 2)
        layers.append((sh, _ink(rng, not bright)))
    return layers


def dust(rng, h, w, yy, xx):
    layers = []
    n = int(rng.choice([rng.integers(1, 6), rng.integers(6, 30), rng.integers(30, 90)], p=[0.4, 0.4, 0.2]))
    bright = rng.random() < 0.65
    alpha = np.zeros((h, w), np.float32)
    for _ in range(n):
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        r = rng.choice([rng.uniform(0.5, 1.3), rng.uniform(1.3, 4.0)], p=[0.5, 0.5])
        ex, a = rng.uniform(0.5, 1.0), rng.uniform(0, np.pi)
        u = (xx - cx) * np.cos(a) + (yy - cy) * np.sin(a)
        v = -(xx - cx) * np.sin(a) + (yy - cy) * np.cos(a)
        dd = np.sqrt(u ** 2 + (v / ex) ** 2)
        if r > 2:                                    # irregular outline
            ang = np.arctan2(v, u)
            dd = dd / (1 + 0.25 * np.sin(3 * ang + rng.uniform(0, 6)) * rng.random())
        alpha = np.maximum(alpha, np.clip(r + 0.5 - dd, 0, 1) * rng.uniform(0.6, 1.0))
    layers.append((alpha, _ink(rng, bright)))
    for _ in range(int(rng.integers(0, 3)) if rng.random() < 0.35 else 0):   # hairs and fibres
        pts = _curve(rng, h, w, rng.uniform(0.05, 0.22), rng.uniform(0.2, 0.8))
        d, _ = _polyline_dist(yy, xx, pts)
        wd = rng.uniform(0.6, 1.4)
        layers.append((np.clip(wd / 2 + 0.5 - d, 0, 1) * rng.uniform(0.6, 1), _ink(rng, rng.random() < 0.5)))
    return layers


def _blob(rng, h, w, yy, xx, r):
    cy, cx = rng.uniform(-0.1, 1.1) * h, rng.uniform(-0.1, 1.1) * w
    ang = np.arctan2(yy - cy, xx - cx)
    rr = np.hypot(yy - cy, xx - cx)
    k = rng.uniform(0.1, 0.45)
    wobble = 1 + k * (np.sin(2 * ang + rng.uniform(0, 6)) * rng.random() + np.sin(3 * ang + rng.uniform(0, 6)) * rng.random()
                      + 0.5 * np.sin(5 * ang + rng.uniform(0, 6)) * rng.random())
    field = rr / (r * wobble) + 0.35 * (_smooth_noise(rng, h, w, int(rng.integers(3, 9))) - 0.5)
    return field                                     # < 1 inside


def blotch(rng, h, w, yy, xx):
    r = rng.choice([rng.uniform(5, 12), rng.uniform(12, 45)], p=[0.4, 0.6])
    field = _blob(rng, h, w, yy, xx, r)
    soft = rng.uniform(0.02, 0.3)
    alpha = np.clip((1 - field) / soft, 0, 1) * rng.uniform(0.55, 1.0)
    style = rng.choice(["ink", "bleach", "stain", "mould"], p=[0.35, 0.25, 0.3, 0.1])
    if style == "stain":                             # brown water stain with a darker tide line
        col = np.array([rng.uniform(0.45, 0.75), rng.uniform(0.3, 0.55), rng.uniform(0.1, 0.3)], np.float32)
        ring = np.exp(-0.5 * ((field - 1) / 0.06) ** 2) * rng.uniform(0, 0.5)
        alpha = np.clip(alpha * rng.uniform(0.5, 0.85) + ring, 0, 1)
        return [(alpha, col)]
    if style == "mould":                             # speckled fungus: the blob made of spots
        spots = _smooth_noise(rng, h, w, int(rng.integers(12, 30))) > rng.uniform(0.45, 0.6)
        return [(alpha * spots, _ink(rng, rng.random() < 0.5))]
    return [(alpha, _ink(rng, style == "bleach"))]


def tear(rng, h, w, yy, xx):
    paper = rng.choice([rng.uniform(0.85, 1.0), rng.uniform(0.6, 0.85), rng.uniform(0.0, 0.12)], p=[0.55, 0.25, 0.2])
    col = np.array([paper, paper * rng.uniform(0.9, 1.0), paper * rng.uniform(0.75, 1.0)], np.float32)
    jag = _smooth_noise(rng, h, w, int(rng.integers(10, 32))) - 0.5
    if rng.random() < 0.55:                          # missing area at an edge or corner
        a = rng.uniform(0, 2 * np.pi)
        nx, ny = np.cos(a), np.sin(a)
        cx, cy = w / 2, h / 2
        proj = (xx - cx) * nx + (yy - cy) * ny
        reach = rng.uniform(0.25, 0.7) * max(h, w) / 2
        s = proj - (max(h, w) / 2 - reach) + jag * rng.uniform(4, 12)
        alpha = np.clip(s + 0.5, 0, 1)
    else:                                            # a tear crack across the photo
        pts = _curve(rng, h, w, rng.uniform(0.5, 1.5), rng.uniform(0, 0.3))
        d, _ = _polyline_dist(yy, xx, pts)
        wd = rng.uniform(1.5, 7)
        alpha = np.clip(wd / 2 + 0.5 - d + jag * rng.uniform(2, 5), 0, 1)
    return [(alpha, col)]


DRAW = (scratch, dust, blotch, tear)
PRESENT = (0.5, 0.45, 0.35, 0.25)     # chance that a training crop has each kind


def render(clean, rng, present=PRESENT, look=True, detail=0.0, exposure=0.0):
    """(damaged HxWx3 float32, mask uint8 [4,H,W], clean-with-look HxWx3 float32). `detail`: the chance that
    the crop gets lettering, bars or frames drawn into it as content first (real_detail; never labelled);
    `exposure`: the chance that it is printed unevenly (print_exposure; never labelled)."""
    h, w = clean.shape[:2]
    yy, xx = _grid(h, w)
    if detail and rng.random() < detail:
        clean = real_detail(clean.astype(np.float32), rng, yy, xx)
    if exposure and rng.random() < exposure:
        clean = print_exposure(clean, rng)
    base = old_look(clean, rng) if look else clean.astype(np.float32)
    x = base.copy()
    alphas = np.zeros((4, h, w), np.float32)
    for k, draw in enumerate(DRAW):
        if rng.random() >= present[k]:
            continue
        for _ in range(int(rng.integers(1, 4)) if k in (0, 2) else 1):
            for a, col in draw(rng, h, w, yy, xx):
                x = x * (1 - a[..., None]) + a[..., None] * col
                alphas[k] = np.maximum(alphas[k], a)
    if base.std() > 0 and rng.random() < 0.3:        # damage on the print is under the same grain
        x = x + rng.normal(0, 0.01, x.shape[:2]).astype(np.float32)[..., None]
    x = np.clip(x, 0, 1).astype(np.float32)
    visible = np.abs(x - base).max(2) > 0.03
    mask = ((alphas >= 0.25) & visible[None]).astype(np.uint8)
    return x, mask, base
