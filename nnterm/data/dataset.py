"""From a DataSpec to model-ready arrays: generate, split, transform, standardise, encode.

Standardisation is fitted on the training split only, and kept (`scaler_mean`,
`scaler_std`) so that any later input — a heatmap grid, a file to predict — is scaled alike.
"""
from nnterm.runtime.language import _
from dataclasses import dataclass

import numpy as np

from nnterm.data import synthetic as datasets
from nnterm.data.csv_table import read_csv
from nnterm.data.digits import CLASS_NAMES as DIGIT_NAMES, PIXEL_NAMES, load_digits
from nnterm.errors import NntermError
from nnterm.data.features import expand
from nnterm.data.image_inputs import image_shape, pixel_names
from nnterm.data.image_sets import BY_KIND as IMAGE_SETS, load_image_set, split_fixed
from nnterm.presets.kinds import data_kind
from nnterm.presets.spec import DataSpec


@dataclass
class Dataset:
    task: str                      # "binary", "multiclass" or "regression"
    feature_names: tuple[str, ...]
    n_classes: int                 # 0 for regression
    x_train: np.ndarray            # network inputs (transformed, standardised)
    y_train: np.ndarray            # network targets, one column per output unit
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    scaler_mean: np.ndarray
    scaler_std: np.ndarray
    points_train: np.ndarray | None = None   # raw 2-D coordinates, for drawing (2-D sets only)
    points_val: np.ndarray | None = None
    points_test: np.ndarray | None = None
    raw_2d: bool = False
    class_names: tuple[str, ...] = ()        # class index → its name ("0" … "9", a CSV's labels)
    target_mean: np.ndarray | None = None    # regression targets are trained as (y − mean)/std when set
    target_std: np.ndarray | None = None
    playground_plane: bool = True            # points are the playground's (x1, x2), the inputs their transforms;
                                             # False: a 2-column file's own two columns, the inputs themselves
    image_shape: tuple[int, int] | None = None   # (rows, columns) when each sample is an image's pixels

    @property
    def n_inputs(self) -> int:
        return self.x_train.shape[1]

    def in_target_units(self, values: np.ndarray) -> np.ndarray:
        """Network outputs (or y_*) → the data's own units: ŷ·std + mean (as is without a target scaler)."""
        return to_target_units(values, self.target_mean, self.target_std)

    def raw_inputs(self, x: np.ndarray) -> np.ndarray:
        """Network inputs → the features in the data's own units, before standardising: x·std + mean
        (the inverse of `standardise`; as they are when the preset does not standardise)."""
        return np.asarray(x, dtype=np.float64) * self.scaler_std + self.scaler_mean

    def inputs_for_points(self, points: np.ndarray) -> np.ndarray:
        """Raw 2-D points (a heatmap grid, say) → the network's standardised inputs."""
        points = np.asarray(points, dtype=np.float64)
        feats = expand(points, self.feature_names) if self.playground_plane else points
        return standardise(feats, self.scaler_mean, self.scaler_std, self.x_train.dtype,
                           file_numbers=not self.playground_plane)


ROWS_AT_ONCE = 4096        # rows standardised per step: the float64 temporaries stay a few MB for any file


def standardise(inputs: np.ndarray, mean: np.ndarray, std: np.ndarray, dtype, rows=None,
                file_numbers: bool = False) -> np.ndarray:
    """(x − mean)/std in float64, then the network's dtype: every input the network sees, scaled alike.
    `file_numbers` (a CSV's cells): x is first held in the network's dtype, as the fast reader
    reads them (nnterm/data/csv_fast.py), so a row `nnterm predict` reads becomes the very input
    it trained as whichever reader read it; the synthetic sets' float64 points are scaled as they
    are, so their histories stay what they were. `rows`: only those rows."""
    count = len(inputs) if rows is None else len(rows)
    out = np.empty((count, *np.shape(inputs)[1:]), dtype=dtype)
    # one float64 block, reused: fresh temporaries cost a page fault every 4 KB (a 133 MB CSV: ~1 s)
    block = np.empty((min(count, ROWS_AT_ONCE), *np.shape(inputs)[1:]))
    for at in range(0, count, ROWS_AT_ONCE):
        part = np.asarray(inputs[at:at + ROWS_AT_ONCE] if rows is None else inputs[rows[at:at + ROWS_AT_ONCE]])
        held = block[:len(part)]
        held[...] = part.astype(dtype, copy=False) if file_numbers else part
        np.subtract(held, mean, out=held)
        np.divide(held, std, out=held)
        out[at:at + ROWS_AT_ONCE] = held
    return out


def to_target_units(values: np.ndarray, mean: np.ndarray | None, std: np.ndarray | None) -> np.ndarray:
    """Outputs trained on z-scores → the data's units, ŷ·std + mean (as they are without a target scaler)."""
    if mean is None:
        return values
    return values.astype(np.float64) * std + mean


def split_indices(n: int, train_fraction: float, test_fraction: float, rng) -> tuple:
    order = rng.permutation(n)
    n_train = max(1, int(round(n * train_fraction)))
    n_test = int(round(n * test_fraction))
    n_test = min(n_test, n - n_train)
    return order[:n_train], order[n_train:n - n_test], order[n - n_test:]


def encode_targets(targets: np.ndarray, task: str, n_classes: int, output_units: int, where: str) -> np.ndarray:
    """Class indices → one column (sigmoid output) or one-hot rows (softmax); regression as is."""
    if task == "regression":
        y = targets.reshape(len(targets), -1)
        if y.shape[1] != output_units:
            raise NntermError(_("{where}: the output layer has {output_units} units but the data has {targets} target(s)").format(where=where, output_units=output_units, targets=y.shape[1]))
        return y
    if output_units == 1 and n_classes == 2:
        return targets.reshape(-1, 1).astype(np.float64)
    if output_units == n_classes:
        return np.eye(n_classes)[targets]
    need = "1 (sigmoid) or 2 (softmax)" if n_classes == 2 else str(n_classes)
    raise NntermError(_("{where}: the output layer has {output_units} units but the data has {n_classes} classes; use {need}").format(where=where, output_units=output_units, n_classes=n_classes, need=need))


