"""`nnterm train`'s progress bar on a terminal (rich.progress; this is the TUI side of the
interface, the one that may import rich — docs/design.md, "The layers"): a line with the epochs
done of the budget, the bar, epochs per second, the time spent and the time left, and below it
the latest figures (`loss`, `val_loss`, the metrics, as the progress line names them). Piped or
with --json, `nnterm train` keeps its line per epoch instead (nnterm/commands/train.py)."""
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.text import Text

from nnterm.runtime.language import _

REDRAWS_PER_SECOND = 10
# Figures are formatted at most this often: a small network trains an epoch in a fraction of a
# millisecond, and a line of text per epoch would cost more than the epoch.
FIGURES_EVERY = 1 / REDRAWS_PER_SECOND


class BarOverFigures(Progress):
    """The bar's line, then the figures on a line of their own, cut (…) to the terminal's width
    rather than squeezing the bar's columns."""

    def get_renderables(self):
        yield self.make_tasks_table(self.tasks)
        for task in self.tasks:
            yield Text(task.fields["figures"], no_wrap=True, overflow="ellipsis")


class TrainingBar:
    """`with TrainingBar(done, budget, file) as bar: … bar.epoch(n, figures)`; `figures` is called
    only when the bar will show its result."""

    def __init__(self, done: int, budget: int, file):
        self.progress = BarOverFigures(TextColumn(_("Epoch")), MofNCompleteColumn(), BarColumn(bar_width=None),
                                       TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn(_("left")),
                                       TimeRemainingColumn(), console=Console(file=file, highlight=False),
                                       refresh_per_second=REDRAWS_PER_SECOND, expand=True)
        self.task = self.progress.add_task("train", total=budget, completed=done, figures="", rate="")
        self.last = (time.perf_counter(), done)       # when the figures were last shown, at which epoch

    def __enter__(self):
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()

    def epoch(self, number: int, figures, last: bool = False) -> None:
        now = time.perf_counter()
        shown_at, shown_epoch = self.last
        if not last and now - shown_at < FIGURES_EVERY:
            self.progress.update(self.task, completed=number)
            return
        # the rate since the figures were last shown: the current speed, not one that counts the
        # first epoch's kernel compile
        rate = (number - shown_epoch) / max(now - shown_at, 1e-9)
        self.last = (now, number)
        self.progress.update(self.task, completed=number, figures=figures(), rate=_("{rate:,.0f} epochs/s").format(rate=rate))
