"""On-policy preference optimisation of the generative refiner in the diffusion loop (LRPO / Pref-Restore style).

    cd models && /usr/bin/python3 -m restora_models.recover_refiner          # the base policy: runs/zoo-refiner-1.0.0
    cd models && /usr/bin/python3 -m restora_models.train_preference --config configs/preference-cpu.json
    cd models && nice -n 5 /usr/bin/python3 -m restora_models.train_lrpo --config configs/lrpo-cpu.json [--resume] [--out DIR]

Each step: `inputs` training crops are degraded (lrpo_data.py) and restored by the frozen restorer 2.0 (`base_run`)
under the empty instruction; from each restorer output the refiner samples `group` candidates with the stochastic
sampler (lrpo.py) at the app's fidelity, steps and guidance; the composite reward (rewards.py: low-frequency
fidelity, SSIM, NIQE-like quality, identity proxy on faces, learned preference) is turned into group-normalised
advantages, assigned to the steps by noise level, and the PPO-clip loss plus the ground-truth guided likelihood
term and the L2 pull to the base weights is minimised. The base refiner (`base_refiner`, a run name or .pt) is
only read; its sha256 is checked at the end.

Before training (once per run) and after it, lrpo_report.py measures base and tuned on held-out inputs; report.json
holds fast, base, tuned and tuned - base. Checkpoints every `ckpt_every_s` into runs/<name>/last.pt (--resume goes
on from it), and with --out a compact copy (refiner weights, ~2 MB) and the log after each (a lent GPU's $OUT).
At the end the tuned refiner is exported as a zoo-format model into runs/<name>/zoo/restora-refiner (export_lrpo.py;
never into models/zoo).
"""
import argparse
import hashlib
import json
import os
import shutil

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import time

import numpy as np
import torch

from .data import MODELS_DIR, patch_cache
from .loop import Loop, save
from .models import device
from .lrpo import (group_advantages, gt_likelihood_loss, l2_to_base, noise_level_weights, policy_loss, rollout,
                   step_logprob)
from .lrpo_data import TrainInputs, have_shared_data, heldout, restore
from .lrpo_report import delta, evaluate_fast, evaluate_refiner, prepare
from .nr_quality import fit_pristine
from .refiner_arch import Refiner, RefinerConfig
from .rewards import COMPONENTS, IdentityProxy, Rewards

DEFAULTS = dict(name="lrpo", base_refiner="zoo-refiner-1.0.0", base_run="zoo-2.0.0", preference="preference-cpu",
                steps=100000, time_limit_s=1500, inputs=2, group=6, crop=96, fidelity=0.7, sample_steps=4, guidance=1.5,
                eta=0.5, lr=2e-5, weight_decay=0.0, warmup=10, clip=0.2, ppo_epochs=1, adv_clip=5.0, adv_std="group",
                weights=dict(fidelity=0.3, ssim=0.2, nr=0.1, identity=0.1, preference=0.3), w_gt=1.0, gt_t_max=0.3,
                w_l2=0.05, face_fraction=0.4, severity_mix={"medium": 0.5, "severe": 0.5}, log_every=5, val_every=50,
                val_size=8, val_seeds=2, ckpt_every_s=60, threads=2, seed=0, max_files=None, pristine_images=400,
                report=dict(bsds=8, faces=8, size=128, seeds=8), export=True, version="1.1.0")


def load_config(path):
    with open(path) as f:
        cfg = dict(DEFAULTS, **json.load(f))
    cfg["report"] = dict(DEFAULTS["report"], **cfg.get("report", {}))
    return cfg


def run_path(run, file="last.pt"):
    return run if run.endswith(".pt") else os.path.join(MODELS_DIR, "runs", run, file)


def load_refiner(run):
    st = torch.load(run_path(run), map_location="cpu")
    m = Refiner(RefinerConfig(**st["refiner_cfg"]))
    m.load_state_dict(st["refiner"])
    return m.eval(), st


def sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def pristine_model(cfg, patches):
    """nr_quality's pristine model from `pristine_images` random clean training patches (cached)."""
    path = os.path.join(MODELS_DIR, ".cache", f"niqe_pristine_{cfg['pristine_images']}_{cfg['max_files'] or 'all'}.pt")
    if os.path.exists(path):
        return torch.load(path)
    idx = np.sort(np.random.default_rng(0).choice(len(patches), min(len(patches), cfg["pristine_images"]), replace=False))
    imgs = torch.from_numpy(np.asarray(patches[idx]).astype(np.float32) / 255).permute(0, 3, 1, 2).contiguous()
    pr = fit_pristine(imgs)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    save(path, pr)
    return pr


