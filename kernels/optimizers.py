"""Optimizer update rules over the flat parameter buffer, exactly as torch.optim documents them.

`state` is a (2, P) array: row 0 holds momentum / Adam's m / RMSprop's v / Adagrad's sum,
row 1 Adam's v. `mask[i] == 0` freezes parameter i: neither it nor its state moves.
`t` is the 1-based step number (Adam's bias correction).

Every loop is written to vectorize: no branch inside it (a loop-invariant choice picks the
loop; a frozen entry keeps its old value through a select, `new if keep else old`, instead of
a `continue`) and no Python division check (kernels.jit). Measured on the digits network
(9,610 parameters, float32) when they replaced the branching loops, bit for bit: Adam 36 µs →
4.9 µs a step (its float64 arithmetic measured 13.3 µs in a later sitting, 4.5 µs in float32:
adam_step), SGD 2.8 → 1.0 µs. With nothing frozen (`kept`, asked once an
epoch) SGD and Adam take the same loop without the select, bit for bit the same again.
"""
import math

import numpy as np

from .blas import add_product_at_b
from .codes import (ADAGRAD, ADAM, ADAMW, GD, HP_ALPHA, HP_BETA1, HP_BETA2, HP_CLIP, HP_EPS, HP_L1, HP_L2, HP_LR,
                    HP_MOMENTUM, HP_NESTEROV, HP_WEIGHT_DECAY, MOMENTUM, RMSPROP, SGD)
from .gathers import copied_rows
from .jit import glue, inlined, kernel
from .register_blocks import add_product, gathered_columns, register_blocks_fit, rows_of


@glue
def optimizer_step(code, params, grads, mask, state, t, hp, kept=False):
    """One step of the rule `code`. `kept`: all_kept(mask), which the fused epoch asks once."""
    lr = hp[HP_LR]
    wd = hp[HP_WEIGHT_DECAY]
    eps = hp[HP_EPS]
    if code == GD or code == SGD or code == MOMENTUM:
        sgd_step(params, grads, mask, state[0], lr, wd, hp[HP_MOMENTUM], hp[HP_NESTEROV] != 0.0, kept)
    elif code == RMSPROP:
        rmsprop_step(params, grads, mask, state[0], lr, wd, eps, hp[HP_ALPHA])
    elif code == ADAGRAD:
        adagrad_step(params, grads, mask, state[0], lr, wd, eps)
    elif code == ADAM or code == ADAMW:
        if code == ADAMW:
            decay_weights(params, mask, lr, wd)
            wd = 0.0
        adam_step(params, grads, mask, state[0], state[1], lr, wd, eps, hp[HP_BETA1], hp[HP_BETA2], t, kept)


@inlined
def decayed(g, theta, wd):
    """PyTorch's `weight_decay`, added to the gradient by every rule below: g + λθ."""
    return g + wd * theta


@kernel
def decayed_gradients(params, grads, wd, out):
    """out = g + λθ entry by entry: the gradient each rule below steps on (for the explanations)."""
    for i in range(params.shape[0]):
        out[i] = decayed(grads[i], params[i], wd)


@kernel
def all_kept(mask):
    """Whether no parameter is frozen (every mask entry nonzero): the lean update's condition,
    asked once per epoch, as a branch-free reduction that vectorizes."""
    frozen = 0
    for i in range(mask.shape[0]):
        frozen += mask[i] == 0
    return frozen == 0


