"""How well the cue encoder + integrator read damage levels from the image.

    cd models && /usr/bin/python3 -m restora_models.cue_probe --run v1.2-cpu-cues2

300 held-out 128x128 crops (bsds500/val and people 001-012, the first 50 of each,
one random crop each, light/medium/severe in turn, seed 5), empty instruction:
per damage slot the off/low/high confusion matrix of the greedy-decoded tokens
against the target tokens, and per damage type the correlation of the severity
head with the true strength. Prints one JSON object as its last line.
"""
import argparse
import json
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py
import random

import numpy as np
import torch

from . import semantics as S
from .batches import make_sample
from .checkpoint import load
from .data import val_images
from .degradations import DAMAGE_TYPES
from .models import greedy_decode
from .train import collate


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", default="v1.2-cpu")
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    integ, _, tok, _ = load(args.run)
    rng = random.Random(5)
    imgs = val_images("bsds", None)[:50] + val_images("faces", 384)[:50]
    samples = []
    for i in range(args.n):
        im = imgs[i % len(imgs)]
        c = integ.cfg.cue_size
        y, x = rng.randrange(im.shape[0] - c + 1), rng.randrange(im.shape[1] - c + 1)
        samples.append(make_sample(im[y:y + c, x:x + c], 5000 + i, ("light", "medium", "severe")[i % 3], rng,
                                   typo_p=0, intent={}))
    b = collate(samples, tok, torch.device("cpu"))
    with torch.no_grad():
        cues, sev = integ.cue_encoder(b["degraded"])
        sem, _ = greedy_decode(integ, cues, b["text"], b["mask"])
    out = dict(run=args.run, samples=args.n, slots={}, severity_corr={})
    for si, name in enumerate(S.DAMAGE_SLOTS):
        lo, _ = S.slot_range(si)
        t, p = (b["sem"][:, si] - lo).tolist(), (sem[:, si] - lo).tolist()
        cm = np.zeros((3, 3), int)
        for a, c in zip(t, p):
            cm[a, c] += 1
        acc = float(np.trace(cm) / cm.sum())
        out["slots"][name] = dict(accuracy=round(acc, 3), confusion_rows_true_off_low_high=cm.tolist())
        print(f"{name:10s} accuracy {acc:.3f}  confusion (rows true off/low/high, cols predicted): {cm.tolist()}")
    for k, name in enumerate(DAMAGE_TYPES):
        r = float(np.corrcoef(sev[:, k].numpy(), b["sev"][:, k].numpy())[0, 1])
        out["severity_corr"][name] = round(r, 3)
    print("severity head correlation with the true strength:", out["severity_corr"])
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
