"""Compiling the leaves of the call tree on their own, before the kernels that call them.

A kernel's compile compiles every leaf it calls that is not compiled yet (or loads it from the
cache), then itself. Two processes can each compile part of the leaves into the shared cache at
once (Numba compiles behind one lock per process, not per machine): in the kernel warm-up
(nnterm/warmup/kernel_warm_up.py) this process compiles the list in order and the helper from
the end, each loading from the cache what the other compiled meanwhile. That is all the stepped
twins need (nnterm/warmup/twins.py), so the first epochs can run; then this process compiles the
evaluation kernels while the helper compiles train_epoch, which loads every leaf from the cache
instead of compiling any again. Should both reach the same leaf at once, both compile it and
write the same cache entry.

"Leaves" here are what the twins call compiled: the kernels proper (each kind's own), and the
two middle functions that compute numbers (the penalty, clipping), which the fused kernels paste in.

Each leaf is called once on one-row scratch arrays of the network's dtype, C-contiguous and
2-D exactly like the blocks the passes hand it (passes.unit_block, weight_view, bias_view), so
the specialisation compiled here is the one the kernels ask for and no other
(tests/test_kernel_leaves.py checks that an epoch after both compiles no leaf of its own).
"""
import numpy as np

from nnterm.kernels.activations import activate, backprop_activation
from nnterm.kernels.codes import GD, HP_SIZE, MOMENTUM, SGD
from nnterm.kernels.dense import (dense_bias_grads, dense_forward, dense_forward_rows, dense_input_grads,
                                  dense_weight_grads, dense_weight_grads_rows, forward_in_blocks_fits,
                                  gradient_in_blocks_fits)
from nnterm.kernels.gathers import gather_batch, gather_row
from nnterm.kernels.losses import activate_with_loss, output_delta
from nnterm.kernels.optimizers import (all_kept, descend_by_product, descend_by_product_rows, descend_in_blocks,
                                       optimizer_step, plain_sgd_rate)
from nnterm.kernels.register_blocks import forward_in_blocks, gradient_in_blocks
from nnterm.kernels.passes import bias_view, descends_in_product, reads_rows_in_place, unit_block, weight_view
from nnterm.kernels.regularizers import add_weight_penalty, clip_global_norm
from nnterm.warmup.twins import twin


def _scratch(dtype):
    block = np.zeros((1, 1), dtype)
    return block, np.zeros(1, dtype)


def distinct(codes) -> list[int]:
    return list(dict.fromkeys(int(code) for code in codes))


def stepped_leaf_calls(dtype, acts, loss: int, opt_code: int, in_epochs=None, in_passes=None) -> list:
    """What the stepped twins of evaluation and training call for a network of these activation
    codes (one per layer), this loss and this optimizer, as calls to make in this order: what
    evaluation and training share (the loss, whose clamped log is the leaf with two
    specialisations, float32 and float64, with the output layer's activation; the views; the row
    gathers; the dense product; each activation), then what only training calls (the dense
    products' gradients, each hidden activation's derivative, the output layer's δ, the penalty,
    clipping, whether any parameter is frozen, the optimizer's rule).
    The dispatchers' twins pick each kind's kernel, with exactly the arguments the twins hand it.

    `in_epochs`, `in_passes`: kernels.passes.blocks_for over a minibatch, and over the most rows
    another pass takes at once (True, or None; the second is True where the first is). The
    register blocks' kernels are compiled only where a twin may reach them: the forward product's
    where some pass may take it, the others (the gradient's, the SGD step's, the row-reading
    kernels) where an epoch may."""
    block, flat = _scratch(dtype)
    wide = np.zeros((1, 16), dtype)         # a register's columns: the register blocks' products take no fewer
    sizes, offsets, params = np.ones(2, np.int64), np.zeros(1, np.int64), np.zeros(2, dtype)
    mask, state, hp = np.ones(2, np.uint8), np.zeros((2, 2), dtype), np.zeros(HP_SIZE)
    output = np.int64(acts[-1])
    shared = [lambda: twin(activate_with_loss)(loss, output, block, block, block),
              lambda: unit_block(sizes, flat, 1, 0),
              lambda: weight_view(sizes, offsets, params, 0),
              lambda: bias_view(sizes, offsets, params, 0),
              lambda: gather_row(block, 0, block, 0),
              lambda: gather_batch(block, offsets, 0, block),
              lambda: dense_forward(block, block, flat, block)]
    shared += [lambda: reads_rows_in_place(in_epochs, sizes, 1, 1)]
    if in_passes:
        shared += [lambda: forward_in_blocks_fits(1, 1, 1, 1),
                   lambda: forward_in_blocks(block, block, flat, block)]
    if in_epochs:
        shared += [lambda: dense_forward_rows(block, offsets, block, flat, block)]
    shared += [lambda code=code: twin(activate)(np.int64(code), block, block) for code in distinct(acts)]
    backward = [lambda: dense_weight_grads(block, block, block, flat),
                lambda: dense_bias_grads(block, flat),
                lambda: descends_in_product(hp[0], 1, 1, 1),
                lambda: dense_input_grads(block, block, block)]
    backward += [lambda code=code: twin(backprop_activation)(np.int64(code), block, block, block, block)
                 for code in distinct(acts[:-1])]
    if in_epochs:
        backward += [lambda: gradient_in_blocks_fits(1, 1, 1, 1),
                     lambda: gradient_in_blocks(block, wide, wide),
                     lambda: dense_weight_grads_rows(block, offsets, block, block, flat)]
    update = [lambda: twin(output_delta)(loss, output, block, block, block, block, block),
              lambda: add_weight_penalty(sizes, offsets, params, params, hp[0], hp[0]),
              lambda: clip_global_norm(params, mask, hp[0]),
              lambda: all_kept(mask),
              lambda: twin(optimizer_step)(opt_code, params, params, mask, state, np.int64(1), hp),
              lambda: plain_sgd_rate(opt_code, hp, True)]
    if opt_code in (GD, SGD, MOMENTUM):     # plain SGD's steps: inside the big products, then the rest
        update += [lambda: descend_by_product(block, block, block, float(hp[0]))]
        if in_epochs:
            update += [lambda: descend_in_blocks(block, wide, wide, float(hp[0])),
                       lambda: descend_by_product_rows(block, offsets, block, block, float(hp[0]))]
    return shared + backward + update


def compile_stepped_leaves(dtype, acts, loss: int, opt_code: int, in_epochs=None, in_passes=None,
                           from_the_end: bool = False) -> None:
    """The leaves, in order or from the end: two processes going opposite ways meet in the
    middle, each loading from the cache what the other compiled, neither waiting, and whichever
    is busier with other work (the app, with Textual's start) compiles fewer."""
    calls = stepped_leaf_calls(dtype, acts, loss, opt_code, in_epochs, in_passes)
    for call in reversed(calls) if from_the_end else calls:
        call()
