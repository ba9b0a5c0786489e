"""nnterm's compiled kernels: numeric code only (numpy + numba), no knowledge of nnterm.

The ABI is in passes.py's docstring and DESIGN.md §2.
"""
import os as _os

from .cache_dir import use_writable_cache as _use_writable_cache

_use_writable_cache(_os.path.dirname(__file__))     # before the first numba import below

from . import codes  # noqa: E402
from .epoch import evaluate_loss, loss_and_grads, predict, trace_step, train_epoch  # noqa: E402
from .init import default_init, init_weight  # noqa: E402

__all__ = ["codes", "evaluate_loss", "loss_and_grads", "predict", "trace_step", "train_epoch",
           "default_init", "init_weight"]
