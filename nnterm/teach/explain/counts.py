"""Metrics and counts: accuracy as right/total, rmse, precision/recall/F1, parameter counts, epochs/s."""
import numpy as np

from nnterm.engine.evaluation import per_class_scores, regression_metrics
from nnterm.engine.metrics import accuracy as accuracy_of, predicted_classes
from nnterm.runtime.language import _, ngettext
from nnterm.runtime.numbers import num

from .layout import Explanation, line, n


def accuracy(outputs: np.ndarray, targets: np.ndarray, split: str) -> Explanation:
    """right / total on a split, with the metric the reports use."""
    right = int((predicted_classes(outputs) == predicted_classes(targets)).sum())
    count = int(outputs.shape[0])
    value = accuracy_of(outputs, targets)
    words = (_("{right} of the {count} samples got their true class; the predicted class is class 1 where the sigmoid "
               "says ≥ 0.5.") if outputs.shape[1] == 1 else
             _("{right} of the {count} samples got their true class; the predicted class is the class whose unit is largest."))
    return Explanation(
        _("accuracy on the {split} split").format(split=_(split)), ("accuracy = right / total",),
        (line("accuracy", f"{right}/{count}", value),), value, words.format(right=right, count=count),
        ("accuracy", f"{split} split" if split in ("training", "validation", "test") else "accuracy"))


def rmse(outputs: np.ndarray, targets: np.ndarray, data, split: str) -> Explanation:
    """rmse = √mse on a split, in the target's own units, from the metrics module."""
    values, truth = data.in_target_units(outputs), data.in_target_units(targets)
    metrics = regression_metrics(values, truth)
    return Explanation(
        _("rmse on the {split} split").format(split=_(split)), ("rmse = √[(1/N)·Σ (ŷ − y)²] = √mse",),
        (line("rmse", f"√({n(metrics['mse'])})", metrics["rmse"]),), metrics["rmse"],
        _("The typical miss over the {count} samples of the {split} split, in the target's units "
          "(the network's outputs scaled back from the standardised targets it learns).").format(
            count=values.shape[0], split=_(split)),
        ("rmse", "mse", f"{split} split" if split != "training" else "training split"))


def classification_scores(counts: np.ndarray, cls: int, class_name: str = "") -> list[Explanation]:
    """Precision, recall and F1 of class `cls` from a confusion matrix (rows true, columns predicted)."""
    scores = per_class_scores(counts)
    tp = int(counts[cls, cls])
    fp, fn = int(counts[:, cls].sum()) - tp, int(counts[cls, :].sum()) - tp
    p, r, f1 = (float(scores[k][cls]) for k in ("precision", "recall", "f1"))
    label = class_name or _("class {number}").format(number=cls)
    return [
        Explanation(_("precision of {label}").format(label=label), ("precision = TP / (TP + FP)",),
                    (line("precision", f"{tp}/({tp} + {fp})", p),) if tp + fp else (), p,
                    _("Of the {count} samples predicted as {label}, {tp} are it.").format(count=tp + fp, label=label, tp=tp),
                    ("precision", "confusion matrix")),
        Explanation(_("recall of {label}").format(label=label), ("recall = TP / (TP + FN)",),
                    (line("recall", f"{tp}/({tp} + {fn})", r),) if tp + fn else (), r,
                    _("Of the {count} samples that are {label}, {tp} were found.").format(count=tp + fn, label=label, tp=tp),
                    ("recall", "confusion matrix")),
        Explanation(_("F1 of {label}").format(label=label), ("F1 = 2·P·R / (P + R)",),
                    (line("F1", f"2·{n(p)}·{n(r)}/({n(p)} + {n(r)})", f1),) if p + r else (), f1,
                    _("The harmonic mean of precision and recall: high only when both are."), ("F1", "precision", "recall")),
    ]


def parameters(network, layer: int) -> Explanation:
    """A layer's parameter count: fan_in × units weights and units biases."""
    lay = network.layers[layer]
    frozen = "" if lay.trainable else " " + _("The layer is frozen: the optimizer does not move them.")
    return Explanation(
        _("parameters of layer {number}").format(number=layer + 1), ("parameters = fan_in × units + units  (weights, then biases)",),
        (line("parameters", f"{lay.fan_in} × {lay.units} + {lay.units}", lay.n_params),), float(lay.n_params),
        _("Each of the {units} units has a weight for each of its {fan_in} inputs and one bias.").format(
            units=lay.units, fan_in=lay.fan_in) + frozen,
        ("parameter", "fan_in", "weight", "bias", *(("frozen layer",) if not lay.trainable else ())))


def network_parameters(network) -> Explanation:
    per_layer = [f"({lay.fan_in} × {lay.units} + {lay.units})" for lay in network.layers]
    return Explanation(
        _("parameters of the network"), ("parameters = Σ_layers (fan_in × units + units)",),
        (line("parameters", " + ".join(per_layer), network.n_params),), float(network.n_params),
        _("Every weight and bias of the {count} layers: the numbers training learns.").format(count=len(network.layers)),
        ("parameter", "fan_in", "layer"))


def epochs_per_second(epochs: int, seconds: float) -> Explanation:
    rate = epochs / seconds
    return Explanation(
        _("epochs per second"), ("epochs/s = epochs trained ÷ seconds they took",),
        (line("epochs/s", f"{epochs}/{n(seconds)}", rate),), rate,
        ngettext("{count} epoch finished in the last {seconds} s measured (the training thread's clock, between two "
                 "updates of the screen).",
                 "{count} epochs finished in the last {seconds} s measured (the training thread's clock, between two "
                 "updates of the screen).", epochs).format(count=epochs, seconds=num(seconds)), ("epochs/s", "epoch", "backend"))

