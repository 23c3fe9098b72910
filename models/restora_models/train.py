"""Joint training of the semantic integrator and the restorer (teacher forcing).

    cd models && /usr/bin/python3 -m restora_models.train --config configs/v1-cpu.json [--resume]

loss = Charbonnier(restorer(degraded, queries), instruction-dependent target)
     + w_ce * CE(next semantic token) + w_aux * L1(severity head, labels)
The schedule, logging and checkpoints are loop.py's: checkpoints (with their config) in
models/runs/<name>/last.pt every few minutes, JSONL log lines in models/runs/<name>/log.jsonl.
"""
import argparse
import json
import os

# Shared, oversubscribed CPUs: spinning OpenMP workers made 2-thread steps ~5x
# slower than sleeping ones. Must be set before torch starts its thread pool.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import queue
import random
import threading

import numpy as np
import torch
import torch.nn.functional as F

from . import semantics as S
from .batches import make_sample, pick_severity
from .data import MODELS_DIR, patch_cache
from .loop import Loop
from .models import build, device, greedy_decode
from .tokenizer import PAD, Tokenizer
from .tone_arch import Tone, ToneConfig, apply_tone, best_matrix

DEFAULTS = dict(name="run", steps=100000, time_limit_s=3600, batch=12, crop=128, restorer_crop=None, lr=1e-3, lr_integrator=5e-4,
                weight_decay=0.01, warmup=200, w_ce=0.1, w_aux=0.1, face_fraction=0.45,
                severity_mix={"light": 0.25, "medium": 0.5, "severe": 0.25}, log_every=25,
                val_every=300, val_size=48, ckpt_every_s=240, max_files=None, threads=2, seed=0,
                tokenizer="zoo/restora-integrator/tokenizer.json", integrator={}, restorer={},
                init_from=None, level_noise=0.0, level_noise_all=0.0, tone_from=None, tone_train="model",
                tone_oracle_mix=(0.3, 1.0), tone_oracle_noise=0.02, restorer_tokens=None, freeze_integrator=False)


def load_config(path):
    with open(path) as f:
        cfg = dict(DEFAULTS, **json.load(f))
    return cfg


def collate(samples, tok, dev):
    ids = [tok.encode(s["text"]) for s in samples]
    L = max(len(i) for i in ids)
    text = torch.full((len(ids), L), PAD, dtype=torch.long)
    mask = torch.zeros((len(ids), L), dtype=torch.bool)
    for r, i in enumerate(ids):
        text[r, :len(i)] = torch.tensor(i)
        mask[r, :len(i)] = True

    def img(key):
        return torch.from_numpy(np.stack([s[key] for s in samples])).permute(0, 3, 1, 2).contiguous()
    sem = torch.tensor([s["sem"] for s in samples], dtype=torch.long)
    sem_cond = torch.tensor([s.get("sem_cond", s["sem"]) for s in samples], dtype=torch.long)
    sev = torch.from_numpy(np.stack([s["sev"] for s in samples]))
    return dict(degraded=img("degraded").to(dev), target=img("target").to(dev), clean=img("clean").to(dev),
                text=text.to(dev), mask=mask.to(dev), sem=sem.to(dev), sem_cond=sem_cond.to(dev), sev=sev.to(dev))


class Sampler:
    """Background thread that renders degraded batches from the patch cache."""
    def __init__(self, cfg, patches, is_face, seed):
        self.cfg, self.patches = cfg, patches
        self.faces = np.nonzero(is_face)[0]
        self.other = np.nonzero(~is_face)[0]
        self.rng = random.Random(seed)
        self.q = queue.Queue(maxsize=3)
        threading.Thread(target=self._run, daemon=True).start()

    def one(self, rng):
        pool = self.faces if (rng.random() < self.cfg["face_fraction"] and len(self.faces)) else self.other
        p = self.patches[pool[rng.randrange(len(pool))]]
        c = self.cfg["crop"]
        if p.shape[0] > c:
            y, x = rng.randrange(p.shape[0] - c + 1), rng.randrange(p.shape[1] - c + 1)
            p = p[y:y + c, x:x + c]
        return make_sample(np.ascontiguousarray(p), rng.getrandbits(32), pick_severity(rng, self.cfg["severity_mix"]), rng,
                           level_noise=self.cfg.get("level_noise", 0.0), level_noise_all=self.cfg.get("level_noise_all", 0.0))

    def _run(self):
        while True:
            self.q.put([self.one(self.rng) for _ in range(self.cfg["batch"])])

    def get(self):
        return self.q.get()


