"""A read-only copy of everything the playground's views draw (engine side: no textual).

`take_snapshot(trainer)` runs in the training thread between epochs, so the UI thread only
paints. Every number comes from the engine: the output over the input plane is the network's
own `predict` on the grid (via `Dataset.inputs_for_points`, so the grid is scaled exactly as
the data was); the per-neuron maps are the activations the forward kernel keeps for every
layer (`kernels.passes.forward`, the function `train_epoch` runs, called through `kernels.epoch.run_forward`); the confusion matrix is
`evaluation.confusion_matrix` of `metrics.predicted_classes`.

Grids are images: row 0 is the top of the plane (y = y_max), column 0 its left (x = x_min);
each value is taken at its pixel's centre.
"""
import math
from dataclasses import dataclass

import numpy as np

from nnterm.engine.evaluation import confusion_matrix, positive_scores
from nnterm.kernels.epoch import run_forward
from nnterm.engine.metrics import predicted_classes
from nnterm.runtime.visible import visible

MIN_HALF_EXTENT = 6.0          # TensorFlow Playground's plane is −6 … 6; wider data widens it
SCATTER_LIMIT = 2000           # predictions-vs-targets: at most this many pairs (evenly spaced)


@dataclass(frozen=True)
class Snapshot:
    epoch: int
    task: str                                  # "binary", "multiclass" or "regression"
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]
    n_classes: int                             # 0 for regression
    sizes: tuple[int, ...]                     # inputs, then each layer's units
    activations: tuple[str, ...]               # one per layer
    weights: tuple[np.ndarray, ...]            # (fan_in, units) per layer, read-only copies
    biases: tuple[np.ndarray, ...]             # (units,) per layer
    trainable: tuple[bool, ...]
    loss: str
    # --- 2-D data sets: the input plane ------------------------------------------------
    extent: tuple[float, float, float, float] | None = None   # x_min, x_max, y_min, y_max
    boundary: np.ndarray | None = None         # (r, r): class-1 probability, the regression value, or (several
                                               # classes) the predicted class, its probability in `confidence`
    confidence: np.ndarray | None = None       # (r, r): several classes: the predicted class's probability
    boundary_discrete: np.ndarray | None = None  # the same, as the predicted class (or the value's sign)
    output_range: tuple[float, float] = (0.0, 1.0)   # the colour scale of `boundary`
    neuron_maps: tuple[np.ndarray, ...] | None = None  # (units, r, r) per layer, the input features first
    points_train: np.ndarray | None = None     # (n, 2) raw coordinates
    labels_train: np.ndarray | None = None     # class index, or the regression target
    points_val: np.ndarray | None = None
    labels_val: np.ndarray | None = None
    points_test: np.ndarray | None = None
    labels_test: np.ndarray | None = None
    # --- other data: how the predictions compare ------------------------------------------
    split: str = ""                            # which split the matrix / scatter is of
    confusion: np.ndarray | None = None        # (classes, classes): rows true, columns predicted
    predictions: np.ndarray | None = None      # regression: predicted values (flattened)
    targets: np.ndarray | None = None          # regression: the targets they go with
    sketch: bool = False                       # the network alone, taken before its kernels were loaded

    @property
    def n_layers(self) -> int:
        return len(self.activations)

    @property
    def is_2d(self) -> bool:
        return self.boundary is not None

    def weight_summary(self, layer: int) -> tuple[float, float, float]:
        """(mean |w|, min w, max w) of a layer's weights, for layers too wide to draw unit by unit."""
        w = self.weights[layer]
        if w.size == 0:
            return (0.0, 0.0, 0.0)
        return (float(np.abs(w).mean()), float(w.min()), float(w.max()))


def frozen(array) -> np.ndarray | None:
    """A private, read-only copy (views must not write into what the trainer owns)."""
    if array is None:
        return None
    out = np.array(array, copy=True)
    out.flags.writeable = False
    return out


def plane_extent(data) -> tuple[float, float, float, float]:
    """A square around the origin that holds every point: at least the playground's ±6. A file's
    two columns keep their own units: their range, and a twentieth more on each side."""
    points = [p for p in (data.points_train, data.points_val, data.points_test) if p is not None and len(p)]
    if not data.playground_plane and points:
        every = np.vstack(points).astype(np.float64)
        low, high = every.min(axis=0), every.max(axis=0)
        pad = np.where(high > low, (high - low) / 20, 1.0)
        return (float(low[0] - pad[0]), float(high[0] + pad[0]), float(low[1] - pad[1]), float(high[1] + pad[1]))
    reach = max((float(np.abs(p).max()) for p in points), default=0.0)
    half = max(MIN_HALF_EXTENT, math.ceil(reach)) if math.isfinite(reach) else MIN_HALF_EXTENT
    return (-half, half, -half, half)


def plane_grid(extent, resolution: int) -> np.ndarray:
    """(r·r, 2) pixel-centre points, row-major, top row first (image order)."""
    x_min, x_max, y_min, y_max = extent
    step_x = (x_max - x_min) / resolution
    step_y = (y_max - y_min) / resolution
    xs = x_min + (np.arange(resolution) + 0.5) * step_x
    ys = y_max - (np.arange(resolution) + 0.5) * step_y
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def output_value(outputs: np.ndarray, task: str) -> np.ndarray:
    """What a heatmap shows per sample: P(class 1) for binary tasks, else the first output."""
    return positive_scores(outputs) if task == "binary" else outputs[:, 0]


