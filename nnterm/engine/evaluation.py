"""Metric reports built on nnterm/engine/metrics.py: the figures every EpochReport carries, and
the full test-set metrics `nnterm eval` prints.

Conventions are scikit-learn's, so numbers can be checked against it:
- confusion matrix rows are the true class, columns the predicted class;
- binary precision / recall / F1 are those of class 1 (the positive class); macro ones are the
  unweighted mean over classes; a ratio with a zero denominator is 0 (sklearn's zero_division=0);
- ROC AUC is the Mann–Whitney statistic: the chance that a random positive scores above a
  random negative, ties counting one half;
- R² pools every output column (sklearn's "variance_weighted").
Model outputs are probabilities (sigmoid or softmax) or values; targets are the network's
targets (one 0/1 column, one-hot rows, or values).
"""
import numpy as np

from nnterm.runtime.numbers import figure
from nnterm.engine.metrics import accuracy, predicted_classes, r2, rmse
from nnterm.runtime.cells import pad, width as cells
from nnterm.runtime.language import _, N_


def confusion_matrix(true: np.ndarray, predicted: np.ndarray, n_classes: int) -> np.ndarray:
    """counts[i, j] = how many samples of true class i were predicted as class j."""
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (true, predicted), 1)
    return counts


def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    num, den = np.asarray(numerator, dtype=np.float64), np.asarray(denominator, dtype=np.float64)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def per_class_scores(counts: np.ndarray) -> dict[str, np.ndarray]:
    """precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2PR / (P + R), per class."""
    tp = np.diag(counts).astype(np.float64)
    precision = ratio(tp, counts.sum(axis=0))       # column: everything predicted as the class
    recall = ratio(tp, counts.sum(axis=1))          # row: everything that is the class
    f1 = ratio(2 * precision * recall, precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1, "support": counts.sum(axis=1)}


