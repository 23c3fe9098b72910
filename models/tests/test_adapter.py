"""Adapter graphs on a tiny restorer: zero adapter = base model, the traced gradient
graph equals autograd, and it exports to ONNX (seconds on a CPU)."""
import torch

from restora_models import semantics as S
from restora_models.adapter_arch import AdaptedRestorer, restoration_loss
from restora_models.adapter_graph import trace_loss_and_grad
from restora_models.restorer_arch import Restorer, RestorerConfig


def tiny():
    torch.manual_seed(0)
    r = Restorer(RestorerConfig(width=8, mid=1, emb=16, heads=2, k=S.K, dq=16)).eval()
    with torch.no_grad():  # non-zero output conv and FiLM so the adapter has something to move
        for p in r.parameters():
            p.add_(0.05 * torch.randn_like(p))
    return r


def test_zero_adapter_is_the_base_model_and_nonzero_changes_it():
    for spatial in (False, True):
        r = tiny()
        a = AdaptedRestorer(r, rank=2, spatial=spatial)
        x, q = torch.rand(1, 3, 19, 27), torch.randn(1, S.K, 16)
        with torch.no_grad():
            base = r(x, q)
            assert torch.equal(a(x, q, torch.zeros(a.layout.size)), base)
            assert (a(x, q, 0.1 * torch.randn(a.layout.size)) - base).abs().max() > 1e-3
        assert a.layout.size == sum(s.size for s in a.layout.slots)


def test_traced_gradient_matches_autograd_and_exports(tmp_path):
    # ONNX export of the spatial graph takes about a minute even on the tiny restorer (the
    # nine shifted products per block); the shipped one is exported and checked against
    # ONNX Runtime by tests/integration/models-parity.test.ts, so here it is traced only.
    for spatial in (False, True):
        check_gradient_graph(tiny(), tmp_path / f"grad{int(spatial)}.onnx", spatial, export=not spatial)


def test_depthwise_delta_is_the_convolution_it_replaces():
    """The nine shifted products equal a depthwise 3x3 convolution with zero padding (what blk.dw is)."""
    torch.manual_seed(1)
    x, d = torch.randn(2, 6, 9, 13), torch.randn(6, 9)
    ref = torch.nn.functional.conv2d(x, d.reshape(6, 1, 3, 3), padding=1, groups=6)
    assert (AdaptedRestorer.depthwise_delta(x, d) - ref).abs().max() < 1e-5


def test_spatial_slots_move_only_their_block():
    """A depthwise-kernel delta in one block changes the output; the layout records the spatial slots."""
    r = tiny()
    a = AdaptedRestorer(r, rank=2, spatial=True)
    names = [s.name for s in a.layout.slots]
    assert "naf0.dw" in names and "naf0.scales" in names and names[-1] == "ending.bias"
    assert a.layout.to_dict()["spatial"] is True
    ad = torch.zeros(a.layout.size)
    s = a.layout.dw[0]
    ad[s.offset:s.offset + s.size] = 0.2
    x, q = torch.rand(1, 3, 16, 16), torch.randn(1, S.K, 16)
    with torch.no_grad():
        assert (a(x, q, ad) - r(x, q)).abs().max() > 1e-4


def check_gradient_graph(r, path, spatial=False, export=True):
    a = AdaptedRestorer(r, rank=2, spatial=spatial)
    ex = (0.02 * torch.randn(a.layout.size), torch.rand(2, 3, 16, 16), torch.randn(2, S.K, 16), torch.rand(2, 3, 16, 16))
    gm = trace_loss_and_grad(lambda ad, im, q, tg: restoration_loss(a, ad, im, q, tg), ex)
    ad = ex[0].clone().requires_grad_(True)
    loss = restoration_loss(a, ad, *ex[1:])
    loss.backward()
    g_loss, g_grad = gm(*ex)
    assert abs(g_loss.item() - loss.item()) < 1e-6
    assert (g_grad - ad.grad).abs().max() < 1e-6
    assert ad.grad.abs().max() > 0  # zero is not a saddle point: the frozen-A LoRA gets a gradient too
    if not export:
        return
    path = str(path)
    torch.onnx.export(gm, ex, path, opset_version=17, input_names=["adapter", "image", "queries", "target"],
                      output_names=["loss", "grad"])
    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m)
    assert [o.name for o in m.graph.output] == ["loss", "grad"]
