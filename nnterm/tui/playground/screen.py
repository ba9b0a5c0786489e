"""The main screen: data and training controls, the network, its output, the loss, the status line.

Every control calls one of the session's verbs (nnterm/session/session.py) and shows the
Change it returns: data and architecture changes rebuild the trainer (pausing first, and
saying so); training settings reach the trainer between two epochs and a running session goes
on. What the session's threads report, the app routes here (show_epoch, show_snapshot, …).
"""
import importlib
import time

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Select, Static

from nnterm.engine.generalisation import overfitting
from nnterm.presets.compare import differences
from nnterm.presets.edits import regularization
from nnterm.runtime.visible import visible
from nnterm.tui.playground.about_panel import AboutPanel
from nnterm.tui.playground.data_panel import DataPanel, feature_id
from nnterm.tui.widgets.fields import NumberSelect
from nnterm.tui.playground.loss_chart import LossChart
from nnterm.tui.playground.paint_budget import PaintBudget
from nnterm.tui.playground.status_line import StatusLine
from nnterm.tui.playground.training_panel import TrainingPanel
from nnterm.tui.playground.views import make_network_view, make_output_view
from nnterm.tui.teaching import KERNEL_GROUPS, SCREENS
from nnterm.presets.spec import FEATURES

MIN_WIDTH, MIN_HEIGHT = 80, 24
COMPILING = "the kernels, the first time only (they are cached); keys work meanwhile"   # after "◌ compiling"
# While training, a part repaints at most once per this many seconds, times the paint budget's
# stretch (nnterm/tui/playground/paint_budget.py): the output (the decision boundary) 10 times a second,
# the network (a heatmap per neuron, costlier to paint) 4 times, and the numbers 5 — faster
# than anyone reads them, and each is a frame of its own (see update_parts).
REPAINT_INTERVALS = {"numbers": 0.2, "output-view": 0.1, "network-view": 0.25}
ABOUT_MIN_HEIGHT = 34           # shorter terminals keep every row for the controls
EXTRA_KEYS_IN_FOOTER = 140       # narrower terminals list the extra screens in help and the palette

# Which preset field each number control sets: data fields rebuild the trainer (new data and
# weights), training fields retune it (the weights stay; a running session goes on).
DATA_NUMBERS = {"noise": "noise", "train-fraction": "train_fraction", "test-fraction": "test_fraction"}
TRAINING_NUMBERS = {"batch-size": "batch_size", "learning-rate": "learning_rate", "epochs": "epochs",
                    "patience": "patience", "min-delta": "min_delta"}
NUMBER_NAMES = {"noise": "noise", "train-fraction": "training fraction", "test-fraction": "test fraction",
                "batch-size": "batch size", "learning-rate": "learning rate", "epochs": "epoch budget",
                "regularization-rate": "regularisation rate", "patience": "early-stopping patience",
                "min-delta": "early-stopping minimum improvement"}
RUN_LABEL_PARTS = 3              # a compared run's label names at most this many differences


