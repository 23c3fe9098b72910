"""Models 2: train the restorer on degradations that generalise, steered by a frozen integrator.

    cd models && /usr/bin/python3 -m restora_models.train_restorer --config configs/restorer-2-cpu.json [--resume] [--out DIR]

The cue encoder and integrator come frozen from `integrator_from` (a run directory, e.g. `zoo-1.7.0` that
`recover` rebuilds from the shipped ONNX files); for every training sample they read the degraded crop and
the instruction (usually empty: what most restorations are; sometimes a random one, whose target is still
the full restoration, so an instruction never makes the restorer do worse) and greedily decode the semantic
tokens whose hidden states — the latent queries — steer the restorer. Samples come from
`blind_degradations.degrade` (second order, random kernels, resize modes and step order; clean and toned
samples that must come back unchanged). The target keeps the photo's global look: tone is not the
restorer's job.

loss = mean over the batch of 10·log10(MSE + 1e-5)   (minus the mean PSNR, floored at 50 dB; the
figure the benchmarks report). The run keeps an exponential moving average of the weights; export uses it.
Checkpoints every `ckpt_every_s` into runs/<name>/last.pt (and --out, for a lent GPU: $OUT).
"""
import argparse
import copy
import json
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import queue
import random
import shutil
import threading
import time

import numpy as np
import torch

from .blind_degradations import degrade
from .checkpoint import load as load_run
from .data import MODELS_DIR, patch_cache, val_images
from .instructions import render, sample_intent
from .loop import Loop, save
from .models import device, greedy_decode
from .restorer_arch import Restorer, RestorerConfig
from .tokenizer import PAD
from . import semantics as S

DEFAULTS = dict(name="restorer", integrator_from="zoo-1.7.0", init_from=None, steps=200000, time_limit_s=3600,
                batch=16, crop=96, crops=None, lr=1e-3, weight_decay=0.0, warmup=300, ema=0.999, log_every=50,
                val_every=500, val_size=48, ckpt_every_s=300, max_files=None, threads=2, seed=0, face_fraction=0.35,
                instruction_p=0.2, degradations={}, restorer={})


def load_config(path):
    with open(path) as f:
        cfg = dict(DEFAULTS, **json.load(f))
    for k in ("integrator_from", "init_from"):
        if cfg[k] == "zoo":   # the run `recover` rebuilds from the shipped models: runs/zoo-<restorer version>
            with open(os.path.join(MODELS_DIR, "zoo", "restora-restorer", "manifest.json")) as f:
                cfg[k] = "zoo-" + json.load(f)["version"]
    return cfg


def crop_at(cfg, progress):
    """(crop, batch) for this point of the run: `crops` is [[from_progress, crop, batch], ...] (progressive
    patch sizes: small crops, large batches first), else the fixed crop and batch."""
    if not cfg["crops"]:
        return cfg["crop"], cfg["batch"]
    cur = cfg["crops"][0]
    for c in cfg["crops"]:
        if progress >= c[0]:
            cur = c
    return cur[1], cur[2]


def to_tensor(u8):
    return torch.from_numpy(np.ascontiguousarray(u8).astype(np.float32) / 255.0).permute(2, 0, 1).contiguous()


class Samples:
    """Training samples (degraded, target, instruction) from the patch cache; `batch` is read at each batch
    so progressive patch sizes can change it."""

    def __init__(self, cfg, patches, is_face, seed, detail=None):
        self.cfg, self.patches = cfg, patches
        self.faces, self.other = np.nonzero(is_face)[0], np.nonzero(~is_face)[0]
        self.rng = random.Random(seed)
        self.nrng = np.random.default_rng(seed)
        self.batch = cfg["batch"]
        # Detail-weighted draws (cfg detail_weight w): a patch's chance grows with its detail rank r in 0..1 as
        # (1 - w) + 2w·r, so each CPU step teaches more than a flat patch of sky would; w = 0 draws uniformly.
        w = cfg.get("detail_weight", 0.0)
        self.cum = {}
        for name, pool in (("faces", self.faces), ("other", self.other)):
            if w > 0 and detail is not None and len(pool):
                r = np.argsort(np.argsort(detail[pool])) / max(1, len(pool) - 1)
                self.cum[name] = np.cumsum((1 - w) + 2 * w * r)

    def draw(self, name, pool):
        if name in self.cum:
            c = self.cum[name]
            return pool[min(len(pool) - 1, int(np.searchsorted(c, self.rng.random() * c[-1])))]
        return pool[self.rng.randrange(len(pool))]

    def one(self):
        rng = self.rng
        face = rng.random() < self.cfg["face_fraction"] and len(self.faces)
        p = np.asarray(self.patches[self.draw("faces", self.faces) if face else self.draw("other", self.other)])
        pool = self.faces if face else self.other
        k = rng.randrange(4) if self.cfg.get("patches") != "faces-aligned" else 0   # aligned faces stay upright
        p = np.rot90(p, k) if k and not (pool is self.faces and k % 2) else p  # faces stay upright-ish
        if rng.random() < 0.5:
            p = p[:, ::-1]
        lq, gt = degrade(to_tensor(p), self.nrng, self.cfg["degradations"])
        text = render(sample_intent(rng, empty_p=0.0), rng) if rng.random() < self.cfg["instruction_p"] else ""
        return lq, gt, text

    def make_batch(self, n):
        s = [self.one() for _ in range(n)]
        return torch.stack([a for a, _, _ in s]), torch.stack([b for _, b, _ in s]), [t for _, _, t in s]