def fit_scaler(inputs: np.ndarray, train: np.ndarray, standardize: bool, scaler, source: str) -> tuple:
    """(mean, std) fitted on the training rows only — or a stored scaler, e.g. a weight file's."""
    if scaler is not None:
        mean, std = (np.asarray(a, dtype=np.float64) for a in scaler)
        if mean.shape != (inputs.shape[1],) or std.shape != mean.shape:
            raise NntermError(_("{source}: the weights take {size} inputs but the data has {inputs}; they were trained on other data").format(source=source, size=mean.size, inputs=inputs.shape[1]))
        return mean, std
    if not standardize:
        return np.zeros(inputs.shape[1]), np.ones(inputs.shape[1])
    # mean = Σx/n, std = √(Σ(x − mean)²/n), in float64, a block of rows at a time
    total = np.zeros(inputs.shape[1])
    for at in range(0, len(train), ROWS_AT_ONCE):
        total += inputs[train[at:at + ROWS_AT_ONCE]].sum(axis=0, dtype=np.float64)
    mean = total / len(train)
    spread = np.zeros(inputs.shape[1])
    block = np.empty((min(len(train), ROWS_AT_ONCE), inputs.shape[1]))    # reused, as in standardise
    for at in range(0, len(train), ROWS_AT_ONCE):
        held = block[:len(train[at:at + ROWS_AT_ONCE])]
        held[...] = inputs[train[at:at + ROWS_AT_ONCE]]
        np.subtract(held, mean, out=held)
        spread += np.square(held, out=held).sum(axis=0)
    std = np.sqrt(spread / len(train))
    return mean, np.where(std > 1e-12, std, 1.0)    # a constant feature stays as it is


def make_dataset(spec: DataSpec, seed: int, dtype: str, output_units: int, where: str = "preset",
                 scaler: tuple | None = None, scaler_source: str = "the weight file",
                 target_scaler: tuple | None = None) -> Dataset:
    """`scaler` / `target_scaler`: (mean, std) to use instead of fitting them, so a saved model sees
    its own scaling; `scaler_source` names where they came from, for the message when they do not fit."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0xDA7A]))
    kind = data_kind(spec.kind)
    task, class_names, raw_2d = kind.task, (), kind.planar
    n_fixed_train = None                              # an image set's own train / test split
    if spec.kind in IMAGE_SETS:
        inputs, targets, n_fixed_train, class_names = load_image_set(spec.kind, spec.path, where)
        feature_names = pixel_names(IMAGE_SETS[spec.kind].side)
    elif spec.kind == "digits":
        inputs, targets = load_digits()
        feature_names, class_names = PIXEL_NAMES, DIGIT_NAMES
    elif spec.kind == "csv":                          # a csv's task comes from its file
        table = read_csv(spec.path, spec.target, spec.columns, spec.task, where, dtype=dtype)
        inputs, targets, feature_names = table.inputs, table.targets, table.feature_names
        task, class_names = table.task, table.class_names
        if inputs.shape[1] == 2:                       # two columns: a plane, drawn with its decision boundary
            raw, raw_2d = inputs, True
    elif spec.kind == "teacher":
        inputs, targets = datasets.teacher(spec.samples, spec.noise, rng, spec.dims)
        feature_names = tuple(f"x{i + 1}" for i in range(spec.dims))
    else:
        raw, targets = datasets.GENERATORS[spec.kind](spec.samples, spec.noise, rng)
        feature_names = spec.features
        inputs = expand(raw, feature_names)
        if kind.classes > 2:
            class_names = tuple(str(k) for k in range(kind.classes))
    n_classes = 0 if task == "regression" else max(2, len(class_names))
    if n_fixed_train is None:
        train, val, test = split_indices(len(inputs), spec.train_fraction, spec.test_fraction, rng)
    else:
        train, val, test = split_fixed(n_fixed_train, len(inputs), spec.train_fraction, rng)
    train = train[:max(1, int(round(len(train) * spec.subset)))]   # fine-tuning on a part; val/test stay put
    mean, std = fit_scaler(inputs, train, spec.standardize, scaler, scaler_source)
    if scaler is None and not spec.standardize:      # as they are: no float64 copy of 70,000 images
        x_train, x_val, x_test = (inputs[rows].astype(dtype, copy=False) for rows in (train, val, test))
    else:
        x_train, x_val, x_test = (standardise(inputs, mean, std, dtype, rows, file_numbers=spec.kind == "csv")
                                  for rows in (train, val, test))
    y = encode_targets(targets, task, n_classes, output_units, where)
    y_mean = y_std = None
    if task == "regression" and spec.kind == "csv" and spec.standardize_target:
        # a price in the 100,000s is out of reach of a small net's outputs: train on z-scores
        y_mean, y_std = fit_scaler(y, train, True, target_scaler, scaler_source)
        y = (y - y_mean) / y_std
    y = y.astype(dtype)
    pts = (lambda idx: raw[idx]) if raw_2d else (lambda idx: None)
    return Dataset(task, tuple(feature_names), n_classes,
                   x_train, y[train], x_val, y[val], x_test, y[test],
                   mean, std, pts(train), pts(val), pts(test), raw_2d, tuple(class_names), y_mean, y_std,
                   playground_plane=spec.kind != "csv", image_shape=image_shape(spec.kind, inputs.shape[1]))
