"""The Loss panel: train and validation loss against epoch, drawn by plotext into this widget.

Series are downsampled to a few points per column before drawing (docs/design.md, "Drawing"), so a long run
costs no more to draw than a short one. Click the chart (or press y) for a log scale.
"""
import time

import numpy as np
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from nnterm.tui.widgets.palette import BLUE, ORANGE, hex_colour
from nnterm.tui.widgets.series import POINTS_PER_COLUMN, draw_series

REDRAW_INTERVAL = 0.25           # seconds: plotext takes ~10 ms, so the live chart redraws ≤ 4 times a second
                                 # (times `stretch`, which the playground's paint budget sets)
TRAIN_COLOR = BLUE               # the playground's one palette: blue for training,
VAL_COLOR = ORANGE               # orange for the held-out validation split


def epoch_ticks(first: int, last: int, most: int) -> list[int]:
    """Whole epochs for the x axis: at most `most`, first and last included."""
    if last <= first:
        return [first]
    return sorted({int(round(t)) for t in np.linspace(first, last, min(most, last - first + 1))})


class LossChart(Widget):
    log_scale = reactive(False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.epochs: list[int] = []
        self.train: list[float] = []
        self.val: list[float] = []
        self.redraw_timer = None
        self.last_redraw = 0.0
        self.stretch = 1.0
        self.update_title()

    def clear(self) -> None:
        self.epochs, self.train, self.val = [], [], []
        self.refresh()

    def add(self, reports) -> None:
        """Appends epochs after the last one shown (a report already loaded from history is skipped)."""
        for r in reports:
            if self.epochs and r.epoch <= self.epochs[-1]:
                continue
            self.epochs.append(r.epoch)
            self.train.append(r.train_loss)
            self.val.append(r.val_loss)
        if self.redraw_timer is None:              # a redraw is already coming: it will show these too
            wait = self.last_redraw + REDRAW_INTERVAL * self.stretch - time.monotonic()
            self.redraw_timer = self.set_timer(max(wait, 0.01), self.redraw)   # a 0 s Timer divides by zero

    def redraw(self) -> None:
        self.redraw_timer = None
        self.last_redraw = time.monotonic()
        self.refresh()

    def load(self, history) -> None:
        self.epochs, self.train, self.val = [], [], []
        self.add(history)

    def watch_log_scale(self) -> None:
        self.update_title()

    def update_title(self) -> None:
        self.border_title = (f"Loss  [{hex_colour(TRAIN_COLOR)}]━[/] train  [{hex_colour(VAL_COLOR)}]━[/] val")
        self.border_subtitle = "log · click" if self.log_scale else "linear · click"

    def on_click(self) -> None:
        self.log_scale = not self.log_scale
        self.refresh()

    def render(self) -> Text:
        width, height = self.content_size
        if not self.epochs:
            return Text("the loss appears here as the network trains", style="dim", justify="center")
        if width < 12 or height < 4:
            return Text("")
        return Text.from_ansi(self.plot(width, height), no_wrap=True)

    def plot(self, width: int, height: int) -> str:
        import plotext                             # here, not at load: the first frame (no epochs yet) skips its 0.1 s import
        fig = plotext.figure
        fig.clear()
        fig.plot_size(width, height)
        fig.theme("simple")
        fig.legend(False)
        epochs = np.asarray(self.epochs, dtype=float)
        most = max(2, POINTS_PER_COLUMN * width)
        for values, color in ((self.train, TRAIN_COLOR), (self.val, VAL_COLOR)):
            draw_series(fig, epochs, values, color, self.log_scale, most)
        if self.log_scale:
            fig.ruler(axis="y").scale("log")
        ticks = epoch_ticks(int(epochs[0]), int(epochs[-1]), max(2, width // 10))
        fig.ruler(axis="x").ticks(ticks, [str(t) for t in ticks])
        return fig.build().string()