def layer_activations(network, x: np.ndarray) -> list[np.ndarray]:
    """Every layer's a = f(z) for the rows x, by the forward kernel (kept, not overwritten)."""
    zs, outs, _deltas = network.trace_buffers(x.shape[0])
    run_forward(network.sizes, network.acts, network.offsets, network.params, x, zs, outs)
    return [block.copy() for block in network.unit_blocks(outs, x.shape[0])]


def labels_of(data, targets: np.ndarray) -> np.ndarray:
    """Network targets → what a point is coloured by: its class, or its (first) target value."""
    if targets.shape[0] == 0:
        return np.zeros(0)
    return targets[:, 0].astype(np.float64) if data.task == "regression" else predicted_classes(targets)


def regression_range(data) -> tuple[float, float]:
    """A symmetric colour scale that holds the training targets (0 stays neutral)."""
    reach = float(np.abs(data.y_train).max()) if data.y_train.size else 1.0
    reach = reach if math.isfinite(reach) and reach > 1e-12 else 1.0
    return (-reach, reach)


def plane_fields(trainer, resolution: int, neuron_resolution: int) -> dict:
    data, net = trainer.data, trainer.network
    extent = plane_extent(data)
    grid = data.inputs_for_points(plane_grid(extent, resolution))
    outputs = net.predict(grid)
    boundary = output_value(outputs, data.task).reshape(resolution, resolution)
    confidence = None
    if data.task == "multiclass":             # a colour per class, paler where the network is unsure
        boundary = predicted_classes(outputs).astype(np.float64).reshape(resolution, resolution)
        confidence = outputs.max(axis=1).astype(np.float64).reshape(resolution, resolution)
    if data.task == "regression":
        low, high = regression_range(data)
        discrete = np.where(boundary >= 0, high, low)       # the playground's discretised surface: the sign
    else:
        low, high = 0.0, 1.0
        discrete = predicted_classes(outputs).astype(np.float64).reshape(resolution, resolution)
    small = data.inputs_for_points(plane_grid(extent, neuron_resolution))
    r = neuron_resolution
    maps = [small.T.reshape(-1, r, r)]                       # the input features the network sees
    maps += [a.T.reshape(-1, r, r) for a in layer_activations(net, net.as_input(small))]
    return {
        "extent": extent, "boundary": frozen(boundary), "boundary_discrete": frozen(discrete),
        "confidence": frozen(confidence),
        "output_range": (low, high), "neuron_maps": tuple(frozen(m) for m in maps),
        "points_train": frozen(data.points_train), "labels_train": frozen(labels_of(data, data.y_train)),
        "points_val": frozen(data.points_val), "labels_val": frozen(labels_of(data, data.y_val)),
        "points_test": frozen(data.points_test), "labels_test": frozen(labels_of(data, data.y_test)),
    }


def evaluation_split(data) -> tuple[str, np.ndarray, np.ndarray]:
    """The held-out validation split, or the training split when there is none."""
    if data.x_val.shape[0] > 0:
        return "validation", data.x_val, data.y_val
    return "training", data.x_train, data.y_train


def comparison_fields(trainer) -> dict:
    data, net = trainer.data, trainer.network
    name, x, y = evaluation_split(data)
    outputs = net.predict(x)
    if data.task == "regression":
        every = max(1, math.ceil(y.size / SCATTER_LIMIT))
        return {"split": name, "output_range": regression_range(data),
                "predictions": frozen(outputs.ravel()[::every].astype(np.float64)),
                "targets": frozen(y.ravel()[::every].astype(np.float64))}
    counts = confusion_matrix(predicted_classes(y), predicted_classes(outputs), data.n_classes)
    return {"split": name, "confusion": frozen(counts)}


def take_snapshot(trainer, resolution: int = 48, neuron_resolution: int = 12, compare: bool = True) -> Snapshot:
    """Copies the trainer's network and computes what the views draw; the trainer is untouched.
    `compare=False`, for data that is not a plane: the network alone, no prediction made (a
    sketch: no kernel runs, so it can be drawn before any is loaded)."""
    data, net = trainer.data, trainer.network
    if data.raw_2d:
        fields = plane_fields(trainer, resolution, neuron_resolution)
    else:
        fields = comparison_fields(trainer) if compare else {"sketch": True}
    return Snapshot(
        epoch=trainer.epoch, task=data.task, feature_names=tuple(visible(name) for name in data.feature_names),   # a CSV header drawn: escapes shown
        class_names=tuple(data.class_names), n_classes=data.n_classes,
        sizes=tuple(int(s) for s in net.sizes),
        activations=tuple(layer.activation for layer in net.layers),
        weights=tuple(frozen(layer.weight) for layer in net.layers),
        biases=tuple(frozen(layer.bias) for layer in net.layers),
        trainable=tuple(layer.trainable for layer in net.layers),
        loss=net.loss, **fields)
