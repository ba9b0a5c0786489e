"""OutputView: what the network outputs, drawn from a Snapshot.

2-D data: the decision boundary (class-1 probability) or the regression surface over the input
plane, as true-colour half-block pixels, with the training points on top (● in their label's
colour, on the surface's own colour; single pixels when the plot is too small for a glyph per
point) and the held-out points (○, or paler pixels) on a toggle; "discretize"
shows the predicted class (or the value's sign) instead of the smooth output. Axis labels give
the plane's extent. Other data: a confusion matrix (classification; the diagonal in blue) or
predictions against targets (regression; the diagonal is a perfect fit).

It paints once per snapshot, toggle, resize or theme change, and serves cached lines.
"""
import numpy as np
from textual.binding import Binding
from textual.message import Message
from textual.events import Click

from nnterm.runtime.cells import width as width_of
from nnterm.runtime.language import N_, _
from nnterm.runtime.numbers import axis_number
from nnterm.tui.widgets.canvas import Canvas, resample
from nnterm.tui.widgets.painted import PaintedView
from nnterm.tui.widgets.palette import (BLUE, ORANGE, SURFACE_STRENGTH, blend, class_pixels, label_colour, muted,
                                        neutral, point_colour, ramp_array, style)

# The splits a snapshot names (snap.split), as words to show.
SPLITS = (N_("training"), N_("validation"), N_("test"))
TRAIN_GLYPH = "●"
TEST_GLYPH = "○"
MIN_PLOT_ROWS = 3
GLYPH_DENSITY = 0.3     # at most this many points per cell are drawn as glyphs (● ○), else as pixels
PIXEL_DENSITY = 0.3     # and at most this many per pixel (evenly spaced) in a plot that small


