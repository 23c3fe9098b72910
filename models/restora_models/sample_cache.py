"""Restorer training samples rendered once, for runs whose integrator is frozen.

With the integrator frozen, everything about a sample except the restorer's own pass
is fixed once it is drawn: the degraded crop, its instruction-dependent target and the
latent queries the frozen integrator gives for it (teacher-forced on the level-noised
tokens, semantics.noisy_levels). On the 2-core CPU, rendering them in a thread beside
the training step (11 ms a sample: blur, JPEG, scratches) and running the cue encoder
and integrator every step cost about a third of each step; a cache renders them in
worker processes before training and the loop only reads arrays.

Cache: models/.cache/samples_<base run>_<n>_<seed>_<settings hash>/ with uint8
`degraded.npy` and `target.npy` [N,S,S,3] and float16 `queries.npy` [N,K,dq]
(memory-mapped: 80,000 samples of 128 px are 7.9 GB).
"""
import hashlib
import json
import multiprocessing as mp
import os
import random

import numpy as np
import torch

from . import semantics as S
from .batches import make_sample, pick_severity
from .data import MODELS_DIR, patch_cache
from .tokenizer import PAD

_worker = {}


def _init(base_run, crop, max_files):
    torch.set_num_threads(1)
    from .checkpoint import load
    integ, _, tok, _ = load(base_run)
    patches, is_face = patch_cache(crop, max_files)
    _worker.update(integ=integ, tok=tok, patches=patches, faces=np.nonzero(is_face)[0], other=np.nonzero(~is_face)[0])


def _render(job):
    """job: (first sample index, count, options) -> (degraded u8, target u8, queries f16)."""
    start, count, o = job
    w = _worker
    deg, tgt, sem, texts = [], [], [], []
    for i in range(start, start + count):
        rng = random.Random(o["seed"] * 1_000_003 + i)
        pool = w["faces"] if (rng.random() < o["face_fraction"] and len(w["faces"])) else w["other"]
        p = w["patches"][pool[rng.randrange(len(pool))]]
        if rng.random() < 0.5:
            p = p[:, ::-1]
        s = make_sample(np.ascontiguousarray(p), rng.getrandbits(32), pick_severity(rng, o["severity_mix"]), rng,
                        level_noise=o["level_noise"], level_noise_all=o["level_noise_all"], empty_p=o["empty_p"])
        deg.append(s["degraded"]), tgt.append(s["target"]), sem.append(s["sem_cond"]), texts.append(s["text"])
    integ, tok = w["integ"], w["tok"]
    ids = [tok.encode(t) for t in texts]
    L = max(len(i) for i in ids)
    text = torch.full((len(ids), L), PAD, dtype=torch.long)
    mask = torch.zeros((len(ids), L), dtype=torch.bool)
    for r, i in enumerate(ids):
        text[r, :len(i)], mask[r, :len(i)] = torch.tensor(i), True
    d = torch.from_numpy(np.stack(deg)).permute(0, 3, 1, 2).contiguous()
    with torch.no_grad():
        cues, _ = integ.cue_encoder(d)
        bos = torch.full((len(ids), 1), S.BOS, dtype=torch.long)
        _, q = integ(cues, text, torch.cat([bos, torch.tensor(sem)], 1), mask)
    q8 = lambda x: (np.clip(np.stack(x), 0, 1) * 255 + 0.5).astype(np.uint8)
    return q8(deg), q8(tgt), q[:, 1:].numpy().astype(np.float16)


def options(cfg):
    """The run settings that decide what a cached sample is."""
    return dict(seed=cfg["sample_cache"]["seed"], face_fraction=cfg["face_fraction"], severity_mix=cfg["severity_mix"],
                level_noise=cfg["level_noise"], level_noise_all=cfg["level_noise_all"], empty_p=cfg["empty_p"])


def build(cfg, base_run, workers=2, chunk=256):
    """Load or render the run's sample cache -> (degraded, target, queries), memory-mapped."""
    n, o = cfg["sample_cache"]["n"], options(cfg)
    key = hashlib.sha1(json.dumps(dict(o, crop=cfg["crop"], max_files=cfg["max_files"]), sort_keys=True).encode()).hexdigest()[:10]
    d = os.path.join(MODELS_DIR, ".cache", f"samples_{base_run}_{n}_{o['seed']}_{key}")
    names = ("degraded", "target", "queries")
    if os.path.exists(os.path.join(d, "done")):
        return tuple(np.load(os.path.join(d, k + ".npy"), mmap_mode="r") for k in names)
    os.makedirs(d, exist_ok=True)
    patch_cache(cfg["crop"], cfg["max_files"])  # built once here, not in every worker
    jobs = [(a, min(chunk, n - a), o) for a in range(0, n, chunk)]
    arrays = None
    with mp.get_context("fork").Pool(workers, initializer=_init, initargs=(base_run, cfg["crop"], cfg["max_files"])) as pool:
        for k, part in enumerate(pool.imap(_render, jobs)):   # filled in place: the cache can be larger than memory
            if arrays is None:
                arrays = [np.lib.format.open_memmap(os.path.join(d, nm + ".npy"), "w+", a.dtype, (n,) + a.shape[1:])
                          for nm, a in zip(names, part)]
            a0 = jobs[k][0]
            for arr, a in zip(arrays, part):
                arr[a0:a0 + len(a)] = a
            if k % 20 == 0:
                print(f"sample cache: {min(n, a0 + chunk)}/{n}", flush=True)
    for arr in arrays:
        arr.flush()
    open(os.path.join(d, "done"), "w").close()
    return tuple(np.load(os.path.join(d, k + ".npy"), mmap_mode="r") for k in names)


class CachedSampler:
    """Batches of random restorer_crop windows (maybe mirrored) of cached samples."""
    def __init__(self, cache, batch, crop, seed):
        self.d, self.t, self.q = cache
        self.batch, self.crop = batch, crop
        self.rng = np.random.default_rng(seed)

    def get(self):
        n, s = len(self.d), self.d.shape[1]
        c = min(self.crop or s, s)
        idx = self.rng.integers(0, n, self.batch)
        ys, xs = self.rng.integers(0, s - c + 1, self.batch), self.rng.integers(0, s - c + 1, self.batch)
        flip = self.rng.integers(0, 2, self.batch)
        win = lambda a, i, y, x, f: a[i, y:y + c, x:x + c][:, ::-1] if f else a[i, y:y + c, x:x + c]
        d = np.stack([win(self.d, i, y, x, f) for i, y, x, f in zip(idx, ys, xs, flip)])
        t = np.stack([win(self.t, i, y, x, f) for i, y, x, f in zip(idx, ys, xs, flip)])
        f = lambda a: torch.from_numpy(a).permute(0, 3, 1, 2).float().div_(255.0).contiguous()
        return dict(degraded=f(d), target=f(t), queries=torch.from_numpy(self.q[idx].astype(np.float32)))
