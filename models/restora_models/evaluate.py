"""Measure a checkpoint on data never trained on; writes runs/<name>/metrics.json.

    cd models && /usr/bin/python3 -m restora_models.evaluate --run v1-cpu [--quick]

PSNR/SSIM (RGB PSNR, SSIM on luma, 11x11 gaussian window sigma 1.5) of the
degraded input and the restored output against the clean image, empty
instruction, full pipeline (cue crop -> greedy decode -> restorer), per
severity, on bsds500/val and held-out people 001-012 (faces resized to 512).
Degradation seeds: 50000 + image index (bsds) / 60000 + index (faces); the first
25/50/25 bsds500/val images (sorted by name) for light/medium/severe, the first
12/24/12 held-out face photos (CPU time on a shared machine was the limit).
"""
import argparse
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py
import json
import random
import time

import numpy as np
from scipy.ndimage import gaussian_filter

from . import semantics as S
from .batches import make_sample, target_image
from .checkpoint import load, load_tone
from .data import MODELS_DIR, val_images
from .degradations import apply_recipe, labels, luminance, sample_recipe
from .pipeline import decode_only, restore


def psnr(a, b):
    mse = float(np.mean((a.astype(np.float64) - b) ** 2))
    return 10 * np.log10(1.0 / max(mse, 1e-10))


def ssim(a, b):
    x, y = luminance(a).astype(np.float64), luminance(b).astype(np.float64)
    f = lambda z: gaussian_filter(z, 1.5, truncate=3.5)
    mx, my = f(x), f(y)
    vx, vy, cxy = f(x * x) - mx * mx, f(y * y) - my * my, f(x * y) - mx * my
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    return float(np.mean(((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))))


def bench(integ, rest, tok, imgs, severity, seed0, n, tone=None, force=None):
    rows = []
    for i, im in enumerate(imgs[:n]):
        clean = im.astype(np.float32) / 255.0
        recipe = sample_recipe(seed0 + i, severity)
        deg = apply_recipe(clean, recipe)
        # what the empty instruction asks for (luma only when the input is black-and-white)
        tgt = target_image(clean, deg, recipe, S.target_values(labels(recipe), {}))
        out, _, _ = restore(integ, rest, tok, deg, "", tone, force)
        rows.append((psnr(deg, clean), psnr(out, clean), ssim(deg, clean), ssim(out, clean),
                     psnr(deg, tgt), psnr(out, tgt)))
    m = np.mean(rows, 0)
    return dict(n=len(rows), psnr_in=round(m[0], 3), psnr_out=round(m[1], 3), gain_db=round(m[1] - m[0], 3),
                ssim_in=round(m[2], 4), ssim_out=round(m[3], 4),
                psnr_in_vs_target=round(m[4], 3), psnr_out_vs_target=round(m[5], 3))


def affine_fit(x, y):
    """The best 3x4 colour matrix from x to y (tone_arch.best_matrix) applied to x, HWC numpy."""
    import torch
    from .tone_arch import apply_tone, best_matrix
    t = lambda z: torch.from_numpy(np.ascontiguousarray(z, dtype=np.float32)).permute(2, 0, 1)[None]
    return apply_tone(best_matrix(t(x), t(y)), t(x))[0].permute(1, 2, 0).numpy()


def tone_bench(integ, tok, tone, imgs, severity, seed0, n):
    """The tone model alone (same images and seeds as bench): input, input after the tone
    matrix, and the best possible 3x4 matrix, all against the clean image."""
    import torch
    from .tone_arch import apply_tone, thumbnail
    rows = []
    for i, im in enumerate(imgs[:n]):
        clean = im.astype(np.float32) / 255.0
        deg = apply_recipe(clean, sample_recipe(seed0 + i, severity))
        _, q = decode_only(integ, tok, deg, "")
        x = torch.from_numpy(deg).permute(2, 0, 1)[None]
        with torch.no_grad():
            y = apply_tone(tone(thumbnail(x, tone.cfg.size), q), x)[0].permute(1, 2, 0).numpy()
        rows.append((psnr(deg, clean), psnr(y, clean), psnr(affine_fit(deg, clean), clean)))
    m = np.mean(rows, 0)
    return dict(n=len(rows), psnr_in=round(m[0], 3), psnr_tone=round(m[1], 3), psnr_oracle=round(m[2], 3))


