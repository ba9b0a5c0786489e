"""The Loss panel: training, validation and (when the split keeps one) test loss against epoch,
drawn by plotext into this widget, with the best validation epoch marked; earlier runs stay
beside the current one, dimmed, labelled with what differed (up to MAX_RUNS).

Series are downsampled to a few points per column before drawing (docs/design.md, "Drawing"),
so a long run costs no more to draw than a short one. Click the chart (or press y) for a log scale.
"""
import time

import numpy as np
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from nnterm.engine.generalisation import best_epoch
from nnterm.engine.history import CAP as HISTORY_CAP
from nnterm.engine.history import thin_positions
from nnterm.runtime import cells
from nnterm.runtime.language import _
from nnterm.tui.widgets.palette import BLUE, GREEN, ORANGE, blend, hex_colour, neutral
from nnterm.tui.widgets.series import POINTS_PER_COLUMN, draw_series, whole_ticks

REDRAW_INTERVAL = 0.25           # seconds: plotext takes ~10 ms, so the live chart redraws ≤ 4 times a second
                                 # (times `stretch`, which the playground's paint budget sets)
TRAIN_COLOR = BLUE               # the playground's one palette: blue for training,
VAL_COLOR = ORANGE               # orange for the held-out validation split,
TEST_COLOR = GREEN               # green for the test split
BEST_COLOR = (200, 200, 200)     # the best validation epoch's mark
DIM = 0.65                       # how far an earlier run's colours fade toward the background
MAX_RUNS = 5                     # earlier runs kept beside the current one
TITLE_FRAME = 7                  # the border's corners, dashes and spaces around its title, and the cut's "…"


