"""Stage 2: tune the cue encoder + integrator alone (restorer frozen) on the
semantic-token loss, keeping the latent queries of the teacher-forced tokens close
to the jointly trained integrator's (MSE), so the restorer's conditioning stays valid.

    cd models && /usr/bin/python3 -m restora_models.tune_integrator --run v1-cpu --seconds 480

Why: after joint training the restorer follows correct tokens well, but the
integrator over-estimated damage levels from the image; its steps are ~20x cheaper
than joint steps, so a few minutes of this stage fix more than the same time jointly.
Writes runs/<run>-tuned/ (same checkpoint format; export with --run <run>-tuned).

With --cue_arch v2 a new cue encoder (integrator_arch.CueEncoderV2) is first
trained alone on the severity labels for --cue_seconds (binary cross-entropy on
the 0..1 strengths), then swapped in and tuned with the integrator as above;
the output goes to runs/<run>-cues2/.

    cd models && /usr/bin/python3 -m restora_models.tune_integrator --run v1.2-cpu --cue_arch v2 \
        --cue_seconds 1200 --seconds 1500
"""
import argparse
import copy
import json
import math
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py
import time

import torch
import torch.nn.functional as F

from . import semantics as S
from .degradations import DAMAGE_TYPES
from .checkpoint import load
from .data import MODELS_DIR, patch_cache
from .models import greedy_decode
from .integrator_arch import CueEncoderV2
from .loop import log_record, save
from .train import Sampler, collate, fixed_val


def level_accuracy(sev_pred, sev_true):
    """Share of (sample, damage slot) pairs whose off/low/high level (semantics.level) the severity head gets right."""
    idx = [DAMAGE_TYPES.index(s) for s in S.DAMAGE_SLOTS]
    pairs = [(S.level(p), S.level(t)) for p, t in zip(sev_pred[:, idx].flatten().tolist(), sev_true[:, idx].flatten().tolist())]
    return sum(a == b for a, b in pairs) / len(pairs)


