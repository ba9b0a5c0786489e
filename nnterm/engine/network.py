"""A network as a table over one flat parameter buffer (docs/design.md, "The kernel ABI"), with friendly views.

    net.layers[i].weight   writable (fan_in, fan_out) view into net.params
    net.layers[i].bias     writable (fan_out,) view
    net.predict(X), net.loss_and_grads(X, Y), net.summary()
"""
import numpy as np

from nnterm import kernels
from nnterm.kernels.aligned import aligned_zeros
from nnterm.kernels.codes import ACTIVATIONS, LOSSES, ROW_CHUNK
from nnterm.presets.spec import NetworkSpec
from nnterm.runtime.blas_threads import one_blas_thread
from nnterm.runtime.cells import pad, width as cells
from nnterm.runtime.language import _



class Layer:
    """One dense layer's slice of the network: views, not copies."""

    def __init__(self, net: "Network", index: int):
        self.net = net
        self.index = index

    @property
    def fan_in(self) -> int:
        return int(self.net.sizes[self.index])

    @property
    def units(self) -> int:
        return int(self.net.sizes[self.index + 1])

    @property
    def activation(self) -> str:
        return ACTIVATIONS[self.net.acts[self.index]]

    @property
    def weight_slice(self) -> slice:
        start = int(self.net.offsets[self.index])
        return slice(start, start + self.fan_in * self.units)

    @property
    def param_slice(self) -> slice:
        start = int(self.net.offsets[self.index])
        return slice(start, start + (self.fan_in + 1) * self.units)

    @property
    def weight(self) -> np.ndarray:
        return self.net.params[self.weight_slice].reshape(self.fan_in, self.units)

    @property
    def bias(self) -> np.ndarray:
        s = self.param_slice
        return self.net.params[s.stop - self.units:s.stop]

    @property
    def trainable(self) -> bool:
        return bool(self.net.mask[self.param_slice].all())

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self.net.mask[self.param_slice] = 1 if value else 0

    @property
    def n_params(self) -> int:
        return (self.fan_in + 1) * self.units


