"""nnterm's compiled kernels: numeric code only (numpy + numba), no knowledge of nnterm.

The ABI is in passes.py's docstring and DESIGN.md §2.
"""
from . import codes
from .epoch import evaluate_loss, loss_and_grads, predict, trace_step, train_epoch
from .init import default_init, init_weight

__all__ = ["codes", "evaluate_loss", "loss_and_grads", "predict", "trace_step", "train_epoch",
           "default_init", "init_weight"]
