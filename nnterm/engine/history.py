"""The loss history as CSV: one row per epoch, as `nnterm train --history` and the app's
"save history" write it (both through this function, so the two files read the same).

    epoch,train_loss,val_loss,val_accuracy,val_f1,learning_rate,seconds
    1,0.6931,0.6890,0.52,0.49,0.03,0.0012

Metric columns are the task's, named as `nnterm train --json` names them (nnterm/engine/metrics.py). A value
that does not exist (no validation split, a diverged epoch) is an empty cell, as spreadsheets
and pandas read a missing value.
"""
import csv
import io
import math

FIRST, LAST = ("epoch", "train_loss", "val_loss"), ("learning_rate", "seconds")


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