class Sampler:
    """Renders batches in the background: a thread on a small CPU (workers 0), or `workers` processes
    (a lent GPU machine, where one Python thread cannot keep up with the GPU)."""

    def __init__(self, cfg, patches, is_face, seed, detail=None):
        self.samples = Samples(cfg, patches, is_face, seed, detail)
        self.workers = cfg.get("workers", 0)
        self.q = queue.Queue(maxsize=3)
        if self.workers:
            import multiprocessing as mp
            ctx = mp.get_context("fork")
            self.mq = ctx.Queue(maxsize=4 * self.workers)
            self.size = ctx.Value("i", cfg["batch"])
            for w in range(self.workers):
                ctx.Process(target=_worker, args=(cfg, patches, is_face, seed * 7919 + w, self.mq, self.size, detail), daemon=True).start()
        else:
            threading.Thread(target=self._run, daemon=True).start()

    @property
    def batch(self):
        return self.size.value if self.workers else self.samples.batch

    @batch.setter
    def batch(self, n):
        if self.workers:
            self.size.value = n
        else:
            self.samples.batch = n

    def _run(self):
        torch.set_num_threads(1)
        while True:
            self.q.put(self.samples.make_batch(self.samples.batch))

    def get(self):
        return self.mq.get() if self.workers else self.q.get()


def _worker(cfg, patches, is_face, seed, mq, size, detail):
    torch.set_num_threads(1)
    s = Samples(cfg, patches, is_face, seed, detail)
    while True:
        mq.put(s.make_batch(size.value))


