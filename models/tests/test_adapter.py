"""Adapter graphs on a tiny restorer: zero adapter = base model, the traced gradient
graph equals autograd, and it exports to ONNX (seconds on a CPU)."""
import torch

from restora_models import semantics as S
from restora_models.adapter_arch import AdaptedRestorer, restoration_loss
from restora_models.adapter_graph import trace_loss_and_grad
from restora_models.restorer_arch import Restorer, RestorerConfig


def tiny(stem=1):
    torch.manual_seed(0)
    r = Restorer(RestorerConfig(width=8, mid=1, emb=16, heads=2, k=S.K, dq=16, stem=stem)).eval()
    with torch.no_grad():  # non-zero output conv and FiLM so the adapter has something to move
        for p in r.parameters():
            p.add_(0.05 * torch.randn_like(p))
    return r


def test_zero_adapter_is_the_base_model_and_nonzero_changes_it():
    for stem in (1, 2):   # 2: the restorer that works at half resolution (models 2.0)
        r = tiny(stem)
        a = AdaptedRestorer(r, rank=2)
        x, q = torch.rand(1, 3, 19, 27), torch.randn(1, S.K, 16)
        with torch.no_grad():
            base = r(x, q)
            assert torch.equal(a(x, q, torch.zeros(a.layout.size)), base)
            assert (a(x, q, 0.1 * torch.randn(a.layout.size)) - base).abs().max() > 1e-3
        assert a.layout.size == sum(s.size for s in a.layout.slots)


def test_traced_gradient_matches_autograd_and_exports(tmp_path):
    for stem in (1, 2):
        check_gradient_graph(tiny(stem), tmp_path / f"grad{stem}.onnx")


def check_gradient_graph(r, path):
    a = AdaptedRestorer(r, rank=2)
    ex = (0.02 * torch.randn(a.layout.size), torch.rand(2, 3, 16, 16), torch.randn(2, S.K, 16), torch.rand(2, 3, 16, 16))
    gm = trace_loss_and_grad(lambda ad, im, q, tg: restoration_loss(a, ad, im, q, tg), ex)
    ad = ex[0].clone().requires_grad_(True)
    loss = restoration_loss(a, ad, *ex[1:])
    loss.backward()
    g_loss, g_grad = gm(*ex)
    assert abs(g_loss.item() - loss.item()) < 1e-6
    assert (g_grad - ad.grad).abs().max() < 1e-6
    assert ad.grad.abs().max() > 0  # zero is not a saddle point: the frozen-A LoRA gets a gradient too
    path = str(path)
    torch.onnx.export(gm, ex, path, opset_version=17, input_names=["adapter", "image", "queries", "target"],
                      output_names=["loss", "grad"])
    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m)
    assert [o.name for o in m.graph.output] == ["loss", "grad"]
