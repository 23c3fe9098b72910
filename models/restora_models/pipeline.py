"""The inference pipeline the app implements, in PyTorch (used by evaluate.py
and as the reference for the TypeScript engine):
cue crop -> cue encoder -> tokenizer -> slot-restricted greedy decode -> restorer."""
import numpy as np
import torch
import torch.nn.functional as F

from . import semantics as S
from .models import greedy_decode
from .tone_arch import apply_tone, thumbnail


def cue_crop(img_chw, size=128):
    """Central size x size crop at native resolution; images smaller than size
    on a side are first resized (bilinear, align_corners=False) so that the
    short side equals size."""
    _, _, h, w = img_chw.shape
    if min(h, w) < size:
        s = size / min(h, w)
        img_chw = F.interpolate(img_chw, size=(max(size, round(h * s)), max(size, round(w * s))),
                                mode="bilinear", align_corners=False)
        _, _, h, w = img_chw.shape
    y, x = (h - size) // 2, (w - size) // 2
    return img_chw[:, :, y:y + size, x:x + size]


@torch.no_grad()
def restore(integ, rest, tok, img_hwc, text, tone=None, force=None):
    """img_hwc float32 0..1 numpy -> (restored HWC numpy, slot values dict, severity list).
    tone: the tone model the restorer was trained behind (its matrix is judged from a
    thumbnail of the whole image and applied before the restorer, as in the app);
    force: slot values the restorer is then steered with (the manifest's
    preprocess.restorerTokens, e.g. fade off and cast keep: the colour is done)."""
    x = torch.from_numpy(np.ascontiguousarray(img_hwc)).permute(2, 0, 1)[None].float()
    cues, sev = integ.cue_encoder(cue_crop(x, integ.cfg.cue_size))
    ids = torch.tensor([tok.encode(text)], dtype=torch.long)
    sem, queries = greedy_decode(integ, cues, ids)
    if tone is not None:
        x = apply_tone(tone(thumbnail(x, tone.cfg.size), queries), x)
        if force:
            _, queries = greedy_decode(integ, cues, ids, force=force)
    out = rest(x, queries)
    return out[0].permute(1, 2, 0).numpy(), S.ids_to_values(sem[0].tolist()), sev[0].tolist()


@torch.no_grad()
def decode_only(integ, tok, img_hwc, text):
    x = torch.from_numpy(np.ascontiguousarray(img_hwc)).permute(2, 0, 1)[None].float()
    cues, sev = integ.cue_encoder(cue_crop(x, integ.cfg.cue_size))
    sem, queries = greedy_decode(integ, cues, torch.tensor([tok.encode(text)], dtype=torch.long))
    return S.ids_to_values(sem[0].tolist()), queries