def report_items(cfg, patches):
    r = cfg["report"]
    if have_shared_data():
        return heldout(r["bsds"], r["faces"], r["size"])
    # a lent GPU machine with only the pack: the last training patches stand in (a sanity check, not held out)
    from .lrpo_data import chw, degrade
    out = []
    for i, p in enumerate(patches[-(r["bsds"] + r["faces"]):]):
        for sev in ("medium", "severe"):
            d, g = degrade(np.asarray(p)[:r["size"], :r["size"]].astype(np.float32) / 255, 70000 + i, sev)
            out.append(dict(name=f"patch-{i}", severity=sev, deg=chw(d), gt=chw(g), is_face=False))
    return out


def context(cfg):
    """Frozen parts: integrator + restorer, reward models, held-out batches."""
    from .checkpoint import load as load_base
    from .preference import load as load_pref
    torch.set_num_threads(cfg["threads"])
    dev = device()
    integ, rest, tok, _ = load_base(cfg["base_run"])
    integ.to(dev), rest.to(dev)
    for p in list(integ.parameters()) + list(rest.parameters()):
        p.requires_grad_(False)
    patches, is_face = patch_cache(128, cfg["max_files"])
    pref = load_pref(run_path(cfg["preference"], "preference.pt"))[0].to(dev) if cfg["preference"] else None
    rewards = Rewards(cfg["weights"], pristine_model(cfg, patches), IdentityProxy(rest), pref)
    items = report_items(cfg, patches)
    batch = prepare(items, integ, rest, tok)
    # validation during training: a few held-out items, both severities, fewer seeds
    n = min(cfg["val_size"], len(items))
    pick = np.linspace(0, len(items) - 1, n).round().astype(int).tolist()
    val = prepare([items[i] for i in pick], integ, rest, tok)
    return dict(dev=dev, integ=integ, rest=rest, tok=tok, patches=patches, is_face=is_face, rewards=rewards, report_batch=batch,
                val_batch=val, run_dir=os.path.join(MODELS_DIR, "runs", cfg["name"]))


def collect(model, ctx, inputs, cfg, gen):
    """One group rollout: inputs, candidates, rewards and advantages."""
    deg, gt, face = (t.to(ctx["dev"]) for t in inputs.batch(cfg["inputs"], cfg["crop"]))
    q, cond = restore(ctx["integ"], ctx["rest"], ctx["tok"], deg)
    G = cfg["group"]
    rep = lambda t: t.repeat_interleave(G, 0)
    cond_g, q_g, gt_g, face_g = rep(cond), rep(q), rep(gt), rep(face)
    eps = torch.randn(cond_g.shape, generator=gen).to(ctx["dev"])
    out, traj = rollout(model, cond_g, q_g, eps, cfg["fidelity"], cfg["sample_steps"], cfg["guidance"], cfg["eta"], gen)
    comps = ctx["rewards"].components(out, cond_g, gt_g, q_g, face_g)
    R = ctx["rewards"].total(comps)
    adv = group_advantages(R, G, cfg["adv_clip"], cfg["adv_std"])
    return dict(cond=cond, q=q, gt=gt, cond_g=cond_g, q_g=q_g, traj=traj, comps=comps, reward=R, adv=adv)


def surrogate(model, roll, cfg):
    """The noise-level-weighted PPO-clip loss of a rollout under the current weights (with gradients)."""
    w = noise_level_weights([st["sigma"] for st in roll["traj"]])
    total = 0.0
    for k, st in enumerate(roll["traj"]):
        lp = step_logprob(model, st, roll["cond_g"], roll["q_g"], cfg["guidance"], cfg["eta"])
        a = (roll["adv"] * w[k]).clamp(-cfg["adv_clip"], cfg["adv_clip"])
        total = total + policy_loss(lp, st["logp"], a, cfg["clip"]) / len(roll["traj"])
    return total


