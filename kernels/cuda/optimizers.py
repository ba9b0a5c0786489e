"""Penalty, global-norm clipping and the optimizer rules over the flat buffers, on the device.

Twin of kernels/regularizers.py + kernels/optimizers.py, in the same order: penalty, then
clipping by the global norm, then the update rule of torch.optim, a thread per parameter.
`state` is (2, P) as on the CPU; `mask[i] == 0` freezes parameter i; `is_weight[i]` marks the
entries the l1/l2 penalty applies to (weights, not biases); `t` is the 1-based step number.
"""
import math

from numba import cuda

from ..codes import (ADAGRAD, ADAM, ADAMW, CLIP_EPSILON, GD, HP_ALPHA, HP_BETA1, HP_BETA2, HP_CLIP, HP_EPS, HP_L1,
                     HP_L2, HP_LR, HP_MOMENTUM, HP_NESTEROV, HP_WEIGHT_DECAY, MOMENTUM, RMSPROP, SGD)
from .launch import REDUCE_THREADS, grid_1d
from .reduce import block_sum


@cuda.jit(device=True)
def penalised(grads, params, is_weight, hp, i):
    """g + l1·sign(w) + l2·w on weights (the gradient of l1·Σ|w| + (l2/2)·Σw²); g on biases."""
    g = grads[i]
    if is_weight[i] != 0:
        w = params[i]
        s = 1.0 if w > 0 else (-1.0 if w < 0 else 0.0)
        g += hp[HP_L1] * s + hp[HP_L2] * w
    return g


@cuda.jit
def penalty_and_norm(grads, params, mask, is_weight, hp, norm):
    """grads ← penalised grads; norm[0] = ‖g‖₂ over the trainable entries. Launch [1, REDUCE_THREADS]."""
    total = 0.0
    for i in range(cuda.threadIdx.x, grads.shape[0], REDUCE_THREADS):
        g = penalised(grads, params, is_weight, hp, i)
        grads[i] = g
        if mask[i] != 0:
            total += g * g
    total = block_sum(total)
    if cuda.threadIdx.x == 0:
        norm[0] = math.sqrt(total)


@cuda.jit(device=True)
def update_parameter(code, params, state, i, g, t, hp):
    """θ_i ← one torch.optim step from its gradient g (penalised and clipped already)."""
    lr = hp[HP_LR]
    wd = hp[HP_WEIGHT_DECAY]
    eps = hp[HP_EPS]
    if code == GD or code == SGD or code == MOMENTUM:
        # torch.optim.SGD (dampening 0):  g ← g + λθ;  b ← μb + g;  g ← g + μb (nesterov) or b;  θ ← θ − lr·g
        mu = hp[HP_MOMENTUM]
        g = g + wd * params[i]
        if mu != 0.0:
            b = mu * state[0, i] + g
            state[0, i] = b
            g = g + mu * b if hp[HP_NESTEROV] != 0.0 else b
        params[i] -= lr * g
    elif code == RMSPROP:
        # torch.optim.RMSprop:  v ← αv + (1 − α)g²;  θ ← θ − lr·g / (√v + ε)
        alpha = hp[HP_ALPHA]
        g = g + wd * params[i]
        v = alpha * state[0, i] + (1.0 - alpha) * g * g
        state[0, i] = v
        params[i] -= lr * g / (math.sqrt(v) + eps)
    elif code == ADAGRAD:
        # torch.optim.Adagrad:  s ← s + g²;  θ ← θ − lr·g / (√s + ε)
        g = g + wd * params[i]
        s = state[0, i] + g * g
        state[0, i] = s
        params[i] -= lr * g / (math.sqrt(s) + eps)
    elif code == ADAM or code == ADAMW:
        # torch.optim.Adam / AdamW:
        #   AdamW first decays θ ← θ(1 − lr·λ); Adam instead adds λθ to g
        #   m ← β1·m + (1 − β1)g;   v ← β2·v + (1 − β2)g²
        #   θ ← θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
        b1 = hp[HP_BETA1]
        b2 = hp[HP_BETA2]
        step_size = lr / (1.0 - b1 ** t)
        bias2_sqrt = math.sqrt(1.0 - b2 ** t)
        if code == ADAMW:
            params[i] *= 1.0 - lr * wd
        else:
            g = g + wd * params[i]
        m = b1 * state[0, i] + (1.0 - b1) * g
        v = b2 * state[1, i] + (1.0 - b2) * g * g
        state[0, i] = m
        state[1, i] = v
        params[i] -= step_size * m / (math.sqrt(v) / bias2_sqrt + eps)


@cuda.jit
def optimizer_update(code, params, grads, mask, is_weight, state, t, hp, norm, clipped):
    """One optimizer step. With `clipped`, grads are already penalised and norm[0] is their
    global norm; otherwise the penalty is added here and nothing is clipped."""
    coef = 1.0
    if clipped:
        # torch.nn.utils.clip_grad_norm_: g ← g · max_norm / (‖g‖₂ + ε) when that is < 1
        coef = hp[HP_CLIP] / (norm[0] + CLIP_EPSILON)
    for i in range(cuda.grid(1), params.shape[0], cuda.gridsize(1)):
        if mask[i] == 0:
            continue
        if clipped:
            g = grads[i]
            if coef < 1.0:
                g = g * coef
        else:
            g = penalised(grads, params, is_weight, hp, i)
        update_parameter(code, params, state, i, g, t, hp)


def apply_update(code, params, grads, mask, is_weight, state, t, hp, host_hp, norm):
    """Penalty → clipping → rule, as kernels.epoch.apply_update. `host_hp` is hp's host copy,
    read to skip the norm pass when clipping is off."""
    clipped = host_hp[HP_CLIP] > 0.0
    if clipped:
        penalty_and_norm[1, REDUCE_THREADS](grads, params, mask, is_weight, hp, norm)
    blocks, threads = grid_1d(params.shape[0])
    optimizer_update[blocks, threads](code, params, grads, mask, is_weight, state, t, hp, norm, clipped)
