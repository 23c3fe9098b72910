"""Turns clean patches into training samples: degraded input, instruction,
target semantic tokens, instruction-dependent target image, severity labels."""
import random

import numpy as np
from scipy.ndimage import gaussian_filter

from . import semantics as S
from .degradations import DAMAGE_TYPES, apply_recipe, labels, sample_recipe, with_op
from .instructions import render, sample_intent


def typo(text, rng):
    """Keyboard-slip augmentation so the integrator tolerates misspellings."""
    chars = list(text)
    for _ in range(rng.choice([1, 1, 2])):
        if len(chars) < 3:
            break
        i = rng.randrange(len(chars) - 1)
        op = rng.random()
        if op < 0.3:
            del chars[i]
        elif op < 0.6:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        elif op < 0.8:
            chars.insert(i, chars[i])
        else:
            chars[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
    return "".join(chars)


def target_image(clean, degraded, recipe, vals):
    r = with_op(recipe, "mono") if vals["colour"] == "bw" else recipe
    tgt = apply_recipe(clean, r, keep=S.kept_ops(vals))
    if vals["strength"] == "gentle":
        tgt = degraded + 0.5 * (tgt - degraded)
    elif vals["strength"] == "strong":
        soft = gaussian_filter(tgt, (1.0, 1.0, 0))
        tgt = np.clip(tgt + 0.5 * (tgt - soft), 0.0, 1.0)
    return tgt.astype(np.float32)


def make_sample(clean_u8, seed, severity, rng, typo_p=0.15, intent=None, level_noise=0.0, level_noise_all=0.0):
    clean = clean_u8.astype(np.float32) / 255.0
    recipe = sample_recipe(seed, severity)
    lab = labels(recipe)
    degraded = apply_recipe(clean, recipe)
    if intent is None:
        intent = sample_intent(rng, mono=lab["mono"] > 0.5)
    text = render(intent, rng)
    if text and rng.random() < typo_p:
        text = typo(text, rng)
    vals = S.target_values(lab, intent)
    sem = S.values_to_ids(vals)
    sem_cond = S.values_to_ids(S.noisy_levels(vals, intent, rng, level_noise, level_noise_all)) if level_noise > 0 else sem
    return dict(clean=clean, degraded=degraded, target=target_image(clean, degraded, recipe, vals),
                text=text, sem=sem, sem_cond=sem_cond, sev=np.array([lab[k] for k in DAMAGE_TYPES], np.float32),
                vals=vals, recipe=recipe)


def pick_severity(rng, mix):
    u, acc = rng.random(), 0.0
    for name, p in mix.items():
        acc += p
        if u < acc:
            return name
    return "medium"
