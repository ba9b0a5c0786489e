"""What each unit of the first layer looks for, when the inputs are an image's pixels
(docs/design.md, "Teaching engines").

Unit j of the first layer computes z_j = Σ_p x_p·W[p, j] + b_j over the pixels p: its weights
W[:, j] are one number per pixel, so they are an image — blue where ink raises z_j, orange where
it lowers it. With no hidden layer (784 → 10 softmax) these are the ten class templates. The
images that excite a unit most are those with the largest output a_j = f(z_j), computed by the
engine's own forward pass on a one-layer network that shares the first layer's weights.

w starts random: He's init gives each of 784 weights a spread of √(2/784) ≈ 0.05, and after one
MNIST epoch the change is of the same size (rms 0.043, measured on the mnist preset, seed 0), so
an image of w is half pixel-by-pixel noise. The change since the start, Δw = w − w₀, is the sum
of the updates alone, each made from ∂L/∂w = x·δ over a batch of training images (Adam rescales
each weight's step; SGD does not), so it shows what the data taught without the start's noise.
Drawing Δw is a view of the weights, not a change to them: the unit still computes with w, and
z_j = x·w₀_j + x·Δw_j, the first term a random response that owes nothing to the image's class.
"""
from dataclasses import dataclass
from functools import cached_property

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
    start: np.ndarray | None = None  # (units, rows, columns): w₀, the weights the run began with

    @property
    def units(self) -> int:
        return self.weights.shape[0]

    @cached_property                  # every drawn unit asks; worked out once
    def change(self) -> np.ndarray:
        """Δw = w − w₀ for every unit (zeros when the start is not known)."""
        return self.weights - self.start if self.start is not None else np.zeros_like(self.weights)

    def values(self, unit: int, change: bool) -> np.ndarray:
        """What a unit's image shows: Δw or w, pixel by pixel, 0 at the still pixels (they hold
        only w₀, noise the data never touched)."""
        values = self.change[unit] if change else self.weights[unit]
        return values if self.still is None else np.where(self.still, 0.0, values)

    def by_change(self) -> np.ndarray:
        """The units, the one training changed most first: ‖Δw_j‖ = √Σ_p (w − w₀)²."""
        size = np.sqrt((self.change ** 2).sum(axis=(1, 2)))
        return np.argsort(-size, kind="stable")


def full_colour(values: np.ndarray) -> float:
    """max |value| over an image: where its colours reach full strength, + and − alike (a
    symmetric scale, so neutral is exactly 0 and blue and orange of one strength mean one size)."""
    return float(np.abs(values).max()) if values.size else 0.0


def still_pixels(x: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """True for each input that is 0 in every row of x (MNIST's blank border): no gradient reaches
    its weights, so they only show their initial random values."""
    return ~np.any(x != 0, axis=0).reshape(shape)


def unit_images(network: Network, shape: tuple[int, int], still: np.ndarray | None = None,
                start_params: np.ndarray | None = None) -> UnitImages:
    """The first layer's weights as one image a unit (copies: the trainer goes on training);
    `start_params`, the network's flat parameters when the run began, gives w₀."""
    first = network.layers[0]
    rows, columns = shape
    if first.fan_in != rows * columns:
        raise ValueError(f"the first layer takes {first.fan_in} inputs, not a {rows} × {columns} image")

    def as_images(weight: np.ndarray) -> np.ndarray:      # (fan_in, units) → (units, rows, columns)
        return np.array(weight, dtype=np.float64).T.reshape(first.units, rows, columns)

    start = None
    if start_params is not None and start_params.shape == network.params.shape:
        start = as_images(start_params[first.weight_slice].reshape(first.fan_in, first.units))
    return UnitImages(shape, as_images(first.weight), np.array(first.bias, dtype=np.float64), first.activation,
                      hidden=len(network.layers) > 1, still=still, start=start)


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
