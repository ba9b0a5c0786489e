"""The driver: a network's buffers live on the device for a whole run, and an epoch is a
sequence of launches over them — one gather (the shuffle), then per minibatch forward, loss,
backward and update (kernels per layer, or fused.py's two launches for a small net) — with
nothing copied back but each row's loss term. Twin of kernels/epoch.py.

Parameters, gradients, optimizer state, the trainable mask and per-layer z / a / δ scratch
are allocated once; `upload` and `download` move parameters and state when the host asks
(a new network, restored or edited weights, a report that needs them).
"""
import math

import numpy as np
from numba import cuda

from ..codes import HP_CLIP, HP_SIZE, ROW_CHUNK as EVAL_CHUNK
from .dense import dense_backward, dense_forward
from .fused import BACKWARD, FORWARD, FUSED_MAX_MACS_PER_ROW, LOSS, macs_per_row, params_pass, rows_pass
from .launch import TILED_MIN_MACS, grid_1d
from .losses import launch_loss, loss_denominator
from .optimizers import apply_update



@cuda.jit
def gather_rows(x, y, order, rows, xs, ys):
    # xs[r] = x[order[r]],  ys[r] = y[order[r]]: the epoch's shuffle, so each minibatch is a slice
    nx = x.shape[1]
    width = nx + y.shape[1]
    for e in range(cuda.grid(1), rows * width, cuda.gridsize(1)):
        r = e // width
        c = e - r * width
        src = order[r]
        if c < nx:
            xs[r, c] = x[src, c]
        else:
            ys[r, c - nx] = y[src, c - nx]


class LayerBuffers:
    """Per-layer (rows, units) z, a and δ blocks for batches of up to `rows` samples."""

    def __init__(self, sizes, rows: int, dtype):
        self.rows = rows
        self.zs = [cuda.device_array((rows, units), dtype) for units in sizes[1:]]
        self.outs = [cuda.device_array((rows, units), dtype) for units in sizes[1:]]
        self.deltas = [cuda.device_array((rows, units), dtype) for units in sizes[1:]]


class RowBuffers:
    """z, a and δ of every layer for up to `rows` samples, as (layers, rows, widest) arrays: the
    two-launch path (fused.py) for small networks."""

    def __init__(self, sizes, rows: int, dtype):
        shape = (len(sizes) - 1, rows, max(sizes[1:]))
        self.rows = rows
        self.zs = cuda.device_array(shape, dtype)
        self.outs = cuda.device_array(shape, dtype)
        self.deltas = cuda.device_array(shape, dtype)


class EpochBuffers:
    """An epoch's shuffled copy of the training set, its order, and every row's loss term."""

    def __init__(self, n: int, n_inputs: int, n_outputs: int, dtype):
        self.shape = (n, n_inputs, n_outputs)
        self.order = cuda.device_array(n, np.int64)
        self.xs = cuda.device_array((n, n_inputs), dtype)
        self.ys = cuda.device_array((n, n_outputs), dtype)
        self.terms = cuda.device_array(n, np.float64)


