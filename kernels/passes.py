"""Whole-network passes over the flat ABI (docs/design.md, "The kernel ABI").

A network is `sizes[L+1]`, `acts[L]`, `offsets[L]` and one flat `params` buffer; layer l's
weight is params[o : o + fan_in·fan_out] as (fan_in, fan_out), its bias the next fan_out values.
Per-sample buffers (`zs`, `outs`, `deltas`) are flat too: for a batch of B rows, layer l's block
starts at B·Σ_{k<l} units_k, so one allocation serves every batch size up to the largest.

`blocks`, the last argument of every pass: whether some product of the network may run in
register blocks (kernels/register_blocks.py) — True — or none ever does — None. Python decides it
once per call (blocks_for), and a kernel is compiled for its type: given None, Numba's dead-branch
pass drops every `blocks is None` branch before typing (it reads the compiled function's
arguments' types, through the glue pasted into it), so that the kernels of a network none of
whose products takes the blocks — every playground network's, AVX-512 or not — carry none of
their code. Compiled into xor's evaluation and epoch, that code had raised the warm-up's compile
on an empty cache from 15.7 to 28.0 CPU-seconds. `batch_rows` (forward_to_logits) is None the
same way in every pass but the fused epoch's, whose first layer may read a minibatch's rows
where they lie: the others then carry none of that code either.
"""
import numpy as np

from .activations import activate, backprop_activation
from .dense import (dense_bias_grads, dense_forward, dense_forward_rows, dense_input_grads, dense_weight_grads,
                    dense_weight_grads_rows, forward_in_blocks_fits, forward_uses_blas, gradient_in_blocks_fits,
                    uses_blas)
from .jit import glue, kernel
from .losses import loss_value, output_delta
from .optimizers import descend_by_product, descend_by_product_rows, descend_in_blocks
from .register_blocks import forward_in_blocks, gradient_in_blocks, register_blocks_fit
from .views import as_matrix, as_vector


@kernel
def weight_view(sizes, offsets, params, layer):
    return as_matrix(params, offsets[layer], sizes[layer], sizes[layer + 1])


@kernel
def bias_view(sizes, offsets, params, layer):
    return as_vector(params, offsets[layer] + sizes[layer] * sizes[layer + 1], sizes[layer + 1])


@kernel
def unit_block(sizes, buf, rows, layer):
    """Layer `layer`'s (rows, units) block of a flat per-sample buffer."""
    start = 0
    for k in range(layer):
        start += sizes[k + 1]
    return as_matrix(buf, start * rows, rows, sizes[layer + 1])


@glue
def forward(sizes, acts, offsets, params, x, zs, outs, blocks):
    """z_l = a_{l−1} W_l + b_l,  a_l = f_l(z_l), keeping every layer's z and a."""
    rows = x.shape[0]
    last = acts.shape[0] - 1
    forward_to_logits(sizes, acts, offsets, params, x, zs, outs, the_whole_of_x(), blocks)
    a = unit_block(sizes, outs, rows, last)
    activate(acts[last], unit_block(sizes, zs, rows, last), a)
    return a


@glue
def the_whole_of_x():
    """`batch_rows` saying that x is the batch itself, in a pass that never reads rows in place
    (forward_to_logits, backward_from_loss)."""
    return None


@glue
def batch_size_of(x, batch_rows):
    """The batch's rows: as many as its indices in x, or all of x."""
    if batch_rows is None:
        return x.shape[0]
    return batch_rows.shape[0] if batch_rows.shape[0] > 0 else x.shape[0]


@glue
def reads_in_place(batch_rows, layer):
    """Whether this layer's products read the batch's rows where they lie in x. Its callers ask
    `batch_rows is not None` first, where Numba can drop the branch: a call's result it cannot."""
    return layer == 0 and batch_rows.shape[0] > 0


