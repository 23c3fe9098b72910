"""Export a trained refiner checkpoint to ONNX (opset 17, dynamic batch/H/W)
with manifest.json, parity.json and MODEL_CARD.md, into models/zoo/restora-refiner/.

    cd models && /usr/bin/python3 -m restora_models.export_refiner --run refiner-cpu [--out zoo]

Measured figures go into the manifest's metrics: the last validation line of
the run's log.jsonl and, if present, runs/<run>/bench.json (the output of
`npm run bench:quality -- --mode generative`, saved there by hand).
"""
import argparse
import json
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py

import torch

from . import semantics as S
from .data import MODELS_DIR
from .export import DATA, export_graph, flat, git_rev, rand, write_model, io
from .refiner_arch import Refiner, RefinerConfig, sample

VERSION = "1.0.0"
DEFAULT_STEPS, MAX_STEPS, DEFAULT_GUIDANCE, DEFAULT_FIDELITY = 4, 8, 1.5, 0.7


def load(run):
    path = run if run.endswith(".pt") else os.path.join(MODELS_DIR, "runs", run, "last.pt")
    st = torch.load(path, map_location="cpu")
    model = Refiner(RefinerConfig(**st["refiner_cfg"]))
    model.load_state_dict(st["refiner"])
    return model.eval(), st


def last_val(run):
    p = os.path.join(MODELS_DIR, "runs", run, "log.jsonl")
    if not os.path.exists(p):
        return {}
    vals = [json.loads(line) for line in open(p) if "val_psnr_refined" in line]
    return {k: v for k, v in vals[-1].items() if k.startswith("val_") or k == "step"} if vals else {}


def card_head(m):
    """The card's title, use and training data: the same for every refiner."""
    smp = m["sampler"]
    return f"""# {m['id']} {m['version']}

Generative refiner: a small conditional diffusion U-Net in pixel space that adds detail on
top of restora-restorer's output, steered by restora-integrator's K latent queries
(cross-attention at the bottleneck + a FiLM embedding with the noise level at every level).
It runs at H/{m['architecture']['patch']} x W/{m['architecture']['patch']} (space-to-depth) so a 512x512
step costs a fraction of a second on a CPU.

File `model.onnx`, sha256 `{m['sha256']}`, opset {m['opset']}, {m['params']:,} parameters.

## Use

Inputs: `x_t` [B,3,H,W] (the noisy image), `cond` [B,3,H,W] (the restorer's output, 0..1),
`t` [B] (noise level in [0,1]) and `queries` [B,K,Dq] (all zeros = unconditional, for
classifier-free guidance; B=2 runs both branches in one call). Output `x0` [B,3,H,W]:
the predicted clean image (clamp to 0..1 at the end). Any H, W (padded inside to a
multiple of {m['tile']['multiple']}); tile big photos with the manifest's `tile`.

Sampler (what electron/engine/generative/ implements; PyTorch reference
`refiner_arch.sample`): `t0 = 1 - fidelity`, `x = cond + {smp['resScale']} * t0 * eps`,
then `steps` equal steps down to 0: `x0 = f(x, t)` (guided:
`x0 = x0_u + w (x0_c - x0_u)`), `x = (1 - t') x0 + t' (x - (1 - t) x0) / t`.
Defaults: {smp['defaultSteps']} steps, guidance {smp['defaultGuidance']}, fidelity {smp['defaultFidelity']}.
Fidelity 1 returns the restorer's output unchanged.

## Training data

- **Face Research Lab London Set** (faces-flr), people 013-102 — CC-BY 4.0. Attribution:
  DeBruine, L. & Jones, B. (2017) *Face Research Lab London Set*,
  doi:10.6084/m9.figshare.5047666. People 001-012 are held out.
- **BSDS500** train + test (Arbeláez, Maire, Fowlkes & Malik, 2011, IEEE TPAMI) — research
  use. bsds500/val is held out.
- Degraded inputs are synthesised (models/degradations.md); no real old photographs.

"""


def card_run(t, mt, loss):
    """The card's objective, run and measured figures: the same lines for every refiner but the loss."""
    return f"""- Residual flow matching with x0 prediction, {loss}; queries zeroed for
  {t['pUncond']:.0%} of samples (classifier-free guidance).
- Steps: {t['steps']}, wall time {t['wallSeconds']} s, hardware: {t['hardware']}.
- Source commit at export: `{t['sourceCommit']}`.

## Measured

```json
{json.dumps(mt, indent=1)}
```

"""