class Network:
    def __init__(self, sizes, activations, loss: str = "mse", dtype: str = "float32"):
        self.sizes = np.asarray(sizes, dtype=np.int64)
        self.acts = np.array([ACTIVATIONS.index(a) for a in activations], dtype=np.int64)
        per_layer = (self.sizes[:-1] + 1) * self.sizes[1:]
        self.offsets = np.concatenate([[0], np.cumsum(per_layer)[:-1]]).astype(np.int64)
        self.dtype = np.dtype(dtype)
        self.params = aligned_zeros(int(per_layer.sum()), self.dtype)     # a cache line each: kernels/aligned.py
        self.grads = aligned_zeros(self.params.shape[0], self.dtype)
        self.mask = np.ones(self.params.shape[0], dtype=np.uint8)   # 0 = frozen
        self.loss = loss
        self.layers = [Layer(self, i) for i in range(len(self.acts))]
        self.widest_layer = int((self.sizes[:-1] * self.sizes[1:]).max())     # max fan_in·fan_out

    @classmethod
    def from_spec(cls, spec: NetworkSpec, n_inputs: int, loss: str, rng: np.random.Generator) -> "Network":
        net = cls([n_inputs] + [layer.units for layer in spec.layers],
                  [layer.activation for layer in spec.layers], loss, spec.dtype)
        net.initialize(spec.init, rng)
        for layer, layer_spec in zip(net.layers, spec.layers):
            layer.trainable = layer_spec.trainable
        return net

    def initialize(self, init: str, rng: np.random.Generator) -> None:
        """Weights by the chosen rule (auto: per activation), biases zero."""
        for layer in self.layers:
            rule = kernels.default_init(layer.activation) if init == "auto" else init
            layer.weight[...] = kernels.init_weight(rule, layer.fan_in, layer.units, rng)
            layer.bias[...] = 0.0

    @property
    def loss_code(self) -> int:
        return LOSSES.index(self.loss)

    @property
    def n_params(self) -> int:
        return int(self.params.shape[0])

    @property
    def n_trainable(self) -> int:
        return int(self.mask.sum())

    @property
    def n_inputs(self) -> int:
        return int(self.sizes[0])

    @property
    def n_outputs(self) -> int:
        return int(self.sizes[-1])

    def as_input(self, x) -> np.ndarray:
        return np.ascontiguousarray(np.atleast_2d(np.asarray(x, dtype=self.dtype)))

    def predict(self, x) -> np.ndarray:
        x = self.as_input(x)
        out = np.empty((x.shape[0], self.n_outputs), dtype=self.dtype)
        with one_blas_thread():
            kernels.predict(self.sizes, self.acts, self.offsets, self.params, x, out, ROW_CHUNK)
        return out

    def calls_blas(self, rows: int) -> bool:
        """Whether a batch of `rows` reaches BLAS in some layer (kernels/dense.py: from
        BLAS_MIN_MACS multiply-adds rows·fan_in·fan_out), so that the one-thread limit is worth
        its two queries: a playground epoch is 0.2 ms, the limit 1.4 µs."""
        from nnterm.kernels.dense import BLAS_MIN_MACS
        return rows * self.widest_layer >= BLAS_MIN_MACS

    def loss_and_grads(self, x, y):
        """(loss, [(dW, db), ...]) for the batch (x, y) under the network's loss; no penalty."""
        x, y = self.as_input(x), self.as_input(y)
        buffers = self.trace_buffers(x.shape[0])
        grads = np.zeros_like(self.params)
        blocks = kernels.blocks_for(self.sizes, x.shape[0], self.params.itemsize)
        with one_blas_thread():
            loss = kernels.loss_and_grads(self.sizes, self.acts, self.offsets, self.loss_code, self.params,
                                          x, y, grads, *buffers, blocks)
        return float(loss), self.split(grads)

    def trace_buffers(self, rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Flat z / a / δ buffers for a batch of `rows` samples (see kernels/passes.py)."""
        units = int(self.sizes[1:].sum())
        return tuple(np.zeros(rows * units, dtype=self.dtype) for _buffer in range(3))

    def unit_blocks(self, flat: np.ndarray, rows: int) -> list[np.ndarray]:
        """Splits a flat per-sample buffer into each layer's (rows, units) block."""
        blocks, start = [], 0
        for layer in self.layers:
            blocks.append(flat[start:start + rows * layer.units].reshape(rows, layer.units))
            start += rows * layer.units
        return blocks

    def split(self, flat: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """A flat buffer shaped like params → [(W-shaped, b-shaped), ...] views."""
        out = []
        for layer in self.layers:
            s = layer.param_slice
            w = flat[s.start:s.start + layer.fan_in * layer.units].reshape(layer.fan_in, layer.units)
            out.append((w, flat[s.stop - layer.units:s.stop]))
        return out

    def summary(self) -> str:
        """A Keras-style table: layer, output shape, parameters; totals with memory."""
        rows = [(_("Layer (type)"), _("Output Shape"), _("Param #"))]
        for layer in self.layers:
            kind = (f"dense_{layer.index} ({layer.activation})" if layer.trainable else
                    _("dense_{index} ({activation}, frozen)").format(index=layer.index, activation=layer.activation))
            rows.append((kind, f"(None, {layer.units})", f"{layer.n_params:,}"))
        widths = [max(cells(r[i]) for r in rows) + 4 for i in range(3)]          # in cells: Chinese headings are two per Hanzi
        width = sum(widths)
        line = lambda r: pad(r[0], widths[0]) + pad(r[1], widths[1]) + pad(r[2], widths[2] - 4, ">")
        total, trainable = self.n_params, self.n_trainable
        size = lambda count: f"{count * self.dtype.itemsize / 1024:.2f} KB"
        out = [_('Model: "sequential" — input {shape}, {dtype}').format(shape=f"(None, {self.n_inputs})",
                                                                        dtype=self.dtype.name),
               "━" * width, line(rows[0]), "━" * width]
        for r in rows[1:]:
            out += [line(r), "─" * width]
        out[-1] = "━" * width
        out += [_("Total params: {count:,} ({size})").format(count=total, size=size(total)),
                _("Trainable params: {count:,} ({size})").format(count=trainable, size=size(trainable)),
                _("Non-trainable params: {count:,} ({size})").format(count=total - trainable, size=size(total - trainable))]
        return "\n".join(out)
