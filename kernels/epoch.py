"""The calls Python makes: one fused training epoch, evaluation, prediction, and the traced step.

`train_epoch` runs every minibatch of an epoch — gather, forward, loss, backward, penalty,
clipping, optimizer update — in one compiled call, compiled for the network's loss and the
optimizer (epoch_kernel). `trace_step` runs the same functions on one
batch but keeps every intermediate, for the backprop inspector: the math exists once.
train_epoch, evaluate_loss, predict and run_forward call their kernel through stepped.run: while
the kernel warm-up compiles it, the same source runs as Python over the compiled leaves
(nnterm/warmup/twins.py).
"""
import math

import numpy as np

from .codes import HP_CLIP, HP_L1, HP_L2, HP_LR, HP_MOMENTUM, HP_NESTEROV, HP_WEIGHT_DECAY, LOSSES, OPTIMIZERS
from . import stepped
from .gathers import gather_batch, gather_row
from .jit import glue, kernel
from .register_blocks import aligned_empty
from .optimizers import all_kept, optimizer_step, plain_sgd_rate, sgd_step
from .passes import (backward, backward_from_loss, blocks_for, descends_anywhere, descends_in_product, forward,
                     forward_to_logits, reads_rows_in_place, the_whole_of_x, unit_block)
from .views import as_matrix, as_vector
from .losses import activate_with_loss
from .regularizers import add_weight_penalty, clip_global_norm


@kernel
def all_finite(values):
    for i in range(values.shape[0]):
        if not math.isfinite(values[i]):
            return False
    return True


@glue
def update_step(sizes, offsets, opt_code, params, grads, mask, state, t, hp, want_norm, kept):
    """Penalty → global-norm clipping → optimizer rule, on the flat buffers. `kept`: all_kept(mask).

    Returns ‖g‖₂ when `want_norm` or clipping needs it, else NaN: the norm is a sequential
    float64 sum over every parameter, 84 µs of a 570 µs mnist step (784→128→10, batch 64,
    measured with nnterm bench), and train_epoch never reads it.
    """
    add_weight_penalty(sizes, offsets, params, grads, hp[HP_L1], hp[HP_L2])
    norm = math.nan
    if want_norm or hp[HP_CLIP] > 0.0:
        norm = clip_global_norm(grads, mask, hp[HP_CLIP])
    optimizer_step(opt_code, params, grads, mask, state, t, hp, kept)
    return norm


@glue
def descend_rest(sizes, offsets, rows, params, grads, mask, state, hp, kept):
    """SGD's step (optimizers.sgd_step, called as optimizer_step calls it) on what
    backward_from_loss left when it took the steps of the BLAS-sized weights inside their
    products: every bias, and every weight whose product ran in loops. Entry by entry as
    update_step would have stepped them; only for a plain SGD step (optimizers.plain_sgd_rate)."""
    lr = hp[HP_LR]
    for layer in range(sizes.shape[0] - 1):
        fan_in, fan_out = sizes[layer], sizes[layer + 1]
        start = offsets[layer]
        stop = start + fan_in * fan_out + fan_out
        if descends_in_product(lr, rows, fan_in, fan_out):
            start += fan_in * fan_out
        n = stop - start
        sgd_step(as_vector(params, start, n), as_vector(grads, start, n), as_vector(mask, start, n),
                 as_vector(state[0], start, n), lr, hp[HP_WEIGHT_DECAY], hp[HP_MOMENTUM], hp[HP_NESTEROV] != 0.0,
                 kept)


@kernel
def apply_update(sizes, offsets, opt_code, params, grads, mask, state, t, hp):
    """Penalty → global-norm clipping → optimizer rule, on the flat buffers. Returns ‖g‖₂."""
    return update_step(sizes, offsets, opt_code, params, grads, mask, state, t, hp, True, all_kept(mask))


def train_epoch(sizes, acts, offsets, loss, opt_code, params, grads, mask, state, step, hp, x, y, order, batch_size):
    """One epoch over x[order] in minibatches. `step[0]` counts optimizer steps (Adam's t).

    Returns the mean minibatch loss (Keras's running "loss"), or NaN as soon as a batch's loss
    is not finite — the caller then restores the weights it kept. Runs the compiled epoch made
    for this loss and optimizer (epoch_kernel), and for whether its products may run in register
    blocks (passes.blocks_for).
    """
    blocks = blocks_for(sizes, min(batch_size, order.shape[0]), params.itemsize)
    return stepped.run(epoch_kernel(loss, opt_code), sizes, acts, offsets, params, grads, mask, state, step, hp, x, y,
                       order, batch_size, blocks)


_epoch_kernels: dict = {}