@glue
def forward_to_logits(sizes, acts, offsets, params, x, zs, outs, batch_rows, blocks):
    """`forward` but for the last layer's activation: its z is filled, its a left to the caller —
    the fused epoch and evaluation, which activate it and take the loss in one call
    (losses.activate_with_loss).

    `batch_rows`: the indices of the batch's rows in x, which the first layer's product then reads
    where they lie (the fused epoch, when reads_rows_in_place); empty: x is the batch; None
    (the_whole_of_x): x is the batch, and no pass of this kernel reads rows in place."""
    rows = batch_size_of(x, batch_rows)
    last = acts.shape[0] - 1
    prev = x
    for layer in range(last + 1):
        z = unit_block(sizes, zs, rows, layer)
        w, b = weight_view(sizes, offsets, params, layer), bias_view(sizes, offsets, params, layer)
        if blocks is None:
            dense_forward(prev, w, b, z)
        elif batch_rows is not None and reads_in_place(batch_rows, layer):
            dense_forward_rows(x, batch_rows, w, b, z)
        elif forward_in_blocks_fits(rows, sizes[layer], sizes[layer + 1], params.itemsize):
            forward_in_blocks(prev, w, b, z)
        else:
            dense_forward(prev, w, b, z)
        if layer < last:
            a = unit_block(sizes, outs, rows, layer)
            activate(acts[layer], z, a)
            prev = a


@glue
def backward(sizes, acts, offsets, params, loss, x, y, zs, outs, deltas, grads, scratch, blocks):
    """The batch loss (losses.loss_value), then the chain rule from it to every weight
    (backward_from_loss), after `forward` filled zs and outs. Returns the loss."""
    rows = x.shape[0]
    last = acts.shape[0] - 1
    value = loss_value(loss, acts[last], unit_block(sizes, zs, rows, last), unit_block(sizes, outs, rows, last), y)
    backward_from_loss(sizes, acts, offsets, params, loss, x, y, zs, outs, deltas, grads, scratch, 0.0,
                       the_whole_of_x(), blocks)
    return value


@glue
def backward_from_loss(sizes, acts, offsets, params, loss, x, y, zs, outs, deltas, grads, scratch, descend_lr,
                       batch_rows, blocks):
    """The chain rule, every layer's δ and gradients, once zs and outs hold the forward pass:

    δ_L = ∂L/∂z_L (losses.output_delta);  ∂L/∂W_l = a_{l−1}ᵀ δ_l;  ∂L/∂b_l = Σ δ_l;
    δ_{l−1} = (δ_l W_lᵀ) ⊙ f'_{l−1}(z_{l−1}).

    `scratch` is laid out as `deltas` and holds each layer's ∂L/∂a before the activation's
    derivative turns it into δ: the caller allocates it once (the fused epoch: once an epoch),
    not three arrays a step as before. It is not δ's own block: in place, every derivative loop
    failed LLVM's aliasing check and ran scalar (2→128→1 at batch 10: 5–9 % slower).

    `descend_lr` > 0 (the fused epoch, when the step is plain SGD: optimizers.plain_sgd_rate):
    each weight whose gradient is a BLAS product takes its SGD step inside that product
    (optimizers.descend_by_product), after δ_l W_lᵀ has used the weights it had, and its
    gradient is not stored; descends_in_product says which, and those weights are the ones the
    update (epoch.descend_rest) leaves alone.

    `batch_rows`: as forward_to_logits's; the first layer's gradient (or step) then reads x's rows
    where they lie too.
    """
    rows = y.shape[0]
    last = acts.shape[0] - 1
    z = unit_block(sizes, zs, rows, last)
    a = unit_block(sizes, outs, rows, last)
    delta = unit_block(sizes, deltas, rows, last)
    output_delta(loss, acts[last], z, a, y, unit_block(sizes, scratch, rows, last), delta)
    for layer in range(last, -1, -1):
        prev = x if layer == 0 else unit_block(sizes, outs, rows, layer - 1)
        delta = unit_block(sizes, deltas, rows, layer)
        descends = descends_in_product(descend_lr, rows, sizes[layer], sizes[layer + 1])
        in_blocks = blocks is not None and gradient_in_blocks_fits(rows, sizes[layer], sizes[layer + 1],
                                                                   params.itemsize)
        dw, db = weight_view(sizes, offsets, grads, layer), bias_view(sizes, offsets, grads, layer)
        if descends:
            dense_bias_grads(delta, db)
        elif blocks is None:
            dense_weight_grads(prev, delta, dw, db)
        elif batch_rows is not None and reads_in_place(batch_rows, layer):
            dense_weight_grads_rows(x, batch_rows, delta, dw, db)
        elif in_blocks:
            dense_bias_grads(delta, db)
            gradient_in_blocks(prev, delta, dw)
        else:
            dense_weight_grads(prev, delta, dw, db)
        if layer > 0:
            prev_delta = unit_block(sizes, deltas, rows, layer - 1)
            grad_prev = unit_block(sizes, scratch, rows, layer - 1)
            dense_input_grads(delta, weight_view(sizes, offsets, params, layer), grad_prev)
            backprop_activation(acts[layer - 1], unit_block(sizes, zs, rows, layer - 1), prev, grad_prev, prev_delta)
        if not descends:
            continue
        w = weight_view(sizes, offsets, params, layer)
        if blocks is None:
            descend_by_product(prev, delta, w, descend_lr)
        elif batch_rows is not None and reads_in_place(batch_rows, layer):
            descend_by_product_rows(x, batch_rows, delta, w, descend_lr)
        elif in_blocks:
            descend_in_blocks(prev, delta, w, descend_lr)
        else:
            descend_by_product(prev, delta, w, descend_lr)


