"""Train the preference model (preference.py) with the Bradley-Terry loss, and measure it on held-out pairs.

    cd models && nice -n 5 /usr/bin/python3 -m restora_models.train_preference --config configs/preference-cpu.json [--picks FILE]

Each step: `batch` pairs of `crop`² crops of the training patches, synthetic by preference.py's rule; a fraction
`p_restored` are instead (ground truth, restorer-2.0 output) pairs of degraded training crops (the ground truth is
preferred: what the refiner should move its input towards), precomputed once; with --picks (a JSON list of the
Fine-tune tab's picks, or a fine-tuning run's config.json) a fraction `p_picks` are crops of the user's pairs.
Held out: synthetic pairs on bsds500/val and people 001-012 (per kind), (ground truth, restorer output) pairs on
the same images at medium and severe, and the last fifth of the picks (when there are 5 or more).
Writes runs/<name>/preference.pt, log.jsonl and metrics.json.
"""
import argparse
import json
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import time

import numpy as np
import torch

from .data import MODELS_DIR, patch_cache
from .loop import log_record, save
from .lrpo_data import TrainInputs, have_shared_data, heldout, restore
from .preference import (KINDS, PreferenceConfig, PreferenceNet, accuracy, bt_loss, load_picks, n_params, random_crop,
                         render_picks, stand_in_cond, synthetic_pair)

DEFAULTS = dict(name="preference", base_run="zoo-2.0.0", steps=1000, time_limit_s=420, batch=32, crop=96, lr=2e-3,
                weight_decay=1e-4, p_restored=0.25, n_restored=192, p_picks=0.25, heldout_bsds=16, heldout_faces=12,
                heldout_size=96, log_every=50, threads=2, seed=0, max_files=None, face_fraction=0.4,
                severity_mix={"medium": 0.5, "severe": 0.5}, preference={})


def load_config(path):
    with open(path) as f:
        return dict(DEFAULTS, **json.load(f))


def restored_pairs(base, inputs):
    """(ground truth, restorer output, restorer output) triples from degraded crops (deg, gt) in chunks."""
    integ, rest, tok = base
    out = []
    for i in range(0, len(inputs[0]), 16):
        deg, gt = inputs[0][i:i + 16], inputs[1][i:i + 16]
        _, cond = restore(integ, rest, tok, deg)
        out += [(g, c, c) for g, c in zip(gt, cond)]
    return out