def epoch_kernel(loss: int, opt_code: int):
    """The fused epoch compiled for one (loss, optimizer) pair, made on first use.

    The two codes are constants of the compiled function, not arguments: Numba prunes every
    branch on them before typing (its dead-branch pass runs after inlining), so the epoch
    compiles one loss's formulas and one optimizer rule, and calls one optimizer leaf, instead
    of all five and all seven. On an empty cache that takes a fifth off the training kernels'
    compile (xor: 7.9–10.0 CPU-seconds instead of 10.0–10.4, measured in one sitting), with
    the same loss histories bit for bit and the same warm speed. Each pair is a kernel of its own name, so it has its own
    cache files: Numba's cache key holds the closure's values too, but one index shared by
    two processes writing different pairs at once could lose an entry.
    """
    key = (int(loss), int(opt_code))
    found = _epoch_kernels.get(key)
    if found is None:       # setdefault is atomic: two threads asking at once get the same dispatcher
        found = _epoch_kernels.setdefault(key, _make_epoch_kernel(*key))
    return found


def _make_epoch_kernel(loss, opt_code):
    def epoch_for(sizes, acts, offsets, params, grads, mask, state, step, hp, x, y, order, batch_size, blocks):
        n = order.shape[0]
        rows_max = min(batch_size, n)
        units = 0
        for k in range(1, sizes.shape[0]):
            units += sizes[k]
        zs = aligned_empty(rows_max * units, params)
        outs = aligned_empty(rows_max * units, params)
        deltas = aligned_empty(rows_max * units, params)
        scratch = aligned_empty(rows_max * units, params)
        # Whether a batch's first layer reads its rows where they lie in x (passes.reads_rows_in_place),
        # asked once for a whole batch and once for the last, shorter one: not in every step (a
        # playground step is 1.4 µs).
        last_rows = n - (n - 1) // batch_size * batch_size if n > 0 else 0
        whole_in_place = reads_rows_in_place(blocks, sizes, rows_max, params.itemsize)
        last_in_place = reads_rows_in_place(blocks, sizes, last_rows, params.itemsize)
        copies_rows = not (whole_in_place and last_in_place)
        xb_all = np.empty((rows_max if copies_rows else 0) * x.shape[1], x.dtype)     # 200 KB at the MNIST shape
        yb_all = np.empty((rows_max, y.shape[1]), y.dtype)
        total = 0.0
        last = acts.shape[0] - 1
        kept = all_kept(mask)
        # > 0 when each step is plain SGD: the BLAS-sized weights then step inside their products.
        # A network with none (the playground's) keeps the one update over the whole buffer.
        descend_lr = plain_sgd_rate(opt_code, hp, kept)
        if not descends_anywhere(sizes, descend_lr, rows_max):
            descend_lr = 0.0
        for start in range(0, n, batch_size):
            stop = min(start + batch_size, n)
            rows = stop - start
            yb = yb_all[:rows]
            gather_batch(y, order, start, yb)
            # views without a reference count (kernels/views.py): a slice here took and gave back one
            # a step, two atomic adds, and the playground's step was 4 % slower
            if whole_in_place if rows == rows_max else last_in_place:
                xb, batch_rows = x, as_vector(order, start, rows)
            else:
                xb, batch_rows = as_matrix(xb_all, 0, rows, x.shape[1]), as_vector(order, 0, 0)
                gather_batch(x, order, start, xb)
            forward_to_logits(sizes, acts, offsets, params, xb, zs, outs, batch_rows, blocks)
            value = activate_with_loss(loss, acts[last], unit_block(sizes, zs, rows, last),
                                       unit_block(sizes, outs, rows, last), yb)
            if not math.isfinite(value):
                return math.nan
            backward_from_loss(sizes, acts, offsets, params, loss, xb, yb, zs, outs, deltas, grads, scratch,
                               descend_lr, batch_rows, blocks)
            total += value * rows
            step[0] += 1
            if descend_lr > 0.0:
                descend_rest(sizes, offsets, rows, params, grads, mask, state, hp, kept)
            else:
                update_step(sizes, offsets, opt_code, params, grads, mask, state, step[0], hp, False, kept)
        return total / n
    # The name Numba's cache files are called by: kernels/__pycache__/epoch.train_epoch_bce_sgd-….nbi
    epoch_for.__name__ = epoch_for.__qualname__ = f"train_epoch_{LOSSES[loss]}_{OPTIMIZERS[opt_code]}"
    return kernel(epoch_for)


@glue
def chunk_scratch(sizes, n, chunk, params):
    """(zs, outs): every unit's z and a for `chunk` rows at a time (at most n), in the params' dtype —
    the scratch a chunked pass over a whole set needs, whatever the set's size."""
    units = 0
    for k in range(1, sizes.shape[0]):
        units += sizes[k]
    zs = np.empty(min(chunk, n) * units, params.dtype)
    return zs, np.empty_like(zs)


