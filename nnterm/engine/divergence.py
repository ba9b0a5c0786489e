"""Divergence, defined — and noticed before the numbers become NaN.

Training has diverged after an epoch when any of these holds:

- the training loss, or a weight, is not finite (NaN or infinite);
- the training loss is more than LOSS_GROWTH times the loss the network started from (measured
  on the training split before the first epoch, or the first epoch's own when that is lower —
  a healthy run's loss falls, give or take noise; a too-high learning rate grows it by orders
  of magnitude, often within the first epoch). Below LOSS_FLOOR the start counts as LOSS_FLOOR;
- a weight's magnitude passes WEIGHT_LIMIT (the weights of a playground network stay within a
  few hundred; exploding ones reach 1e14 while the loss still prints as a number).

Then the weights, optimizer state and step count of the best recent epoch — the lowest
training loss within the last BEST_WINDOW epochs, or the start if none is healthy — are handed
back, so what the user keeps is a network that worked, not merely the last finite one.
"""
import math

import numpy as np
from nnterm.runtime.language import _

LOSS_GROWTH = 100.0
LOSS_FLOOR = 1e-3         # a network that starts near zero loss may wobble up to 0.1 without diverging
WEIGHT_LIMIT = 1e6
BEST_WINDOW = 50


class DivergenceWatch:
    """Watches each epoch's loss and weights; keeps a copy of the best recent epoch."""

    def __init__(self):
        self.first_loss = math.nan
        self.best_loss = math.inf
        self.kept = None              # (epoch, params, state, step count) of the best recent epoch
        self.expected = None          # the epoch the next one starts from, if nothing else moved it

    def begin(self, epoch: int, params: np.ndarray, state: np.ndarray, step_count: np.ndarray, start_loss) -> None:
        """Before each epoch. When the trainer is not where the last epoch left it (the first
        epoch, a resumed file, a reset, weights restored by early stopping), watching starts
        afresh from here: these weights are the healthy start to come back to, and
        `start_loss()` (called only then) their loss, the reference for growth."""
        if epoch != self.expected:
            loss = float(start_loss())
            self.first_loss, self.best_loss = (loss if math.isfinite(loss) else math.nan), math.inf
            self.kept = (epoch, params.copy(), state.copy(), step_count.copy())
            self.expected = epoch

    def problem(self, epoch: int, loss: float, params: np.ndarray) -> str:
        """"" while healthy, else why this epoch diverged, in words."""
        if not math.isfinite(loss):
            return _("the loss became NaN") if math.isnan(loss) else _("the loss became infinite")
        largest = float(np.max(np.abs(params))) if params.size else 0.0     # one pass; NaN propagates
        if not math.isfinite(largest):
            return _("a weight became NaN or infinite")
        if largest > WEIGHT_LIMIT:
            return _("a weight reached {largest:.3g}, past the limit of {limit:g}").format(largest=largest, limit=WEIGHT_LIMIT)
        if math.isfinite(self.first_loss) and loss > LOSS_GROWTH * max(self.first_loss, LOSS_FLOOR):
            return _("the loss grew to {loss:.4g}, more than {growth:g} times the {first:.4g} it started from").format(
                loss=loss, growth=LOSS_GROWTH, first=self.first_loss)
        return ""

    def healthy(self, epoch: int, loss: float, params, state, step_count) -> None:
        """Records a healthy epoch; its copy is kept when it is the best of the recent ones."""
        self.expected = epoch
        first = math.isinf(self.best_loss)           # the first healthy epoch since watching began
        if first and not loss >= self.first_loss:    # lower than the start's (or there was none)
            self.first_loss = loss
        stale = epoch - self.kept[0] > BEST_WINDOW
        if loss < self.best_loss or stale:
            self.best_loss = loss
            self.kept = (epoch, params.copy(), state.copy(), step_count.copy())

    def restore(self, params: np.ndarray, state: np.ndarray, step_count: np.ndarray) -> int:
        """Copies the kept epoch back into the trainer's buffers; returns that epoch."""
        epoch, kept_params, kept_state, kept_steps = self.kept
        params[:], state[:], step_count[:] = kept_params, kept_state, kept_steps
        self.expected = epoch
        return epoch

    def sentence(self, epoch: int, why: str, restored: int, learning_rate: float) -> str:
        if math.isfinite(self.best_loss):
            sentence = _("training diverged in epoch {epoch}: {why}. The learning rate {rate:g} is probably too high; "
                         "restored the weights of epoch {restored}, the lowest loss of the recent epochs ({best:.4g}).")
        else:
            sentence = _("training diverged in epoch {epoch}: {why}. The learning rate {rate:g} is probably too high; "
                         "restored the weights it started from (epoch {restored}).")
        return sentence.format(epoch=epoch, why=why, rate=learning_rate, restored=restored, best=self.best_loss)
