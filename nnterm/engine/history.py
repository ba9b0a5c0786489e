"""The loss history as CSV: one row per epoch, as `nnterm train --history` and the app's
"save history" write it (both through this function, so the two files read the same).

    epoch,loss,val_loss,val_accuracy,val_f1,learning_rate,seconds
    1,0.6931,0.6890,0.52,0.49,0.03,0.0012

`loss` is the epoch's training loss, named as the progress line, the status line and Keras's
History name it (docs/design.md, "Names"); the JSON lines' `train_loss`. Metric columns are the task's, named as `nnterm train --json` names them (nnterm/engine/metrics.py). A value
that does not exist (no validation split, a diverged epoch) is an empty cell, as spreadsheets
and pandas read a missing value.

A run's history stays bounded over any number of epochs (History): a list of every epoch's
report grows without end (about 550 bytes an epoch: a million epochs were 715 MB). History keeps
every epoch until it holds CAP reports; then the older part is thinned — every second report of
it dropped — while the latest RECENT stay whole. The chart, the CSV and the summaries see the
whole run at a coarser grain the older it is; the first report, the recent ones and the last are
always exact. Memory stays below CAP reports (a million epochs: 19,100 reports, about 10 MiB;
tests/measure_history_memory.py).
"""
import csv
import io
import math

FIRST, LAST = ("epoch", "loss", "val_loss"), ("learning_rate", "seconds")
CAP = 20_000
RECENT = 2_000


def cell(value) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return repr(float(value)) if isinstance(value, float) else str(value)


def history_csv(reports) -> str:
    """EpochReports (a Trainer's `history`) → CSV text with a header row."""
    metrics = list(dict.fromkeys(name for report in reports for name in report.metrics))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*FIRST, *metrics, *LAST])
    for r in reports:
        writer.writerow([cell(v) for v in (r.epoch, r.train_loss, r.val_loss, *(r.metrics.get(m) for m in metrics),
                                           r.learning_rate, r.seconds)])
    return buffer.getvalue()


def thin_positions(length: int) -> list[int]:
    """The positions to keep of `length` items when thinning: the first one, every second one of
    the older part, and the last RECENT."""
    older = length - RECENT
    return [i for i in range(older) if i % 2 == 0] + list(range(older, length))


class History(list):
    """A list of EpochReports (everything that reads a list reads it) whose append thins it."""

    def append(self, report) -> None:
        super().append(report)
        if len(self) > CAP:
            self[:] = [self[i] for i in thin_positions(len(self))]