def charbonnier(a, b, eps=1e-3):
    return torch.sqrt((a - b) ** 2 + eps * eps).mean()


class OracleTone:
    """The stand-in's settings for a run (config tone_oracle_mix, tone_oracle_noise) and its random stream."""
    def __init__(self, seed, mix, noise):
        self.gen, self.mix, self.noise = torch.Generator().manual_seed(seed), tuple(mix), noise

    def __call__(self, deg, target):
        return oracle_tone(deg, target, self.gen, self.mix, self.noise)


def oracle_tone(deg, target, gen, mix=(0.3, 1.0), noise=0.02):
    """A stand-in for the tone model while the restorer trains behind it: per sample the best 3x4
    colour matrix from the degraded crop to its target (least squares), taken only part of the way
    (M = I + w (M* - I), w ~ U(mix)) and jittered, so the restorer learns to clean local damage from
    roughly tone-corrected input and to mend what a whole-photo estimate leaves. The tone model
    itself judges whole photos (train_tone.py), which a 128-pixel crop cannot stand in for."""
    b = deg.shape[0]
    sol = best_matrix(deg, target)
    eye = torch.cat([torch.eye(3), torch.zeros(3, 1)], 1)
    w = torch.empty(b, 1, 1).uniform_(*mix, generator=gen)
    m = eye + w * (sol - eye) + noise * torch.randn(b, 3, 4, generator=gen) * torch.tensor([1.0, 1.0, 1.0, 0.5])
    return apply_tone(m, deg)


def forward(integ, rest, b, rcrop=None, rng=None, tone=None):
    """rcrop: the restorer sees a random rcrop x rcrop window of the (cue-sized)
    sample — cheaper steps; the cues still come from the whole crop.
    tone: a frozen tone model (tone_arch.py; the restorer then sees the sample after its
    colour matrix, estimated from the whole crop) or an OracleTone (the least-squares stand-in)."""
    cues, sev = integ.cue_encoder(b["degraded"])
    bos = torch.full((b["sem"].shape[0], 1), S.BOS, dtype=torch.long, device=b["sem"].device)
    sem_in = torch.cat([bos, b["sem"]], 1)
    logits, queries = integ(cues, b["text"], sem_in, b["mask"])
    eos = torch.full_like(bos, S.EOS)
    ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), torch.cat([b["sem"], eos], 1).reshape(-1))
    if "sem_cond" in b and not torch.equal(b["sem_cond"], b["sem"]):
        # level_noise: the restorer is conditioned on re-drawn damage levels (semantics.noisy_levels)
        _, queries = integ(cues, b["text"], torch.cat([bos, b["sem_cond"]], 1), b["mask"])
    deg = b["degraded"]
    if isinstance(tone, OracleTone):
        deg = tone(deg, b["target"])
    elif tone is not None:
        with torch.no_grad():
            deg = apply_tone(tone(deg, queries[:, 1:]), deg)
    if rcrop and rcrop < deg.shape[2]:
        y, x = rng.randrange(deg.shape[2] - rcrop + 1), rng.randrange(deg.shape[3] - rcrop + 1)
        deg = deg[:, :, y:y + rcrop, x:x + rcrop]
        b["target_window"] = b["target"][:, :, y:y + rcrop, x:x + rcrop]
    else:
        b["target_window"] = b["target"]
    out = rest(deg.contiguous(memory_format=torch.channels_last), queries[:, 1:])
    return out, ce, F.l1_loss(sev, b["sev"]), logits