def predict(sizes, acts, offsets, params, x, out, chunk):
    """out = network(x), computed `chunk` rows at a time to bound the scratch memory (predict_rows)."""
    stepped.run(predict_rows, sizes, acts, offsets, params, x, out, chunk, chunk_blocks(sizes, x, chunk, params))


def chunk_blocks(sizes, x, chunk, params):
    """blocks_for a pass over the rows x, `chunk` of them at a time."""
    return blocks_for(sizes, min(chunk, x.shape[0]), params.itemsize)


def run_forward(sizes, acts, offsets, params, x, zs, outs, small=False):
    """passes.forward called from Python: every layer's z and a for the rows x; returns the output.
    `small`: a teaching engine's few rows, which may run as the Python twin (stepped.run_small)."""
    return (stepped.run_small if small else stepped.run)(forward, sizes, acts, offsets, params, x, zs, outs,
                                                          blocks_for(sizes, x.shape[0], params.itemsize))


@kernel
def predict_rows(sizes, acts, offsets, params, x, out, chunk, blocks):
    n = x.shape[0]
    zs, outs = chunk_scratch(sizes, n, chunk, params)
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        a = forward(sizes, acts, offsets, params, x[start:stop], zs, outs, blocks)
        for r in range(stop - start):
            gather_row(a, r, out, start + r)


def evaluate_loss(sizes, acts, offsets, loss, params, x, y, chunk, small=False):
    """Mean loss over the whole set (chunks weighted by their rows), compiled for this loss
    (evaluation_kernel). `small`: as run_forward's."""
    return (stepped.run_small if small else stepped.run)(evaluation_kernel(loss), sizes, acts, offsets, params, x, y,
                                                          chunk, chunk_blocks(sizes, x, chunk, params))


_evaluation_kernels: dict = {}


def evaluation_kernel(loss: int):
    """evaluate_loss compiled for one loss, as epoch_kernel is for a (loss, optimizer) pair."""
    key = int(loss)
    found = _evaluation_kernels.get(key)
    if found is None:
        found = _evaluation_kernels.setdefault(key, _make_evaluation_kernel(key))
    return found


def _make_evaluation_kernel(loss):
    def evaluation_for(sizes, acts, offsets, params, x, y, chunk, blocks):
        n = x.shape[0]
        zs, outs = chunk_scratch(sizes, n, chunk, params)
        last = acts.shape[0] - 1
        total = 0.0
        for start in range(0, n, chunk):
            stop = min(start + chunk, n)
            rows = stop - start
            forward_to_logits(sizes, acts, offsets, params, x[start:stop], zs, outs, the_whole_of_x(), blocks)
            z = unit_block(sizes, zs, rows, last)
            a = unit_block(sizes, outs, rows, last)
            total += activate_with_loss(loss, acts[last], z, a, y[start:stop]) * rows
        return total / n
    evaluation_for.__name__ = evaluation_for.__qualname__ = f"evaluate_loss_{LOSSES[loss]}"
    return kernel(evaluation_for)


@kernel
def loss_and_grads(sizes, acts, offsets, loss, params, x, y, grads, zs, outs, deltas, blocks):
    """Forward + backward on one batch; fills grads (no penalty) and the per-layer buffers.
    `blocks`: blocks_for(sizes, rows of x, params.itemsize)."""
    forward(sizes, acts, offsets, params, x, zs, outs, blocks)
    return backward(sizes, acts, offsets, params, loss, x, y, zs, outs, deltas, grads, np.empty_like(deltas), blocks)


@kernel
def trace_step(sizes, acts, offsets, loss, opt_code, params, grads, mask, state, step, hp, x, y,
               zs, outs, deltas, update, blocks):
    """One training step on (x, y) that keeps everything a person may want to see.

    Fills zs/outs/deltas (forward and backward), grads (the raw ∂L/∂θ before penalty and
    clipping, as the chain rule gives them), and `update` = θ_after − θ_before. params and
    state are advanced exactly as train_epoch would advance them for this batch.
    `blocks`: blocks_for(sizes, rows of x, params.itemsize). Returns (loss, gradient norm after penalty).
    """
    value = loss_and_grads(sizes, acts, offsets, loss, params, x, y, grads, zs, outs, deltas, blocks)
    applied = grads.copy()          # penalty and clipping change this copy; grads stays the chain rule's
    before = params.copy()
    step[0] += 1
    norm = apply_update(sizes, offsets, opt_code, params, applied, mask, state, step[0], hp)
    for i in range(params.shape[0]):
        update[i] = params[i] - before[i]
    return value, norm
