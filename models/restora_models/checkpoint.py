"""Rebuild the trained models from a checkpoint (the checkpoint carries its config)."""
import os

import torch

from .data import MODELS_DIR
from .integrator_arch import Integrator, IntegratorConfig
from .restorer_arch import Restorer, RestorerConfig
from .tokenizer import Tokenizer


def load(run_or_path):
    path = run_or_path if run_or_path.endswith(".pt") else os.path.join(MODELS_DIR, "runs", run_or_path, "last.pt")
    st = torch.load(path, map_location="cpu", weights_only=False)
    integ = Integrator(IntegratorConfig(**st["integrator_cfg"]))
    rest = Restorer(RestorerConfig(**st["restorer_cfg"]))
    integ.load_state_dict(st["integrator"])
    rest.load_state_dict(st["restorer"])
    return integ.eval(), rest.eval(), Tokenizer.from_json(st["tokenizer"]), st


def load_tone(st):
    """The tone model a run's restorer was trained behind (config `tone_from`), or None."""
    run = st["config"].get("tone_from")
    if not run:
        return None
    from .tone_arch import Tone, ToneConfig
    ts = torch.load(os.path.join(MODELS_DIR, "runs", run, "last.pt"), map_location="cpu", weights_only=False)
    tone = Tone(ToneConfig(**ts["tone_cfg"])).eval()
    tone.load_state_dict(ts["tone"])
    return tone
