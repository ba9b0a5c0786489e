"""The primitive metrics every report builds on: predicted classes, accuracy, RMSE, R²
(nnterm/engine/evaluation.py assembles them into per-epoch and full reports)."""
import numpy as np


def predicted_classes(outputs: np.ndarray) -> np.ndarray:
    """One sigmoid unit: class 1 where p ≥ 0.5; several units: the arg-max."""
    if outputs.shape[1] == 1:
        return (outputs[:, 0] >= 0.5).astype(np.int64)
    return outputs.argmax(axis=1)


def accuracy(outputs: np.ndarray, targets: np.ndarray) -> float:
    return float(np.mean(predicted_classes(outputs) == predicted_classes(targets)))


def rmse(outputs: np.ndarray, targets: np.ndarray) -> float:
    # √(mean (ŷ − y)²)
    return float(np.sqrt(np.mean((outputs.astype(np.float64) - targets) ** 2)))


def r2(outputs: np.ndarray, targets: np.ndarray) -> float:
    # R² = 1 − Σ(ŷ − y)² / Σ(y − ȳ)²
    t = targets.astype(np.float64)
    ss_tot = float(np.sum((t - t.mean(axis=0)) ** 2))
    ss_res = float(np.sum((outputs.astype(np.float64) - t) ** 2))
    return 1.0 - ss_res / ss_tot if ss_tot > 0 else 0.0
