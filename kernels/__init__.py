"""nnterm's compiled kernels: numeric code only (numpy + numba), no knowledge of nnterm.

The ABI is in passes.py's docstring and docs/design.md ("The kernel ABI").

The compiled entry points load on first use (PEP 562), so `from nnterm.kernels import codes`
— which every preset and spec needs — does not import numba: 0.2–0.5 s that the TUI can then
spend in its warm-up thread instead of before its first frame.
"""
import os as _os

from .cache_dir import use_writable_cache as _use_writable_cache

_use_writable_cache(_os.path.dirname(__file__))     # before the first numba import

from . import codes  # noqa: E402

_EPOCH = ("blocks_for", "evaluate_loss", "loss_and_grads", "predict", "run_forward", "trace_step", "train_epoch")
_INIT = ("default_init", "init_weight")

__all__ = ["codes", *_EPOCH, *_INIT]


def __getattr__(name):
    if name in _EPOCH:
        from . import epoch              # numba loads here, on first use
        return getattr(epoch, name)
    if name in _INIT:
        from . import init
        return getattr(init, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
