"""The training loop the trainers share: warmup + cosine schedule over steps *or* seconds (so a time-boxed
CPU run still anneals), JSONL logging, validation cadence, atomic checkpoints every few seconds of wall
time (and a hook after each, e.g. a compact copy into a lent GPU machine's output folder), resume.

A trainer supplies three callables: `step(step_index) -> dict of floats` (one optimiser step, returning
its losses), `validate() -> dict of floats`, and `state() -> dict` (what a checkpoint holds besides the
step, elapsed time and config, which the loop adds). Used by train.py, train_tone.py, train_refiner.py
and train_restorer.py; their checkpoints differ only in what `state()` returns.
"""
import json
import math
import os
import time


def lr_factor(cfg, step, elapsed):
    """Linear warmup for cfg["warmup"] steps, then a cosine from 1 to 0.02 over max(step/steps, elapsed/time_limit_s)."""
    if step < cfg["warmup"]:
        return (step + 1) / cfg["warmup"]
    prog = min(1.0, max(step / cfg["steps"], elapsed / cfg["time_limit_s"]))
    return 0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * prog))


def log_record(log, rec):
    """One training record: a line of the run's log.jsonl (flushed, so a killed run keeps it) and the console."""
    line = json.dumps(rec)
    log.write(line + "\n")
    log.flush()
    print(line, flush=True)


def trainer_setup(argv, defaults, out_help):
    """A trainer's command line (--config FILE, --resume, --out DIR described by out_help), its config over
    `defaults`, torch's threads and seed set from it: (args, cfg, device: cuda when there is one)."""
    import argparse
    import torch
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--out", help=out_help)
    args = ap.parse_args(argv)
    with open(args.config) as f:
        cfg = dict(defaults, **json.load(f))
    torch.set_num_threads(cfg["threads"])
    torch.manual_seed(cfg["seed"])
    return args, cfg, torch.device("cuda" if torch.cuda.is_available() else "cpu")


def start_from(cfg, net, opt, run_dir, resume, dev, models_dir):
    """Where a run starts: (step, elapsed seconds). With `resume` and a checkpoint in run_dir, that run goes on
    (weights, optimiser, step, time); else with cfg["init_from"] a new run (own schedule, step 0) starts from
    another run's weights: a committed compact checkpoint (models/checkpoints/*.pt, float16 allowed) or
    runs/<name>/last.pt, of the same architecture. The network and the optimiser's state end on `dev`."""
    import torch
    ckpt = os.path.join(run_dir, "last.pt")
    step, elapsed = 0, 0.0
    if resume and os.path.exists(ckpt):
        st = torch.load(ckpt, map_location="cpu")
        net.load_state_dict(st["model"])
        if st.get("opt"):
            opt.load_state_dict(st["opt"])
        step, elapsed = st["step"], st.get("elapsed", 0.0)
        print(f"resumed at step {step}, {elapsed:.0f}s", flush=True)
    elif cfg.get("init_from"):
        src = os.path.join(models_dir, cfg["init_from"])
        if not os.path.exists(src):
            src = os.path.join(models_dir, "runs", cfg["init_from"], "last.pt")
        st = torch.load(src, map_location="cpu")
        # a checkpoint written before a field was added to the architecture has that field at its default;
        # one with a field this code does not know is another architecture
        try:
            same = type(net.cfg)(**st["arch"]).to_dict() == net.cfg.to_dict()
        except TypeError:
            same = False
        if not same:
            raise SystemExit(f"{cfg['init_from']}: architecture {st['arch']} is not this config's {net.cfg.to_dict()}")
        net.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in st["model"].items()})
        print(f"initialised from {cfg['init_from']} (its step {st['step']})", flush=True)
    net.to(dev)
    for state in opt.state.values():
        for k, v in state.items():
            if torch.is_tensor(v):
                state[k] = v.to(dev)
    return step, elapsed


def compact_copy(out_dir, name, net, run_dir):
    """An `after_checkpoint` hook for a lent GPU machine: writes out_dir/name (the network's weights on the CPU,
    its architecture and the step) and a copy of the run's log, so a machine taken back early leaves both."""
    import shutil

    def copy(loop):
        os.makedirs(out_dir, exist_ok=True)
        save(os.path.join(out_dir, name), dict(model={k: v.cpu() for k, v in net.state_dict().items()}, arch=net.cfg.to_dict(), step=loop.step))
        shutil.copyfile(os.path.join(run_dir, "log.jsonl"), os.path.join(out_dir, "log.jsonl"))
    return copy


def save(path, state):
    import torch
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)


class Loop:
    """Runs `step` until cfg["steps"] or cfg["time_limit_s"]; `opt`'s groups follow lr_factor from their
    base learning rates. `after_checkpoint(loop)` runs after every checkpoint (GPU runs: a compact copy to $OUT).
    `digits`: decimals logged for the losses and for the validation figures."""

    def __init__(self, cfg, run_dir, opt, base_lrs, state, step=0, elapsed=0.0, after_checkpoint=None, digits=(5, 4)):
        self.cfg, self.run_dir, self.opt, self.base_lrs, self.state = cfg, run_dir, opt, base_lrs, state
        self.step, self.elapsed0, self.after_checkpoint, self.digits = step, elapsed, after_checkpoint, digits
        self.ckpt_path = os.path.join(run_dir, "last.pt")
        os.makedirs(run_dir, exist_ok=True)
        with open(os.path.join(run_dir, "config.json"), "w") as f:
            json.dump(cfg, f, indent=1)

    def checkpoint(self):
        st = dict(self.state(), step=self.step, elapsed=time.time() - self.t0, config=self.cfg)
        save(self.ckpt_path, st)
        if self.after_checkpoint:
            self.after_checkpoint(self)

    def run(self, step_fn, validate_fn):
        cfg = self.cfg
        dl, dv = self.digits
        self.t0 = time.time() - self.elapsed0
        last_ckpt = time.time()
        acc, n = {}, 0
        with open(os.path.join(self.run_dir, "log.jsonl"), "a") as log:
            while self.step < cfg["steps"] and time.time() - self.t0 < cfg["time_limit_s"]:
                f = lr_factor(cfg, self.step, time.time() - self.t0)
                for g, lr in zip(self.opt.param_groups, self.base_lrs):
                    g["lr"] = lr * f
                losses = step_fn(self.step)
                self.step += 1
                for k, v in losses.items():
                    acc[k] = acc.get(k, 0.0) + float(v)
                n += 1
                rec = None
                if self.step % cfg["log_every"] == 0:
                    rec = {k: round(v / n, dl) for k, v in acc.items()}
                    acc, n = {}, 0
                if self.step % cfg["val_every"] == 0:
                    rec = dict(rec or {}, **{k: round(v, dv) for k, v in validate_fn().items()})
                if rec is not None:
                    rec.update(step=self.step, seconds=round(time.time() - self.t0, 1), lr=round(self.opt.param_groups[0]["lr"], 7),
                               time=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
                    log_record(log, rec)
                if time.time() - last_ckpt > cfg["ckpt_every_s"]:
                    self.checkpoint()
                    last_ckpt = time.time()
            rec = dict(step=self.step, seconds=round(time.time() - self.t0, 1), final=True,
                       **{k: round(v, dv) for k, v in validate_fn().items()})
            log_record(log, rec)
        self.checkpoint()
        return self.step
