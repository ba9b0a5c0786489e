"""Generalisation, in numbers a person can check: the best validation epoch, and overfitting.

Overfitting, as the playground names it: the validation loss has not come back to its best for
WINDOW epochs and stands above it by more than RISE, while the training loss has gone on falling
since that best epoch — the network is learning the training points, not the pattern. Early
stopping (training.early_stopping) is the cure that stops there and brings the best epoch back.
"""
from dataclasses import dataclass

import numpy as np
from nnterm.runtime.language import _

WINDOW = 20         # epochs since the best validation loss before the word is said
RISE = 0.01         # how far above its best the validation loss must be: 1 %


@dataclass(frozen=True)
class Best:
    epoch: int
    val_loss: float
    train_loss: float


@dataclass(frozen=True)
class Overfitting:
    best: Best
    epoch: int              # now
    val_loss: float         # now
    train_loss: float       # now

    def sentence(self) -> str:
        """The best epoch and what early stopping would do first: a status line too narrow for the
        whole sentence cuts the numbers at its end, never those (at 160 columns it cut "would have kept")."""
        return _("overfitting since epoch {epoch}, the one early stopping would keep (its val loss {best_val:.4g}, "
                 "now {val:.4g}) while the training loss fell from {best_train:.4g} to {train:.4g}").format(
            epoch=self.best.epoch, best_val=self.best.val_loss, val=self.val_loss, best_train=self.best.train_loss,
            train=self.train_loss)


def best_epoch(epochs, train, val) -> Best | None:
    """The epoch of the lowest validation loss (the first, on a tie); None without a validation split."""
    val = np.asarray(val, dtype=float)
    if not len(val) or not np.isfinite(val).any():
        return None
    i = int(np.nanargmin(np.where(np.isfinite(val), val, np.nan)))
    return Best(int(epochs[i]), float(val[i]), float(train[i]))


def overfitting(epochs, train, val, window: int = WINDOW) -> Overfitting | None:
    """The overfitting of this history now (see the module's docstring), or None."""
    best = best_epoch(epochs, train, val)
    if best is None or not len(epochs):
        return None
    now = Overfitting(best, int(epochs[-1]), float(val[-1]), float(train[-1]))
    rising = now.epoch - best.epoch >= window and now.val_loss > best.val_loss * (1 + RISE)
    return now if rising and now.train_loss < best.train_loss else None