def update(model, opt, base_params, roll, cfg, gen):
    """ppo_epochs optimiser steps on one rollout. Returns the losses of the last."""
    params = [p for p in model.parameters() if p.requires_grad]
    for _ in range(cfg["ppo_epochs"]):
        pol = surrogate(model, roll, cfg)
        gt = gt_likelihood_loss(model, roll["cond"], roll["gt"], roll["q"], cfg["gt_t_max"], gen)
        l2 = l2_to_base(model, base_params)
        loss = pol + cfg["w_gt"] * gt + cfg["w_l2"] * l2
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
    return dict(loss=loss.item(), policy=pol.item(), gt=gt.item(), l2=l2.item())


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--out", help="after every checkpoint also write refiner.pt (compact) and the log here ($OUT)")
    args = ap.parse_args(argv)
    cfg = load_config(args.config)
    torch.manual_seed(cfg["seed"])
    ctx = context(cfg)
    run_dir = ctx["run_dir"]
    os.makedirs(run_dir, exist_ok=True)
    ckpt_path = os.path.join(run_dir, "last.pt")
    base_file = run_path(cfg["base_refiner"])
    base_sha = sha256(base_file)
    model, bst = load_refiner(cfg["base_refiner"])
    model.to(ctx["dev"])
    base_params = [p.detach().clone() for p in model.parameters()]
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"], betas=(0.9, 0.99))
    step, elapsed = 0, 0.0
    if args.resume and os.path.exists(ckpt_path):
        st = torch.load(ckpt_path, map_location=ctx["dev"])
        model.load_state_dict(st["refiner"])
        opt.load_state_dict(st["opt"])
        step, elapsed = st["step"], st["elapsed"]
        print(f"resumed at step {step}, {elapsed:.0f}s")
    rb = ctx["report_batch"]
    R, S = cfg["report"], (cfg["fidelity"], cfg["sample_steps"], cfg["guidance"])
    base_report_path = os.path.join(run_dir, "report_base.json")
    if not os.path.exists(base_report_path):
        base_model = load_refiner(cfg["base_refiner"])[0].to(ctx["dev"])
        t = time.time()
        json.dump(dict(fast=evaluate_fast(rb, ctx["rewards"]), base=evaluate_refiner(base_model, rb, ctx["rewards"], *S, R["seeds"]),
                       seconds=round(time.time() - t, 1)), open(base_report_path, "w"), indent=1)
    inputs = TrainInputs(cfg, ctx["patches"], ctx["is_face"], cfg["seed"] * 1009 + step + 1)
    gen = torch.Generator().manual_seed(cfg["seed"] * 7919 + step)

    def one_step(i):
        model.eval()
        roll = collect(model, ctx, inputs, cfg, gen)
        model.train()
        out = update(model, opt, base_params, roll, cfg, gen)
        G = cfg["group"]
        out.update(reward=roll["reward"].mean().item(), reward_spread=roll["reward"].view(-1, G).std(1).mean().item())
        for k in COMPONENTS:   # which components actually differ within a group (and so steer the advantages)
            out[f"spread_{k}"] = roll["comps"][k].view(-1, G).std(1).mean().item()
        return out

    def validate():
        v = evaluate_refiner(model, ctx["val_batch"], ctx["rewards"], *S, cfg["val_seeds"])["all"]
        model.train()
        return {f"val_{k}": v[k] for k in ("reward", "psnr", "niqe", "entropy", "identity_proxy", "colour_shift") if k in v}

    def state():
        return dict(refiner=model.state_dict(), opt=opt.state_dict(), refiner_cfg=model.cfg.to_dict(), base_refiner=cfg["base_refiner"],
                    base_refiner_sha256=base_sha, base_run=bst.get("base_run"), base_step=bst.get("base_step"),
                    restorer_run=cfg["base_run"], preference=cfg["preference"], kind="refiner-lrpo")

    def compact(lp):
        os.makedirs(args.out, exist_ok=True)
        save(os.path.join(args.out, "refiner.pt"), dict(refiner=model.state_dict(), refiner_cfg=model.cfg.to_dict(), step=lp.step,
                                                         elapsed=time.time() - lp.t0, config=cfg, kind="refiner-lrpo-compact"))
        for f in ("log.jsonl", "report_base.json", "report.json"):
            if os.path.exists(os.path.join(run_dir, f)):
                shutil.copyfile(os.path.join(run_dir, f), os.path.join(args.out, f))

    loop = Loop(cfg, run_dir, opt, [cfg["lr"]], state, step, elapsed, after_checkpoint=compact if args.out else None, digits=(5, 4))
    steps = loop.run(one_step, validate)
    if sha256(base_file) != base_sha:
        raise SystemExit(f"the base refiner {base_file} changed during the run")
    t = time.time()
    base_rep = json.load(open(base_report_path))
    tuned = evaluate_refiner(model, rb, ctx["rewards"], *S, R["seeds"])
    report = dict(fast=base_rep["fast"], base=base_rep["base"], tuned=tuned, tuned_minus_base=delta(base_rep["base"], tuned),
                  tuned_minus_fast=delta(base_rep["fast"], tuned), steps=steps, train_seconds=round(t - loop.t0, 1),
                  report_seconds=round(time.time() - t, 1), base_refiner_sha256=base_sha, config=cfg,
                  heldout="bsds500/val + faces-flr 001-012" if have_shared_data() else "training patches (stand-in)")
    json.dump(report, open(os.path.join(run_dir, "report.json"), "w"), indent=1)
    print(json.dumps({k: report[k]["all"] for k in ("fast", "base", "tuned", "tuned_minus_base")}, indent=1))
    if cfg["export"]:
        from .export_lrpo import export
        export(cfg["name"], os.path.join(run_dir, "zoo"), cfg["version"])
    if args.out:
        compact(loop)
    return steps


if __name__ == "__main__":
    main()
