"""The memory budget: what a preset would allocate, computed from the preset before anything is.

A playground network is small; a typo (`units = 65536` twice) or a hostile weight file asking
for huge layers would otherwise fill the machine's memory before anything refused it. The
estimate counts, in the network's dtype:

    parameters × PARAM_COPIES      the weights, gradients, two optimizer moments, and the copies
                                   training keeps (undoing an epoch, the best weights so far, the
                                   weights the run began with)
    rows × Σ units × 3             one pass's activations: z, a and δ per unit, where rows is the
                                   larger of a batch and an evaluation split (predictions are chunked)
    samples × (inputs + outputs) × 2   the data, and the standardised copy made from it

and refuses, with both figures in the sentence, anything over MEMORY_BUDGET_BYTES — 2 GiB, or
NNTERM_MEMORY_LIMIT (in GiB) when the user has set it. A weight file larger than the budget is
refused before it is read.
"""
from nnterm.runtime.language import _
import os

import numpy as np

from nnterm.kernels.codes import ROW_CHUNK
from nnterm.errors import NntermError
from nnterm.presets.kinds import data_kind

DEFAULT_BUDGET_GIB = 2.0
PARAM_COPIES = 9
ACTIVATION_COPIES = 3
DATA_COPIES = 2


def budget_bytes() -> int:
    text = os.environ.get("NNTERM_MEMORY_LIMIT", "")
    try:
        gib = float(text) if text else DEFAULT_BUDGET_GIB
    except ValueError:
        raise NntermError(_("NNTERM_MEMORY_LIMIT={text}: give the memory limit in GiB, e.g. NNTERM_MEMORY_LIMIT=8").format(text=text)) from None
    if not gib > 0 or gib != gib or gib == float("inf"):
        raise NntermError(_("NNTERM_MEMORY_LIMIT={text}: the memory limit must be a positive number of GiB").format(text=text))
    return int(gib * 2**30)


def show_bytes(n: float) -> str:
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} bytes"


def input_width(data) -> int | None:
    """Inputs per sample a data spec gives, when the spec alone says (None: a CSV's columns)."""
    if data.kind == "csv":
        return len([c for c in data.columns.split(",") if c.strip()]) or None
    if data.kind == "teacher":
        return data.dims
    if data_kind(data.kind).width is not None:
        return data_kind(data.kind).width
    return len(data.features)


def estimate(preset, data=None) -> dict[str, int]:
    """Bytes by what they hold: from the Dataset when it exists, else from the preset's data spec
    (a CSV's rows are unknown until it is read; its file size bounds them)."""
    itemsize = np.dtype(preset.network.dtype).itemsize
    if data is not None:
        inputs = data.n_inputs
        samples = data.x_train.shape[0] + data.x_val.shape[0] + data.x_test.shape[0]
    else:
        inputs = input_width(preset.data) or 1
        samples = preset.data.samples if data_kind(preset.data.kind).synthetic else 0   # a file's rows: once read
    units = [layer.units for layer in preset.network.layers]
    sizes = [inputs] + units
    parameters = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
    batch = preset.training.batch_size if preset.training.optimizer != "gd" else max(samples, 1)
    rows = min(max(batch, samples), max(batch, ROW_CHUNK))
    return {
        "parameters": parameters * itemsize * PARAM_COPIES,
        "activations": rows * sum(units) * itemsize * ACTIVATION_COPIES,
        "data": samples * (inputs + units[-1]) * itemsize * DATA_COPIES,
        "n_parameters": parameters,
    }


def check_memory(preset, data=None) -> None:
    """Raises a sentence with the figure and the limit when the preset would not fit."""
    parts = estimate(preset, data)
    total = parts["parameters"] + parts["activations"] + parts["data"]
    limit = budget_bytes()
    if total <= limit:
        return
    biggest = max(("parameters", "activations", "data"), key=parts.get)
    what = {"parameters": _("{count:,} parameters (with their gradients and optimizer state)").format(count=parts["n_parameters"]),
            "activations": _("one batch's activations"), "data": _("the data")}[biggest]
    raise NntermError(_("{name}: this setup needs about {need} of memory, mostly {what}; the limit is {limit}. Use fewer units or samples, a smaller batch, or raise the limit with NNTERM_MEMORY_LIMIT (GiB)").format(name=preset.name, need=show_bytes(total), what=what, limit=show_bytes(limit)))


def check_file_size(path: str, size: int) -> None:
    limit = budget_bytes()
    if size > limit:
        raise NntermError(_("{path}: the file is {size}; nnterm reads weight files up to {limit} (the memory limit, NNTERM_MEMORY_LIMIT in GiB)").format(path=path, size=show_bytes(size), limit=show_bytes(limit)))
