"""Where the bsds500/val figure is lost: the same photos and seeds as `bench:quality` (seed
FNV-1a of "<seed>/<file name>"), through the PyTorch pipeline, broken down four ways.

    cd models && /usr/bin/python3 -m restora_models.gap --run zoo-1.7.0 [--tone RUN] [--parts ops,tone,single,seeds]
                 [--severity medium] [--seeds 0,1,2,3,4]

ops     what each step of the recipe costs: PSNR of the degraded photo, and how much it rises when
        that one step is left out; "local only" leaves out fade, mono and cast (a perfect global fix).
tone    the tone model alone, per kind of global damage (fade, mono, sepia, tint and their mixes):
        input, after the tone model's matrix, after the best possible 3x4 matrix.
single  every second photo with one local step at a time (and all local steps together): the input,
        after the tone model, and the whole pipeline; and the restorer alone (no tone step).
seeds   the whole pipeline's mean gain for several bench seeds (the figure's spread between draws).
--tone  a tone run (runs/<name>) to use instead of the one the run was trained behind.
"""
import argparse
import collections
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py

import numpy as np
import torch

from .checkpoint import load, load_tone
from .data import bsds_files, load_rgb
from .degradations import apply_recipe, sample_recipe
from .evaluate import psnr
from .pipeline import decode_only
from .tone_arch import apply_tone, best_matrix, thumbnail

GLOBAL_OPS = ("fade", "mono", "cast")
LOCAL_OPS = ("grain", "blur", "downsample", "scratches", "dust", "noise", "jpeg")


def fnv1a32(s):
    """The bench's per-image seed (bench/quality-bench.ts fnv1a32)."""
    h = 0x811C9DC5
    for b in s.encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def kind(recipe):
    """'none', or the global steps present: e.g. 'mono+fade+sepia'."""
    ops = {o["op"]: o for o in recipe["ops"]}
    parts = [n for n in ("mono", "fade") if n in ops]
    if "cast" in ops:
        parts.append(ops["cast"]["kind"])
    return "+".join(parts) or "none"


class Pipe:
    def __init__(self, run, tone_run=None):
        self.integ, self.rest, self.tok, st = load(run)
        if tone_run:
            from .export_tone import load_tone as load_tone_run
            self.tone = load_tone_run(tone_run)[0]
        else:
            self.tone = load_tone(st)

    @torch.no_grad()
    def __call__(self, deg, alone=False):
        """degraded HWC -> (after the tone matrix, after the restorer), HWC numpy; with alone, also the
        restorer on the degraded photo itself (no tone step), steered by the same decode."""
        _, q = decode_only(self.integ, self.tok, deg, "")
        x = torch.from_numpy(np.ascontiguousarray(deg)).permute(2, 0, 1)[None]
        xt = apply_tone(self.tone(thumbnail(x, self.tone.cfg.size), q), x) if self.tone is not None else x
        hwc = lambda t: t[0].permute(1, 2, 0).clamp(0, 1).numpy()
        return (hwc(xt), hwc(self.rest(xt, q))) + ((hwc(self.rest(x, q)),) if alone else ())


def photos():
    files = bsds_files("val")
    return [(os.path.basename(f), load_rgb(f).astype(np.float32) / 255.0) for f in files]


def part_ops(imgs, severity):
    drops, inp, loc = collections.defaultdict(list), [], []
    for name, gt in imgs:
        r = sample_recipe(fnv1a32("0/" + name), severity)
        names = {o["op"] for o in r["ops"]}
        full = psnr(apply_recipe(gt, r), gt)
        inp.append(full)
        local = names - set(GLOBAL_OPS)
        loc.append(psnr(apply_recipe(gt, r, keep=local), gt) if local else float("inf"))
        for n in names:
            if names - {n}:
                drops[n].append(psnr(apply_recipe(gt, r, keep=names - {n}), gt) - full)
    print(f"ops: input {np.mean(inp):.2f} dB; local steps only (fade, mono and cast left out) "
          f"{np.mean([v for v in loc if np.isfinite(v)]):.2f} dB")
    for n in GLOBAL_OPS + LOCAL_OPS:
        if drops[n]:
            v = drops[n]
            print(f"  {n:10s} on {len(v):3d} photos: +{np.mean(v):.2f} dB when left out "
                  f"(+{sum(v) / len(imgs):.2f} on the mean of all)")


