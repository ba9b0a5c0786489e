"""What each unit of the first layer looks for, when the inputs are an image's pixels
(docs/design.md, "Teaching engines").

Unit j of the first layer computes z_j = Σ_p x_p·W[p, j] + b_j over the pixels p: its weights
W[:, j] are one number per pixel, so they are an image — blue where ink raises z_j, orange where
it lowers it. With no hidden layer (784 → 10 softmax) these are the ten class templates. The
images that excite a unit most are those with the largest output a_j = f(z_j), computed by the
engine's own forward pass on a one-layer network that shares the first layer's weights.
"""
from dataclasses import dataclass

import numpy as np

from nnterm.engine.network import Network


@dataclass(frozen=True)
class UnitImages:
    shape: tuple[int, int]          # (rows, columns) of one image
    weights: np.ndarray             # (units, rows, columns): unit j's incoming weights, pixel by pixel
    biases: np.ndarray              # (units,)
    activation: str                 # the first layer's
    hidden: bool                    # False: the first layer is the output layer (its units are the classes)
    still: np.ndarray | None = None  # (rows, columns) True where the input is 0 in every training row:
                                     # ∂L/∂w = x·δ = 0 there, so those weights keep their initial values

    @property
    def units(self) -> int:
        return self.weights.shape[0]

    def scale(self, unit: int) -> float:
        """max |w| over the pixels that train: where the unit's colours reach full strength."""
        weights = self.weights[unit] if self.still is None or self.still.all() else self.weights[unit][~self.still]
        return float(np.abs(weights).max())


def still_pixels(x: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """True for each input that is 0 in every row of x (MNIST's blank border): no gradient reaches
    its weights, so they only show their initial random values."""
    return ~np.any(x != 0, axis=0).reshape(shape)


def unit_images(network: Network, shape: tuple[int, int], still: np.ndarray | None = None) -> UnitImages:
    """The first layer's weights as one image a unit (copies: the trainer goes on training)."""
    first = network.layers[0]
    rows, columns = shape
    if first.fan_in != rows * columns:
        raise ValueError(f"the first layer takes {first.fan_in} inputs, not a {rows} × {columns} image")
    weights = np.array(first.weight, dtype=np.float64).T.reshape(first.units, rows, columns)
    return UnitImages(shape, weights, np.array(first.bias, dtype=np.float64), first.activation,
                      hidden=len(network.layers) > 1, still=still)


def first_layer_outputs(network: Network, x: np.ndarray) -> np.ndarray:
    """a = f(x·W + b) of the first layer for every row of x: the kernels' forward pass on a
    one-layer network holding a copy of that layer."""
    first = network.layers[0]
    alone = Network(network.sizes[:2], [first.activation], network.loss, network.dtype.name)
    alone.params[:] = network.params[first.param_slice]
    return alone.predict(x)


def strongest_inputs(network: Network, x: np.ndarray, unit: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows of x, their outputs) of the `count` inputs that excite `unit` most, strongest first."""
    outputs = first_layer_outputs(network, x)[:, unit].astype(np.float64)
    count = min(count, len(outputs))
    top = np.argpartition(-outputs, count - 1)[:count] if count else np.array([], dtype=np.int64)
    top = top[np.argsort(-outputs[top], kind="stable")]
    return top, outputs[top]
