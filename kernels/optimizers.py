"""Optimizer update rules over the flat parameter buffer, exactly as torch.optim documents them.

`state` is a (2, P) array: row 0 holds momentum / Adam's m / RMSprop's v / Adagrad's sum,
row 1 Adam's v. `mask[i] == 0` freezes parameter i: neither it nor its state moves.
`t` is the 1-based step number (Adam's bias correction).
"""
import math

from numba import njit

from .codes import (ADAGRAD, ADAM, ADAMW, GD, HP_ALPHA, HP_BETA1, HP_BETA2, HP_EPS, HP_LR, HP_MOMENTUM,
                    HP_NESTEROV, HP_WEIGHT_DECAY, MOMENTUM, RMSPROP, SGD)


@njit(cache=True, nogil=True)
def optimizer_step(code, params, grads, mask, state, t, hp):
    lr = hp[HP_LR]
    wd = hp[HP_WEIGHT_DECAY]
    eps = hp[HP_EPS]
    n = params.shape[0]
    if code == GD or code == SGD or code == MOMENTUM:
        # torch.optim.SGD (dampening 0):  g ← g + λθ;  b ← μb + g;  g ← g + μb (nesterov) or b;  θ ← θ − lr·g
        mu = hp[HP_MOMENTUM]
        nesterov = hp[HP_NESTEROV] != 0.0
        for i in range(n):
            if mask[i] == 0:
                continue
            g = grads[i] + wd * params[i]
            if mu != 0.0:
                b = mu * state[0, i] + g
                state[0, i] = b
                g = g + mu * b if nesterov else b
            params[i] -= lr * g
    elif code == RMSPROP:
        # torch.optim.RMSprop:  v ← αv + (1 − α)g²;  θ ← θ − lr·g / (√v + ε)
        alpha = hp[HP_ALPHA]
        for i in range(n):
            if mask[i] == 0:
                continue
            g = grads[i] + wd * params[i]
            v = alpha * state[0, i] + (1.0 - alpha) * g * g
            state[0, i] = v
            params[i] -= lr * g / (math.sqrt(v) + eps)
    elif code == ADAGRAD:
        # torch.optim.Adagrad:  s ← s + g²;  θ ← θ − lr·g / (√s + ε)
        for i in range(n):
            if mask[i] == 0:
                continue
            g = grads[i] + wd * params[i]
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
        decoupled = code == ADAMW
        for i in range(n):
            if mask[i] == 0:
                continue
            g = grads[i]
            if decoupled:
                params[i] *= 1.0 - lr * wd
            else:
                g = g + wd * params[i]
            m = b1 * state[0, i] + (1.0 - b1) * g
            v = b2 * state[1, i] + (1.0 - b2) * g * g
            state[0, i] = m
            state[1, i] = v
            params[i] -= step_size * m / (math.sqrt(v) / bias2_sqrt + eps)