def card(m):
    """Card of the refiner trained by train_refiner.py (1.x restorer)."""
    t, mt, smp = m["training"], m.get("metrics", {}), m["sampler"]
    return card_head(m) + f"""## How it was trained

- Command: `{t['command']}` (config `models/{t['config']}`), then
  `cd models && /usr/bin/python3 -m restora_models.export_refiner --run <name>`.
- Frozen base: integrator + restorer of run `{t['baseRun']}` (step {t['baseStep']}); queries
  teacher-forced from the target tokens; the refiner learns the instruction-dependent target
  from the restorer's output on random {t['cropSize']}x{t['cropSize']} windows.
{card_run(t, mt, 'L1 loss')}`val_*`: the training log's last validation (held-out crops, medium severity, PSNR against
the target, sampled with {smp['defaultSteps']} steps at fidelity {smp['defaultFidelity']} without guidance).
`bench` (if present): `npm run bench:quality -- --mode generative` on whole held-out images.

## Known failures

- Trained for 90 minutes on a shared, oversubscribed 2-core CPU (about 2,100 steps of 16
  64x64 windows): far from converged. Its validation PSNR never beat the restorer's
  (final: 21.24 vs 21.26 dB). Measured on held-out images (`bench` above) it lowers NIQE
  and moves HF energy towards the ground truth, but only a little (the HF gap to the
  ground truth stays above 0.5-0.85 of the ground truth's energy), and SSIM drops
  (bsds500/val medium 0.614 -> 0.586 at fidelity 0.7): much of what it adds is fine
  noise-like texture rather than real detail.
- Higher fidelity does not always mean less change: at fidelity 0.9 (t0 = 0.1) the model
  removes less of the starting noise than it should, so HF energy can be higher than at 0.7.
- It cannot fix what the restorer got wrong in structure (colour casts, missed scratches);
  it only works on fine detail near the restorer's output.
- Low fidelity (< 0.4) is barely tested and can look noisy with this little training.
- The space-to-depth stem ({m['architecture']['patch']}x{m['architecture']['patch']}) can leave a faint
  grid pattern in flat areas at low fidelity.
- Text steering of the refiner itself is barely measured: in generative mode on 4 held-out
  faces "keep the grain" kept only slightly more HF energy than "remove all noise"
  (`bench.faces-medium.controls`); the instruction reaches the refiner only through the
  latent queries, and guidance (default 1.5) is its only lever on them.
- Trained on synthetic damage only; real old photos are out of distribution.
"""


def card2(m):
    """Card of the refiner trained by train_refiner2.py behind restorer 2 (its known failures come from the run's notes)."""
    t, mt, smp = m["training"], m.get("metrics", {}), m["sampler"]
    known = m.get("knownFailures", "").strip()
    return card_head(m) + f"""## How it was trained

- Command: `{t['command']}` (config `models/{t['config']}`), then
  `cd models && /usr/bin/python3 -m restora_models.export_refiner --run <name> --kind 2 --version <v>`.
- Frozen base: the shipped integrator and restorer (run `{t['baseRun']}`, rebuilt by `recover`), started from the
  refiner run `{t.get('initFrom')}`. Each batch comes from the restorer's own sampler (blind second-order
  degradations, clean and toned samples, instructions); the queries are what the integrator decodes for the crop
  and its instruction, as in the app; the refiner learns the clean target from the restorer's output.
{card_run(t, mt, 'L1 loss plus a detail term')}`val_*`: the training log's last validation (the restorer's held-out crops, PSNR against the target, sampled
with {smp['defaultSteps']} steps at fidelity {smp['defaultFidelity']} without guidance).
`bench` (if present): `npm run bench:quality -- --mode generative` on whole held-out images.

## Known failures

{known}
"""


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", default="refiner-cpu")
    ap.add_argument("--out", default=os.path.join(MODELS_DIR, "zoo"))
    ap.add_argument("--hardware", default="2-core x86-64 CPU (shared), no GPU, PyTorch 1.13 CPU")
    ap.add_argument("--kind", choices=["1", "2"], default="1", help="2: a train_refiner2 run (behind restorer 2)")
    ap.add_argument("--version", default=None)
    ap.add_argument("--known-failures", default=None, help="a markdown file: the card's known failures (kind 2)")
    args = ap.parse_args(argv)
    torch.manual_seed(0)
    model, st = load(args.run)
    cfg = st["config"]
    metrics = last_val(args.run)
    bpath = os.path.join(MODELS_DIR, "runs", args.run, "bench.json")
    if os.path.exists(bpath):
        metrics["bench"] = json.load(open(bpath))
    run_cfg = os.path.join("configs", cfg["name"] + ".json")
    trainer = "train_refiner2" if args.kind == "2" else "train_refiner"
    training = {"data": DATA, "command": f"cd models && /usr/bin/python3 -m restora_models.{trainer} --config {run_cfg}",
                "config": run_cfg, "steps": st["step"], "wallSeconds": round(st["elapsed"]), "hardware": args.hardware,
                "sourceCommit": git_rev(), "baseRun": st["base_run"], "baseStep": st["base_step"],
                "cropSize": cfg["refine_crop"], "pUncond": cfg["p_uncond"]}
    if args.kind == "2":
        training["initFrom"] = cfg.get("init_from")
        known = open(args.known_failures).read() if args.known_failures else "Not measured yet."
        write_refiner(model, args.out, training, metrics, card2, version=args.version, known_failures=known)
    else:
        write_refiner(model, args.out, training, metrics, card, version=args.version)