def part_tone(imgs, severity, pipe):
    rows = collections.defaultdict(list)
    for name, gt in imgs:
        r = sample_recipe(fnv1a32("0/" + name), severity)
        deg = apply_recipe(gt, r)
        xt, _ = pipe(deg)
        t = lambda z: torch.from_numpy(np.ascontiguousarray(z)).permute(2, 0, 1)[None]
        best = apply_tone(best_matrix(t(deg), t(gt)), t(deg))[0].permute(1, 2, 0).numpy()
        row = (psnr(deg, gt), psnr(xt, gt), psnr(best, gt))
        rows[kind(r)].append(row)
        rows["all"].append(row)
    print("tone: kind, photos, input, tone model, best 3x4 matrix (dB)")
    for k in sorted(rows, key=lambda k: (k == "all", k)):
        m = np.mean(rows[k], 0)
        print(f"  {k:20s} {len(rows[k]):3d}  {m[0]:6.2f} {m[1]:6.2f} {m[2]:6.2f}")


def part_single(imgs, severity, pipe):
    rows = collections.defaultdict(list)
    for name, gt in imgs[::2]:
        r = sample_recipe(fnv1a32("0/" + name), severity)
        names = {o["op"] for o in r["ops"]}
        for op in LOCAL_OPS + ("local",):
            keep = names - set(GLOBAL_OPS) if op == "local" else {op}
            if not keep or not keep <= names:
                continue
            deg = apply_recipe(gt, r, keep=keep)
            if np.array_equal(deg, gt):
                continue
            xt, out, alone = pipe(deg, alone=True)
            rows[op].append((psnr(deg, gt), psnr(xt, gt), psnr(out, gt), psnr(alone, gt)))
    print("single: step, photos, input, after tone, pipeline, restorer without the tone step (dB)")
    for op in LOCAL_OPS + ("local",):
        if rows[op]:
            m = np.mean(rows[op], 0)
            print(f"  {op:10s} {len(rows[op]):3d}  {m[0]:6.2f} {m[1]:6.2f} {m[2]:6.2f} {m[3]:6.2f}")


def part_seeds(imgs, severity, pipe, seeds):
    gains = []
    for s in seeds:
        rows = []
        for name, gt in imgs:
            deg = apply_recipe(gt, sample_recipe(fnv1a32(f"{s}/{name}"), severity))
            xt, out = pipe(deg)
            rows.append((psnr(deg, gt), psnr(xt, gt), psnr(out, gt)))
        m = np.mean(rows, 0)
        gains.append(m[2] - m[0])
        print(f"seeds: seed {s}: input {m[0]:.2f}, tone {m[1]:.2f}, pipeline {m[2]:.2f} dB, gain {m[2] - m[0]:+.2f}", flush=True)
    print(f"seeds: mean gain {np.mean(gains):+.2f} dB, spread (sd between seeds) {np.std(gains, ddof=1) if len(gains) > 1 else 0:.2f}")


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", default="zoo-1.7.0")
    ap.add_argument("--tone", default=None)
    ap.add_argument("--parts", default="ops,tone,single,seeds")
    ap.add_argument("--severity", default="medium")
    ap.add_argument("--seeds", default="0,1,2,3,4")
    ap.add_argument("--limit", type=int, default=None, help="first N photos (for a quick look)")
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    imgs = photos()[: args.limit]
    parts = args.parts.split(",")
    pipe = Pipe(args.run, args.tone) if set(parts) - {"ops"} else None
    if "ops" in parts:
        part_ops(imgs, args.severity)
    if "tone" in parts:
        part_tone(imgs, args.severity, pipe)
    if "single" in parts:
        part_single(imgs, args.severity, pipe)
    if "seeds" in parts:
        part_seeds(imgs, args.severity, pipe, [int(s) for s in args.seeds.split(",")])


if __name__ == "__main__":
    main()
