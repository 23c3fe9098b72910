"""Export the restorer's personalisation graphs (ONNX opset 17) into models/zoo/:

    cd models && /usr/bin/python3 -m restora_models.export_adapter --run v1-cpu [--out zoo]

  restora-restorer-adapter       image [1,3,H,W], queries, adapter [P] -> restored
                                 (the shipped restorer with adapter_arch's adapter; zero = base)
  restora-restorer-adapter-grad  image [B,3,S,S], queries [B,K,dq], adapter [P], target [B,3,S,S]
                                 -> loss (MSE), grad = d loss / d adapter   (fixed B, S)

The base weights are frozen constants in both graphs, so they must be the same
weights as zoo/restora-restorer: the export checks this against that model's
parity vectors and records its sha256 (`base`). Re-export after the restorer
changes; the engine refuses adapter graphs whose base is not the shipped restorer.
No training happens here — the app fits adapters on the user's machine.
"""
import argparse
import json
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch

from .adapter_arch import AdaptedRestorer, restoration_loss
from .adapter_graph import trace_loss_and_grad
from .checkpoint import load
from .data import MODELS_DIR
from .export import DATA, export_graph, flat, git_rev, io, rand, round_half, store_half, write_model
from . import semantics as S
from . import adapter_card
from . import export as export_mod

FWD, GRAD = "restora-restorer-adapter", "restora-restorer-adapter-grad"


def run_name(run):
    """'v1-cpu' for 'v1-cpu' and for '.../runs/v1-cpu/last.pt'."""
    return os.path.basename(os.path.dirname(run)) if run.endswith(".pt") else run


def check_base(rest, zoo):
    """The checkpoint's restorer must be the shipped one (same outputs on its parity vector)."""
    par = json.load(open(os.path.join(zoo, "restora-restorer", "parity.json")))
    t = lambda v: torch.tensor(v["data"], dtype=torch.float32).reshape(v["shape"])
    with torch.no_grad():
        out = rest(t(par["inputs"]["image"]), t(par["inputs"]["queries"]))
    err = (out - t(par["outputs"]["restored"])).abs().max().item()
    if err > 1e-4:
        raise SystemExit(f"this checkpoint's restorer is not zoo/restora-restorer (max |diff| {err:.2e}); export that first")
    return json.load(open(os.path.join(zoo, "restora-restorer", "manifest.json")))