def write_refiner(model, out, training, metrics, card_fn, version=None, known_failures=None):
    """ONNX graph, parity vectors (one forward and one whole sampler run), manifest and card into out/restora-refiner.
    `version` overrides the manifest's version (export.VERSION otherwise)."""
    rc = model.cfg
    mid = "restora-refiner"
    d = os.path.join(out, mid)
    os.makedirs(d, exist_ok=True)

    x, c = rand(31, (1, 3, 24, 40)), rand(32, (1, 3, 24, 40))
    t = torch.tensor([0.3])
    q = rand(33, (1, rc.k, rc.dq), -1.0, 1.0)
    export_graph(model, (x, c, t, q), os.path.join(d, "model.onnx"), ["x_t", "cond", "t", "queries"], ["x0"],
                 {"x_t": {0: "B", 2: "H", 3: "W"}, "cond": {0: "B", 2: "H", 3: "W"}, "t": {0: "B"},
                  "queries": {0: "B"}, "x0": {0: "B", 2: "H", 3: "W"}})
    with torch.no_grad():
        y = model(x, c, t, q)
        eps = rand(34, (1, 3, 24, 40), -1.0, 1.0) * 1.7
        sampled = sample(model, c, q, eps, DEFAULT_FIDELITY, DEFAULT_STEPS, DEFAULT_GUIDANCE)
    parity = {"inputs": {"x_t": {"shape": list(x.shape), "data": flat(x)}, "cond": {"shape": list(c.shape), "data": flat(c)},
                         "t": {"shape": [1], "data": [0.3]}, "queries": {"shape": list(q.shape), "data": flat(q)}},
              "outputs": {"x0": {"shape": list(y.shape), "data": flat(y)}},
              # a whole sampler run, for checking a port of the sampler: eps is the starting noise
              "sample": {"fidelity": DEFAULT_FIDELITY, "steps": DEFAULT_STEPS, "guidance": DEFAULT_GUIDANCE,
                         "eps": {"shape": list(eps.shape), "data": flat(eps)},
                         "output": {"shape": list(sampled.shape), "data": flat(sampled)}},
              "atol": 1e-4}
    img = lambda name, doc=None: io(name, "float32", ["B", 3, "H", "W"], "NCHW", [0, 1], doc)
    extra = {"tile": {"size": 512, "overlap": 32, "multiple": rc.multiple},
             "architecture": rc.to_dict(),
             "sampler": {"parameterisation": "x0, residual flow matching around cond", "resScale": rc.res_scale,
                         "defaultSteps": DEFAULT_STEPS, "maxSteps": MAX_STEPS, "defaultGuidance": DEFAULT_GUIDANCE,
                         "defaultFidelity": DEFAULT_FIDELITY, "startLevel": "t0 = 1 - fidelity",
                         "unconditional": "all-zero queries", "K": S.K}}
    if version:
        extra["version"] = version
    if known_failures:
        extra["knownFailures"] = known_failures
    write_model(out, mid, "refiner",
                [io("x_t", "float32", ["B", 3, "H", "W"], "NCHW", None, "noisy image: cond + resScale * ((1-t) z0 + t eps)"),
                 img("cond", "restora-restorer output"),
                 io("t", "float32", ["B"], rng=[0, 1], doc="noise level"),
                 io("queries", "float32", ["B", rc.k, rc.dq], doc="integrator queries at the K generated tokens; zeros = unconditional")],
                [io("x0", "float32", ["B", 3, "H", "W"], "NCHW", None, "predicted clean image (clamp to 0..1)")],
                int(sum(p.numel() for p in model.parameters())), training, metrics,
                extra, parity, card_fn)
    print("exported to", d)
    return d


if __name__ == "__main__":
    main()
