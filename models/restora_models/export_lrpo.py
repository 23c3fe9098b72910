"""Export a preference-optimised refiner (train_lrpo.py) as a zoo-format model: ONNX, parity, manifest and card,
through export_refiner.write_refiner, into a directory of the caller's choosing (train_lrpo uses runs/<name>/zoo;
copying it into models/zoo is a separate decision, after the app-side benchmark).

    cd models && /usr/bin/python3 -m restora_models.export_lrpo --run lrpo-cpu [--out runs/lrpo-cpu/zoo] [--version 1.1.0]

Every figure in the manifest and the card comes from the run's report.json (measured on held-out inputs) and its
checkpoint; none is written by hand.
"""
import argparse
import json
import os

import torch

from .data import MODELS_DIR
from .export import DATA, git_rev
from .export_refiner import DEFAULT_FIDELITY, DEFAULT_GUIDANCE, DEFAULT_STEPS, load, write_refiner

FIGURES = ("reward", "psnr", "ssim", "lowpass_psnr", "niqe", "identity_proxy", "colour_shift", "change_from_fast", "entropy")


def table(rep):
    rows = ["| | " + " | ".join(FIGURES) + " |", "|---" * (len(FIGURES) + 1) + "|"]
    for name in ("fast", "base", "tuned"):
        a = rep[name]["all"]
        rows.append(f"| {name} | " + " | ".join(f"{a[k]:.4g}" if k in a else "-" for k in FIGURES) + " |")
    return "\n".join(rows)


def verdicts(rep):
    """Plain sentences generated from the measured deltas."""
    d, f = rep["tuned_minus_base"]["all"], rep["tuned_minus_fast"]["all"]
    out = []
    say = lambda k, better_if_lower, what: out.append(
        f"- {what}: {d[k]:+.4g} against the base refiner ({'better' if (d[k] < 0) == better_if_lower and d[k] != 0 else 'not better'}).")
    for k, low, what in (("reward", False, "Mean reward"), ("psnr", False, "PSNR (dB)"), ("niqe", True, "NIQE-like score"),
                         ("identity_proxy", False, "Identity proxy on faces"), ("entropy", True, "Solution entropy (/255)")):
        if k in d:
            say(k, low, what)
    base, tuned = rep["base"]["all"], rep["tuned"]["all"]
    if base.get("change_from_fast"):
        r = tuned["change_from_fast"] / base["change_from_fast"]
        out.append(f"- It moves {r:.0%} as far from fast mode's output as the base does (change from fast "
                   f"{tuned['change_from_fast']:.3f} vs {base['change_from_fast']:.3f} /255): changes in fidelity and entropy "
                   f"that scale with that distance are not alignment; compare with `lrpo_report --shrink {r:.3f}` before believing them.")
    if "psnr" in f:
        out.append(f"- PSNR against fast mode (restorer alone): {f['psnr']:+.3f} dB; NIQE-like against fast: {f.get('niqe', float('nan')):+.3f}.")
    return "\n".join(out)


def card(m):
    t, rep = m["training"], m["metrics"]["report"]
    return f"""# {m['id']} {m['version']} (candidate: preference-optimised)

The generative refiner of restora-refiner {t['initFrom']['version']}, tuned by on-policy preference optimisation
in the diffusion loop (models/restora_models/train_lrpo.py: LRPO / Pref-Restore style). Same architecture, inputs,
outputs and sampler as the base; only the weights differ.

File `model.onnx`, sha256 `{m['sha256']}`, opset {m['opset']}, {m['params']:,} parameters.
Sampler defaults unchanged: {m['sampler']['defaultSteps']} steps, guidance {m['sampler']['defaultGuidance']},
fidelity {m['sampler']['defaultFidelity']}.

## How it was tuned

- Command: `{t['command']}` (config `models/{t['config']}`).
- Base policy: restora-refiner {t['initFrom']['version']} (sha256 `{t['initFrom']['sha256']}`), rebuilt from its ONNX
  file by `recover_refiner`; restorer and integrator of run `{t['restorerRun']}` frozen; preference model
  `{t['preferenceRun']}`.
- Reward weights: `{json.dumps(t['rewardWeights'])}`; group {t['group']}, stochastic sampler eta {t['eta']}.
- Steps: {t['steps']}, wall time {t['wallSeconds']} s, hardware: {t['hardware']}.
- Source commit at export: `{t['sourceCommit']}`.

## Training data

As the base (models/restora_models/lrpo_data.py): faces-flr people 013-102 (CC-BY 4.0, DeBruine & Jones 2017,
doi:10.6084/m9.figshare.5047666) and BSDS500 train + test (research use), degraded synthetically; bsds500/val and
people 001-012 held out.

## Measured (held-out: {rep['heldout']}, medium + severe, {rep['config']['report']['seeds']} seeds, {rep['config']['report']['size']}² crops)

{table(rep)}

{verdicts(rep)}

`identity_proxy` is a cosine similarity of frozen restorer-2.0 encoder features, not a face-recognition descriptor.
`niqe` is nr_quality.py's NIQE-like score (its own pristine model; not comparable with other NIQE figures).
Per group (bsds/faces x medium/severe) in `metrics.report`.

## Known failures

- Tuned briefly on a shared 2-core CPU; the figures above are what it measured, on small held-out crops, not on
  whole photographs through the app (run `npm run bench:preference` before shipping it).
- The reward's no-reference and preference terms are small learned or hand-fitted proxies; a gain in them is not
  a gain people will see until the app-side benchmark says so.
"""


def export(run, out, version):
    model, st = load(run)
    cfg = st["config"]
    rep_path = os.path.join(MODELS_DIR, "runs", run, "report.json")
    rep = json.load(open(rep_path)) if os.path.exists(rep_path) else None
    if rep is None:
        raise SystemExit(f"{rep_path} is missing: the card's figures come from it")
    base = torch.load(os.path.join(MODELS_DIR, "runs", cfg["base_refiner"], "last.pt") if not cfg["base_refiner"].endswith(".pt")
                      else cfg["base_refiner"], map_location="cpu")
    rec = base.get("recovered", {})
    run_cfg = os.path.join("configs", cfg["name"] + ".json")
    training = {"data": DATA, "command": f"cd models && /usr/bin/python3 -m restora_models.train_lrpo --config {run_cfg}",
                "config": run_cfg, "method": "on-policy preference optimisation (train_lrpo.py)", "steps": st["step"],
                "wallSeconds": round(st["elapsed"]), "hardware": cfg.get("hardware", "2-core x86-64 CPU (shared), no GPU, PyTorch 1.13 CPU"),
                "sourceCommit": git_rev(), "restorerRun": cfg["base_run"], "preferenceRun": cfg["preference"],
                "rewardWeights": cfg["weights"], "group": cfg["group"], "eta": cfg["eta"],
                "baseRun": st.get("base_run"), "baseStep": st.get("base_step"),
                "initFrom": {"id": "restora-refiner", "version": rec.get("version", "unknown"), "sha256": rec.get("from", st.get("base_refiner_sha256")),
                             "training": rec.get("training")}}
    metrics = {"report": rep, "sampled": {"fidelity": DEFAULT_FIDELITY, "steps": DEFAULT_STEPS, "guidance": DEFAULT_GUIDANCE}}
    return write_refiner(model, out, training, metrics, card, version)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True)
    ap.add_argument("--out", default=None)
    ap.add_argument("--version", default="1.1.0")
    args = ap.parse_args(argv)
    export(args.run, args.out or os.path.join(MODELS_DIR, "runs", args.run, "zoo"), args.version)


if __name__ == "__main__":
    main()