@kernel
def sgd_step(params, grads, mask, velocity, lr, wd, mu, nesterov, kept=False):
    """torch.optim.SGD (dampening 0):  g ← g + λθ;  b ← μb + g;  g ← g + μb (nesterov) or b;  θ ← θ − lr·g

    In the parameters' dtype, as torch computes it for float32 parameters: lr, λ and μ are rounded
    to it once (784→128→10: 26 µs → 9 µs a step over its 101,770 parameters, float64 arithmetic
    being half as wide). `kept` (all_kept: nothing frozen) takes a lean loop without the per-entry
    select; the same numbers bit for bit (tests/test_lean_updates.py)."""
    n = params.shape[0]
    lr = params.dtype.type(lr)
    wd = params.dtype.type(wd)
    mu = params.dtype.type(mu)
    if kept:
        if mu == 0.0:
            for i in range(n):
                params[i] = params[i] - lr * decayed(grads[i], params[i], wd)
            return
        for i in range(n):
            g, velocity[i] = with_momentum(decayed(grads[i], params[i], wd), velocity[i], mu, nesterov)
            params[i] = params[i] - lr * g
        return
    if mu == 0.0:
        for i in range(n):
            g = decayed(grads[i], params[i], wd)
            params[i] = params[i] - lr * g if mask[i] != 0 else params[i]
        return
    for i in range(n):
        keep = mask[i] != 0
        g, b = with_momentum(decayed(grads[i], params[i], wd), velocity[i], mu, nesterov)
        velocity[i] = b if keep else velocity[i]
        params[i] = params[i] - lr * g if keep else params[i]


@inlined
def plain_sgd_rate(code, hp, kept):
    """The learning rate when a step is SGD's rule and nothing else — θ ← θ − lr·g, with no
    momentum, decay, penalty or clipping, and nothing frozen (`kept`) — else 0: the steps that
    descend_by_product may take inside a weight gradient's product."""
    if not (code == GD or code == SGD or code == MOMENTUM) or not kept:
        return 0.0
    if hp[HP_MOMENTUM] != 0.0 or hp[HP_WEIGHT_DECAY] != 0.0 or hp[HP_L1] != 0.0 or hp[HP_L2] != 0.0:
        return 0.0
    if hp[HP_CLIP] > 0.0 or not hp[HP_LR] > 0.0:
        return 0.0
    return hp[HP_LR]


@kernel
def descend_by_product(a, delta, w, lr):
    """SGD's θ ← θ − lr·g for a weight whose gradient is a BLAS product, g = aᵀδ, taken inside
    that product: W ← W + (−lr)·aᵀδ in one call (blas.add_product_at_b), g never stored; in
    register blocks where they fit, descend_in_blocks.

    Apart, the product wrote g (BLAS zeroing the 3.2 MB of a 784×1024 gradient first) and
    sgd_step read it back with θ and wrote θ: at 784→1024, batch 64, 1.28 ms a step; together,
    0.65 ms. Each entry is θ − lr·g as add_product_at_b rounds and sums it: within an ulp of the
    new θ, an ulp of lr·g and lr times the summation bound on g of sgd_step's after the stored
    gradient (tests/test_descend_by_product.py). lr is rounded to θ's dtype once, as sgd_step does."""
    add_product_at_b(a, delta, w, -w.dtype.type(lr))


@kernel
def descend_in_blocks(a, delta, w, lr):
    """descend_by_product in register blocks (register_blocks.add_product): each entry
    θ + (−lr)·Σ_i a_ik δ_ij, the sum in order, added in with one rounding."""
    add_product(rows_of(a.T), delta, w, -w.dtype.type(lr))


@kernel
def descend_by_product_rows(x, rows, delta, w, lr):
    """descend_by_product for the batch x[rows], its rows read where they lie where register
    blocks fit (passes.reads_rows_in_place asks first); else from a copy of them."""
    if register_blocks_fit(x.shape[1], rows.shape[0], w.shape[1], w.itemsize):
        add_product(gathered_columns(x, rows), delta, w, -w.dtype.type(lr))
    else:
        descend_by_product(copied_rows(x, rows), delta, w, lr)


@inlined
def with_momentum(g, b, mu, nesterov):
    """b ← μb + g;  the step's gradient g + μb (nesterov) or b. Returns (that gradient, b)."""
    b = mu * b + g
    return (g + mu * b if nesterov else b), b


@kernel
def rmsprop_step(params, grads, mask, square_avg, lr, wd, eps, alpha):
    """torch.optim.RMSprop:  v ← αv + (1 − α)g²;  θ ← θ − lr·g / (√v + ε)"""
    for i in range(params.shape[0]):
        keep = mask[i] != 0
        g = decayed(grads[i], params[i], wd)
        v = alpha * square_avg[i] + (1.0 - alpha) * g * g
        square_avg[i] = v if keep else square_avg[i]
        params[i] = params[i] - lr * g / (math.sqrt(v) + eps) if keep else params[i]