def crops(imgs, n, size, seed):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        im = imgs[i % len(imgs)]
        y, x = rng.randrange(im.shape[0] - size + 1), rng.randrange(im.shape[1] - size + 1)
        out.append(im[y:y + size, x:x + size].astype(np.float32) / 255.0)
    return out


def with_grain(seed):
    """A light recipe that certainly contains film grain (first seed >= seed that has it)."""
    while True:
        r = sample_recipe(seed, "light")
        if any(o["op"] == "grain" for o in r["ops"]):
            return r
        seed += 1


def controls(integ, rest, tok, patches, tone=None, force=None):
    """Does the text steer the output? grain keep/remove, gentle/strong, black-and-white."""
    g = dict(psnr_keep_vs_grainy_target=[], psnr_remove_vs_clean=[], psnr_keep_vs_clean=[],
             psnr_remove_vs_grainy_target=[], hf_keep=[], hf_remove=[], hf_clean_grain=[])
    s = dict(gentle=[], normal=[], strong=[])
    bw = dict(sat_bw=[], sat_default=[])
    hf = lambda z: float(np.std(z - gaussian_filter(z, (1.2, 1.2, 0))))
    sat = lambda z: float(np.mean(np.std(z, axis=2)))
    for i, clean in enumerate(patches):
        r = with_grain(70000 + 97 * i)
        deg = apply_recipe(clean, r)
        grainy = apply_recipe(clean, r, keep={"grain"})
        ok, _, _ = restore(integ, rest, tok, deg, "keep the film grain", tone, force)
        orm, _, _ = restore(integ, rest, tok, deg, "remove the grain", tone, force)
        g["psnr_keep_vs_grainy_target"].append(psnr(ok, grainy))
        g["psnr_remove_vs_clean"].append(psnr(orm, clean))
        g["psnr_keep_vs_clean"].append(psnr(ok, clean))
        g["psnr_remove_vs_grainy_target"].append(psnr(orm, grainy))
        g["hf_keep"].append(hf(ok)), g["hf_remove"].append(hf(orm)), g["hf_clean_grain"].append(hf(grainy))
        d2 = apply_recipe(clean, sample_recipe(71000 + i, "medium"))
        for k, text in (("gentle", "gently"), ("normal", ""), ("strong", "strong restoration")):
            o, _, _ = restore(integ, rest, tok, d2, text, tone, force)
            s[k].append(float(np.mean(np.abs(o - d2))))
        if labels(sample_recipe(71000 + i, "medium"))["mono"] < 0.5:
            o1, _, _ = restore(integ, rest, tok, d2, "make it black and white", tone, force)
            o2, _, _ = restore(integ, rest, tok, d2, "", tone, force)
            bw["sat_bw"].append(sat(o1)), bw["sat_default"].append(sat(o2))
    r = lambda d: {k: round(float(np.mean(v)), 4) for k, v in d.items()}
    return dict(grain=r(g), strength_mean_abs_change=r(s), black_and_white_saturation=r(bw))