def heldout_pairs(cfg, base, patches, rng):
    """{set name: [(preferred, rejected, cond)]} held-out pairs, and the kind of each synthetic pair."""
    if have_shared_data():
        items = heldout(cfg["heldout_bsds"], cfg["heldout_faces"], cfg["heldout_size"])
        cleans = [it["gt"] for it in items]
    else:   # a lent GPU machine with only the pack: the last training patches stand in (a sanity check only)
        items = []
        cleans = [torch.from_numpy(np.asarray(p).astype(np.float32) / 255).permute(2, 0, 1)[:, :96, :96] for p in patches[-48:]]
    syn, kinds = [], []
    for c in cleans:
        for _ in range(4):
            p, r, k = synthetic_pair(c, rng)
            syn.append((p, r, stand_in_cond(c)))
            kinds.append(k)
    sets = {"synthetic": syn}
    if base is not None and items:
        sets["gt_vs_restorer"] = restored_pairs(base, (torch.stack([it["deg"] for it in items]), torch.stack([it["gt"] for it in items])))
    return sets, kinds


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--picks", help="JSON file of A/B picks (a list, or a fine-tuning run's config.json)")
    args = ap.parse_args(argv)
    cfg = load_config(args.config)
    torch.set_num_threads(cfg["threads"])
    torch.manual_seed(cfg["seed"])
    rng = np.random.default_rng(cfg["seed"])
    run_dir = os.path.join(MODELS_DIR, "runs", cfg["name"])
    os.makedirs(run_dir, exist_ok=True)
    net = PreferenceNet(PreferenceConfig(**cfg["preference"]))
    opt = torch.optim.AdamW(net.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    patches, is_face = patch_cache(128, cfg["max_files"])
    base = None
    if cfg["base_run"]:
        from .checkpoint import load as load_base
        integ, rest, tok, _ = load_base(cfg["base_run"])
        base = (integ, rest, tok)
    inputs = TrainInputs(cfg, patches, is_face, cfg["seed"] + 7)
    restored = restored_pairs(base, inputs.batch(cfg["n_restored"], cfg["crop"])[:2]) if base and cfg["p_restored"] > 0 else []
    picks_train, picks_held, notes = [], [], []
    if args.picks:
        picks, notes = load_picks(args.picks)
        if picks and base is None:
            raise SystemExit("picks are rendered by the restorer: set base_run")
        rendered = render_picks(picks, base) if picks else []
        n_held = len(rendered) // 5 if len(rendered) >= 5 else 0
        picks_train, picks_held = rendered[:len(rendered) - n_held], rendered[len(rendered) - n_held:]
        print(f"{len(picks)} usable picks ({len(picks_held)} held out); {'; '.join(notes)}")
    held, kinds = heldout_pairs(cfg, base, patches, np.random.default_rng(12345))
    c = cfg["crop"]
    split = lambda t: (t[:3], t[3:6], t[6:])
    if picks_held:
        held["picks"] = [split(random_crop(torch.cat(t), c, rng)) for t in picks_held]

    def pair():
        u = rng.random()
        if picks_train and u < cfg["p_picks"]:
            return split(random_crop(torch.cat(picks_train[rng.integers(len(picks_train))]), c, rng))
        if restored and u < cfg["p_picks"] * bool(picks_train) + cfg["p_restored"]:
            return restored[rng.integers(len(restored))]
        x = torch.from_numpy(np.asarray(patches[rng.integers(len(patches))]).astype(np.float32) / 255).permute(2, 0, 1)
        x = random_crop(x, c, rng).contiguous()
        p, r, _ = synthetic_pair(x, rng)
        return p, r, stand_in_cond(x)

    t0, step, acc = time.time(), 0, []
    with open(os.path.join(run_dir, "log.jsonl"), "a") as log:
        while step < cfg["steps"] and time.time() - t0 < cfg["time_limit_s"]:
            b = [pair() for _ in range(cfg["batch"])]
            p, r, cd = (torch.stack([x[i] for x in b]) for i in range(3))
            cd = cd if net.cfg.use_cond else None
            loss = bt_loss(net(p, cd), net(r, cd))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            acc.append(loss.item())
            if step % cfg["log_every"] == 0:
                log_record(log, dict(step=step, loss=round(float(np.mean(acc)), 4), seconds=round(time.time() - t0, 1)))
                acc = []
        net.eval()
        metrics = {f"acc_{k}": round(accuracy(net, v), 4) for k, v in held.items()}
        metrics.update({f"n_{k}": len(v) for k, v in held.items()})
        syn = held["synthetic"]
        for k in KINDS:
            sel = [s for s, kk in zip(syn, kinds) if kk == k]
            metrics[f"acc_synthetic_{k}"] = round(accuracy(net, sel), 4)
        metrics.update(step=step, seconds=round(time.time() - t0, 1), params=n_params(net), picks_train=len(picks_train),
                       heldout="bsds500/val + faces-flr 001-012" if have_shared_data() else "training patches (stand-in)")
        log_record(log, dict(metrics, final=True))
    save(os.path.join(run_dir, "preference.pt"), dict(model=net.state_dict(), cfg=net.cfg.to_dict(), config=cfg, step=step,
                                                      metrics=metrics, notes=notes))
    json.dump(metrics, open(os.path.join(run_dir, "metrics.json"), "w"), indent=1)
    return metrics


if __name__ == "__main__":
    main()