class PlaygroundScreen(Screen):
    # Arrows pick neurons and a adds a layer from the start. Named here rather than focused in
    # on_mount: Textual would first focus the first Select, then restyle everything twice.
    AUTO_FOCUS = "#network-view"
    BINDINGS = [
        Binding("space", "play_pause", "Play", key_display="space", priority=True),
        Binding("n", "step", "Step"),
        Binding("r", "reset", "Reset"),
        Binding("p", "presets", "Presets"),
        Binding("s", "save", "Save"),
        Binding("m", "summary", "Model", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("L", "lessons", "Lessons", show=False),
        Binding("y", "log_scale", "Log loss", show=False),
        Binding("k", "clear_runs", "Clear runs", show=False),
        Binding("v", "metrics", "Metrics", show=False),
        Binding("j", "digits", "Digits", show=False),
        Binding("w", "save_weights", "Save weights", show=False),
        Binding("W", "load_weights", "Load weights", show=False),
        Binding("c", "share", "Share", show=False),
        Binding("e", "save_screen", "Screenshot", show=False),
        Binding("h", "save_history", "History CSV", show=False),
        Binding("X", "explain", "Explain", show=False),
        Binding("q", "quit", "Quit"),
    ]

    # What each key does, in the help screen's words.
    KEY_HELP = {
        "play_pause": "play or pause training (up to the epoch budget; once it is spent, another as much)",
        "step": "train one epoch",
        "reset": "re-initialise the weights (same seed: the same start), back to epoch 0",
        "presets": "load a bundled or saved preset",
        "save": "save the current setup as a preset TOML",
        "summary": "model summary: layers, shapes, parameters, data and training",
        "help": "this help",
        "lessons": "the lesson track (nnterm learn): the open lesson where it was, else the list of lessons",
        "log_scale": "loss chart: linear or log scale",
        "clear_runs": "loss chart: forget the earlier runs kept beside the current one",
        "metrics": "metrics on the validation split (t: test, training): accuracy, precision, recall, F1, "
                   "confusion matrix, ROC curve; RMSE, MAE, R²",
        "digits": "digits data: the 8×8 images with the probability of each class, the mistakes first",
        "save_weights": "save the trained weights (a safetensors file, as `nnterm train --save` writes)",
        "load_weights": "load a weight file: resume it, or start from its weights (refused when they do not fit)",
        "share": "share: the one command line that rebuilds this setup (copied to the clipboard where the terminal allows)",
        "save_screen": "save the screen as an SVG file in the working folder (else $NNTERM_HOME/screenshots)",
        "explain": "explain a number (the status line's, the selected unit's or weight's) or a term: its formula "
                   "with the real numbers (or click a status field; double-click a unit or link)",
        "save_history": "save the loss history as CSV, a row per epoch, in the working folder (else $NNTERM_HOME/history)",
        "quit": "quit (training stops first)",
    }

    def __init__(self, session, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.run_preset = session.preset            # what the chart's current curves were trained with
        self.overfitting_said = None                # the best epoch the overfitting sentence was said for
        self.extra_open = ""                        # the title of the teaching screen on top, if one is
        self.latest_snapshot = None
        self.latest_report = None
        self.stale_parts: set[str] = set()          # parts with something newer than they show
        self.part_shown_at: dict[str, float] = {}
        self.part_timer = None
        self.budget = PaintBudget()
        self.extra_keys_shown = None
        self.bind_extra_screens(show=False)

    def bind_extra_screens(self, show: bool) -> None:
        """Binds i, l, g, d; `show` lists them in the footer. Footer keys change only when `show`
        does: every binding refresh recomposes the whole footer (about 40 ms of the UI thread)."""
        if show == self.extra_keys_shown:
            return
        was, self.extra_keys_shown = self.extra_keys_shown, show
        for key, (title, _target) in SCREENS.items():
            self._bindings.key_to_bindings[key] = [Binding(key, f"open_screen('{key}')", title, show=show)]
        if was is not None:
            self.refresh_bindings()

    @property
    def active_bindings(self):
        """The playground's own keys first, so a narrow footer keeps them when a view's keys join."""
        bindings = super().active_bindings
        mine = {key: b for key, b in bindings.items() if b.node is self}
        return mine | {key: b for key, b in bindings.items() if key not in mine}

    @property
    def trainer(self):
        return self.session.trainer

    def compose(self) -> ComposeResult:
        preset = self.session.preset
        self.bind_extra_screens(show=self.app.size.width >= EXTRA_KEYS_IN_FOOTER)   # before the footer first draws
        # Kept, not queried: a DOM query walks every widget (~1 ms each), and these are touched
        # on every epoch the training thread delivers.
        self.views = (make_network_view(), make_output_view())
        self.loss_chart = LossChart(id="loss-chart", classes="panel")
        self.status = StatusLine(id="status")
        with Horizontal(id="body"):
            with VerticalScroll(id="controls"):
                yield DataPanel(preset, id="data-panel", classes="panel")
                yield TrainingPanel(preset, id="training-panel", classes="panel")
                yield AboutPanel(id="about", classes="panel")
            yield self.views[0]
            with Vertical(id="right"):
                yield self.views[1]
                yield self.loss_chart
        yield self.status
        yield Static("", id="too-small")
        yield Footer()

    def on_mount(self) -> None:
        self.show_trainer(self.trainer)
        self.session.start()               # its report needs these widgets: they exist now
        if self.session.kernels_ready:
            self.introduce()
        else:
            self.say(COMPILING)

    def introduce(self) -> None:
        preset = self.session.preset
        self.say(f"{preset.name}: {preset.description}" if preset.description else f"preset {preset.name}")

    def on_screen_resume(self) -> None:
        """Back on top: after an extra screen (dismissed or popped), catch up with the trainer."""
        if self.extra_open:
            title, self.extra_open = self.extra_open, ""
            self.show_trainer(self.trainer)      # a teaching screen may have trained or edited weights
            self.session.snapshot()
            self.say(f"back from the {title} · epoch {self.trainer.epoch}")

    def on_resize(self) -> None:
        width, height = self.size
        self.bind_extra_screens(show=width >= EXTRA_KEYS_IN_FOOTER)
        self.query_one(AboutPanel).display = height >= ABOUT_MIN_HEIGHT
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.set_class(small, "too-small")
        if small:
            self.query_one("#too-small", Static).update(
                f"nnterm needs a terminal of at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {width}×{height}.\n\n"
                "Please make the window larger — training carries on meanwhile.\nPress q to quit.")

    # --- what the app calls --------------------------------------------------------------
    def say(self, text: str, error: bool = False) -> None:
        """One line in the status bar; errors also as a notification. The sentence may quote a file's
        strings (a preset's name, a CSV header, a path): every hidden character is shown escaped."""
        text = visible(text)
        self.status.say(text, error)
        if error:
            self.notify(text, severity="error", timeout=8)

    def show_change(self, change) -> None:
        """What a session verb did: its sentence, and the controls and numbers now in force (the
        old ones again, when it was refused)."""
        if change.paused:
            self.status.state = "paused"
        self.show_trainer(self.trainer, rebuilt=change.rebuilt)
        self.say(change.said, error=change.error)

    def show_trainer(self, trainer, rebuilt: bool = False) -> None:
        """The controls and numbers of this trainer (after a load, rebuild, reset or retune)."""
        preset = self.session.preset
        self.query_one(DataPanel).show(preset)
        self.query_one(TrainingPanel).show(preset)
        self.query_one(AboutPanel).show(trainer)
        chart = self.loss_chart
        if rebuilt:
            self.keep_run(preset)
        if rebuilt or (not self.session.training and chart.epochs != [r.epoch for r in trainer.history]):
            chart.load(trainer.history)                  # e.g. epochs trained inside the inspector
        if rebuilt:
            self.run_preset = preset
        if rebuilt:
            if self.part_timer is not None:             # a frame of the old network must not follow
                self.part_timer.stop()
                self.part_timer = None
            self.latest_snapshot, self.stale_parts = None, set()
        self.show_numbers(trainer.history[-1] if trainer.history else None)
        if not self.session.kernels_ready:
            self.status.state = "compiling"
        elif not self.session.training and self.status.state != "diverged":
            self.status.state = "paused"
        elif rebuilt:
            self.status.state = "paused"

    def show_numbers(self, report) -> None:
        self.latest_report = report
        t = self.trainer
        if self.status.loss_name != self.session.preset.loss:
            self.status.describe_loss(self.session.preset.loss)
        self.status.show(t.epoch, self.session.preset.training.epochs, report, self.session.epochs_per_second,
                         t.backend.name, t.data.task)

    def show_epoch(self, message) -> None:
        """A delivery from the training thread: the chart takes every report; the numbers and
        views repaint when due (see REPAINT_INTERVALS and the paint budget)."""
        self.loss_chart.add(message.reports)
        self.loss_chart.stretch = self.budget.observe()
        self.latest_report = message.report
        self.stale_parts.add("numbers")
        if message.snapshot is not None:
            self.latest_snapshot = message.snapshot
            self.stale_parts.update(view.id for view in self.views)
        self.update_parts()

    def show_snapshot(self, snapshot) -> None:
        """Every view shows this snapshot now (after a rebuild, an edit, a step)."""
        self.latest_snapshot = snapshot
        self.stale_parts.update(view.id for view in self.views)
        self.update_parts(force=True)

    def parts_due(self) -> None:
        self.part_timer = None
        self.update_parts()

    def update_parts(self, force: bool = False) -> None:
        """Repaints each stale part whose interval has passed (all of them if `force`); a timer
        comes back for the rest, so the latest state always reaches the screen."""
        now, wait = time.monotonic(), None
        for name in sorted(self.stale_parts):
            due = self.part_shown_at.get(name, 0.0) + REPAINT_INTERVALS.get(name, 0.1) * self.budget.stretch - now
            if not (force or due <= 0):
                wait = due if wait is None else min(wait, due)
                continue
            if name == "numbers":
                # In the next frame, not this one: Textual repaints the bounding box of all that
                # changed in a frame, and the full-width status line with the output view spans
                # the whole screen, every control included; apart they are two small repaints.
                self.call_after_refresh(self.show_latest_numbers)
            elif self.latest_snapshot is not None:
                self.query_view(name).show(self.latest_snapshot)
            self.part_shown_at[name] = now
            self.stale_parts.discard(name)
        if wait is not None and self.part_timer is None:
            self.part_timer = self.set_timer(max(wait, 0.01), self.parts_due)   # a 0 s Timer divides by zero

    def show_latest_numbers(self) -> None:
        self.show_numbers(self.latest_report)
        self.say_overfitting()

    def say_overfitting(self) -> None:
        """Names overfitting once, when the validation loss has risen for a while as the
        training loss falls (nnterm/engine/generalisation.py defines it)."""
        chart = self.loss_chart
        found = overfitting(chart.epochs, chart.train, chart.val)
        if found is not None and found.best.epoch != self.overfitting_said:
            self.overfitting_said = found.best.epoch
            self.say(found.sentence())

    def keep_run(self, preset) -> None:
        """A new run on the same data: the curves so far stay on the chart, dimmed, labelled with
        what they did differently; on other data they would not compare, and go."""
        chart = self.loss_chart
        old = self.run_preset
        if old.data.kind != preset.data.kind or old.data.path != preset.data.path:
            chart.runs = []
            return
        said = differences(old, preset)[:RUN_LABEL_PARTS]
        chart.keep_run(", ".join(said) if said else f"run {len(chart.runs) + 1}")
        self.overfitting_said = None

    def query_view(self, name: str):
        return next(view for view in self.views if view.id == name)

    def show_stopped(self, message) -> None:
        self.stale_parts.discard("numbers")              # shown below, with the final state
        self.update_parts(force=True)                    # the final state, at once
        self.status.state = "diverged" if message.diverged else "paused"
        self.show_numbers(self.trainer.history[-1] if self.trainer.history else None)
        chart = self.loss_chart
        found = None if message.diverged or message.failed else overfitting(chart.epochs, chart.train, chart.val)
        if found is not None:
            self.overfitting_said = found.best.epoch      # said here, with the stop: not again
        self.say(message.reason + (f"; {found.sentence()}" if found else ""), error=message.diverged or message.failed)

    def kernels_ready(self, seconds: float, error: str) -> None:
        if error:
            self.say(f"the kernels could not be prepared: {error}", error=True)
        if self.status.state == "compiling":
            self.status.state = "training" if self.session.training else "paused"
        if not error and self.status.message == COMPILING:
            self.introduce()

    # --- keys ----------------------------------------------------------------------------
    def action_play_pause(self) -> None:
        if self.session.training:
            self.session.pause()
            self.status.state = "paused"
            self.say(f"paused at epoch {self.trainer.epoch}")
            return
        self.start(None)

    def action_step(self) -> None:
        if self.session.training:
            self.action_play_pause()
            return
        self.start(1)

    def start(self, epochs: int | None) -> None:
        change = self.session.play(epochs)
        self.run_preset = self.session.preset            # what the chart's curves are trained with
        self.show_trainer(self.trainer)                  # the budget may have been raised
        if self.session.training:
            self.status.state = "training"
        self.say(change.said + (" — space pauses" if self.session.training and epochs != 1 else ""), error=change.error)

    def action_reset(self) -> None:
        self.show_change(self.session.reset())

    def action_presets(self) -> None:
        from nnterm.tui.dialogs.preset_picker import PresetPicker
        self.app.push_screen(PresetPicker(self.session.preset.name), self.load_preset)

    def load_preset(self, name: str | None) -> None:
        if name:
            self.show_change(self.session.load_preset(name))

    def action_save(self) -> None:
        from nnterm.tui.dialogs.save_dialog import SaveDialog
        self.app.push_screen(SaveDialog(self.session.preset), self.saved)

    def saved(self, path) -> None:
        if path:
            self.say(f"saved the setup to {path} — p loads it back")

    def action_summary(self) -> None:
        from nnterm.tui.dialogs.summary_screen import SummaryScreen
        self.app.push_screen(SummaryScreen(self.trainer))

    def action_metrics(self) -> None:
        from nnterm.tui.dialogs.metrics_screen import MetricsScreen
        self.session.pause()                      # the figures are of one set of weights
        self.app.push_screen(MetricsScreen(self.trainer))

    def action_digits(self) -> None:
        if self.session.preset.data.kind != "digits":
            self.say("j shows the images of the digits data: load the digits preset (p) or pick digits in the Data panel")
            return
        from nnterm.tui.dialogs.digits_screen import DigitsScreen
        self.session.pause()
        self.app.push_screen(DigitsScreen(self.trainer))

    def action_help(self) -> None:
        from nnterm.tui.dialogs.help_screen import HelpScreen
        self.app.push_screen(HelpScreen(self))

    def action_lessons(self) -> None:
        from nnterm.tui.lessons.opening import open_lessons
        self.session.pause()
        open_lessons(self.app)

    # --- explaining a number (key X, a click on the status line, a double-click in the network) ----
    def action_explain(self) -> None:
        from nnterm.tui.dialogs.explain_screen import picker_of
        self.pause_to_explain()
        self.when_explainable(lambda: picker_of(self))

    def when_explainable(self, open_screen) -> None:
        """Pushes open_screen() once the kernels an explanation calls are loaded — behind the
        compiling screen until then, so none of them compiles on the UI thread."""
        from nnterm.tui.teaching import EXPLAIN_GROUP
        warm_up = self.session.warm_up
        if warm_up is not None and not warm_up.ready(EXPLAIN_GROUP):
            from nnterm.tui.teaching.compiling import CompilingScreen
            self.app.push_screen(CompilingScreen("Explain", EXPLAIN_GROUP, warm_up, open_screen))
            return
        screen = open_screen()
        if screen is not None:
            self.app.push_screen(screen)

    def explainables(self):
        from nnterm.tui.playground.explainables import playground_items
        return playground_items(self)

    def explained_terms(self):
        from nnterm.tui.playground.explainables import NETWORK_TERMS, STATUS_TERMS
        preset = self.session.preset
        return (*STATUS_TERMS, preset.loss, preset.training.optimizer, *NETWORK_TERMS, "overfitting", "early stopping")

    def pause_to_explain(self) -> None:
        """The numbers explained are of one set of weights: training pauses for them."""
        if self.session.training:
            self.session.pause()
            self.say(f"paused at epoch {self.trainer.epoch} to explain")

    def on_status_line_explain_field(self, message) -> None:
        from nnterm.teach.glossary import TERMS
        from nnterm.tui.dialogs.explain_screen import ExplainScreen, term_explanation
        from nnterm.tui.playground.explainables import status_items
        self.pause_to_explain()
        found = [item for item in status_items(self) if item.key == message.field]
        term = message.field.removeprefix("val_")
        if found:
            self.when_explainable(lambda: ExplainScreen(build=found[0].build))
        elif term in TERMS:                        # epoch, backend, r²: a term, not a formula
            self.app.push_screen(ExplainScreen(term_explanation(term)))

    def on_network_view_explain_asked(self, message) -> None:
        from nnterm.tui.dialogs.explain_screen import ExplainScreen
        from nnterm.tui.playground import explainables
        self.pause_to_explain()
        if message.source is None:
            build = lambda: explainables.unit_explanation(self, message.column, message.unit)
        else:
            build = lambda: explainables.weight_explanation(self, message.column - 1, message.source, message.unit)
        self.when_explainable(lambda: ExplainScreen(build=build))

    def action_log_scale(self) -> None:
        chart = self.loss_chart
        chart.log_scale = not chart.log_scale
        chart.refresh()

    def action_save_weights(self) -> None:
        from nnterm.tui.dialogs.path_prompt import PathPrompt
        name = f"{self.session.preset.name}.safetensors"
        self.app.push_screen(PathPrompt("Save the trained weights", "File (in the folder nnterm runs in, or a path):", name,
                                        "weights, optimizer state and the setup; `nnterm eval --load FILE` reads it"),
                             lambda path: path and self.show_change(self.session.save_weights(path)))

    def action_load_weights(self) -> None:
        from nnterm.tui.dialogs.path_prompt import PathPrompt
        self.app.push_screen(PathPrompt("Load a weight file", "File:", f"{self.session.preset.name}.safetensors",
                                        "saved by this setup: training goes on where it stopped"),
                             lambda path: path and self.show_change(self.session.load_weights(path)))

    def action_clear_runs(self) -> None:
        kept = len(self.loss_chart.runs)
        self.loss_chart.clear_runs()
        self.say(f"forgot {kept} earlier run{'s' if kept != 1 else ''}" if kept else "no earlier runs to forget")

    def action_share(self) -> None:
        from nnterm.errors import NntermError
        from nnterm.presets.share import share_line
        from nnterm.tui.dialogs.share_dialog import ShareDialog
        try:
            line = share_line(self.session.preset)
        except NntermError as err:
            self.say(str(err), error=True)
            return
        self.app.copy_to_clipboard(line)
        self.app.push_screen(ShareDialog(line))
        self.say(f"share: {line}")

    def action_save_screen(self) -> None:
        """e (and Textual's "Screenshot" command): in a browser (nnterm serve) the browser downloads
        it; in a terminal it is written to a file (nnterm/tui/playground/saving.py)."""
        if self.app.is_web:
            self.app.deliver_screenshot(filename=f"nnterm-{self.session.preset.name}.svg")
            self.say("screenshot sent to the browser as a download")
            return
        from nnterm.tui.playground.saving import save_screen_svg
        try:
            path = save_screen_svg(self.app, self.session.preset.name)
        except OSError as err:
            self.say(f"could not save the screen: {err.strerror or err}", error=True)
            return
        self.say(f"saved the screen to {path}")

    def action_save_history(self) -> None:
        if not self.trainer.history:
            self.say("no epochs yet: train first (space), then h saves the loss history")
            return
        from nnterm.tui.playground.saving import save_history_csv
        try:
            path = save_history_csv(self.trainer)
        except OSError as err:
            self.say(f"could not save the loss history: {err.strerror or err}", error=True)
            return
        self.say(f"saved the loss history ({self.trainer.history[-1].epoch} epochs) to {path}")

    def action_quit(self) -> None:
        self.app.action_quit()

    def action_open_screen(self, key: str) -> None:
        """i, l, g, d: a teaching screen on the trainer, training paused meanwhile."""
        title, target = SCREENS[key]
        module, _, name = target.partition(":")
        try:
            screen_class = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError) as err:
            self.say(f"cannot open the {title}: {err}", error=True)
            return
        self.session.pause()
        self.extra_open = title                     # on_screen_resume catches up when it is gone
        warm_up, group = self.session.warm_up, KERNEL_GROUPS.get(key)
        if warm_up is not None and group is not None and not warm_up.ready(group):
            from nnterm.tui.teaching.compiling import CompilingScreen
            trainer = self.trainer
            self.app.push_screen(CompilingScreen(title, group, warm_up, lambda: screen_class(trainer)))
            return
        self.app.push_screen(screen_class(self.trainer))

    # --- controls: each one verb of the session ------------------------------------------------
    @on(Select.Changed)
    def select_changed(self, event: Select.Changed) -> None:
        name, value = event.select.id, event.value
        preset = self.session.preset
        current = {"data-kind": preset.data.kind, "optimizer": preset.training.optimizer,
                   "loss": preset.training.loss, "regularization": regularization(preset)[0],
                   "early-stopping": preset.training.early_stopping}
        if value == Select.BLANK or current.get(name) == value:     # shown, not chosen
            return
        if name == "data-kind":
            self.show_change(self.session.set_data_kind(value))
        elif name == "optimizer":
            self.show_change(self.session.set_optimizer(value))
        elif name == "loss":
            self.show_change(self.session.set_loss(value))
        elif name == "regularization":
            rate = self.query_one("#regularization-rate", NumberSelect).number
            self.show_change(self.session.set_regularization(value, rate))
        elif name == "early-stopping":
            self.show_change(self.session.set_training(f"early stopping {'on' if value else 'off'}", early_stopping=value))

    @on(NumberSelect.Picked)
    def number_picked(self, event: NumberSelect.Picked) -> None:
        name, value = event.select.id, event.value
        what = f"{NUMBER_NAMES.get(name, name)} {event.select.fmt(value)}"
        if name in DATA_NUMBERS:
            self.show_change(self.session.set_data(what, **{DATA_NUMBERS[name]: value}))
        elif name in TRAINING_NUMBERS:
            self.show_change(self.session.set_training(what, **{TRAINING_NUMBERS[name]: value}))
        elif name == "regularization-rate":
            kind = self.query_one("#regularization", Select).value
            self.show_change(self.session.set_regularization(kind, value))

    @on(Checkbox.Changed)
    def feature_toggled(self, event: Checkbox.Changed) -> None:
        names = {feature_id(f): f for f in FEATURES}
        feature = names.get(event.checkbox.id)
        if feature is not None:
            self.show_change(self.session.toggle_feature(feature))

    @on(Button.Pressed, "#regenerate")
    def regenerate(self) -> None:
        self.show_change(self.session.regenerate())

    # --- the network view's requests ---------------------------------------------------------
    def on_network_view_architecture_edit(self, event) -> None:
        event.stop()
        self.show_change(self.session.edit_network(event.edit))

    def on_output_view_point_edit(self, event) -> None:
        event.stop()
        if event.remove:
            self.show_change(self.session.remove_point(event.x, event.y))
        else:
            self.show_change(self.session.add_point(event.x, event.y, event.label))

    def on_network_view_freeze_toggle(self, event) -> None:
        event.stop()
        self.show_change(self.session.set_trainable(event.layer, event.trainable))

    def on_network_view_weight_edit(self, event) -> None:
        event.stop()
        self.show_change(self.session.set_weight(event.layer, event.source, event.target, event.value))
