"""Penalties and gradient clipping, applied to the flat gradient before the optimizer step."""
import math

from .codes import CLIP_EPSILON
from .jit import inlined, kernel



@inlined
def add_weight_penalty(sizes, offsets, params, grads, l1, l2):
    """Gradient of l1·Σ|w| + (l2/2)·Σw² over weights only (biases are not penalised):
    g ← g + l1·sign(w) + l2·w"""
    if l1 == 0.0 and l2 == 0.0:
        return
    for layer in range(offsets.shape[0]):
        start = offsets[layer]
        stop = start + sizes[layer] * sizes[layer + 1]
        for i in range(start, stop):
            w = params[i]
            s = 1.0 if w > 0 else (-1.0 if w < 0 else 0.0)
            grads[i] += l1 * s + l2 * w


@kernel
def weight_penalty(sizes, offsets, params, l1, l2):
    """The penalty itself, l1·Σ|w| + (l2/2)·Σw², for reports."""
    total = 0.0
    for layer in range(offsets.shape[0]):
        start = offsets[layer]
        stop = start + sizes[layer] * sizes[layer + 1]
        for i in range(start, stop):
            total += l1 * abs(params[i]) + 0.5 * l2 * params[i] * params[i]
    return total


@inlined
def clip_global_norm(grads, mask, max_norm):
    """torch.nn.utils.clip_grad_norm_: if ‖g‖₂ > max_norm, g ← g · max_norm / (‖g‖₂ + ε), ε = CLIP_EPSILON.
    Only trainable entries count, as only they are handed to the optimizer. Returns ‖g‖₂."""
    total = 0.0
    for i in range(grads.shape[0]):
        if mask[i] != 0:
            total += grads[i] * grads[i]
    norm = math.sqrt(total)
    if max_norm > 0.0:
        coef = max_norm / (norm + CLIP_EPSILON)
        if coef < 1.0:
            for i in range(grads.shape[0]):
                grads[i] *= coef
    return norm
