"""Train the generative refiner behind restorer 2: the conditions it learns from are what the app gives it now.

    cd models && /usr/bin/python3 -m restora_models.train_refiner2 --config configs/refiner-2-cpu.json [--resume] [--out DIR]

train_refiner.py trained the shipped refiner behind the 1.x restorer, on the 1.x degradation recipe, with
teacher-forced queries. Here each batch comes from train_restorer.py's sampler (blind second-order degradations,
clean and toned samples, instructions at `instruction_p`); the queries are what the frozen integrator decodes for
the crop and its instruction (train_restorer.steering, as the app's engine decodes them); the frozen restorer 2
(`base_run`: a restorer-2 run, or "zoo" for the run `recover` rebuilds from the shipped models) restores a
`refine_crop`² window, and the refiner learns x0 = the clean target from x_t = restored + s·((1−t)·z0 + t·ε)
(train_refiner.refiner_loss, classifier-free dropout of the queries included). `init_from` starts from another
refiner run (e.g. the shipped one, rebuilt by recover_refiner). The schedule, logging and checkpoints are
loop.py's; validation reports PSNR of the degraded input, the restorer and the sampled refiner on the restorer's
own held-out crops (train_restorer.fixed_val), so "refined − restorer" says whether the refiner adds or costs.
With --out (a lent GPU machine), every checkpoint is also copied there (refiner.pt, with the log), so a run cut
short still leaves its last minute's weights.
"""
import argparse
import json
import os
import shutil

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py
import random

import torch

from . import train_refiner as TRF
from . import train_restorer as TR
from .data import MODELS_DIR, patch_cache
from .loop import Loop
from .refiner_arch import RefinerConfig

DEFAULTS = dict(TR.DEFAULTS, **{k: v for k, v in TRF.DEFAULTS.items() if k not in ("severity_mix", "level_noise")})
DEFAULTS.update(name="refiner-2", base_run="zoo", init_from=None, detail_weight=0.5, crop=128)


def load_config(path):
    with open(path) as f:
        cfg = dict(DEFAULTS, **json.load(f))
    if cfg["base_run"] == "zoo":
        with open(os.path.join(MODELS_DIR, "zoo", "restora-restorer", "manifest.json")) as f:
            cfg["base_run"] = "zoo-" + json.load(f)["version"]
    return cfg


@torch.no_grad()
def windows(rest, lq, gt, queries, crop, rng):
    """(restored, target) of one crop×crop window of the batch (all of it when the crop is the whole patch)."""
    H, W = lq.shape[2:]
    if crop and crop < H:
        y, x = rng.randrange(H - crop + 1), rng.randrange(W - crop + 1)
        lq, gt = lq[:, :, y:y + crop, x:x + crop].contiguous(), gt[:, :, y:y + crop, x:x + crop].contiguous()
    return lq, rest(lq, queries), gt


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--out", default=None, help="also copy each checkpoint (refiner.pt) and the log here")
    args = ap.parse_args(argv)
    cfg = load_config(args.config)
    su = TRF.Setup(cfg, args.resume)
    run_dir, ckpt_path, integ, rest, tok, base, rcfg, dev = su.run_dir, su.ckpt_path, su.integ, su.rest, su.tok, su.base, su.rcfg, su.dev
    model, opt, step, elapsed = su.model, su.opt, su.step, su.elapsed
    rest.eval()
    if not su.resumed and cfg["init_from"]:
        st = torch.load(os.path.join(MODELS_DIR, "runs", cfg["init_from"], "last.pt"), map_location=dev)
        if RefinerConfig(**st["refiner_cfg"]).to_dict() != rcfg.to_dict():
            raise SystemExit(f"init_from {cfg['init_from']}: its refiner is {st['refiner_cfg']}, the config asks for {rcfg.to_dict()}")
        model.load_state_dict(st["refiner"])
        print(f"refiner initialised from {cfg['init_from']} (step {st['step']})")
    patches, is_face = patch_cache(128, cfg["max_files"])
    sampler = TR.Sampler(cfg, patches, is_face, cfg["seed"] * 1000003 + step + 29, TR.patch_detail(patches, cfg["max_files"]))
    crop_rng = random.Random(cfg["seed"] + step)
    gen = torch.Generator().manual_seed(cfg["seed"] * 7919 + step)
    vb = TR.fixed_val(cfg, integ, tok, patches, dev)
    keep = ~vb["clean"]
    val = (vb["queries"][keep], *windows(rest, vb["lq"][keep], vb["gt"][keep], vb["queries"][keep], cfg["refine_crop"], random.Random(5)))
    batch = {}

    def one_step(i):
        if i % cfg["reuse"] == 0 or not batch:
            # a degraded batch and its queries serve `reuse` steps (new window, t and noise each)
            lq, gt, texts = sampler.get()
            batch["lq"], batch["gt"] = lq.to(dev), gt.to(dev)
            with torch.no_grad():
                batch["q"] = TR.steering(integ, tok, batch["lq"], texts)
        _, cond, tgt = windows(rest, batch["lq"], batch["gt"], batch["q"], cfg["refine_crop"], crop_rng)
        loss = TRF.refiner_loss(model, cond, tgt, batch["q"], gen, cfg["p_uncond"], cfg["low_t_fraction"])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return dict(loss=loss.item())

    def state():
        return dict(refiner=model.state_dict(), opt=opt.state_dict(), refiner_cfg=rcfg.to_dict(), base_run=cfg["base_run"],
                    base_step=base["step"], kind="refiner-2")

    def copy_out(_loop):
        os.makedirs(args.out, exist_ok=True)
        shutil.copyfile(ckpt_path, os.path.join(args.out, "refiner.pt"))
        shutil.copyfile(os.path.join(run_dir, "log.jsonl"), os.path.join(args.out, "log.jsonl"))

    loop = Loop(cfg, run_dir, opt, [cfg["lr"]], state, step, elapsed, after_checkpoint=copy_out if args.out else None)
    return loop.run(one_step, lambda: TRF.validate(model, val, cfg))


if __name__ == "__main__":
    main()
