"""The same training in plain NumPy: what a careful person writes without a framework.

Whole-batch array expressions (BLAS for every product), float32 throughout, the fused
logit losses, and torch.optim's SGD / Adam rules. Written for the timing only: our kernels
are the engine, and this file is never used to train anything a user sees.
"""
import math

import numpy as np

from nnterm.bench.workloads import Arrays, Workload


def activation(name: str, z: np.ndarray) -> np.ndarray:
    return np.tanh(z) if name == "tanh" else np.maximum(z, 0.0)


def activation_grad(name: str, a: np.ndarray) -> np.ndarray:
    # tanh' = 1 − tanh²;  relu' = [z > 0] = [a > 0]
    return 1.0 - a * a if name == "tanh" else (a > 0).astype(a.dtype)


def loss_and_delta(loss: str, logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean loss and δ = ∂L/∂logits for sigmoid+bce or softmax+cce (the stable fused forms)."""
    rows = logits.shape[0]
    if loss == "bce":
        # max(z,0) − z·y + log(1 + e^−|z|);  δ = (σ(z) − y) / (rows·cols)
        value = np.mean(np.maximum(logits, 0) - logits * y + np.log1p(np.exp(-np.abs(logits))))
        return float(value), (1.0 / (1.0 + np.exp(-logits)) - y) / logits.size
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    s = e.sum(axis=1, keepdims=True)
    # −Σ y (z − logsumexp z) / rows;  δ = (softmax(z) − y) / rows
    value = -np.sum(y * (shifted - np.log(s))) / rows
    return float(value), (e / s - y) / rows


class Adam:
    """torch.optim.Adam: m ← β1m + (1−β1)g; v ← β2v + (1−β2)g²; θ ← θ − lr/(1−β1^t)·m/(√v/√(1−β2^t) + ε)"""

    def __init__(self, params, lr, b1=0.9, b2=0.999, eps=1e-8):
        self.params, self.lr, self.b1, self.b2, self.eps, self.t = params, lr, b1, b2, eps, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, grads):
        self.t += 1
        step_size = self.lr / (1 - self.b1 ** self.t)
        bias2_sqrt = math.sqrt(1 - self.b2 ** self.t)
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= self.b1
            m += (1 - self.b1) * g
            v *= self.b2
            v += (1 - self.b2) * g * g
            p -= step_size * m / (np.sqrt(v) / bias2_sqrt + self.eps)


class Sgd:
    """torch.optim.SGD without momentum: θ ← θ − lr·g"""

    def __init__(self, params, lr):
        self.params, self.lr = params, lr

    def step(self, grads):
        for p, g in zip(self.params, grads):
            p -= self.lr * g


def epoch_runner(workload: Workload, arrays: Arrays, seed: int = 0):
    rng = np.random.default_rng(seed)
    weights, biases = [], []
    for fan_in, fan_out in workload.layer_shapes:
        limit = math.sqrt(6.0 / (fan_in + fan_out))           # xavier uniform, as our default for tanh
        weights.append(rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32))
        biases.append(np.zeros(fan_out, np.float32))
    params = weights + biases
    opt = Adam(params, workload.learning_rate) if workload.optimizer == "adam" else Sgd(params, workload.learning_rate)
    hidden = workload.activations[:-1]
    x_all, y_all = arrays.x, arrays.y
    n, batch = x_all.shape[0], workload.batch_size

    def train_batch(x, y) -> float:
        outs = [x]                                               # a_0 = x, then each hidden a_l
        for w, b, act in zip(weights[:-1], biases[:-1], hidden):
            outs.append(activation(act, outs[-1] @ w + b))
        value, delta = loss_and_delta(workload.loss, outs[-1] @ weights[-1] + biases[-1], y)
        dws, dbs = [None] * len(weights), [None] * len(weights)
        for layer in range(len(weights) - 1, -1, -1):
            dws[layer] = outs[layer].T @ delta                   # ∂L/∂W = a_{l−1}ᵀ δ
            dbs[layer] = delta.sum(axis=0)                       # ∂L/∂b = Σ δ
            if layer > 0:                                        # δ_{l−1} = δ Wᵀ ⊙ f'(a_{l−1})
                delta = (delta @ weights[layer].T) * activation_grad(hidden[layer - 1], outs[layer])
        opt.step(dws + dbs)
        return value

    def epoch() -> float:
        order = rng.permutation(n)
        total = 0.0
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            total += train_batch(x_all[idx], y_all[idx]) * idx.shape[0]
        if not math.isfinite(total):
            raise RuntimeError(f"the NumPy {workload.name} reference diverged")
        return total / n
    return epoch
