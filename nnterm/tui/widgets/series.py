"""Thinning a series before plotext draws it: a few points per column are all a chart can show,
so a long run costs no more to draw than a short one (docs/design.md, "Drawing"); and drawing it."""
import numpy as np

POINTS_PER_COLUMN = 2


def downsample(xs: np.ndarray, ys: np.ndarray, most: int) -> tuple[np.ndarray, np.ndarray]:
    """At most `most` evenly spaced points, always keeping the first and the last."""
    if len(xs) <= most:
        return xs, ys
    keep = np.unique(np.linspace(0, len(xs) - 1, most).round().astype(int))
    return xs[keep], ys[keep]


def whole_ticks(first: int, last: int, most: int) -> list[int]:
    """Whole numbers for an axis of epochs or steps (never 1.33, a step that does not happen): at
    most `most`, first and last included."""
    if last <= first:
        return [first]
    return sorted({int(round(t)) for t in np.linspace(first, last, min(most, last - first + 1))})


def draw_series(fig, xs, ys, rgb, log_scale: bool, most: int) -> None:
    """One line on a plotext figure in half-block pixels of colour `rgb`: only finite points
    (and, on a log scale, positive ones), thinned to `most`, a lone point drawn as a dot."""
    import plotext                         # here, not at load: the playground's first frame has no chart to draw
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    ok = np.isfinite(ys) & ((ys > 0) if log_scale else True)
    xs, ys = downsample(xs[ok], ys[ok], most)
    if not len(xs):
        return
    if len(xs) == 1:                       # one point: a dot, not a line
        xs, ys = np.repeat(xs, 2), np.repeat(ys, 2)
    marker = plotext.marker("hd", plotext.pixel(rgb))
    fig.draw(fig.signal(xs.tolist(), ys.tolist(), marker=marker).lines())