class DeviceNetwork:
    """One network's flat ABI (docs/design.md, "The kernel ABI") on the device."""

    def __init__(self, sizes, acts, offsets, loss: int, dtype, tiled_min_macs: int = TILED_MIN_MACS,
                 fused: bool | None = None):
        self.sizes = [int(s) for s in sizes]
        self.acts = [int(a) for a in acts]
        self.offsets = [int(o) for o in offsets]
        self.loss = int(loss)
        self.dtype = np.dtype(dtype)
        self.tiled_min_macs = tiled_min_macs
        # small nets: two launches a step (fused.py); larger: a few kernels per layer
        self.fused = macs_per_row(self.sizes) <= FUSED_MAX_MACS_PER_ROW if fused is None else fused
        self.table = [cuda.to_device(np.asarray(t, np.int64)) for t in (self.sizes, self.acts, self.offsets)]
        layers = len(self.acts)
        n_params = self.offsets[-1] + (self.sizes[-2] + 1) * self.sizes[-1]
        self.params = cuda.device_array(n_params, self.dtype)
        self.grads = cuda.to_device(np.zeros(n_params, self.dtype))
        self.state = cuda.to_device(np.zeros((2, n_params), self.dtype))
        self.mask = cuda.to_device(np.ones(n_params, np.uint8))
        is_weight = np.zeros(n_params, np.uint8)
        for layer in range(layers):
            o = self.offsets[layer]
            is_weight[o:o + self.sizes[layer] * self.sizes[layer + 1]] = 1
        self.is_weight = cuda.to_device(is_weight)
        self.weights = [self.weight_view(self.params, layer) for layer in range(layers)]
        self.biases = [self.bias_view(self.params, layer) for layer in range(layers)]
        self.weight_grads = [self.weight_view(self.grads, layer) for layer in range(layers)]
        self.bias_grads = [self.bias_view(self.grads, layer) for layer in range(layers)]
        self.hp = cuda.device_array(HP_SIZE, np.float64)
        self.norm = cuda.to_device(np.zeros(1, np.float64))
        self.scratch: dict[int, LayerBuffers] = {}
        self.epoch = None

    # --- layout ------------------------------------------------------------------------
    def weight_view(self, flat, layer):
        o, fan_in, fan_out = self.offsets[layer], self.sizes[layer], self.sizes[layer + 1]
        return flat[o:o + fan_in * fan_out].reshape(fan_in, fan_out)

    def bias_view(self, flat, layer):
        o = self.offsets[layer] + self.sizes[layer] * self.sizes[layer + 1]
        return flat[o:o + self.sizes[layer + 1]]

    def buffers(self, rows: int):
        """Scratch for batches of up to `rows` samples, in the layout this network's path uses."""
        if rows not in self.scratch:
            kind = RowBuffers if self.fused else LayerBuffers
            self.scratch[rows] = kind(self.sizes, rows, self.dtype)
        return self.scratch[rows]

    def epoch_buffers(self, n: int, n_inputs: int, n_outputs: int) -> EpochBuffers:
        if self.epoch is None or self.epoch.shape != (n, n_inputs, n_outputs):
            self.epoch = EpochBuffers(n, n_inputs, n_outputs, self.dtype)
        return self.epoch

    # --- host <-> device -----------------------------------------------------------------
    def upload(self, params=None, state=None, mask=None) -> None:
        for host, device in ((params, self.params), (state, self.state), (mask, self.mask)):
            if host is not None:
                device.copy_to_device(np.ascontiguousarray(host))

    def download(self, params=None, state=None) -> None:
        """Copies parameters and optimizer state into the given host arrays."""
        if params is not None:
            self.params.copy_to_host(params)
        if state is not None:
            self.state.copy_to_host(state)

    # --- passes --------------------------------------------------------------------------
    def rows_pass(self, x, y, rows: int, bufs, stage: int, terms=None, slot: int = 0) -> None:
        """The fused path's per-row pass (fused.rows_pass) up to `stage`."""
        sizes, acts, offsets = self.table
        blocks, threads = grid_1d(rows)
        rows_pass[blocks, threads](sizes, acts, offsets, self.params, self.loss, x, x if y is None else y, rows,
                                   bufs.zs, bufs.outs, bufs.deltas, stage, self.norm if terms is None else terms, slot)

    def fused_step(self, x, y, rows: int, bufs, terms, slot: int, opt_code: int, t: int, host_hp) -> None:
        """One training step in two launches (three more when clipping needs the global norm)."""
        self.rows_pass(x, y, rows, bufs, BACKWARD, terms, slot)
        clipped = host_hp[HP_CLIP] > 0.0
        sizes, _, offsets = self.table
        blocks, threads = grid_1d(self.params.shape[0])
        params_pass[blocks, threads](sizes, offsets, x, rows, bufs.outs, bufs.deltas, opt_code, self.params, self.grads,
                                     self.mask, self.is_weight, self.state, t, self.hp, not clipped)
        if clipped:
            apply_update(opt_code, self.params, self.grads, self.mask, self.is_weight, self.state, t,
                         self.hp, host_hp, self.norm)

    def forward(self, x, rows: int, bufs):
        """z_l = a_{l−1} W_l + b_l, a_l = f_l(z_l) for rows 0 … rows−1; returns the output block
        (on the fused path, the last layer's padded block)."""
        if self.fused:
            self.rows_pass(x, None, rows, bufs, FORWARD)
            return bufs.outs[len(self.acts) - 1]
        prev = x
        for layer, act in enumerate(self.acts):
            dense_forward(prev, self.weights[layer], self.biases[layer], rows, act, bufs.zs[layer],
                          bufs.outs[layer], self.tiled_min_macs)
            prev = bufs.outs[layer]
        return prev

    def backward(self, x, rows: int, bufs: LayerBuffers) -> None:
        """∂L/∂W_l = a_{l−1}ᵀ δ_l, ∂L/∂b_l = Σ δ_l, δ_{l−1} = (δ_l W_lᵀ) ⊙ f'_{l−1}(z_{l−1}),
        starting at δ of the output layer (already in bufs.deltas[-1])."""
        for layer in range(len(self.acts) - 1, -1, -1):
            prev = x if layer == 0 else bufs.outs[layer - 1]
            if layer == 0:
                dense_backward(prev, bufs.deltas[0], self.weights[0], rows, self.weight_grads[0], self.bias_grads[0],
                               tiled_min_macs=self.tiled_min_macs)
            else:
                dense_backward(prev, bufs.deltas[layer], self.weights[layer], rows, self.weight_grads[layer],
                               self.bias_grads[layer], self.acts[layer - 1], bufs.zs[layer - 1], bufs.outs[layer - 1],
                               bufs.deltas[layer - 1], self.tiled_min_macs)

    def train_epoch(self, opt_code: int, step, hp, x, y, order, batch_size: int) -> float:
        """One epoch over x[order] (device x, y; host order and hp) in minibatches; `step[0]`
        (host) counts optimizer steps. Returns the mean minibatch loss, or NaN when a batch's
        loss was not finite — the caller then restores the weights it kept, as on the CPU."""
        n = int(order.shape[0])
        bufs = self.buffers(min(batch_size, n))
        epoch = self.epoch_buffers(n, x.shape[1], y.shape[1])
        epoch.order.copy_to_device(np.ascontiguousarray(order, dtype=np.int64))
        blocks, threads = grid_1d(n * (x.shape[1] + y.shape[1]))
        gather_rows[blocks, threads](x, y, epoch.order, n, epoch.xs, epoch.ys)   # the shuffle, once an epoch
        host_hp = np.ascontiguousarray(hp, dtype=np.float64)
        self.hp.copy_to_device(host_hp)
        last = len(self.acts) - 1
        t0 = int(step[0])
        starts = range(0, n, batch_size)
        for batch, start in enumerate(starts):
            rows = min(batch_size, n - start)
            xb, yb = epoch.xs[start:start + rows], epoch.ys[start:start + rows]
            if self.fused:
                self.fused_step(xb, yb, rows, bufs, epoch.terms, start, opt_code, t0 + batch + 1, host_hp)
                continue
            self.forward(xb, rows, bufs)
            launch_loss(self.loss, self.acts[last], bufs.zs[last], bufs.outs[last], yb, rows,
                        bufs.deltas[last], epoch.terms, start)
            self.backward(xb, rows, bufs)
            apply_update(opt_code, self.params, self.grads, self.mask, self.is_weight, self.state, t0 + batch + 1,
                         self.hp, host_hp, self.norm)
        terms = epoch.terms.copy_to_host()
        total = 0.0
        for batch, start in enumerate(starts):         # in batch order, as the CPU sums them
            rows = min(batch_size, n - start)
            value = float(np.sum(terms[start:start + rows])) / loss_denominator(self.loss, rows, self.sizes[-1])
            if not math.isfinite(value):
                step[0] = t0 + batch                   # the steps before the first bad batch
                return math.nan
            total += value * rows
        step[0] = t0 + len(starts)
        return total / n

    def evaluate_loss(self, x, y) -> float:
        """Mean loss over the whole (device) set: Σ of every row's term / (rows or rows × outputs)."""
        n = x.shape[0]
        bufs = self.buffers(min(EVAL_CHUNK, n))
        terms = cuda.device_array(n, np.float64)
        last = len(self.acts) - 1
        for start in range(0, n, EVAL_CHUNK):
            stop = min(start + EVAL_CHUNK, n)
            rows = stop - start
            if self.fused:
                self.rows_pass(x[start:stop], y[start:stop], rows, bufs, LOSS, terms, start)
                continue
            self.forward(x[start:stop], rows, bufs)
            launch_loss(self.loss, self.acts[last], bufs.zs[last], bufs.outs[last], y[start:stop], rows,
                        bufs.deltas[last], terms, start, want_delta=False)
        return float(np.sum(terms.copy_to_host())) / loss_denominator(self.loss, n, self.sizes[-1])

    def predict(self, x) -> np.ndarray:
        """network(x) for a device x, copied back to the host."""
        n = x.shape[0]
        out = np.empty((n, self.sizes[-1]), self.dtype)
        bufs = self.buffers(min(EVAL_CHUNK, n))
        for start in range(0, n, EVAL_CHUNK):
            stop = min(start + EVAL_CHUNK, n)
            a = self.forward(x[start:stop], stop - start, bufs)
            out[start:stop] = a[:stop - start].copy_to_host()[:, :self.sizes[-1]]
        return out
