"""Metrics and counts: accuracy as right/total, rmse, precision/recall/F1, parameter counts, epochs/s."""
import numpy as np

from nnterm.engine.evaluation import per_class_scores, regression_metrics
from nnterm.engine.metrics import accuracy as accuracy_of, predicted_classes
from nnterm.runtime.numbers import num

from .layout import Explanation, line, n


def accuracy(outputs: np.ndarray, targets: np.ndarray, split: str) -> Explanation:
    """right / total on a split, with the metric the reports use."""
    right = int((predicted_classes(outputs) == predicted_classes(targets)).sum())
    count = int(outputs.shape[0])
    value = accuracy_of(outputs, targets)
    rule = ("class 1 where the sigmoid says ≥ 0.5" if outputs.shape[1] == 1 else "the class whose unit is largest")
    return Explanation(
        f"accuracy on the {split} split", ("accuracy = right / total",),
        (line("accuracy", f"{right}/{count}", value),), value,
        f"{right} of the {count} samples got their true class; the predicted class is {rule}.",
        ("accuracy", f"{split} split" if split in ("training", "validation", "test") else "accuracy"))


def rmse(outputs: np.ndarray, targets: np.ndarray, data, split: str) -> Explanation:
    """rmse = √mse on a split, in the target's own units, from the metrics module."""
    values, truth = data.in_target_units(outputs), data.in_target_units(targets)
    metrics = regression_metrics(values, truth)
    return Explanation(
        f"rmse on the {split} split", ("rmse = √[(1/N)·Σ (ŷ − y)²] = √mse",),
        (line("rmse", f"√({n(metrics['mse'])})", metrics["rmse"]),), metrics["rmse"],
        f"The typical miss over the {values.shape[0]} samples of the {split} split, in the target's units "
        "(the network's outputs scaled back from the standardised targets it learns).",
        ("rmse", "mse", f"{split} split" if split != "training" else "training split"))


def classification_scores(counts: np.ndarray, cls: int, class_name: str = "") -> list[Explanation]:
    """Precision, recall and F1 of class `cls` from a confusion matrix (rows true, columns predicted)."""
    scores = per_class_scores(counts)
    tp = int(counts[cls, cls])
    fp, fn = int(counts[:, cls].sum()) - tp, int(counts[cls, :].sum()) - tp
    p, r, f1 = (float(scores[k][cls]) for k in ("precision", "recall", "f1"))
    label = class_name or f"class {cls}"
    return [
        Explanation(f"precision of {label}", ("precision = TP / (TP + FP)",),
                    (line("precision", f"{tp}/({tp} + {fp})", p),) if tp + fp else (), p,
                    f"Of the {tp + fp} samples predicted as {label}, {tp} are it.", ("precision", "confusion matrix")),
        Explanation(f"recall of {label}", ("recall = TP / (TP + FN)",),
                    (line("recall", f"{tp}/({tp} + {fn})", r),) if tp + fn else (), r,
                    f"Of the {tp + fn} samples that are {label}, {tp} were found.", ("recall", "confusion matrix")),
        Explanation(f"F1 of {label}", ("F1 = 2·P·R / (P + R)",),
                    (line("F1", f"2·{n(p)}·{n(r)}/({n(p)} + {n(r)})", f1),) if p + r else (), f1,
                    "The harmonic mean of precision and recall: high only when both are.", ("F1", "precision", "recall")),
    ]


def parameters(network, layer: int) -> Explanation:
    """A layer's parameter count: fan_in × units weights and units biases."""
    lay = network.layers[layer]
    frozen = "" if lay.trainable else " The layer is frozen: the optimizer does not move them."
    return Explanation(
        f"parameters of layer {layer + 1}", ("parameters = fan_in × units + units  (weights, then biases)",),
        (line("parameters", f"{lay.fan_in} × {lay.units} + {lay.units}", lay.n_params),), float(lay.n_params),
        f"Each of the {lay.units} units has a weight for each of its {lay.fan_in} inputs and one bias." + frozen,
        ("parameter", "fan_in", "weight", "bias", *(("frozen layer",) if not lay.trainable else ())))


def network_parameters(network) -> Explanation:
    per_layer = [f"({lay.fan_in} × {lay.units} + {lay.units})" for lay in network.layers]
    return Explanation(
        "parameters of the network", ("parameters = Σ_layers (fan_in × units + units)",),
        (line("parameters", " + ".join(per_layer), network.n_params),), float(network.n_params),
        f"Every weight and bias of the {len(network.layers)} layers: the numbers training learns.",
        ("parameter", "fan_in", "layer"))


def epochs_per_second(epochs: int, seconds: float) -> Explanation:
    rate = epochs / seconds
    return Explanation(
        "epochs per second", ("epochs/s = epochs trained ÷ seconds they took",),
        (line("epochs/s", f"{epochs}/{n(seconds)}", rate),), rate,
        f"{epochs} epoch{'s' if epochs != 1 else ''} finished in the last {num(seconds)} s measured (the training thread's clock, "
        "between two updates of the screen).", ("epochs/s", "epoch", "backend"))

