"""A few rows of the real data (or, before a big CSV is read, rows of its shape), for the kernel
warm-up's scratch trainers.

Numba compiles a kernel for its arguments' types (each array's dtype, dimensions and layout),
never for their lengths, so a warm-up epoch over eight rows compiles exactly the kernels an
epoch over sixty thousand calls. The warm-up trains and evaluates its scratch trainers on this
stand-in instead of the data itself: with a 784-input CSV of 60,000 rows, a warm-up epoch over
all of it (as a stepped twin, in Python, while the kernels compile) and a second reading of the
file in the helper process kept the playground's network from appearing for half a minute.

The stand-in travels to the helper process as one line of text on its stdin (`to_line`,
`from_line`): the helper then reads no file at all.
"""
import base64
import dataclasses
import pickle

import numpy as np

ROWS = 8        # rows kept of each split: enough for a minibatch, small enough to pass as one line

ARRAYS = ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test", "points_train", "points_val", "points_test")


def stand_in(data, dtype=None):
    """`data` (a Dataset) cut to its first ROWS rows of each split, each array C-contiguous like
    the full one; `dtype`: the inputs and targets in that dtype instead (a float64 scratch network)."""
    def cut(name, values):
        if values is None:
            return None
        part = np.ascontiguousarray(values[:ROWS])
        return part.astype(dtype) if dtype is not None and name.startswith(("x_", "y_")) else part
    return dataclasses.replace(data, **{name: cut(name, getattr(data, name)) for name in ARRAYS})


def to_line(data) -> str:
    """The stand-in as one line of ASCII (a pickle in base64): for the helper's stdin."""
    return base64.b64encode(pickle.dumps(stand_in(data))).decode("ascii")


def from_line(line: str):
    """What `to_line` wrote — the parent process's own bytes over a pipe it opened, never a
    file — or None for an empty line (no stand-in: the helper builds its data from the preset)."""
    line = line.strip()
    return pickle.loads(base64.b64decode(line)) if line else None


def from_header(preset):
    """A stand-in for a CSV not read yet: ROWS rows of zeros as wide as its header's input columns,
    with targets for the preset's output layer, in the network's dtype — the types the read data
    will have, so the warm-up compiles the same kernels while the file is read instead of after.
    None when the header cannot give it (the reader then says why) or the file has two inputs
    (a plane: its points are drawn too, so the warm-up waits for the real rows)."""
    from nnterm.data.csv_table import column_names, pick_columns
    from nnterm.data.dataset import Dataset
    from nnterm.data.image_inputs import image_shape
    from nnterm.errors import NntermError
    spec, dtype = preset.data, preset.network.dtype
    try:
        header = list(column_names(spec.path))
        inputs, _targets = pick_columns(spec.path, header, spec.target, spec.columns)
    except (NntermError, OSError, UnicodeError):
        return None
    if len(inputs) == 2:
        return None
    outputs = preset.network.layers[-1].units
    # the task the read will find (csv_table.infer_task): the preset's, or for "auto" a regression
    # when the loss is a regression's, else binary for two classes (one sigmoid or two softmax units)
    task = spec.task if spec.task != "auto" else (
        "regression" if preset.loss not in ("cce", "bce") else "binary" if outputs <= 2 else "multiclass")
    classes = 0 if task == "regression" else max(2, outputs)
    row = np.arange(ROWS)
    if task == "regression":
        y = np.zeros((ROWS, outputs))
    elif outputs == 1:                                 # one sigmoid unit: class 0 or 1
        y = (row % 2).reshape(-1, 1).astype(np.float64)
    else:                                              # one-hot rows, as encode_targets writes them
        y = np.eye(outputs)[row % outputs]
    x, y = np.zeros((ROWS, len(inputs)), dtype=dtype), y.astype(dtype)
    return Dataset(task, tuple(header[i] for i in inputs), classes, x, y, x.copy(), y.copy(), x.copy(), y.copy(),
                   np.zeros(len(inputs)), np.ones(len(inputs)),
                   class_names=tuple(str(k) for k in range(classes)), playground_plane=False,
                   image_shape=image_shape("csv", len(inputs)))
