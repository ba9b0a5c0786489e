"""A trained network as a function of raw rows, built from its weight file alone.

    model = load_model(read_weights("spiral.safetensors"))
    model.input_columns        # the columns new rows must have, by name: x1, x2 for the 2-D sets
    model.outputs(raw)         # (n, len(input_columns)) → outputs in the data's own units

The weight file carries everything: the layers, the input scaler fitted on the training split,
the target scaler of a CSV regression, the feature, class and (through its stored preset) data
names. The training data is not needed, so `nnterm predict` and `nnterm export --format onnx`
work where the CSV a network was trained on is gone. The file is untrusted: every field is
checked before it is used, each failure one sentence naming the file and the field.
"""
from nnterm.runtime.language import N_, _
import math
from dataclasses import dataclass

import numpy as np

from nnterm.data.csv_table import split_names
from nnterm.data.dataset import standardise, to_target_units
from nnterm.data.features import TRANSFORMS, expand
from nnterm.engine.checkpoint import WeightFile, apply_weights, check_has_layers, layer_activations
from nnterm.engine.network import Network
from nnterm.errors import NntermError
from nnterm.kernels.codes import ACTIVATIONS
from nnterm.presets.kinds import BY_NAME as KINDS

TASKS = ("binary", "multiclass", "regression")
POINT_COLUMNS = ("x1", "x2")          # a 2-D set's raw point; its features are computed from it
PROBABILITY_OUTPUTS = ("sigmoid", "softmax")


@dataclass(frozen=True)
class TrainedModel:
    path: str
    network: Network
    task: str                          # "binary", "multiclass" or "regression"
    kind: str                          # the data kind it was trained on (data.kind)
    feature_names: tuple[str, ...]     # the network's inputs, in order
    input_columns: tuple[str, ...]     # what a row must give: the features, or x1, x2 for a 2-D set
    class_names: tuple[str, ...]       # class index → name; () for regression
    target_names: tuple[str, ...]      # regression: one name per output unit
    scaler_mean: np.ndarray
    scaler_std: np.ndarray
    target_mean: np.ndarray | None
    target_std: np.ndarray | None

    @property
    def from_points(self) -> bool:
        return self.input_columns != self.feature_names

    @property
    def output_activation(self) -> str:
        return self.network.layers[-1].activation

    def network_inputs(self, raw: np.ndarray) -> np.ndarray:
        """Rows of input_columns → the standardised inputs the network was trained on."""
        raw = np.asarray(raw, dtype=np.float64)
        features = expand(raw, self.feature_names) if self.from_points else raw
        return standardise(features, self.scaler_mean, self.scaler_std, self.network.dtype,
                           file_numbers=self.kind == "csv")

    def outputs(self, raw: np.ndarray) -> np.ndarray:
        """The network's outputs for rows of input_columns, in the data's units (regression
        targets un-standardised; classifiers' sigmoid or softmax outputs as they are)."""
        return to_target_units(self.network.predict(self.network_inputs(raw)), self.target_mean, self.target_std)

    def class_scores(self, outputs: np.ndarray) -> np.ndarray:
        """(n, n_classes): one sigmoid unit p gives [1 − p, p]; several units are one column each."""
        if outputs.shape[1] == 1:
            p = outputs[:, 0].astype(np.float64)
            return np.column_stack([1.0 - p, p])
        return outputs.astype(np.float64)