def psnr(a, b):
    mse = ((a - b) ** 2).flatten(1).mean(1).clamp(min=1e-10)
    return (10 * torch.log10(1.0 / mse)).mean().item()


def fixed_val(cfg, tok, dev, patches):
    """Held-out crops (bsds500/val + people 001-012), medium severity, empty instruction.
    Without ../shared/data (pack-only GPU machine) it falls back to the last training
    patches, which are NOT held out: val numbers there are only a sanity check."""
    from .data import data_root, val_images
    rng = random.Random(123)
    if os.path.isdir(data_root()):
        imgs = val_images("bsds", None)[:24] + val_images("faces", 384)[:24]
    else:
        imgs = [np.asarray(p) for p in patches[-cfg["val_size"]:]]
    samples = []
    for i in range(cfg["val_size"]):
        im = imgs[i % len(imgs)]
        c = cfg["crop"]
        y, x = rng.randrange(im.shape[0] - c + 1), rng.randrange(im.shape[1] - c + 1)
        samples.append(make_sample(im[y:y + c, x:x + c], 1000 + i, "medium", rng, typo_p=0, intent={}))
    return collate(samples, tok, dev)


@torch.no_grad()
def validate(integ, rest, vb, tone=None):
    integ.eval(), rest.eval()
    out_tf, ce, aux, logits = forward(integ, rest, vb, tone=tone)
    cues, _ = integ.cue_encoder(vb["degraded"])
    sem, queries = greedy_decode(integ, cues, vb["text"], vb["mask"])
    if isinstance(tone, OracleTone):   # the stand-in at full strength: val_psnr_out is "behind a perfect tone"
        x = oracle_tone(vb["degraded"], vb["target"], torch.Generator().manual_seed(0), (1.0, 1.0), 0.0)
    else:
        x = vb["degraded"] if tone is None else apply_tone(tone(vb["degraded"], queries), vb["degraded"])
    out = rest(x, queries)
    integ.train(), rest.train()
    return dict(val_psnr_in=psnr(vb["degraded"], vb["clean"]), val_psnr_out=psnr(out, vb["clean"]),
                val_psnr_tf=psnr(out_tf, vb["target"]), val_ce=ce.item(), val_aux=aux.item(),
                val_slot_acc=(sem == vb["sem"]).float().mean().item())


def make_tone(cfg):
    """What the restorer's input passes through in training: None, the least-squares stand-in with the
    run's tone_oracle_mix / tone_oracle_noise (tone_train "oracle"), or the frozen tone model tone_from."""
    if not cfg["tone_from"]:
        return None
    if cfg["tone_train"] == "oracle":
        print(f"restorer inputs tone-corrected by the least-squares stand-in (shipped with {cfg['tone_from']})")
        return OracleTone(cfg["seed"] + 7, cfg["tone_oracle_mix"], cfg["tone_oracle_noise"])
    tst = torch.load(os.path.join(MODELS_DIR, "runs", cfg["tone_from"], "last.pt"), map_location="cpu")
    tone = Tone(ToneConfig(**tst["tone_cfg"])).eval()
    tone.load_state_dict(tst["tone"])
    for p in tone.parameters():
        p.requires_grad_(False)
    print(f"restorer inputs tone-corrected by {cfg['tone_from']} (step {tst['step']})")
    return tone


