"""MODEL_CARD.md text for the two adapter graphs, filled from their manifests."""
import json

from .model_card import COMMON_DATA


def _header(m, what):
    a = m["adapter"]
    return (f"# {m['id']} {m['version']}\n\n{what}\n\nFile `model.onnx`, sha256 `{m['sha256']}`, opset {m['opset']}. "
            f"Base: `{m['base']['id']}` {m['base']['version']} (sha256 `{m['base']['sha256']}`), its weights frozen "
            f"inside this graph. Adapter: {a['size']:,} float32 values (LoRA rank {a['rank']}"
            f"{', with depthwise-kernel and residual-scale deltas' if a.get('spatial') else ''}).\n\n")


ADAPTER = """## The adapter (restora_models/adapter_arch.py)

One flat float32 input `adapter`; all zeros gives exactly the base restorer. It holds
per-channel deltas on the FiLM output (gamma, beta, gate) of the six instruction blocks,
a rank-r update W + B·A of the two expanding 1x1 convolutions of every NAF block
(including those inside the instruction blocks) (A a fixed seeded projection baked into the graph, B learned — so zero is not a
saddle point), when `adapter.spatial` is true a delta on each NAF block's depthwise 3x3
kernels and on its two residual scales (how much each channel sharpens or smooths, and
how much each block does), and a bias delta on the output convolution. The slot offsets and shapes
are in the manifest's `adapter.slots`.

Adapters are fitted **on the user's machine** by the app (electron/engine/finetune):
restoration loss on pairs synthesised from the user's reference photos with the same
degradations as training, an optional Bradley-Terry term from the user's A/B picks, and
an L2 penalty keeping the adapter near zero (the base model). Nothing is trained at export.

"""

KNOWN = """## Known limitations

- Inherits every limitation of restora-restorer (see its model card).
- The adapter is small: it moves how strongly each level restores, mixes channels and
  re-weights each block's spatial filters; it cannot add detail the base never learned.
- An adapter fitted on a few photos can over-fit them; the app evaluates on held-out
  reference photos and does not apply an adapter that does not help without asking.
- An adapter belongs to one base restorer: after the restorer is re-exported, adapters
  trained on the old base are refused (the adapter file records the base sha256).
"""


def forward(m):
    return _header(m, "The shipped restorer with a personalisation adapter as an extra input.") + """## Use

Inputs as restora-restorer (`image` [1,3,H,W] 0..1, any H, W; `queries` [1,K,Dq]) plus
`adapter` [P]. Output `restored` [1,3,H,W] in 0..1. Tile as the base (manifest `tile`).

""" + ADAPTER + COMMON_DATA + "\n" + KNOWN


def gradient(m):
    g = m["gradient"]
    return _header(m, "Loss and exact gradient of the adapted restorer with respect to the adapter, as an "
                      "inference graph (ONNX Runtime has no training API).") + f"""## Use

Inputs: `adapter` [P], `image` [{g['batch']},3,{g['crop']},{g['crop']}] degraded crops, `queries`
[{g['batch']},K,Dq] (one row per crop), `target` [{g['batch']},3,{g['crop']},{g['crop']}]. Outputs
`loss` (mean squared error of the adapted restorer's output against `target`) and `grad`
[P] = d loss / d adapter. The batch and crop size are fixed.

How it was made: `functorch.grad_and_value` of the loss traced with `make_fx` into aten
ops; convolution_backward replaced by a transposed convolution (input gradient; base
weights are constants), slice/select backward by zero padding, softmax/gelu/sigmoid
backward from `torch._decomp`; exported with `torch.onnx.export` (opset 17). The export
asserts the traced gradient equals PyTorch autograd (< 1e-6) and `parity.json` checks
ONNX Runtime against it.

Preference (Bradley-Terry) terms use the same graph twice, with the two candidates
as targets (the engine combines the two gradients).

""" + ADAPTER + COMMON_DATA + "\n" + KNOWN
