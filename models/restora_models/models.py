"""Build / save / load the jointly trained pair (integrator + restorer) from a config."""
import torch

from . import semantics as S
from .integrator_arch import Integrator, IntegratorConfig
from .restorer_arch import Restorer, RestorerConfig


def build(cfg, text_vocab):
    icfg = IntegratorConfig(text_vocab=text_vocab, sem_vocab=S.VOCAB_SIZE, **cfg.get("integrator", {}))
    rcfg = RestorerConfig(k=S.K, dq=icfg.dq, **cfg.get("restorer", {}))
    return Integrator(icfg), Restorer(rcfg)


def device():
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@torch.no_grad()
def greedy_decode(integ, cues, text_ids, text_mask=None, force=None):
    """Slot-restricted greedy decoding. Returns sem ids [B,K] and queries [B,K,dq].
    force: {slot name: value} fixed instead of decoded (the other slots are decoded after them)."""
    b = cues.shape[0]
    sem = torch.full((b, 1), S.BOS, dtype=torch.long, device=cues.device)
    for i in range(S.K):
        if force and S.SLOT_NAMES[i] in force:
            nxt = torch.full((b,), S.token_id(i, force[S.SLOT_NAMES[i]]), dtype=torch.long, device=cues.device)
            sem = torch.cat([sem, nxt[:, None]], 1)
            continue
        logits, _ = integ(cues, text_ids, sem, text_mask)
        lo, hi = S.slot_range(i)
        nxt = logits[:, -1, lo:hi].argmax(-1) + lo
        sem = torch.cat([sem, nxt[:, None]], 1)
    _, queries = integ(cues, text_ids, sem, text_mask)
    return sem[:, 1:], queries[:, 1:]