def pretrain_cues(enc, sampler, tok, dev, vb, args, log):
    """Train a fresh cue encoder alone on the severity labels (BCE on the 0..1 strengths)."""
    enc.to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(enc.parameters(), lr=args.cue_lr, weight_decay=0.01)
    enc.train()
    t0, step, acc = time.time(), 0, [0.0, 0]
    while time.time() - t0 < args.cue_seconds:
        prog = (time.time() - t0) / args.cue_seconds
        for g in opt.param_groups:
            g["lr"] = args.cue_lr * min(1.0, (step + 1) / 50) * (0.02 + 0.98 * 0.5 * (1 + math.cos(prog * math.pi)))
        b = collate(sampler.get(), tok, dev)
        x = b["degraded"].contiguous(memory_format=torch.channels_last)
        loss = F.binary_cross_entropy_with_logits(enc.severity_logits(x), b["sev"])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(enc.parameters(), 1.0)
        opt.step()
        step += 1
        acc = [acc[0] + loss.item(), acc[1] + 1]
        if step % 50 == 0:
            rec = dict(stage="pretrain_cues", step=step, seconds=round(time.time() - t0, 1), bce=round(acc[0] / acc[1], 5),
                       time=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
            if step % 200 == 0:
                enc.eval()
                with torch.no_grad():
                    _, sev = enc(vb["degraded"])
                enc.train()
                rec["val_sev_l1"] = round((sev - vb["sev"]).abs().mean().item(), 4)
                rec["val_level_acc"] = round(level_accuracy(sev, vb["sev"]), 4)
            acc = [0.0, 0]
            log_record(log, rec)
    return step


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", default="v1-cpu")
    ap.add_argument("--seconds", type=float, default=480)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--w_query", type=float, default=1.0)
    ap.add_argument("--w_aux", type=float, default=0.1)
    ap.add_argument("--cue_arch", choices=("keep", "v2"), default="keep")
    ap.add_argument("--cue_seconds", type=float, default=1200)
    ap.add_argument("--cue_lr", type=float, default=2e-3)
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    integ, rest, tok, st = load(args.run)
    ref = copy.deepcopy(integ).eval()
    cfg = dict(st["config"], batch=args.batch)
    out_dir = os.path.join(MODELS_DIR, "runs", args.run + ("-cues2" if args.cue_arch == "v2" else "-tuned"))
    os.makedirs(out_dir, exist_ok=True)
    patches, is_face = patch_cache(cfg["crop"], cfg["max_files"])
    sampler = Sampler(cfg, patches, is_face, 777)
    dev = torch.device("cpu")
    vb = fixed_val(cfg, tok, dev, patches)
    log = open(os.path.join(out_dir, "log.jsonl"), "a")
    started = time.time()
    cue_steps = 0
    if args.cue_arch == "v2":
        integ.cfg.cue_arch = "v2"
        torch.manual_seed(0)
        integ.cue_encoder = CueEncoderV2(integ.cfg)
        cue_steps = pretrain_cues(integ.cue_encoder, sampler, tok, dev, vb, args, log)
    integ.train()
    opt = torch.optim.AdamW(integ.parameters(), lr=args.lr, weight_decay=0.01)
    t0, step, acc = time.time(), 0, [0.0, 0.0, 0.0, 0]

    def val():
        integ.eval()
        with torch.no_grad():
            cues, _ = integ.cue_encoder(vb["degraded"])
            sem, _ = greedy_decode(integ, cues, vb["text"], vb["mask"])
        integ.train()
        return (sem == vb["sem"]).float().mean().item()

    while time.time() - t0 < args.seconds:
        prog = (time.time() - t0) / args.seconds
        for g in opt.param_groups:
            g["lr"] = args.lr * (0.05 + 0.95 * 0.5 * (1 + torch.cos(torch.tensor(prog * 3.14159)).item()))
        b = collate(sampler.get(), tok, dev)
        bos = torch.full((b["sem"].shape[0], 1), S.BOS, dtype=torch.long)
        sem_in = torch.cat([bos, b["sem"]], 1)
        cues, sev = integ.cue_encoder(b["degraded"].contiguous(memory_format=torch.channels_last))
        logits, queries = integ(cues, b["text"], sem_in, b["mask"])
        with torch.no_grad():
            rc, _ = ref.cue_encoder(b["degraded"])
            _, rq = ref(rc, b["text"], sem_in, b["mask"])
        ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]),
                             torch.cat([b["sem"], torch.full_like(bos, S.EOS)], 1).reshape(-1))
        lq = F.mse_loss(queries[:, 1:], rq[:, 1:])
        l_sev = (F.binary_cross_entropy(sev.clamp(1e-5, 1 - 1e-5), b["sev"]) if args.cue_arch == "v2"
                 else F.l1_loss(sev, b["sev"]))
        loss = ce + args.w_aux * l_sev + args.w_query * lq
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(integ.parameters(), 1.0)
        opt.step()
        step += 1
        acc = [acc[0] + loss.item(), acc[1] + ce.item(), acc[2] + lq.item(), acc[3] + 1]
        if step % 50 == 0:
            rec = dict(stage="tune_integrator", step=step, seconds=round(time.time() - t0, 1), loss=round(acc[0] / acc[3], 5),
                       ce=round(acc[1] / acc[3], 5), query_mse=round(acc[2] / acc[3], 5),
                       time=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
            if step % 200 == 0:
                rec["val_slot_acc"] = round(val(), 4)
            acc = [0.0, 0.0, 0.0, 0]
            log_record(log, rec)
    integ.eval()
    cmd = f"cd models && /usr/bin/python3 -m restora_models.tune_integrator --run {args.run} --seconds {int(args.seconds)}"
    if args.cue_arch == "v2":
        cmd += f" --cue_arch v2 --cue_seconds {int(args.cue_seconds)}"
    st2 = dict(st, integrator=integ.state_dict(), integrator_cfg=integ.cfg.to_dict(), opt=None,
               config=dict(st["config"], stage2=cmd, stage2_steps=step, stage2_cue_steps=cue_steps,
                           stage2_seconds=round(time.time() - started)))
    save(os.path.join(out_dir, "last.pt"), st2)
    print(json.dumps({"final": True, "steps": step, "val_slot_acc": val()}), flush=True)


if __name__ == "__main__":
    main()