def patch_detail(patches, max_files, tag=None):
    """Mean absolute Laplacian of each patch's luma (cached beside the patch cache)."""
    path = os.path.join(MODELS_DIR, ".cache", f"{tag or 'patches_128_' + str(max_files or 'all')}_detail.npy")
    if os.path.exists(path):
        d = np.load(path)
        if len(d) == len(patches):
            return d
    out = np.empty(len(patches), np.float32)
    for i in range(0, len(patches), 512):
        y = np.asarray(patches[i:i + 512], np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
        lap = 4 * y[:, 1:-1, 1:-1] - y[:, :-2, 1:-1] - y[:, 2:, 1:-1] - y[:, 1:-1, :-2] - y[:, 1:-1, 2:]
        out[i:i + 512] = np.abs(lap).mean((1, 2))
    np.save(path, out)
    return out


def encode_texts(tok, texts, dev):
    ids = [tok.encode(t) for t in texts]
    L = max(len(i) for i in ids)
    text = torch.full((len(ids), L), PAD, dtype=torch.long)
    mask = torch.zeros((len(ids), L), dtype=torch.bool)
    for r, i in enumerate(ids):
        text[r, :len(i)] = torch.tensor(i)
        mask[r, :len(i)] = True
    return text.to(dev), mask.to(dev)


@torch.no_grad()
def steering(integ, tok, lq, texts):
    """The latent queries the frozen integrator decodes for these crops and instructions."""
    cues, _ = integ.cue_encoder(lq)
    text, mask = encode_texts(tok, texts, lq.device)
    return greedy_decode(integ, cues, text, mask)[1]


def psnr_loss(out, target):
    mse = ((out - target) ** 2).flatten(1).mean(1)
    return (10 * torch.log10(mse + 1e-5)).mean()


def psnr(a, b):
    mse = ((a - b) ** 2).flatten(1).mean(1).clamp(min=1e-10)
    return 10 * torch.log10(1.0 / mse)


def fixed_val(cfg, integ, tok, patches, dev):
    """Held-out crops (bsds500/val, people 001-012 at 384 px) degraded by the training distribution with fixed
    seeds, plus a few that must come back unchanged (clean, clean toned). Without ../shared/data (a GPU pack
    machine) the last training patches stand in: a sanity check only."""
    from .data import data_root
    rng = random.Random(123)
    nrng = np.random.default_rng(123)
    if cfg.get("patches") == "faces-aligned" and os.path.isdir(data_root()):
        # the face restorer: held-out people (001-012) aligned as the engine aligns them, crops from brow to chin
        from .face_data import MARGIN, aligned_cache
        imgs = [c[MARGIN + 96:MARGIN + 448, MARGIN + 80:MARGIN + 432] for c in aligned_cache(512, "val")[0]]
    elif os.path.isdir(data_root()):
        imgs = val_images("bsds", None)[:24] + val_images("faces", 384)[:12]
    else:
        imgs = [np.asarray(p) for p in patches[-cfg["val_size"]:]]
    lqs, gts, clean = [], [], []
    for i in range(cfg["val_size"]):
        im = imgs[i % len(imgs)]
        y, x = rng.randrange(im.shape[0] - 128 + 1), rng.randrange(im.shape[1] - 128 + 1)
        c = to_tensor(im[y:y + 128, x:x + 128])
        unchanged = i % 6 == 5
        lq, gt = degrade(c, nrng, dict(cfg["degradations"], p_clean=1.0 if unchanged else 0.0))
        lqs.append(lq), gts.append(gt), clean.append(unchanged)
    lq, gt = torch.stack(lqs).to(dev), torch.stack(gts).to(dev)
    return dict(lq=lq, gt=gt, clean=torch.tensor(clean), queries=steering(integ, tok, lq, [""] * len(lqs)))


@torch.no_grad()
def validate(rest, vb):
    rest.eval()
    out = torch.cat([rest(vb["lq"][i:i + 8], vb["queries"][i:i + 8]) for i in range(0, len(vb["lq"]), 8)])
    rest.train()
    p_in, p_out = psnr(vb["lq"], vb["gt"]), psnr(out, vb["gt"])
    c = vb["clean"]
    return dict(val_psnr_in=p_in[~c].mean().item(), val_psnr_out=p_out[~c].mean().item(),
                val_clean_out=p_out[c].clamp(max=60).mean().item())


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--out", help="after every checkpoint also write a compact one here (restorer.pt: the EMA weights in "
                                  "float16, under 16 MB) and the log (a lent GPU machine's $OUT)")
    ap.add_argument("--adopt", help="make runs/<name>/last.pt from a compact checkpoint (a GPU run's restorer.pt) and stop")
    args = ap.parse_args(argv)
    cfg = load_config(args.config)
    torch.set_num_threads(cfg["threads"])
    torch.manual_seed(cfg["seed"])
    dev = device()
    run_dir = os.path.join(MODELS_DIR, "runs", cfg["name"])
    ckpt_path = os.path.join(run_dir, "last.pt")
    integ, _, tok, ist = load_run(cfg["integrator_from"])
    integ.to(dev)
    for p in integ.parameters():
        p.requires_grad_(False)
    rcfg = RestorerConfig(k=S.K, dq=integ.cfg.dq, **cfg["restorer"])
    rest = Restorer(rcfg).to(dev, memory_format=torch.channels_last)
    opt = torch.optim.AdamW(rest.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"], betas=(0.9, 0.99))
    step, elapsed = 0, 0.0
    if args.resume and os.path.exists(ckpt_path):
        st = torch.load(ckpt_path, map_location=dev, weights_only=False)
        rest.load_state_dict(st["restorer_raw"])
        opt.load_state_dict(st["opt"])
        ema_state = st["restorer"]
        step, elapsed = st["step"], st["elapsed"]
        print(f"resumed at step {step}, {elapsed:.0f}s")
    else:
        ema_state = None
        if cfg["init_from"]:
            st = torch.load(os.path.join(MODELS_DIR, "runs", cfg["init_from"], "last.pt"), map_location=dev, weights_only=False)
            if RestorerConfig(**st["restorer_cfg"]) != rcfg:
                # the zoo still ships another architecture (models 1.x): this run starts it afresh
                print(f"{cfg['init_from']} has another restorer architecture; training from scratch")
                cfg["init_from"] = None
            else:
                rest.load_state_dict(st["restorer"])   # the EMA weights the earlier run exported
                print(f"restorer initialised from {cfg['init_from']} (step {st['step']})")
    if args.adopt:
        c = torch.load(args.adopt, map_location="cpu", weights_only=False)
        rest.load_state_dict(c["restorer"])
        os.makedirs(run_dir, exist_ok=True)
        save(ckpt_path, dict(restorer=rest.state_dict(), restorer_raw=rest.state_dict(), opt=opt.state_dict(), integrator=integ.state_dict(),
                             integrator_cfg=integ.cfg.to_dict(), restorer_cfg=rcfg.to_dict(), tokenizer=tok.to_json(),
                             integrator_from=cfg["integrator_from"], kind="restorer-2", step=c["step"], elapsed=c["elapsed"],
                             config=dict(c["config"], name=cfg["name"]), adopted=os.path.basename(args.adopt)))
        print(f"adopted {args.adopt} (step {c['step']}) as {ckpt_path}")
        return c["step"]
    ema = copy.deepcopy(rest).eval()
    if ema_state is not None:
        ema.load_state_dict(ema_state)
    for p in ema.parameters():
        p.requires_grad_(False)
    if cfg.get("patches") == "faces-aligned":
        from .face_data import aligned_patches
        patches, is_face, tag = aligned_patches(128, per_face=cfg.get("per_face", 32), max_files=cfg["max_files"])
    else:
        (patches, is_face), tag = patch_cache(128, cfg["max_files"]), None
    sampler = Sampler(cfg, patches, is_face, cfg["seed"] * 1000003 + step, patch_detail(patches, cfg["max_files"], tag))
    vb = fixed_val(cfg, integ, tok, patches, dev)
    crop_rng = random.Random(cfg["seed"] + step)
    params = list(rest.parameters())

    def one_step(i):
        crop, batch = crop_at(cfg, max(i / cfg["steps"], (loop_time() / cfg["time_limit_s"])))
        sampler.batch = batch
        lq, gt, texts = sampler.get()
        lq, gt = lq.to(dev), gt.to(dev)
        queries = steering(integ, tok, lq, texts)
        if crop < lq.shape[2]:
            y, x = crop_rng.randrange(lq.shape[2] - crop + 1), crop_rng.randrange(lq.shape[3] - crop + 1)
            lq, gt = lq[:, :, y:y + crop, x:x + crop], gt[:, :, y:y + crop, x:x + crop]
        out = rest(lq.contiguous(memory_format=torch.channels_last), queries)
        loss = psnr_loss(out, gt)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 0.5)
        opt.step()
        with torch.no_grad():
            d = min(cfg["ema"], (1 + i) / (10 + i))
            for pe, pr in zip(ema.parameters(), rest.parameters()):
                pe.mul_(d).add_(pr.detach(), alpha=1 - d)
        # both as the loss counts them (PSNR floored at 50 dB), so they compare
        return dict(psnr_out=-loss.item(), psnr_in=-psnr_loss(lq, gt).item())

    def state():
        return dict(restorer=ema.state_dict(), restorer_raw=rest.state_dict(), opt=opt.state_dict(),
                    integrator=integ.state_dict(), integrator_cfg=integ.cfg.to_dict(), restorer_cfg=rcfg.to_dict(),
                    tokenizer=tok.to_json(), integrator_from=cfg["integrator_from"], kind="restorer-2")

    def compact(lp):
        os.makedirs(args.out, exist_ok=True)
        save(os.path.join(args.out, "restorer.pt"), dict(restorer={k: v.half() for k, v in ema.state_dict().items()}, step=lp.step,
                                                           elapsed=time.time() - lp.t0, config=cfg, restorer_cfg=rcfg.to_dict(), kind="restorer-2-compact"))
        shutil.copyfile(os.path.join(run_dir, "log.jsonl"), os.path.join(args.out, "log.jsonl"))

    loop = Loop(cfg, run_dir, opt, [cfg["lr"]], state, step, elapsed, after_checkpoint=compact if args.out else None)
    loop_time = lambda: time.time() - loop.t0
    return loop.run(one_step, lambda: validate(ema, vb))


if __name__ == "__main__":
    main()
