"""The adapter's gradient graph: loss and d loss / d adapter as a plain inference
graph, so ONNX Runtime (no training API) can compute exact gradients.

`functorch.grad_and_value` of the restoration loss is traced with `make_fx`
into ordinary aten ops. A few backward ops have no ONNX export in torch 1.13;
they are decomposed here into ops that do:
  - convolution_backward -> a transposed convolution (input gradient; the base
    weights are constants, so no weight gradient is ever asked for) and a sum
    (bias gradient);
  - slice/select_backward -> zero padding (instead of slice_scatter);
  - softmax/gelu/sigmoid backward from torch._decomp;
then a few alias ops are renamed to their exportable twins.
"""
import torch
from functorch import grad_and_value, make_fx
from torch._decomp import get_decompositions

aten = torch.ops.aten


def _conv_backward(grad_out, inp, weight, bias_sizes, stride, padding, dilation, transposed, output_padding,
                   groups, mask):
    if transposed or mask[1]:
        raise NotImplementedError("only the input gradient of a plain convolution is needed")
    gi = gb = None
    if mask[0]:
        extra = [inp.shape[2 + i] - ((grad_out.shape[2 + i] - 1) * stride[i] - 2 * padding[i]
                                     + dilation[i] * (weight.shape[2 + i] - 1) + 1) for i in range(2)]
        gi = aten.convolution(grad_out, weight, None, stride, padding, dilation, True, extra, groups)
    if mask[2]:
        gb = grad_out.sum((0, 2, 3))
    return gi, None, gb


def _pad_along(g, rank, dim, before, after):
    return aten.constant_pad_nd(g, [0, 0] * (rank - 1 - dim) + [before, after], 0.0)


def _slice_backward(g, input_sizes, dim, start, end, step):
    if step != 1:
        raise NotImplementedError("strided slice")
    rank = len(input_sizes)
    dim %= rank
    n = input_sizes[dim]
    start = max(0, min(n, start + n if start < 0 else start))
    end = max(start, min(n, end + n if end < 0 else end))
    return _pad_along(g, rank, dim, start, n - end)


def _select_backward(g, input_sizes, dim, index):
    rank = len(input_sizes)
    dim %= rank
    index %= input_sizes[dim]
    return _pad_along(aten.unsqueeze(g, dim), rank, dim, index, input_sizes[dim] - 1 - index)


def decompositions():
    table = get_decompositions([aten._softmax_backward_data, aten.gelu_backward, aten.sigmoid_backward])
    table[aten.convolution_backward.default] = _conv_backward
    table[aten.slice_backward.default] = _slice_backward
    table[aten.select_backward.default] = _select_backward
    return table


RENAME = {
    aten._reshape_alias.default: (aten.reshape.default, 2),
    aten._unsafe_view.default: (aten.reshape.default, 2),
    aten._softmax.default: (aten.softmax.int, 2),
    aten.logical_and_.default: (aten.logical_and.default, 2),
}


def exportable(gm):
    for n in gm.graph.nodes:
        if n.target in RENAME:
            n.target, nargs = RENAME[n.target]
            n.args = n.args[:nargs]
    gm.recompile()
    return gm


def trace_loss_and_grad(loss_fn, example_args):
    """loss_fn(adapter, *data) -> scalar. Returns a GraphModule (adapter, *data) -> (loss, grad)."""
    def step(adapter, *data):
        g, loss = grad_and_value(lambda a: loss_fn(a, *data))(adapter)
        return loss, g
    return exportable(make_fx(step, decomposition_table=decompositions())(*example_args))