def roc_auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """AUC = (Σ ranks of positives − n₊(n₊ + 1)/2) / (n₊ n₋), average ranks for ties; NaN with one class."""
    positive = np.asarray(positive, dtype=bool)
    n_pos = int(positive.sum())
    n_neg = positive.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    from scipy.stats import rankdata      # 0.5–0.8 s to import: only when an AUC is asked for
    ranks = rankdata(np.asarray(scores, dtype=np.float64))
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def roc_curve(scores: np.ndarray, positive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(false-positive rate, true-positive rate) at every threshold, highest first, from (0, 0)
    to (1, 1): TPR = TP / positives, FPR = FP / negatives for "score ≥ threshold"; tied scores
    move together (scikit-learn's roc_curve with drop_intermediate=False). Its area is roc_auc."""
    positive = np.asarray(positive, dtype=bool)
    order = np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")
    ranked, hits = np.asarray(scores, dtype=np.float64)[order], positive[order]
    last_of_each = np.r_[np.nonzero(np.diff(ranked))[0], ranked.size - 1]      # where a threshold ends
    tp, fp = np.cumsum(hits)[last_of_each], np.cumsum(~hits)[last_of_each]
    n_pos, n_neg = max(int(positive.sum()), 1), max(int((~positive).sum()), 1)
    return np.r_[0.0, fp / n_neg], np.r_[0.0, tp / n_pos]


def positive_scores(outputs: np.ndarray) -> np.ndarray:
    """P(class 1): the sigmoid unit, or the second softmax unit."""
    return outputs[:, 0] if outputs.shape[1] == 1 else outputs[:, 1]


def classification_metrics(outputs: np.ndarray, targets: np.ndarray, n_classes: int) -> dict:
    """accuracy, precision/recall/F1 (binary: class 1; always macro), ROC AUC (binary), confusion matrix."""
    true, predicted = predicted_classes(targets), predicted_classes(outputs)
    counts = confusion_matrix(true, predicted, n_classes)
    scores = per_class_scores(counts)
    out = {"accuracy": accuracy(outputs, targets)}
    if n_classes == 2:
        out.update({"precision": float(scores["precision"][1]), "recall": float(scores["recall"][1]),
                    "f1": float(scores["f1"][1]), "roc_auc": roc_auc(positive_scores(outputs), true == 1)})
    out.update({"precision_macro": float(scores["precision"].mean()), "recall_macro": float(scores["recall"].mean()),
                "f1_macro": float(scores["f1"].mean())})
    out["per_class"] = scores
    out["confusion_matrix"] = counts
    return out


def regression_metrics(outputs: np.ndarray, targets: np.ndarray) -> dict:
    """MSE = mean (ŷ − y)², RMSE = √MSE, MAE = mean |ŷ − y|, R² = 1 − SS_res / SS_tot."""
    error = outputs.astype(np.float64) - targets.astype(np.float64)
    return {"mse": float(np.mean(error ** 2)), "rmse": rmse(outputs, targets),
            "mae": float(np.mean(np.abs(error))), "r2": r2(outputs, targets)}


def evaluate_outputs(task: str, outputs: np.ndarray, targets: np.ndarray, n_classes: int) -> dict:
    if task == "regression":
        return regression_metrics(outputs, targets)
    return classification_metrics(outputs, targets, n_classes)


def epoch_metrics(task: str, outputs: np.ndarray, targets: np.ndarray) -> dict[str, float]:
    """What every epoch reports: accuracy and F1 for classification, RMSE and R² for regression."""
    if task == "regression":
        return {"rmse": rmse(outputs, targets), "r2": r2(outputs, targets)}
    return {"accuracy": accuracy(outputs, targets), **epoch_f1(outputs, targets)}


def epoch_f1(outputs: np.ndarray, targets: np.ndarray) -> dict[str, float]:
    """The cheap per-epoch F1: class 1's for binary outputs, the macro mean for several classes."""
    n_classes = max(2, targets.shape[1])
    scores = per_class_scores(confusion_matrix(predicted_classes(targets), predicted_classes(outputs), n_classes))
    return {"f1": float(scores["f1"][1])} if n_classes == 2 else {"f1_macro": float(scores["f1"].mean())}


def scalar_metrics(metrics: dict) -> dict[str, float]:
    """Just the single numbers (for JSON lines and one-line summaries)."""
    return {k: float(v) for k, v in metrics.items() if not isinstance(v, (dict, np.ndarray))}


CORNER = N_("true \\ predicted")

# The single figures' names as shown; the msgids are the keys themselves, so the English report
# (and JSON, which keeps the keys) reads as before and only another language renames them.
FIGURE_NAMES = frozenset((
    N_("loss"), N_("accuracy"), N_("precision"), N_("recall"), N_("f1"), N_("roc_auc"),
    N_("precision_macro"), N_("recall_macro"), N_("f1_macro"), N_("mse"), N_("rmse"), N_("mae"), N_("r2")))


def figure_name(key: str) -> str:
    """A single figure's name in the language in use (an unknown key is shown as it is)."""
    return _(key) if key in FIGURE_NAMES else key


def format_confusion_matrix(counts: np.ndarray, class_names: tuple[str, ...] = ()) -> str:
    """A text table: a row per true class, a column per predicted class."""
    names = list(class_names) or [str(i) for i in range(counts.shape[0])]
    corner = _(CORNER)
    width = max(max(cells(n) for n in names), len(str(int(counts.max(initial=0)))), 3)   # in cells: names may be Chinese
    label = max(cells(corner), width)
    lines = [f"{pad(corner, label)} " + " ".join(pad(n, width, ">") for n in names)]
    for name, row in zip(names, counts):
        lines.append(f"{pad(name, label)} " + " ".join(f"{int(c):>{width}}" for c in row))
    return "\n".join(lines)


def format_per_class(scores: dict, class_names: tuple[str, ...] = ()) -> str:
    """sklearn's classification_report layout: precision, recall, F1 and support per class."""
    n = len(scores["support"])
    names = list(class_names) or [str(i) for i in range(n)]
    heads = [_("class"), _("precision"), _("recall"), "f1", _("support")]
    width = max(max(cells(s) for s in names), cells(heads[0]))              # in cells: class names may be Chinese
    lines = [" ".join([pad(heads[0], width)] + [pad(head, 9, ">") for head in heads[1:]])]
    for i, name in enumerate(names):
        lines.append(f"{pad(name, width)} {scores['precision'][i]:>9.4f} {scores['recall'][i]:>9.4f} "
                     f"{scores['f1'][i]:>9.4f} {int(scores['support'][i]):>9d}")
    return "\n".join(lines)


def report_lines(title: str, loss: float, metrics: dict, class_names) -> list[str]:
    """The report `nnterm eval` prints and the metrics panel shows: the single figures, then for
    classes the per-class table and the confusion matrix."""
    values = {figure_name(k): v for k, v in {"loss": loss, **scalar_metrics(metrics)}.items()}
    width = max(cells(k) for k in values)
    lines = [title, ""] + [f"{pad(k, width)}  {figure(v)}" for k, v in values.items()]
    if "confusion_matrix" in metrics:
        lines += ["", format_per_class(metrics["per_class"], class_names),
                  "", _("confusion matrix (rows: true class, columns: predicted class)"),
                  format_confusion_matrix(metrics["confusion_matrix"], class_names)]
    return lines
