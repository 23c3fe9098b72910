"""Before/after figures of preference optimisation on held-out inputs (lrpo_data.heldout), with the engine's
deterministic sampler at the app's defaults (fidelity, steps and guidance from the config):

- fast: restorer 2.0's output alone (what fast mode shows);
- each refiner: mean over `seeds` starting noises of reward (the training reward and its components), PSNR, SSIM,
  low-pass PSNR (Gaussian sigma 2), NIQE-like score (nr_quality.py, lower is better), identity proxy (faces only;
  rewards.IdentityProxy), colour shift (mean over channels of |mean(out) - mean(gt)|, in /255), change from fast
  (mean |out - fast|, /255), and solution entropy: the per-pixel standard deviation over the seeds, averaged.

    cd models && nice -n 5 /usr/bin/python3 -m restora_models.lrpo_report --config configs/lrpo-cpu.json --refiner RUN [--refiner RUN2]

Writes runs/<config name>/report-<refiner run>.json (train_lrpo.py writes report.json with base and tuned itself).
"""
import argparse
import json
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
import torch

from .nr_quality import niqe
from .refiner_arch import sample
from .rewards import COMPONENTS, lowpass_psnr, psnr, ssim


def _chunks(n, size):
    return [slice(i, min(n, i + size)) for i in range(0, n, size)]


@torch.no_grad()
def prepare(items, integ, rest, tok):
    """Batch the held-out items (all the same size) and run the restorer once (on the restorer's device)."""
    from .lrpo_data import restore
    dev = next(rest.parameters()).device
    deg = torch.stack([it["deg"] for it in items]).to(dev)
    gt = torch.stack([it["gt"] for it in items]).to(dev)
    qs, conds = [], []
    for sl in _chunks(len(deg), 16):
        q, c = restore(integ, rest, tok, deg[sl])
        qs.append(q), conds.append(c)
    groups = [("faces" if it["is_face"] else "bsds") + "-" + it["severity"] for it in items]
    return dict(deg=deg, gt=gt, queries=torch.cat(qs), cond=torch.cat(conds), is_face=torch.tensor([it["is_face"] for it in items]).to(dev),
                groups=groups)


@torch.no_grad()
def measure(out, batch, rewards):
    """Per-item figures of outputs [N,3,H,W]."""
    gt, cond, q, f = batch["gt"], batch["cond"], batch["queries"], batch["is_face"]
    comps = rewards.components(out, cond, gt, q, f)
    m = {k: comps[k] for k in COMPONENTS}
    m["reward"] = rewards.total(comps)
    m.update(psnr=psnr(out, gt), ssim=ssim(out, gt), lowpass_psnr=lowpass_psnr(out, gt), niqe=niqe(out, rewards.pristine),
             colour_shift=(out.mean((2, 3)) - gt.mean((2, 3))).abs().mean(1) * 255,
             change_from_fast=(out - cond).abs().flatten(1).mean(1) * 255)
    if rewards.identity is not None:
        m["identity_proxy"] = torch.where(f, rewards.identity.similarity(out, gt, q), torch.full_like(m["psnr"], float("nan")))
    return {k: v.float().cpu() for k, v in m.items()}


def summarise(per_item, groups):
    """{group: {figure: mean}} over items (and 'all'); NaNs (identity on non-faces) are left out."""
    out = {}
    names = sorted(set(groups)) + ["all"]
    for g in names:
        sel = torch.tensor([g == "all" or x == g for x in groups])
        row = {}
        for k, v in per_item.items():
            vals = v[sel]
            vals = vals[~torch.isnan(vals)]
            if len(vals):
                row[k] = round(float(vals.mean()), 4)
        row["n"] = int(sel.sum())
        out[g] = row
    return out


@torch.no_grad()
def evaluate_refiner(model, batch, rewards, fidelity, steps, guidance, seeds, chunk=16, shrink=1.0):
    """Figures of one refiner: metrics averaged over seeds, plus solution entropy (std over seeds).
    shrink < 1: the control "the same refiner, moving less": fast + shrink * (output - fast)."""
    model.eval()
    outs, per_seed = [], []
    for k in range(seeds):
        eps = torch.randn(batch["cond"].shape, generator=torch.Generator().manual_seed(1000 * k + 7)).to(batch["cond"].device)
        o = torch.cat([sample(model, batch["cond"][sl], batch["queries"][sl], eps[sl], fidelity, steps, guidance)
                       for sl in _chunks(len(eps), chunk)])
        if shrink != 1.0:
            o = batch["cond"] + shrink * (o - batch["cond"])
        outs.append(o)
        per_seed.append(measure(o, batch, rewards))
    per_item = {k: torch.stack([p[k] for p in per_seed]).mean(0) for k in per_seed[0]}
    if seeds > 1:
        per_item["entropy"] = torch.stack(outs).std(0).flatten(1).mean(1).cpu() * 255
    return summarise(per_item, batch["groups"])


def evaluate_fast(batch, rewards):
    return summarise(measure(batch["cond"], batch, rewards), batch["groups"])


def delta(before, after):
    """after - before for every shared figure of the 'all' rows and each group."""
    return {g: {k: round(after[g][k] - v, 4) for k, v in before[g].items() if k in after[g] and k != "n"} for g in before if g in after}


def main(argv=None):
    from .train_lrpo import context, load_config, load_refiner
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--refiner", action="append", required=True, help="refiner run name or .pt (repeatable)")
    ap.add_argument("--shrink", type=float, default=None,
                    help="also measure each refiner moved only this fraction of the way from fast (a control for 'it just does less')")
    args = ap.parse_args(argv)
    cfg = load_config(args.config)
    torch.set_num_threads(cfg["threads"])
    ctx = context(cfg)
    rep = {"fast": evaluate_fast(ctx["report_batch"], ctx["rewards"])}
    for r in args.refiner:
        m = load_refiner(r)[0].to(ctx["dev"])
        rep[os.path.basename(r)] = evaluate_refiner(m, ctx["report_batch"], ctx["rewards"], cfg["fidelity"], cfg["sample_steps"],
                                                    cfg["guidance"], cfg["report"]["seeds"])
        if args.shrink is not None:
            rep[f"{os.path.basename(r)}-shrink{args.shrink}"] = evaluate_refiner(
                m, ctx["report_batch"], ctx["rewards"], cfg["fidelity"], cfg["sample_steps"], cfg["guidance"], cfg["report"]["seeds"],
                shrink=args.shrink)
    d = os.path.join(ctx["run_dir"])
    os.makedirs(d, exist_ok=True)
    tag = "-".join(os.path.basename(r).replace(".pt", "") for r in args.refiner) + (f"-shrink{args.shrink}" if args.shrink is not None else "")
    path = os.path.join(d, f"report-{tag}.json")
    json.dump(rep, open(path, "w"), indent=1)
    print(json.dumps({k: v["all"] for k, v in rep.items()}, indent=1))
    print("wrote", path)


if __name__ == "__main__":
    main()