class OutputView(PaintedView, can_focus=True):
    """The output panel. `show(snapshot)` draws it; `t` toggles test points, `z` discretizes."""

    DEFAULT_CSS = """
    OutputView { width: 1fr; height: 1fr; min-height: 4; }
    """
    BINDINGS = [
        Binding("t", "toggle_test_points", N_("Test points")),
        Binding("z", "toggle_discretize", N_("Discretize")),
        Binding("o", "next_class", N_("Class to add"), show=False),
    ]

    KEY_HELP = {       # words for the help screen (key ?), by action
        "toggle_test_points": N_("show or hide the held-out (test) points (or click the legend)"),
        "toggle_discretize": N_("show the predicted class instead of the smooth output (or click the legend)"),
        "next_class": N_("the class a click on the plane adds a training point of (ctrl+click removes the nearest)"),
    }

    def __init__(self, *, name=None, id=None, classes=None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.snapshot = None
        self.show_test = False
        self.discretize = False
        self._toggles: dict[tuple[int, int], str] = {}     # clickable legend cells → action
        self._plane = None                                  # (x0, y0, cols, rows) of the plot, when drawn
        self.add_class_index = 1                            # the class a click adds (o picks another)

    class PointEdit(Message):
        """Asks to add a training point of class `label` at (x, y) of the plane, or (remove) to
        take away the training point nearest to it."""

        def __init__(self, x: float, y: float, label: int, remove: bool) -> None:
            super().__init__()
            self.x, self.y, self.label, self.remove = x, y, label, remove

    # --- what the shell calls ------------------------------------------------------------
    def show(self, snapshot) -> None:
        self.snapshot = snapshot
        self.repaint()

    def action_toggle_test_points(self) -> None:
        self.show_test = not self.show_test
        self.repaint()

    def action_toggle_discretize(self) -> None:
        self.discretize = not self.discretize
        self.repaint()

    def action_next_class(self) -> None:
        classes = max(2, self.snapshot.n_classes) if self.snapshot is not None else 2
        self.add_class_index = (self.add_class_index + 1) % classes
        self.repaint()

    # --- Textual plumbing ------------------------------------------------------------------
    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if (offset.x, offset.y) in self._toggles:
            getattr(self, f"action_{self._toggles[(offset.x, offset.y)]}")()
            return
        snap, box = self.snapshot, self._plane
        if snap is None or box is None or not snap.n_classes:
            return
        x0, y0, cols, rows = box
        if not (x0 <= offset.x < x0 + cols and y0 <= offset.y < y0 + rows):
            return
        x_min, x_max, y_min, y_max = snap.extent                # the cell's centre, in the plane's units
        x = x_min + (offset.x - x0 + 0.5) / cols * (x_max - x_min)
        y = y_max - (offset.y - y0 + 0.5) / rows * (y_max - y_min)
        self.post_message(self.PointEdit(x, y, self.add_class_index, remove=event.ctrl))

    # --- painting ----------------------------------------------------------------------------
    def paint(self, width: int, height: int) -> Canvas:
        canvas = Canvas(width, height)
        self.dark = self.theme_is_dark()          # read once per paint: the app lookup is not free
        self._toggles = {}
        self._plane = None
        snap = self.snapshot
        text = style(muted(self.dark))
        if snap is None:
            canvas.text(0, 0, _("waiting for the first snapshot…"), text)
        elif snap.is_2d:
            self.paint_plane(canvas, snap)
        elif snap.sketch:
            canvas.text(0, 0, _("the predictions come once the kernels are loaded…"), text)
        elif snap.confusion is not None:
            self.paint_confusion(canvas, snap)
        elif snap.predictions is not None:
            self.paint_scatter(canvas, snap)
        return canvas

    def plot_box(self, canvas: Canvas, labels_left: list[str], legend_rows: int) -> tuple[int, int, int, int]:
        """(x0, y0, cols, rows) of the largest square plot (cols = 2·rows) with room for labels."""
        margin = max(len(s) for s in labels_left) + 1
        rows = min(canvas.height - 1 - legend_rows, (canvas.width - margin) // 2)
        cols = 2 * rows
        x0 = margin + max(0, (canvas.width - margin - cols) // 2)
        return x0, 0, cols, rows

    def paint_plane(self, canvas: Canvas, snap) -> None:
        dark = self.dark
        x_min, x_max, y_min, y_max = snap.extent
        legend_rows = 1 if canvas.height >= MIN_PLOT_ROWS + 2 else 0
        x0, y0, cols, rows = self.plot_box(canvas, [axis_number(y_max), axis_number(y_min)], legend_rows)
        self._plane = (x0, y0, cols, rows)
        if rows < MIN_PLOT_ROWS:
            canvas.text(0, 0, _("too small for the plot"), style(muted(dark)))
            return
        grid = snap.boundary_discrete if self.discretize else snap.boundary
        low, high = snap.output_range
        if snap.confidence is not None:                  # several classes: a colour each
            sure = np.ones_like(snap.confidence) if self.discretize else snap.confidence
            pixels = class_pixels(resample(grid, 2 * rows, cols), resample(sure, 2 * rows, cols), snap.n_classes,
                                  dark, SURFACE_STRENGTH)
        else:
            pixels = ramp_array(resample(grid, 2 * rows, cols), low, high, dark, SURFACE_STRENGTH)
        groups = [(snap.points_train, snap.labels_train, TRAIN_GLYPH)]
        if self.show_test:
            groups = [(snap.points_val, snap.labels_val, TEST_GLYPH),
                      (snap.points_test, snap.labels_test, TEST_GLYPH)] + groups
        groups = [g for g in groups if g[0] is not None and len(g[0])]
        count = sum(len(points) for points, *_rest in groups)
        as_glyphs = count <= GLYPH_DENSITY * cols * rows
        if not as_glyphs:          # a small plot: a point is one pixel, so the surface still shows
            every = max(1, int(np.ceil(count / (PIXEL_DENSITY * cols * 2 * rows))))
            for points, labels, glyph in groups:
                self.paint_point_pixels(pixels, snap, points[::every], labels[::every], glyph == TEST_GLYPH)
        canvas.image(x0, y0, pixels)
        if as_glyphs:
            for points, labels, glyph in groups:
                self.paint_points(canvas, (x0, y0, cols, rows), snap, pixels, points, labels, glyph)
        label = style(muted(dark))
        canvas.text(x0 - 1 - len(axis_number(y_max)), y0, axis_number(y_max), label)
        canvas.text(x0 - 1 - len(axis_number(y_min)), y0 + rows - 1, axis_number(y_min), label)
        below = y0 + rows
        canvas.text(x0, below, axis_number(x_min), label)
        right = axis_number(x_max)
        canvas.text(x0 + cols - len(right), below, right, label)
        names = snap.feature_names
        axes = f"{names[0]} →  {names[1]} ↑" if len(names) >= 2 else ""
        if cols - len(axis_number(x_min)) - len(right) > len(axes) + 2:
            canvas.text(x0 + (cols - len(axes)) // 2, below, axes, label)
        if legend_rows:
            self.paint_legend(canvas, below + 1, x0 - 1 - len(axis_number(y_min)), snap)

    def point_colours(self, snap, labels: np.ndarray) -> np.ndarray:
        if snap.n_classes > 2:
            return np.array([point_colour(label, snap.n_classes, self.dark) for label in labels], dtype=np.uint8
                            ).reshape(-1, 3)
        if snap.n_classes:
            return np.where((labels >= 1)[:, None], point_colour(1, snap.n_classes, self.dark),
                            point_colour(0, snap.n_classes, self.dark))
        return ramp_array(labels, *snap.output_range, self.dark)

    def paint_point_pixels(self, pixels: np.ndarray, snap, points, labels, held_out: bool) -> None:
        """Points as single pixels; held-out ones paler (toward the theme's text colour)."""
        height, width = pixels.shape[:2]
        x_min, x_max, y_min, y_max = snap.extent
        col = np.floor((points[:, 0] - x_min) / (x_max - x_min) * width).astype(int)
        row = np.floor((y_max - points[:, 1]) / (y_max - y_min) * height).astype(int)
        inside = (col >= 0) & (col < width) & (row >= 0) & (row < height)
        colours = self.point_colours(snap, np.asarray(labels)[inside]).astype(np.float64)
        if held_out:
            colours += (np.array((255.0, 255.0, 255.0) if self.dark else (0.0, 0.0, 0.0)) - colours) * 0.5
        pixels[row[inside], col[inside]] = np.rint(colours).astype(np.uint8)

    def paint_points(self, canvas, box, snap, pixels, points, labels, glyph) -> None:
        if points is None or len(points) == 0:
            return
        x0, y0, cols, rows = box
        x_min, x_max, y_min, y_max = snap.extent
        col = np.floor((points[:, 0] - x_min) / (x_max - x_min) * cols).astype(int)
        row = np.floor((y_max - points[:, 1]) / (y_max - y_min) * rows).astype(int)
        inside = (col >= 0) & (col < cols) & (row >= 0) & (row < rows)
        col, row, labels = col[inside], row[inside], np.asarray(labels)[inside]
        colours = self.point_colours(snap, labels)
        under = (pixels[2 * row, col].astype(np.int64) + pixels[2 * row + 1, col]) // 2   # the surface stays visible
        for c, r, fg, bg in zip(col.tolist(), row.tolist(), colours.tolist(), under.tolist()):
            canvas.put(x0 + c, y0 + r, glyph, style(tuple(fg), tuple(bg), bold=True))

    def paint_legend(self, canvas: Canvas, y: int, x: int, snap) -> None:
        dark = self.dark
        x = max(0, x)
        low, high = snap.output_range
        if snap.n_classes > 2:                            # a swatch per class
            names = snap.class_names or tuple(str(k) for k in range(snap.n_classes))
            for k, name in enumerate(names):
                x = canvas.text(x, y, "█", style(label_colour(k, snap.n_classes)))
                x = canvas.text(x, y, f"{name} ", style(muted(dark)))
            x = canvas.text(x, y, " ", style(muted(dark)))
        else:
            scale = _("P(class 1)") if snap.n_classes else _("value")
            x = canvas.text(x, y, axis_number(low) + " ", style(muted(dark)))
            for value in np.linspace(low, high, 6):
                x = canvas.text(x, y, "█", style(tuple(int(v) for v in ramp_array(np.array([value]), low, high, dark,
                                                                                    SURFACE_STRENGTH)[0])))
            x = canvas.text(x, y, f" {axis_number(high)} {scale}  ", style(muted(dark)))
        for key, action, label, on in (("t", "toggle_test_points", _("test points"), self.show_test),
                                       ("z", "toggle_discretize", _("discretize"), self.discretize)):
            mark = "■" if on else "□"
            start = x
            x = canvas.text(x, y, f"{mark} {label} ({key})  ", style(BLUE if on else muted(dark)))
            for cx in range(start, min(x, canvas.width)):
                self._toggles[(cx, y)] = action
        if snap.n_classes:                                    # what a click on the plane adds
            names = snap.class_names or tuple(str(k) for k in range(max(2, snap.n_classes)))
            k = self.add_class_index % len(names)
            x = canvas.text(x, y, _("click adds") + " ", style(muted(dark)))
            x = canvas.text(x, y, "●", style(point_colour(k, snap.n_classes, dark)))
            canvas.text(x, y, f" {names[k]} (o)", style(muted(dark)))

    def paint_confusion(self, canvas: Canvas, snap) -> None:
        dark = self.dark
        counts = snap.confusion
        n = counts.shape[0]
        names = list(snap.class_names) or [str(i) for i in range(n)]
        total = int(counts.sum())
        correct = int(np.trace(counts))
        title = _("confusion matrix · {split} · {correct}/{total} right · rows true, columns predicted").format(
            split=_(snap.split), correct=correct, total=total)
        canvas.text(0, 0, title, style(muted(dark)))
        label_w = min(8, max(len(s) for s in names))
        cell_w = max(len(str(int(counts.max(initial=0)))), min(4, max(len(s) for s in names))) + 1
        fits = max(1, (canvas.width - label_w - 1) // cell_w)
        shown = min(n, fits, canvas.height - 3)
        header = style(muted(dark), bold=True)
        canvas.text(0, 1, "╲"[:label_w].rjust(label_w), header)
        for j in range(shown):
            canvas.text(label_w + 1 + j * cell_w, 1, names[j][:cell_w - 1].rjust(cell_w), header)
        row_totals = counts.sum(axis=1)
        for i in range(shown):
            y = 2 + i
            canvas.text(0, y, names[i][:label_w].rjust(label_w), header)
            for j in range(shown):
                share = counts[i, j] / row_totals[i] if row_totals[i] else 0.0
                hue = BLUE if i == j else ORANGE
                bg = blend(neutral(dark), hue, share) if counts[i, j] else neutral(dark)
                fg = (255, 255, 255) if share > 0.45 or dark else (20, 20, 20)
                canvas.text(label_w + 1 + j * cell_w, y, str(int(counts[i, j])).rjust(cell_w), style(fg, bg, i == j))
        if shown < n and canvas.height > 2 + shown:
            canvas.text(0, 2 + shown, _("… {count} more classes: widen the panel").format(count=n - shown),
                        style(muted(dark)))

    def paint_scatter(self, canvas: Canvas, snap) -> None:
        """Predictions (↑) against targets (→) on a shared scale; the diagonal is a perfect fit."""
        dark = self.dark
        pred, target = snap.predictions, snap.targets
        finite = np.isfinite(pred) & np.isfinite(target)
        both = np.concatenate([pred[finite], target[finite]]) if finite.any() else np.array([0.0, 1.0])
        low, high = float(both.min()), float(both.max())
        if not high > low:
            low, high = low - 1.0, high + 1.0
        labels = [axis_number(round(high, 2)), axis_number(round(low, 2))]
        canvas.text(0, 0, _("predicted ↑ vs target → · {split}").format(split=_(snap.split)), style(muted(dark)))
        x0, _top, cols, rows = self.plot_box(canvas, labels, 2)
        y0 = 1
        if rows < MIN_PLOT_ROWS:
            return
        height = 2 * rows
        pixels = np.empty((height, cols, 3), dtype=np.uint8)
        pixels[:] = neutral(dark)
        diagonal = blend(neutral(dark), muted(dark), 0.6)
        for c in range(cols):
            pixels[height - 1 - min(height - 1, int(c * height / cols)), c] = diagonal
        span = high - low
        cx = np.clip(((target[finite] - low) / span * (cols - 1)).round().astype(int), 0, cols - 1)
        cy = np.clip(((pred[finite] - low) / span * (height - 1)).round().astype(int), 0, height - 1)
        over = pred[finite] >= target[finite]
        pixels[height - 1 - cy, cx] = np.where(over[:, None], np.array(BLUE), np.array(ORANGE))
        canvas.image(x0, y0, pixels)
        label = style(muted(dark))
        canvas.text(x0 - 1 - len(labels[0]), y0, labels[0], label)
        canvas.text(x0 - 1 - len(labels[1]), y0 + rows - 1, labels[1], label)
        canvas.text(x0, y0 + rows, labels[1], label)
        canvas.text(x0 + cols - len(labels[0]), y0 + rows, labels[0], label)
        canvas.text(x0, y0 + rows + 1, _("blue: over, orange: under · {count} pairs").format(count=int(finite.sum())),
                    label)
