"""A few rows of the real data, for the kernel warm-up's scratch trainers.

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