def init_from(cfg, integ, rest, dev):
    """Start from another run's weights (same architecture, fresh optimiser and schedule). A restorer with
    more NAF blocks than the one it starts from is allowed: the new blocks start as the identity (NAFBlock's
    beta and gamma are zero at init), so the grown model computes exactly what the old one did."""
    st = torch.load(os.path.join(MODELS_DIR, "runs", cfg["init_from"], "last.pt"), map_location=dev)
    integ.load_state_dict(st["integrator"])
    missing, unexpected = rest.load_state_dict(st["restorer"], strict=False)
    new_blocks = all(".".join(k.split(".")[:2]) in {"encoders." + str(i) for i in range(9)} | {"decoders." + str(i) for i in range(9)}
                     or k.startswith("middle.") for k in missing)
    if unexpected or not new_blocks:
        raise SystemExit(f"{cfg['init_from']}: restorer does not match (missing {missing[:4]}, unexpected {unexpected[:4]})")
    print(f"initialised from {cfg['init_from']} (step {st['step']})" + (f", {len(missing)} new restorer tensors" if missing else ""))


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--resume", action="store_true")
    args = ap.parse_args(argv)
    cfg = load_config(args.config)
    torch.set_num_threads(cfg["threads"])
    torch.manual_seed(cfg["seed"])
    dev = device()
    run_dir = os.path.join(MODELS_DIR, "runs", cfg["name"])
    ckpt_path = os.path.join(run_dir, "last.pt")
    tok = Tokenizer.load(os.path.join(MODELS_DIR, cfg["tokenizer"]))
    integ, rest = build(cfg, tok.size)
    integ.to(dev), rest.to(dev, memory_format=torch.channels_last)
    tone = make_tone(cfg)
    if cfg["freeze_integrator"]:
        for p in integ.parameters():
            p.requires_grad_(False)
    groups = [{"params": rest.parameters(), "lr": cfg["lr"]}]
    if not cfg["freeze_integrator"]:
        groups.append({"params": integ.parameters(), "lr": cfg["lr_integrator"]})
    opt = torch.optim.AdamW(groups, weight_decay=cfg["weight_decay"], betas=(0.9, 0.99))
    base_lrs = [cfg["lr"], cfg["lr_integrator"]][:len(groups)]
    step, elapsed = 0, 0.0
    resume = args.resume and os.path.exists(ckpt_path)
    if cfg["init_from"] and not resume:
        init_from(cfg, integ, rest, dev)
    if resume:
        st = torch.load(ckpt_path, map_location=dev)
        integ.load_state_dict(st["integrator"]), rest.load_state_dict(st["restorer"])
        opt.load_state_dict(st["opt"])
        step, elapsed = st["step"], st["elapsed"]
        print(f"resumed at step {step}, {elapsed:.0f}s")
        if isinstance(tone, OracleTone):
            tone.gen.manual_seed(cfg["seed"] + 7 + step)
    patches, is_face = patch_cache(cfg["crop"], cfg["max_files"])
    sampler = Sampler(cfg, patches, is_face, cfg["seed"] * 1000003 + step)
    vb = fixed_val(cfg, tok, dev, patches)
    crop_rng = random.Random(cfg["seed"] + step)
    params = list(rest.parameters()) + list(integ.parameters())

    def one_step(i):
        b = collate(sampler.get(), tok, dev)
        if cfg["freeze_integrator"]:
            integ.eval()
        out, ce, aux, _ = forward(integ, rest, b, cfg["restorer_crop"], crop_rng, tone)
        l_img = charbonnier(out, b["target_window"])
        loss = l_img if cfg["freeze_integrator"] else l_img + cfg["w_ce"] * ce + cfg["w_aux"] * aux
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        return dict(loss=loss.item(), l_img=l_img.item(), ce=ce.item(), aux=aux.item())

    def state():
        return dict(integrator=integ.state_dict(), restorer=rest.state_dict(), opt=opt.state_dict(),
                    integrator_cfg=integ.cfg.to_dict(), restorer_cfg=rest.cfg.to_dict(), tokenizer=tok.to_json())

    loop = Loop(cfg, run_dir, opt, base_lrs, state, step, elapsed)
    return loop.run(one_step, lambda: validate(integ, rest, vb, tone))


if __name__ == "__main__":
    main()