@kernel
def adagrad_step(params, grads, mask, sum_squares, lr, wd, eps):
    """torch.optim.Adagrad:  s ← s + g²;  θ ← θ − lr·g / (√s + ε)"""
    for i in range(params.shape[0]):
        keep = mask[i] != 0
        g = decayed(grads[i], params[i], wd)
        s = sum_squares[i] + g * g
        sum_squares[i] = s if keep else sum_squares[i]
        params[i] = params[i] - lr * g / (math.sqrt(s) + eps) if keep else params[i]


@kernel
def decay_weights(params, mask, lr, wd):
    """AdamW's decoupled decay, θ ← θ(1 − lr·λ), stored (rounded to θ's dtype) before the Adam step, as torch does."""
    factor = 1.0 - lr * wd
    for i in range(params.shape[0]):
        params[i] = params[i] * factor if mask[i] != 0 else params[i]


@kernel
def adam_step(params, grads, mask, m_avg, v_avg, lr, wd, eps, b1, b2, t, kept=False):
    """torch.optim.Adam (AdamW: after decay_weights, with λ = 0 here):
    g ← g + λθ;  m ← β1·m + (1 − β1)g;  v ← β2·v + (1 − β2)g²;
    θ ← θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)

    In the parameters' dtype, as torch computes it for float32 parameters (its scalars, and the
    bias corrections worked out in float64, rounded to it once): on the digits network (9,610
    parameters) float64's two divisions and square root an entry took 13.3 µs a step, 40 % of
    it; float32 packs twice the lanes. `kept`: as sgd_step's."""
    real = params.dtype.type
    step_size = real(lr / (1.0 - b1 ** t))
    bias2_sqrt = real(math.sqrt(1.0 - b2 ** t))
    keep1, new1 = real(b1), real(1.0 - b1)          # β1 and 1 − β1
    keep2, new2 = real(b2), real(1.0 - b2)
    eps, wd = real(eps), real(wd)
    if kept:                    # nothing frozen: the same loop without the selects
        if bias2_sqrt == 1.0:
            # β2^t has fallen below half an ulp of 1 (β2 = 0.999, float32: from step 16,628 on):
            # √v / 1 is √v bit for bit, and with the 1 a constant LLVM drops that division, one
            # of the three divider operations an entry waits on (digits: 4.95 → 3.42 µs a step).
            adam_kept(params, grads, m_avg, v_avg, step_size, real(1.0), eps, wd, keep1, new1, keep2, new2)
        else:
            adam_kept(params, grads, m_avg, v_avg, step_size, bias2_sqrt, eps, wd, keep1, new1, keep2, new2)
        return
    for i in range(params.shape[0]):
        keep = mask[i] != 0
        m, v = adam_moments(decayed(grads[i], params[i], wd), m_avg[i], v_avg[i], keep1, new1, keep2, new2)
        m_avg[i] = m if keep else m_avg[i]
        v_avg[i] = v if keep else v_avg[i]
        params[i] = adam_moved(params[i], m, v, step_size, bias2_sqrt, eps) if keep else params[i]


@inlined
def adam_kept(params, grads, m_avg, v_avg, step_size, bias2_sqrt, eps, wd, keep1, new1, keep2, new2):
    """adam_step's loop when nothing is frozen."""
    for i in range(params.shape[0]):
        m, v = adam_moments(decayed(grads[i], params[i], wd), m_avg[i], v_avg[i], keep1, new1, keep2, new2)
        m_avg[i] = m
        v_avg[i] = v
        params[i] = adam_moved(params[i], m, v, step_size, bias2_sqrt, eps)


@inlined
def adam_moments(g, m, v, keep1, new1, keep2, new2):
    """m ← β1·m + (1 − β1)g;  v ← β2·v + (1 − β2)g²  (keep1 = β1, new1 = 1 − β1, and β2 alike)."""
    return keep1 * m + new1 * g, keep2 * v + new2 * g * g


@inlined
def adam_moved(theta, m, v, step_size, bias2_sqrt, eps):
    """θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε), with step_size = lr / (1 − β1^t)."""
    return theta - step_size * m / (np.sqrt(v) / bias2_sqrt + eps)