def load_model(weights: WeightFile, preset=None) -> TrainedModel:
    """The network of a weight file, its scalers and names, checked field by field. With a
    preset, its layers must fit the file (the activations are then the preset's)."""
    path = weights.path
    check_has_layers(weights)
    stored = preset if preset is not None else weights.preset()
    activations = ([layer.activation for layer in stored.network.layers] if preset is not None
                   else layer_activations(weights))
    for i, name in enumerate(activations):
        if name not in ACTIVATIONS:
            raise NntermError(_("{path}: layer {i} has the activation \"{name}\", which is not one of {activations}").format(path=path, i=i, name=name, activations=", ".join(ACTIVATIONS)))
    for i in range(weights.n_layers):
        w = weights.weight(i)
        if w.ndim != 2 or w.dtype.name not in ("float32", "float64"):
            raise NntermError(_("{path}: layers.{i}.weight must be a float32 or float64 matrix (inputs × units)").format(path=path, i=i))
    first = weights.weight(0)
    units = [int(first.shape[0])] + [int(weights.weight(i).shape[1]) for i in range(weights.n_layers)]
    if len(activations) != weights.n_layers:
        raise NntermError(_("{path}: holds {n_layers} layers but the preset {name} has {activations_count}").format(path=path, n_layers=weights.n_layers, name=stored.name, activations_count=len(activations)))
    wanted = [layer.units for layer in stored.network.layers]
    if preset is not None and wanted != units[1:]:
        raise NntermError(_("{path}: its layers have {units} units but the preset {name} has {wanted}; give the preset the weights were trained with").format(path=path, units=', '.join(map(str, units[1:])), name=stored.name, wanted=', '.join(map(str, wanted))))
    network = Network(units, activations, "mse", first.dtype.name)
    apply_weights(weights, network)                       # checks every shape and dtype first
    n_in, n_out = network.n_inputs, network.n_outputs

    task = weights.metadata.get("task", "")
    if task not in TASKS:
        raise NntermError(_("{path}: the metadata entry task = \"{task}\" is not one of {tasks}").format(path=path, task=task, tasks=", ".join(TASKS)))
    features = names_entry(weights, "feature_names", n_in, N_("inputs"))
    kind = stored.data.kind
    planar = KINDS[kind].planar                         # the inputs are features of a point (x1, x2)
    if planar:
        unknown = next((f for f in features if f not in TRANSFORMS), None)
        if unknown is not None:
            raise NntermError(_("{path}: the feature \"{unknown}\" is not one of {transforms}").format(path=path, unknown=unknown, transforms=", ".join(TRANSFORMS)))
    columns = POINT_COLUMNS if planar else features
    mean, std = scaler_entry(weights, "scaler", n_in)
    has_target_scaler = "target_mean" in weights.metadata or "target_std" in weights.metadata   # both, checked below
    if has_target_scaler and task != "regression":
        raise NntermError(_("{path}: has a target scaler (target_mean, target_std) but task = \"{task}\"; only regression has one").format(path=path, task=task))
    target_mean, target_std = (scaler_entry(weights, "target", n_out)
                               if has_target_scaler else (None, None))
    classes, targets = (), ()
    if task == "regression":
        targets = tuple(split_names(stored.data.target)) if kind == "csv" else ()
        if len(targets) != n_out:
            targets = ("prediction",) if n_out == 1 else tuple(f"prediction_{i + 1}" for i in range(n_out))
    else:
        classes = names_entry(weights, "class_names", 2 if n_out == 1 else n_out, N_("classes"))
    return TrainedModel(path, network, task, kind, features, columns, classes, targets,
                        mean, std, target_mean, target_std)


def names_entry(weights: WeightFile, key: str, count: int, what: str) -> tuple[str, ...]:
    """The names in the metadata entry `key`, one for each of the network's `count` `what` (an N_-marked noun)."""
    names = weights.meta_json(key)
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise NntermError(_("{path}: the metadata entry {key} must be a list of names").format(path=weights.path, key=key))
    if len(names) != count or len(set(names)) != len(names):
        raise NntermError(_("{path}: the metadata entry {key} has {names_count} names for the network's {count} {what}, each named once").format(path=weights.path, key=key, names_count=len(names), count=count, what=_(what)))
    return tuple(names)


def scaler_entry(weights: WeightFile, which: str, count: int) -> tuple[np.ndarray, np.ndarray]:
    """(mean, std) from the metadata: `count` finite numbers each, every std > 0."""
    keys = ("scaler_mean", "scaler_std") if which == "scaler" else ("target_mean", "target_std")
    out = []
    for key in keys:
        values = weights.meta_json(key)
        if (not isinstance(values, list) or len(values) != count
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values)):
            sentence = (_("{path}: the metadata entry {key} must be {count} finite numbers, one per input") if which == "scaler"
                        else _("{path}: the metadata entry {key} must be {count} finite numbers, one per output"))
            raise NntermError(sentence.format(path=weights.path, key=key, count=count))
        out.append(np.array(values, dtype=np.float64))
    if not (out[1] > 0).all():
        raise NntermError(_("{path}: the metadata entry {key} holds a value ≤ 0; a standard deviation is positive").format(path=weights.path, key=keys[1]))
    return out[0], out[1]