def slot_accuracy(integ, tok, patches, items, seed):
    """items: [{"text", "intent"}]. Per item, decode on a few degraded crops; compare
    with semantics.target_values(labels, intent). 'specified' counts only the slots
    the instruction determines."""
    rng = random.Random(seed)
    tot = spec = tot_ok = spec_ok = exact = n = 0
    per_slot = {k: [0, 0] for k in S.SLOT_NAMES}
    for j, it in enumerate(items):
        for c in range(3):
            clean = patches[(j * 3 + c) % len(patches)]
            recipe = sample_recipe(80000 + j * 3 + c, rng.choice(["light", "medium", "severe"]))
            lab = labels(recipe)
            intent = dict(it["intent"])
            if lab["mono"] > 0.5 and intent.get("colour") == "keep":
                continue
            want = S.target_values(lab, intent)
            got, _ = decode_only(integ, tok, apply_recipe(clean, recipe), it["text"])
            dmg = intent.get("damage", {})
            specified = set(k for k in ("grain", "cast", "colour", "scope", "fidelity", "strength") if k in intent)
            specified |= set(k for k in dmg if dmg[k] == "leave")
            if intent.get("only"):
                specified |= set(k for k in S.DAMAGE_SLOTS if k not in dmg)
            n += 1
            exact += all(got[k] == want[k] for k in S.SLOT_NAMES)
            for k in S.SLOT_NAMES:
                ok = got[k] == want[k]
                tot += 1
                tot_ok += ok
                per_slot[k][0] += ok
                per_slot[k][1] += 1
                if k in specified:
                    spec += 1
                    spec_ok += ok
    return dict(samples=n, all_slots=round(tot_ok / tot, 4), specified_slots=round(spec_ok / max(spec, 1), 4),
                exact_sequence=round(exact / n, 4),
                per_slot={k: round(a / b, 3) for k, (a, b) in per_slot.items()})


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", default="v1-cpu")
    ap.add_argument("--quick", action="store_true", help="few images, for smoke tests")
    args = ap.parse_args(argv)
    import torch
    torch.set_num_threads(2)
    t0 = time.time()
    integ, rest, tok, st = load(args.run)
    tone = load_tone(st)
    force = st["config"].get("restorer_tokens")
    q = args.quick
    bsds, faces = val_images("bsds"), val_images("faces", 512)
    m = {"step": st["step"], "protocol": " ".join(__doc__.strip().splitlines()[3:11])}
    for sev, n, nf in (("light", 25, 12), ("medium", 50, 24), ("severe", 25, 12)):
        m[f"bsds500_val_{sev}"] = bench(integ, rest, tok, bsds, sev, 50000, 4 if q else n, tone, force)
        m[f"faces_heldout_{sev}"] = bench(integ, rest, tok, faces, sev, 60000, 3 if q else nf, tone, force)
        print(sev, m[f"bsds500_val_{sev}"], m[f"faces_heldout_{sev}"], flush=True)
    if tone is not None:
        m["tone"] = {f"bsds500_val_{sev}": tone_bench(integ, tok, tone, bsds, sev, 50000, 4 if q else n)
                     for sev, n in (("light", 25), ("medium", 50), ("severe", 25))}
        m["tone"]["faces_heldout_medium"] = tone_bench(integ, tok, tone, faces, "medium", 60000, 3 if q else 24)
        print("tone", m["tone"], flush=True)
    patches = crops(bsds[:50] + faces, 8 if q else 40, 128, 5)
    m["controls"] = controls(integ, rest, tok, patches[: 4 if q else 16], tone, force)
    print(m["controls"], flush=True)
    items = [json.loads(l) for l in open(os.path.join(MODELS_DIR, "data", "heldout_paraphrases.jsonl"))]
    m["slots_heldout_paraphrases"] = slot_accuracy(integ, tok, patches, items[: 6 if q else None], 1)
    from .instructions import render, sample_intent
    rng = random.Random(99)
    gen = [{"intent": it, "text": render(it, rng)} for it in (sample_intent(rng) for _ in range(8 if q else 60))]
    m["slots_generated_instructions"] = slot_accuracy(integ, tok, patches, gen, 2)
    print(m["slots_heldout_paraphrases"], m["slots_generated_instructions"], flush=True)
    sev_err = []
    for i, clean in enumerate(patches):
        r = sample_recipe(90000 + i, "medium")
        x = torch.from_numpy(apply_recipe(clean, r)).permute(2, 0, 1)[None]
        with torch.no_grad():
            _, sev = integ.cue_encoder(x)
        lab = labels(r)
        sev_err.append([abs(sev[0, j].item() - lab[k]) for j, k in enumerate(lab)])
    m["severity_head_mae"] = dict(zip(labels(sample_recipe(0, "light")).keys(), np.round(np.mean(sev_err, 0), 3).tolist()))
    m["eval_seconds"] = round(time.time() - t0, 1)
    out = os.path.join(MODELS_DIR, "runs", args.run, "metrics" + ("_quick" if q else "") + ".json")
    with open(out, "w") as f:
        json.dump(m, f, indent=1)
    print("wrote", out)


if __name__ == "__main__":
    main()
