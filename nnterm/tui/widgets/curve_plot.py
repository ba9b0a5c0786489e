"""Curves y(z) in braille dots with their axes, and one z marked: the neuron lab's f(z), f′(z).

A cell is 2 × 4 braille dots, so a 30-column, 7-row plot is 60 × 28 dots: enough for a
sigmoid's bend and relu's kink at the smallest terminal. The values come in from the caller
(the neuron lab's kernels); this widget only places them. Where curves cross, the later one
in the list colours the cell; the marked z is a dotted vertical line with a dot on each curve.
"""
import numpy as np

from nnterm.runtime.numbers import axis_number
from nnterm.tui.widgets.canvas import Canvas, braille_char, braille_lines
from nnterm.tui.widgets.painted import PaintedView
from nnterm.tui.widgets.palette import muted, selected, style


class CurvePlot(PaintedView):
    """show(z, curves, at, colours): curves are (label, values over z), `at` the z to mark."""

    DEFAULT_CSS = "CurvePlot { height: 1fr; min-height: 5; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.z = np.zeros(0)
        self.curves: tuple = ()
        self.at = 0.0
        self.colours: tuple = ()

    def show(self, z, curves, at: float, colours) -> None:
        self.z, self.curves, self.at, self.colours = np.asarray(z, float), tuple(curves), float(at), tuple(colours)
        self.repaint()

    def plot_width(self, width: int | None = None) -> int:
        """Columns the curves get (the widget's, less the y labels): a caller asks 2× this many z."""
        return max(1, (self.size.width if width is None else width) - self.label_width() - 1)

    def y_range(self) -> tuple[float, float]:
        values = [v[np.isfinite(v)] for _, v in self.curves]
        values = np.concatenate(values + [np.zeros(1)]) if values else np.zeros(1)   # 0 always in view
        low, high = float(values.min()), float(values.max())
        if high - low < 1e-9:
            low, high = low - 1.0, high + 1.0
        pad = 0.05 * (high - low)
        return low - pad, high + pad

    def label_width(self) -> int:
        if not self.curves:
            return 1
        low, high = self.y_range()
        return max(len(axis_number(low)), len(axis_number(high)), 1)

    def paint(self, width: int, height: int) -> Canvas:
        canvas = Canvas(width, height)
        self.dark = self.theme_is_dark()
        if not self.curves or len(self.z) < 2 or width < 8 or height < 3:
            return canvas
        label = self.label_width()
        cols, rows = width - label - 1, height - 1          # the last row is the z axis's labels
        dots_x, dots_y = 2 * cols, 4 * rows
        low, high = self.y_range()
        z0, z1 = float(self.z[0]), float(self.z[-1])
        to_x = lambda z: (np.asarray(z, float) - z0) / (z1 - z0) * (dots_x - 1)
        to_y = lambda v: (high - np.clip(np.asarray(v, float), low, high)) / (high - low) * (dots_y - 1)
        lines, ranks = [], []

        def polyline(xs, ys, rank: int) -> None:
            ok = np.isfinite(xs) & np.isfinite(ys)
            xs, ys = xs[ok], ys[ok]
            for a in range(len(xs) - 1):
                lines.append((xs[a], ys[a], xs[a + 1], ys[a + 1]))
                ranks.append(rank)

        zero = float(to_y(0.0))
        polyline(np.array([0.0, dots_x - 1.0]), np.array([zero, zero]), 0)           # the z axis, y = 0
        marker = float(to_x(self.at))
        for y in range(0, dots_y, 2):                                                 # the marked z, dotted
            lines.append((marker, y, marker, y))
            ranks.append(1)
        xs = to_x(self.z)
        for i, (_, values) in enumerate(self.curves):
            polyline(xs, to_y(values), 2 + i)
        at_values = [float(np.interp(self.at, self.z, values)) for _, values in self.curves]
        for i, value in enumerate(at_values):                                         # a dot on each curve
            y = float(to_y(value))
            for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1), (-1, 0), (0, -1)):
                lines.append((marker + dx, y + dy, marker + dx, y + dy))
                ranks.append(2 + len(self.curves) + i)
        bits, owner = braille_lines(cols, rows, np.array(lines), np.array(ranks))
        palette = [muted(self.dark), selected(self.dark), *self.colours, *self.colours]
        styles = [style(tuple(rgb)) for rgb in palette]
        for y in range(rows):
            for x in range(cols):
                if bits[y, x]:
                    canvas.put(label + 1 + x, y, braille_char(int(bits[y, x])), styles[int(owner[y, x])])
        dim = style(muted(self.dark))
        for text, y in ((axis_number(round(high, 3)), 0), (axis_number(round(low, 3)), rows - 1)):
            canvas.text(label - len(text), y, text, dim)
        if 0 < round(zero / 4) < rows - 1:
            canvas.text(label - 1, int(zero // 4), "0", dim)
        for y in range(rows):
            canvas.put(label, y, "│", dim)
        axis, taken = height - 1, []
        column = lambda z: label + 1 + float(to_x(z)) / 2                          # a z's cell column
        ticks = [(f"z={axis_number(round(self.at, 3))}", column(self.at), style(selected(self.dark), bold=True)),
                 ("0", column(0.0), dim) if z0 < 0 < z1 else None,
                 (axis_number(round(z0, 2)), label + 1, dim), (axis_number(round(z1, 2)), width, dim)]
        for tick in filter(None, ticks):                # the marked z first; a tick that would overlap is left out
            text, centre, tick_style = tick
            start = min(max(int(round(centre - len(text) / 2)), label + 1), width - len(text))
            if all(start + len(text) + 1 <= a or b + 1 <= start for a, b in taken):
                canvas.text(start, axis, text, tick_style)
                taken.append((start, start + len(text)))
        return canvas
