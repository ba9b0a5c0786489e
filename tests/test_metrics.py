"""Evaluation metrics against hand-worked values and their definitions (sklearn's conventions)."""
import itertools
import math

import numpy as np
import pytest

from nnterm.engine.evaluation import (classification_metrics, confusion_matrix, evaluate_outputs, format_confusion_matrix,
                               regression_metrics, roc_auc)
from nnterm.engine.evaluation import epoch_metrics


def one_hot(labels, k):
    return np.eye(k)[np.asarray(labels)]


def test_confusion_matrix_rows_are_true_columns_predicted():
    counts = confusion_matrix(np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 2]), 3)
    assert counts.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    table = format_confusion_matrix(counts, ("cat", "dog", "eel"))
    assert table.splitlines()[0].split()[-3:] == ["cat", "dog", "eel"]
    assert table.splitlines()[3].split() == ["eel", "1", "0", "2"]


def test_binary_precision_recall_f1_and_macro_by_hand():
    # true 1 1 1 0 0 0 0, predicted (p ≥ 0.5) 1 1 0 1 0 0 0: TP 2, FN 1, FP 1, TN 3
    p = np.array([[0.9], [0.8], [0.3], [0.6], [0.2], [0.1], [0.4]])
    y = np.array([[1], [1], [1], [0], [0], [0], [0]], dtype=float)
    m = classification_metrics(p, y, 2)
    assert m["accuracy"] == pytest.approx(5 / 7)
    assert m["precision"] == pytest.approx(2 / 3) and m["recall"] == pytest.approx(2 / 3)
    assert m["f1"] == pytest.approx(2 / 3)
    # class 0: precision 3/4, recall 3/4 → F1 3/4; macro = mean of the two classes
    assert m["precision_macro"] == pytest.approx((2 / 3 + 3 / 4) / 2)
    assert m["f1_macro"] == pytest.approx((2 / 3 + 3 / 4) / 2)
    assert m["confusion_matrix"].tolist() == [[3, 1], [1, 2]]
    # AUC: of the 12 (positive, negative) pairs, the positive scores higher in 10 (0.3 loses to 0.6 and 0.4)
    assert m["roc_auc"] == pytest.approx(10 / 12)


def test_a_class_never_predicted_scores_zero_not_nan():
    outputs = one_hot([0, 0, 1, 1], 3) * 0.9 + 0.03
    targets = one_hot([0, 0, 1, 2], 3)
    m = classification_metrics(outputs, targets, 3)
    assert m["per_class"]["precision"][2] == 0.0 and m["per_class"]["recall"][2] == 0.0
    assert m["recall_macro"] == pytest.approx((1 + 1 + 0) / 3)
    assert m["precision_macro"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert "roc_auc" not in m and "f1" not in m            # binary-only metrics


def brute_force_auc(scores, positive):
    pairs = [(s_p > s_n) + 0.5 * (s_p == s_n)
             for s_p, s_n in itertools.product(scores[positive], scores[~positive])]
    return sum(pairs) / len(pairs)


def test_roc_auc_is_the_pairwise_probability_with_ties_half():
    rng = np.random.default_rng(3)
    scores = rng.integers(0, 6, 80) / 5.0                   # many ties on purpose
    positive = rng.random(80) < 0.4
    assert roc_auc(scores, positive) == pytest.approx(brute_force_auc(scores, positive))
    assert roc_auc(np.array([0.1, 0.2, 0.8, 0.9]), np.array([0, 0, 1, 1], bool)) == 1.0
    assert roc_auc(np.array([0.9, 0.8, 0.2, 0.1]), np.array([0, 0, 1, 1], bool)) == 0.0
    assert roc_auc(np.full(4, 0.5), np.array([0, 1, 0, 1], bool)) == 0.5
    assert math.isnan(roc_auc(np.array([0.1, 0.7]), np.array([1, 1], bool)))


def test_softmax_binary_uses_the_second_unit_as_the_positive_score():
    outputs = np.array([[0.8, 0.2], [0.3, 0.7], [0.6, 0.4], [0.1, 0.9]])
    targets = one_hot([0, 1, 1, 1], 2)
    m = classification_metrics(outputs, targets, 2)
    assert m["roc_auc"] == 1.0 and m["recall"] == pytest.approx(2 / 3) and m["precision"] == 1.0


def test_regression_metrics_by_hand():
    pred = np.array([[1.0], [2.0], [4.0]])
    true = np.array([[1.0], [3.0], [2.0]])
    m = regression_metrics(pred, true)
    assert m["mse"] == pytest.approx(5 / 3)                 # (0 + 1 + 4) / 3
    assert m["rmse"] == pytest.approx(math.sqrt(5 / 3))
    assert m["mae"] == pytest.approx(1.0)                   # (0 + 1 + 2) / 3
    assert m["r2"] == pytest.approx(1 - 5 / 2)              # SS_tot = 1 + 1 + 0 around the mean 2
    assert evaluate_outputs("regression", true, true, 0)["r2"] == 1.0


def test_per_epoch_metrics_add_f1_for_classification_only():
    binary = epoch_metrics("binary", np.array([[0.9], [0.2], [0.7]]), np.array([[1.0], [0.0], [0.0]]))
    assert set(binary) == {"accuracy", "f1"} and binary["f1"] == pytest.approx(2 / 3)
    multi = epoch_metrics("multiclass", one_hot([0, 1, 2], 3), one_hot([0, 1, 1], 3))
    assert set(multi) == {"accuracy", "f1_macro"}
    assert set(epoch_metrics("regression", np.ones((3, 1)), np.arange(3.0).reshape(3, 1))) == {"rmse", "r2"}
