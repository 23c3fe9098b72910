import pytest
import torch

from restora_models.integrator_arch import Integrator, IntegratorConfig
from restora_models.models import greedy_decode
from restora_models.restorer_arch import Restorer, RestorerConfig
from restora_models import semantics as S

ICFG = IntegratorConfig(text_vocab=300, sem_vocab=S.VOCAB_SIZE, d=32, layers=2, heads=2, cues=4, cue_size=32, dq=16)


def test_integrator_is_causal():
    torch.manual_seed(0)
    m = Integrator(ICFG).eval()
    cues = torch.randn(1, 4, 32)
    text = torch.tensor([[1, 50, 60, 70]])
    a = torch.tensor([[S.BOS, 5, 9, 12]])
    b = torch.tensor([[S.BOS, 5, 20, 3]])  # differs from position 2 on
    la, qa = m(cues, text, a)
    lb, qb = m(cues, text, b)
    assert torch.allclose(la[:, :2], lb[:, :2], atol=1e-6) and torch.allclose(qa[:, :2], qb[:, :2], atol=1e-6)
    assert not torch.allclose(la[:, 2:], lb[:, 2:], atol=1e-4)


def test_padded_batch_row_equals_unpadded():
    torch.manual_seed(0)
    m = Integrator(ICFG).eval()
    cues = torch.randn(1, 4, 32)
    sem = torch.tensor([[S.BOS, 5, 9]])
    l1, q1 = m(cues, torch.tensor([[1, 50]]), sem)
    l2, q2 = m(cues, torch.tensor([[1, 50, 0, 0]]), sem, torch.tensor([[True, True, False, False]]))
    assert torch.allclose(l1, l2, atol=1e-5) and torch.allclose(q1, q2, atol=1e-5)


def test_greedy_decode_respects_slots():
    m = Integrator(ICFG).eval()
    cues, _ = m.cue_encoder(torch.rand(2, 3, 32, 32))
    sem, q = greedy_decode(m, cues, torch.tensor([[1, 7], [1, 8]]))
    assert sem.shape == (2, S.K) and q.shape == (2, S.K, 16)
    for i in range(S.K):
        lo, hi = S.slot_range(i)
        assert ((sem[:, i] >= lo) & (sem[:, i] < hi)).all()


def test_restorer_any_size_and_starts_as_identity():
    r = Restorer(RestorerConfig(width=8, mid=1, emb=16, heads=2, k=S.K, dq=16)).eval()
    q = torch.randn(1, S.K, 16)
    for h, w in ((1, 1), (17, 33), (8, 8)):
        x = torch.rand(1, 3, h, w)
        y = r(x, q)
        assert y.shape == x.shape and torch.allclose(y, x)  # zero-initialised output conv


def test_checkpoints_written_before_the_stem_was_removed_still_load():
    """Restorer configs saved before issue #29 name `stem: 1`; they rebuild the same restorer. Any other
    stem (only the unshipped v2.0-cpu used one) is refused rather than silently built at stem 1."""
    old = dict(width=8, enc=[1, 1], mid=1, dec=[1, 1], k=S.K, dq=16, emb=16, heads=2, stem=1, sca="global")
    cfg = RestorerConfig(**old)
    assert cfg == RestorerConfig(**{k: v for k, v in old.items() if k != "stem"}) and "stem" not in cfg.to_dict()
    with pytest.raises(ValueError):
        RestorerConfig(**dict(old, stem=2))
