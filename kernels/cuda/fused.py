"""Small networks in two launches a training step, where launching costs more than computing.

`rows_pass`: a thread per sample row runs the whole forward pass, the loss and the backward δ
chain of its row (rows are independent until the weights' sums). `params_pass`: a thread per
parameter sums its gradient over the rows, ∂L/∂W_kj = Σ_i a_ik δ_ij and ∂L/∂b_j = Σ_i δ_ij,
then — when nothing is clipped, which needs the global norm first — adds the penalty and takes
the optimizer step in the same thread. Same device functions as the per-layer kernels (one
formula each, in device_math.py and optimizers.py), so both paths give the same numbers.

Per-row buffers are (layers, rows, widest layer): every layer's block in one array.
"""
from numba import cuda

from ..codes import CCE, SOFTMAX
from .device_math import activation_slope, activation_value, row_delta, row_loss, softmax_row, softmax_row_backprop
from .optimizers import penalised, update_parameter

# Per-row multiply-adds (Σ fan_in·fan_out) up to which a net trains in two launches a step: a
# thread then does at most this many multiply-adds serially per pass, against the ~8 launches
# of the per-layer kernels. Not measured (no GPU was lent while this was written): 1024 covers
# every playground preset, and leaves `digits` (4,736) and MNIST (101,632) to the layer kernels.
FUSED_MAX_MACS_PER_ROW = 1024

FORWARD, LOSS, BACKWARD = 0, 1, 2      # how far rows_pass goes


@cuda.jit
def rows_pass(sizes, acts, offsets, params, loss, x, y, rows, zs, outs, deltas, stage, terms, slot):
    """For each row i < rows: z_l = a_{l−1} W_l + b_l, a_l = f_l(z_l) through every layer; from
    stage LOSS on, terms[slot + i] = its loss term; at stage BACKWARD, δ_L = ∂L/∂z_L of the
    batch mean and δ_{l−1} = (δ_l W_lᵀ) ⊙ f'_{l−1}(z_{l−1}) down to the first layer."""
    layers = acts.shape[0]
    last = layers - 1
    n_out = sizes[layers]
    n = rows if loss == CCE else rows * n_out
    for i in range(cuda.grid(1), rows, cuda.gridsize(1)):
        for layer in range(layers):
            fan_in = sizes[layer]
            fan_out = sizes[layer + 1]
            o = offsets[layer]
            act = acts[layer]
            for j in range(fan_out):
                acc = params[o + fan_in * fan_out + j]
                for k in range(fan_in):
                    prev = x[i, k] if layer == 0 else outs[layer - 1, i, k]
                    acc += prev * params[o + k * fan_out + j]
                zs[layer, i, j] = acc
                if act != SOFTMAX:
                    outs[layer, i, j] = activation_value(act, acc)
            if act == SOFTMAX:
                softmax_row(zs[layer], outs[layer], i, fan_out)
        if stage == FORWARD:
            continue
        terms[slot + i] = row_loss(loss, acts[last], zs[last], outs[last], y, i, n_out)
        if stage == LOSS:
            continue
        row_delta(loss, acts[last], zs[last], outs[last], y, i, n_out, n, deltas[last])
        for layer in range(last, 0, -1):
            fan_in = sizes[layer]
            fan_out = sizes[layer + 1]
            o = offsets[layer]
            act = acts[layer - 1]
            for k in range(fan_in):
                acc = 0.0
                for j in range(fan_out):
                    acc += deltas[layer, i, j] * params[o + k * fan_out + j]
                if act == SOFTMAX:
                    deltas[layer - 1, i, k] = acc
                else:
                    deltas[layer - 1, i, k] = acc * activation_slope(act, zs[layer - 1, i, k], outs[layer - 1, i, k])
            if act == SOFTMAX:
                softmax_row_backprop(outs[layer - 1], deltas[layer - 1], deltas[layer - 1], i, fan_in)


@cuda.jit
def params_pass(sizes, offsets, x, rows, outs, deltas, code, params, grads, mask, is_weight, state, t, hp, step):
    """grads_p = Σ_i [a_{l−1}, 1]_ik δ_l,ij for every parameter p = (layer l, k, j); with `step`
    (no clipping this step), also the penalty and the optimizer rule on p."""
    layers = offsets.shape[0]
    for p in range(cuda.grid(1), params.shape[0], cuda.gridsize(1)):
        layer = layers - 1
        while offsets[layer] > p:
            layer -= 1
        fan_in = sizes[layer]
        fan_out = sizes[layer + 1]
        local = p - offsets[layer]
        g = 0.0
        if local < fan_in * fan_out:
            k = local // fan_out
            j = local - k * fan_out
            for i in range(rows):
                prev = x[i, k] if layer == 0 else outs[layer - 1, i, k]
                g += prev * deltas[layer, i, j]
        else:
            j = local - fan_in * fan_out
            for i in range(rows):
                g += deltas[layer, i, j]
        grads[p] = g
        if step and mask[p] != 0:
            update_parameter(code, params, state, p, penalised(grads, params, is_weight, hp, p), t, hp)


def macs_per_row(sizes) -> int:
    return sum(int(a) * int(b) for a, b in zip(sizes[:-1], sizes[1:]))