def export_gradient(adapted, batch, crop, path, seed=31):
    p, k, dq = adapted.layout.size, adapted.rest.cfg.k, adapted.rest.cfg.dq
    ex = (rand(seed, (p,), -0.05, 0.05), rand(seed + 1, (batch, 3, crop, crop)), rand(seed + 2, (batch, k, dq), -1, 1),
          rand(seed + 3, (batch, 3, crop, crop)))
    gm = trace_loss_and_grad(lambda a, im, q, tg: restoration_loss(adapted, a, im, q, tg), ex)
    a = ex[0].clone().requires_grad_(True)
    loss = restoration_loss(adapted, a, *ex[1:])
    loss.backward()
    g_loss, g_grad = gm(*ex)
    err = (g_grad - a.grad).abs().max().item()
    assert err < 1e-6 and abs(g_loss.item() - loss.item()) < 1e-6, f"traced gradient differs from autograd ({err:.2e})"
    torch.onnx.export(gm, ex, path, opset_version=17, input_names=["adapter", "image", "queries", "target"],
                      output_names=["loss", "grad"], do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(path))
    names = ("adapter", "image", "queries", "target")
    return {"seed": seed, "inputs": {n: {"shape": list(x.shape), "data": flat(x)} for n, x in zip(names, ex)},
            "outputs": {"loss": {"shape": [], "data": [float(loss.item())]},
                        "grad": {"shape": [p], "data": flat(a.grad)}}, "atol": 2e-6}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", default="v1-cpu", help="run name under models/runs or a .pt path")
    ap.add_argument("--out", default=os.path.join(MODELS_DIR, "zoo"))
    ap.add_argument("--rank", type=int, default=4)
    ap.add_argument("--spatial", type=int, default=1, help="1: depthwise-kernel and residual-scale deltas too")
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--crop", type=int, default=64)
    args = ap.parse_args(argv)
    torch.manual_seed(0)
    _, rest, _, st = load(args.run)
    with open(os.path.join(args.out, "restora-restorer", "manifest.json")) as f:
        half = json.load(f).get("weights") == "float16"
    if half:   # the shipped restorer's weights are float16-exact; so are the copies inside these graphs
        round_half(rest)
    base = check_base(rest, args.out)   # the restorer exported (by export.py) into the same zoo
    export_mod.VERSION = base["version"]   # the adapter graphs are versioned with the restorer they adapt
    adapted = AdaptedRestorer(rest, args.rank, bool(args.spatial)).eval()
    if half:
        round_half(adapted)   # its fixed projections too, so they are stored as float16 as well
    layout = adapted.layout.to_dict()
    p, k, dq = adapted.layout.size, rest.cfg.k, rest.cfg.dq
    for mid in (FWD, GRAD):
        os.makedirs(os.path.join(args.out, mid), exist_ok=True)
    training = {"data": DATA, "base": "weights of restora-restorer, frozen (the adapter is fitted in the app)",
                "command": f"cd models && /usr/bin/python3 -m restora_models.export_adapter --run {run_name(args.run)}",
                "config": base["training"].get("config"), "steps": 0, "wallSeconds": 0,
                "hardware": base["training"].get("hardware"), "sourceCommit": git_rev()}
    extra = {"base": {"id": "restora-restorer", "sha256": base["sha256"], "version": base["version"]},
             "adapter": layout}
    adapter_in = io("adapter", "float32", [p], doc="flat adapter vector, layout in `adapter`; zeros = the base restorer")
    q_doc = "integrator queries at the K generated semantic tokens"

    # --- forward (inference with an adapter), any H, W
    path = os.path.join(args.out, FWD, "model.onnx")
    img, q, ad = rand(41, (1, 3, 24, 40)), rand(42, (1, k, dq), -1, 1), rand(43, (p,), -0.05, 0.05)
    export_graph(adapted, (img, q, ad), path, ["image", "queries", "adapter"], ["restored"],
                 {"image": {2: "H", 3: "W"}, "restored": {2: "H", 3: "W"}}, half_weights=half)
    with torch.no_grad():
        out = adapted(img, q, ad)
    write_model(args.out, FWD, "restorer-adapter",
                [io("image", "float32", [1, 3, "H", "W"], "NCHW", [0, 1]), io("queries", "float32", [1, S.K, dq], doc=q_doc),
                 adapter_in],
                [io("restored", "float32", [1, 3, "H", "W"], "NCHW", [0, 1])], p, training, {},
                dict(extra, tile=base["tile"]),
                {"inputs": {"image": {"shape": list(img.shape), "data": flat(img)},
                            "queries": {"shape": list(q.shape), "data": flat(q)},
                            "adapter": {"shape": [p], "data": flat(ad)}},
                 "outputs": {"restored": {"shape": list(out.shape), "data": flat(out)}}, "atol": 1e-4},
                adapter_card.forward)

    # --- gradient graph, fixed batch and crop
    path = os.path.join(args.out, GRAD, "model.onnx")
    parity = export_gradient(adapted, args.batch, args.crop, path)
    if half:
        store_half(path)
    b, c = args.batch, args.crop
    write_model(args.out, GRAD, "restorer-adapter-grad",
                [adapter_in, io("image", "float32", [b, 3, c, c], "NCHW", [0, 1], "degraded crops"),
                 io("queries", "float32", [b, S.K, dq], doc=q_doc + ", one row per crop"),
                 io("target", "float32", [b, 3, c, c], "NCHW", [0, 1], "what each crop should become")],
                [io("loss", "float32", [], doc="mean squared error of the adapted output against target"),
                 io("grad", "float32", [p], doc="d loss / d adapter (exact, traced from PyTorch autograd)")],
                p, training, {}, dict(extra, gradient={"batch": b, "crop": c, "loss": "mse"}), parity,
                adapter_card.gradient)
    print("exported", FWD, "and", GRAD, "to", args.out, f"({p} adapter values)")


if __name__ == "__main__":
    main()