@kernel
def descends_in_product(descend_lr, rows, fan_in, fan_out):
    """Whether backward_from_loss steps this layer's weights inside their gradient's product:
    when asked to (descend_lr > 0) and the product is BLAS-sized (dense.uses_blas: BLAS, or the
    register blocks where they fit). The loops' products keep g, and the update steps those
    weights as before."""
    return descend_lr > 0.0 and uses_blas(rows, fan_in, fan_out)


@glue
def descends_anywhere(sizes, descend_lr, rows):
    """Whether backward_from_loss steps any layer's weights inside their product (descends_in_product)."""
    for layer in range(sizes.shape[0] - 1):
        if descends_in_product(descend_lr, rows, sizes[layer], sizes[layer + 1]):
            return True
    return False


@kernel
def reads_rows_in_place(blocks, sizes, rows, itemsize):
    """Whether the first layer's products — its forward product, and its weight gradient or the SGD
    step taken inside it — can read a batch of `rows` of x where they lie (register blocks:
    dense_forward_rows), so that the epoch need not copy them out first (gathers.gather_batch).
    At the MNIST shape that copy was 8.3 µs of a 133 µs step."""
    if blocks is None:
        return False
    fan_in, fan_out = sizes[0], sizes[1]
    return forward_uses_blas(rows, fan_in, fan_out) and register_blocks_fit(rows, fan_in, fan_out, itemsize)


def unit_count(sizes) -> int:
    return int(np.sum(sizes[1:]))


_fewest_rows: dict = {}          # (layer sizes, itemsize) → fewest_rows_for_blocks
MOST_ROWS = 1 << 31


def blocks_for(sizes, rows: int, itemsize: int):
    """`blocks` for a pass of a network of these layer sizes over at most `rows` rows at once (a
    minibatch, a chunk of a set): True when some weight product may run in register blocks, else
    None. train_epoch asks once an epoch, and a playground epoch is 70 µs: one look-up."""
    key = (sizes.tobytes(), int(itemsize))
    fewest = _fewest_rows.get(key)
    if fewest is None:
        fewest = _fewest_rows.setdefault(key, fewest_rows_for_blocks(sizes, itemsize))
    return True if rows >= fewest else None


def fewest_rows_for_blocks(sizes, itemsize: int) -> int:
    """The fewest rows from which some weight product of the network takes register blocks
    (dense.forward_in_blocks_fits, gradient_in_blocks_fits), by bisection: each rule grows with
    the rows alone (dense.uses_blas: rows·fan_in·fan_out multiply-adds). MOST_ROWS + 1 where none
    ever does."""
    def fits(rows):
        for layer in range(sizes.shape[0] - 1):
            fan_in, fan_out = int(sizes[layer]), int(sizes[layer + 1])
            if forward_in_blocks_fits(rows, fan_in, fan_out, itemsize) or \
                    gradient_in_blocks_fits(rows, fan_in, fan_out, itemsize):
                return True
        return False
    if not fits(MOST_ROWS):
        return MOST_ROWS + 1
    low, high = 1, MOST_ROWS
    while low < high:
        middle = (low + high) // 2
        low, high = (low, middle) if fits(middle) else (middle + 1, high)
    return low
