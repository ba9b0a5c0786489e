"""Thinning a series before plotext draws it: a few points per column are all a chart can show,
so a long run costs no more to draw than a short one (docs/design.md, "Drawing")."""
import numpy as np

POINTS_PER_COLUMN = 2


def downsample(xs: np.ndarray, ys: np.ndarray, most: int) -> tuple[np.ndarray, np.ndarray]:
    """At most `most` evenly spaced points, always keeping the first and the last."""
    if len(xs) <= most:
        return xs, ys
    keep = np.unique(np.linspace(0, len(xs) - 1, most).round().astype(int))
    return xs[keep], ys[keep]
