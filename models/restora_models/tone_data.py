"""Training samples for the tone model: whole photos, as the app shows them to it.

A 128-pixel crop cannot say whether a photo is faded (a crop of sky has no blacks) and
measured so: per-channel auto-levels on such crops lose 3 dB where the least-squares
matrix gains 3.5. The app gives the tone model a thumbnail of the whole photo, so it
trains on the same: every training source (bsds500 train+test, faces-flr 013-102) is
kept whole at 256x256 (aspect ignored, as the app's thumbnail), a random 65-100% window
of it is degraded and turned into its instruction-dependent target (batches.make_sample)
at 256 px, then both are area-averaged to 128 px. The frozen integrator's queries
(greedy-decoded from the instruction and the cues of the central 128 crop of the 256-px
degraded image, as the app does, so the model learns how far to trust them; or
teacher-forced on the level-noised target tokens with decoded=False) are computed once here. Samples are rendered in worker processes
and cached in models/.cache/ so training runs over them many times.

With ~490 source photos the model learns the sources' colours by heart (1.5: 0.84 dB short of the
best matrix on training photos, 1.23 dB on held-out ones, and on held-out photos that needed no
colour fix it lost 1.05 dB where training photos gained 0.56). Wider windows and composite photos
did not change that (1.6, notes/models-1.x.md).
"""
import multiprocessing as mp
import os
import random

import numpy as np
import torch
from PIL import Image

from . import semantics as S
from .batches import make_sample, pick_severity
from .data import MODELS_DIR, bsds_files, face_files, use_pack

SIDE = 256
VIEW_MIN = 0.65  # smallest window side, as a fraction of the photo's
_worker = {}


def sources(val=False, max_files=None):
    """Whole images as uint8 [SIDE, SIDE, 3] (max_files: the first n faces and n bsds500, for tests)."""
    if use_pack() and not val:
        from .pack import load_sources
        src = load_sources()
        faces, bsds = [im for im, f in src if f], [im for im, f in src if not f]
    else:
        faces, bsds = face_files("val" if val else "train"), bsds_files("val" if val else "train")
    imgs = faces[:max_files] + bsds[:max_files] if max_files else faces + bsds
    out = []
    for f in imgs:
        im = f if isinstance(f, Image.Image) else Image.open(f).convert("RGB")
        out.append(np.asarray(im.resize((SIDE, SIDE), Image.BOX if min(im.size) >= SIDE else Image.BICUBIC)))
    return out


def _init(base_run):
    torch.set_num_threads(1)
    from .checkpoint import load
    integ, _, tok, _ = load(base_run)
    _worker.update(integ=integ, tok=tok)


def _view(img, rng, whole):
    if whole:
        return img
    h, w = img.shape[:2]
    ch, cw = int(h * rng.uniform(VIEW_MIN, 1.0)), int(w * rng.uniform(VIEW_MIN, 1.0))
    y, x = rng.randrange(h - ch + 1), rng.randrange(w - cw + 1)
    v = img[y:y + ch, x:x + cw]
    if rng.random() < 0.5:
        v = v[:, ::-1]
    return np.asarray(Image.fromarray(np.ascontiguousarray(v)).resize((SIDE, SIDE), Image.BICUBIC))


def _half(x):
    return x.reshape(SIDE // 2, 2, SIDE // 2, 2, 3).mean((1, 3))


def _render(job):
    """job: (images, seeds, severities, val) -> arrays for one chunk."""
    imgs, seeds, sevs, val, opts = job
    integ, tok = _worker["integ"], _worker["tok"]
    deg, tgt, sem, texts = [], [], [], []
    for im, seed, sev in zip(imgs, seeds, sevs):
        rng = random.Random(seed)
        s = make_sample(_view(im, rng, val), seed, sev, rng, typo_p=0 if val else 0.15, intent={} if val else None,
                        level_noise=0.0 if val else opts["level_noise"], level_noise_all=0.0 if val else opts["level_noise_all"])
        deg.append(s["degraded"]), tgt.append(s["target"]), sem.append(s["sem_cond"]), texts.append(s["text"])
    d = torch.from_numpy(np.stack(deg)).permute(0, 3, 1, 2).contiguous()
    cs = integ.cfg.cue_size
    c0 = (SIDE - cs) // 2
    from .models import greedy_decode
    with torch.no_grad():
        cues, _ = integ.cue_encoder(d[:, :, c0:c0 + cs, c0:c0 + cs])
        ids = [tok.encode(t) for t in texts]
        L = max(len(i) for i in ids)
        text = torch.zeros((len(ids), L), dtype=torch.long)
        mask = torch.zeros((len(ids), L), dtype=torch.bool)
        for r, i in enumerate(ids):
            text[r, :len(i)], mask[r, :len(i)] = torch.tensor(i), True
        if val or opts["decoded"]:  # what the app does: greedy decode, so the model learns how far to trust it
            _, q = greedy_decode(integ, cues, text, mask)
        else:
            bos = torch.full((len(ids), 1), S.BOS, dtype=torch.long)
            _, q = integ(cues, text, torch.cat([bos, torch.tensor(sem)], 1), mask)
            q = q[:, 1:]
    q8 = lambda x: (np.clip(x, 0, 1) * 255 + 0.5).astype(np.uint8)
    return (q8(np.stack([_half(x) for x in deg])), q8(np.stack([_half(x) for x in tgt])), q.numpy().astype(np.float16))


def build(base_run, n, seed, val=False, severity_mix=None, level_noise=0.5, level_noise_all=0.25, workers=2, chunk=64,
          max_files=None, decoded=True):
    tag = (f"tone_{'val' if val else 'train'}_{base_run}_{n}_{seed}_{max_files or 'all'}" + ("_dec" if decoded and not val else "")
           + ("_pack" if use_pack() and not val else ""))
    path = os.path.join(MODELS_DIR, ".cache", tag + ".npz")
    if os.path.exists(path):
        z = np.load(path)
        return z["degraded"], z["target"], z["queries"]
    imgs = sources(val, max_files)
    rng = random.Random(seed)
    mix = severity_mix or {"light": 0.3, "medium": 0.45, "severe": 0.25}
    picks = [i % len(imgs) if val else rng.randrange(len(imgs)) for i in range(n)]
    seeds = [seed * 1_000_003 + i for i in range(n)]
    sevs = ["medium" if val else pick_severity(rng, mix) for _ in range(n)]
    opts = dict(level_noise=level_noise, level_noise_all=level_noise_all, decoded=decoded)
    jobs = [([imgs[j] for j in picks[a:a + chunk]], seeds[a:a + chunk], sevs[a:a + chunk], val, opts) for a in range(0, n, chunk)]
    with mp.get_context("fork").Pool(workers, initializer=_init, initargs=(base_run,)) as pool:
        parts = pool.map(_render, jobs)
    d, t, q = (np.concatenate([p[k] for p in parts]) for k in range(3))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.savez(path + ".tmp.npz", degraded=d, target=t, queries=q)
    os.replace(path + ".tmp.npz", path)
    return d, t, q