class LossChart(Widget):
    log_scale = reactive(False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.epochs: list[int] = []
        self.train: list[float] = []
        self.val: list[float] = []
        self.test: list[float] = []
        self.runs: list[tuple[str, list, list, list]] = []   # earlier runs: (label, epochs, train, val)
        self.title_has_test = False
        self.redraw_timer = None
        self.last_redraw = 0.0
        self.stretch = 1.0
        self.update_title()

    def clear(self) -> None:
        self.epochs, self.train, self.val, self.test = [], [], [], []
        self.refresh()

    def keep_run(self, label: str) -> None:
        """The current curves become an earlier run, labelled `label` (what it did differently)."""
        if self.epochs:
            self.runs = (self.runs + [(label, self.epochs, self.train, self.val)])[-MAX_RUNS:]
            self.update_title()

    def clear_runs(self) -> None:
        self.runs = []
        self.update_title()
        self.refresh()

    def add(self, reports) -> None:
        """Appends epochs after the last one shown (a report already loaded from history is skipped)."""
        for r in reports:
            if self.epochs and r.epoch <= self.epochs[-1]:
                continue
            self.epochs.append(r.epoch)
            self.train.append(r.train_loss)
            self.val.append(r.val_loss)
            self.test.append(r.test_loss)
        if reports and not self.title_has_test and reports[-1].test_loss == reports[-1].test_loss:
            self.update_title()                    # the first test loss: the legend names it
        if len(self.epochs) > HISTORY_CAP:          # thinned as the trainer's history is: bounded memory
            keep = thin_positions(len(self.epochs))
            self.epochs, self.train, self.val, self.test = (
                [values[i] for i in keep] for values in (self.epochs, self.train, self.val, self.test))
        if self.redraw_timer is None:              # a redraw is already coming: it will show these too
            wait = self.last_redraw + REDRAW_INTERVAL * self.stretch - time.monotonic()
            self.redraw_timer = self.set_timer(max(wait, 0.01), self.redraw)   # a 0 s Timer divides by zero

    def redraw(self) -> None:
        self.redraw_timer = None
        self.last_redraw = time.monotonic()
        self.update_subtitle()                     # here, at the redraw's pace, not at every epoch's report
        self.refresh()

    def load(self, history) -> None:
        self.epochs, self.train, self.val, self.test = [], [], [], []
        self.add(history)
        self.update_title()

    def watch_log_scale(self) -> None:
        self.update_title()

    def update_title(self) -> None:
        """The legend in the border, whole: where the chart is too narrow for "Loss ━ train ━ val
        ━ test" (26 columns at 80×24) the word Loss goes first, then the spaces after each swatch;
        the earlier runs' labels follow and may be cut, the legend never."""
        self.title_has_test = any(v == v for v in self.test)           # v == v: not NaN
        names = [(TRAIN_COLOR, _("train")), (VAL_COLOR, _("val"))] + ([(TEST_COLOR, _("test"))] if self.title_has_test else [])
        room = self.size.width - TITLE_FRAME if self.size.width else None
        for word, gap in ((_("Loss") + " ", " "), ("", " "), ("", "")):
            plain = word + " ".join(f"━{gap}{name}" for _rgb, name in names)
            if room is None or len(plain) <= room:
                break
        legend = word + " ".join(f"[{hex_colour(rgb)}]━[/]{gap}{name}" for rgb, name in names)
        runs = (" ┄ " + _("earlier: {runs}").format(runs=" · ".join(label for label, *_rest in self.runs))) if self.runs else ""
        self.border_title = legend + runs
        self.update_subtitle()

    def best_mark(self) -> int | None:
        """The best validation epoch, once it is behind: where the chart draws its mark."""
        best = best_epoch(self.epochs, self.train, self.val)
        return best.epoch if best is not None and best.epoch < self.epochs[-1] else None

    def update_subtitle(self) -> None:
        """The scale, and what the mark is whenever it is drawn (a learner took it for a curve): the
        mark's words first where both do not fit, shorter ones on a narrow chart."""
        scale = _("log · click") if self.log_scale else _("linear · click")
        mark = self.best_mark()
        if mark is None:
            self.border_subtitle = scale
            return
        room = self.size.width - TITLE_FRAME if self.size.width else None
        said = [_("best val_loss: epoch {epoch}").format(epoch=mark), _("best val: {epoch}").format(epoch=mark)]
        options = [f"{said[0]} · {scale}", said[0], said[1]]
        words = next((o for o in options if room is None or cells.width("┃ " + o) <= room), said[1])
        self.border_subtitle = f"[{hex_colour(BEST_COLOR)}]┃[/] {words}"

    def on_resize(self) -> None:
        self.update_title()

    def on_click(self) -> None:
        self.log_scale = not self.log_scale
        self.refresh()

    def render(self) -> Text:
        width, height = self.content_size
        if not self.epochs:
            return Text(_("the loss appears here as the network trains"), style="dim", justify="center")
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
        background = neutral(self.app.current_theme.dark)
        for _label, run_epochs, train, val in self.runs:      # earlier runs first, so the current one is on top
            for values, color in ((train, TRAIN_COLOR), (val, VAL_COLOR)):
                draw_series(fig, run_epochs, values, blend(color, background, DIM), self.log_scale, most)
        for values, color in ((self.test, TEST_COLOR), (self.val, VAL_COLOR), (self.train, TRAIN_COLOR)):
            draw_series(fig, epochs, values, color, self.log_scale, most)     # training last: on top
        mark = self.best_mark()
        if mark is not None:                               # a tick at the best validation epoch
            low, high = self.value_range()
            draw_series(fig, [mark, mark], [low, high], BEST_COLOR, self.log_scale, most)
        if self.log_scale:
            fig.ruler(axis="y").scale("log")
        first = min([epochs[0]] + [run[1][0] for run in self.runs])
        last = max([epochs[-1]] + [run[1][-1] for run in self.runs])
        ticks = whole_ticks(int(first), int(last), max(2, width // 10))
        fig.ruler(axis="x").ticks(ticks, [str(t) for t in ticks])
        return fig.build().string()

    def value_range(self) -> tuple[float, float]:
        """The finite (and, on a log scale, positive) losses shown, lowest and highest."""
        values = np.asarray(self.train + self.val + self.test, dtype=float)
        values = values[np.isfinite(values) & ((values > 0) if self.log_scale else True)]
        return (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
