"""The main screen: data and training controls, the network, its output, the loss, the status line.
Layout and routing only; beside it, the key table (keys.py), repainting (repainting.py),
explanations (explaining.py) and file actions (file_actions.py).

Every control calls one of the session's verbs (nnterm/session/session.py) and shows the
Change it returns: data and architecture changes rebuild the trainer (pausing first, and
saying so); training settings reach the trainer between two epochs and a running session goes
on. What the session's threads report, the app routes here (show_epoch, show_snapshot, …).
"""
import importlib

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Select, Static

from nnterm.engine.generalisation import overfitting
from nnterm.presets.compare import differences
from nnterm.presets.controls import CONTROLS, DATA, TRAINING
from nnterm.presets.edits import regularization
from nnterm.runtime.language import N_, _, ngettext
from nnterm.runtime.visible import visible
from nnterm.tui.playground.about_panel import AboutPanel
from nnterm.tui.playground.data_panel import DataPanel, feature_id
from nnterm.tui.playground.explaining import Explaining
from nnterm.tui.playground.file_actions import FileActions
from nnterm.tui.playground.keys import BINDINGS, KEY_HELP
from nnterm.tui.widgets.fields import NumberSelect
from nnterm.tui.widgets.footer import TranslatedFooter
from nnterm.tui.playground.loss_chart import LossChart
from nnterm.tui.playground.paint_budget import PaintBudget
from nnterm.tui.playground.repainting import Repainting
from nnterm.tui.playground.status_line import StatusLine
from nnterm.tui.playground.training_panel import TrainingPanel
from nnterm.tui.playground.views import make_network_view, make_output_view, title
from nnterm.tui.teaching import KERNEL_GROUPS, SCREENS
from nnterm.presets.spec import FEATURES

MIN_WIDTH, MIN_HEIGHT = 80, 24
COMPILING = N_("the kernels, the first time only (they are cached); keys work meanwhile")   # after "◌ compiling"
ABOUT_MIN_HEIGHT = 34           # shorter terminals keep every row for the controls
EXTRA_KEYS_IN_FOOTER = 140       # narrower terminals list the extra screens in help and the palette

RUN_LABEL_PARTS = 3              # a compared run's label names at most this many differences


class PlaygroundScreen(Repainting, Explaining, FileActions, Screen):
    # Arrows pick neurons and a adds a layer from the start. Named here rather than focused in
    # on_mount: Textual would first focus the first Select, then restyle everything twice.
    AUTO_FOCUS = "#network-view"
    BINDINGS = BINDINGS
    KEY_HELP = KEY_HELP

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
        """Binds i, l, g, d (and L); `show` lists them in the footer. Footer keys change only when `show`
        does: every binding refresh recomposes the whole footer (about 40 ms of the UI thread)."""
        if show == self.extra_keys_shown:
            return
        was, self.extra_keys_shown = self.extra_keys_shown, show
        first = next(iter(SCREENS))
        for key, (title, _target) in SCREENS.items():
            self._bindings.key_to_bindings[key] = [Binding(key, f"open_screen('{key}')", title, show=show)]
        # Wide: L has its own entry after the screens' (the way back to the track is never only in help).
        self._bindings.key_to_bindings["L"] = [Binding("L", "lessons", N_("Lessons"), show=show)]
        if not show:        # narrow: one footer entry names them all, the lessons' L too, so none is hidden
            self._bindings.key_to_bindings[first] = [Binding(first, f"open_screen('{first}')", N_("screens"), show=True,
                                                             key_display=" ".join([*SCREENS, "L"]))]
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
        narrow = self.app.size.width < EXTRA_KEYS_IN_FOOTER     # room for every key: compact, ^p in help instead
        footer = TranslatedFooter(show_command_palette=not narrow)
        footer.compact = narrow                  # set, not passed: Textual 3.2's Footer takes no compact argument
        yield footer

    def on_mount(self) -> None:
        self.show_trainer(self.trainer)
        self.session.start()               # its report needs these widgets: they exist now
        if self.session.kernels_ready:
            self.introduce()
        else:
            self.say(_(COMPILING))

    def introduce(self) -> None:
        preset = self.session.preset
        self.say(f"{preset.name}: {preset.described()}" if preset.description
                 else _("preset {name}").format(name=preset.name))

    def on_screen_resume(self) -> None:
        """Back on top: after an extra screen (dismissed or popped), catch up with the trainer."""
        if self.extra_open:
            title, self.extra_open = self.extra_open, ""
            self.show_trainer(self.trainer)      # a teaching screen may have trained or edited weights
            self.session.snapshot()
            self.say(_("back from the {screen} · epoch {epoch}").format(screen=_(title), epoch=self.trainer.epoch))

    def retranslate(self) -> None:
        """After a switch of language: the words set once (titles, the too-small note) set again;
        the panels and views retranslate themselves (nnterm/tui/language_switch.py)."""
        for view in self.views:
            title(view)
        self.loss_chart.update_title()
        self.status.describe_loss(self.session.preset.loss)
        if self.has_class("too-small"):
            self.on_resize()

    def on_resize(self) -> None:
        width, height = self.size
        self.bind_extra_screens(show=width >= EXTRA_KEYS_IN_FOOTER)
        footer, narrow = self.query_one(TranslatedFooter), width < EXTRA_KEYS_IN_FOOTER
        footer.compact, footer.show_command_palette = narrow, not narrow
        self.query_one(AboutPanel).display = height >= ABOUT_MIN_HEIGHT
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.set_class(small, "too-small")
        if small:
            self.query_one("#too-small", Static).update(
                _("nnterm needs a terminal of at least {min_width}×{min_height}; this one is {width}×{height}.")
                .format(min_width=MIN_WIDTH, min_height=MIN_HEIGHT, width=width, height=height) + "\n\n"
                + _("Please make the window larger — training carries on meanwhile.") + "\n" + _("Press q to quit."))

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
        self.query_one(AboutPanel).show(trainer, self.session.reading)
        chart = self.loss_chart
        if rebuilt:                                       # a new run: the old curves kept, dimmed
            self.keep_run(preset)
            chart.load(trainer.history)
            self.run_preset = preset
            self.forget_frames()
        elif not self.session.training and chart.epochs != [r.epoch for r in trainer.history]:
            chart.load(trainer.history)                  # e.g. epochs a lesson's setup trained
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
        chart.keep_run(", ".join(said) if said else _("run {number}").format(number=len(chart.runs) + 1))
        self.overfitting_said = None

    def show_stopped(self, message) -> None:
        self.stale_parts.discard("numbers")              # shown below, with the final state
        self.update_parts(force=True)                    # the final state, at once
        self.status.state = "diverged" if message.diverged else "paused"
        self.show_numbers(self.trainer.history[-1] if self.trainer.history else None)
        chart = self.loss_chart
        found = None if message.diverged or message.failed else overfitting(chart.epochs, chart.train, chart.val)
        if found is not None:
            self.overfitting_said = found.best.epoch      # said here, with the stop: not again
        said = _("{reason}; {overfitting}").format(reason=message.reason, overfitting=found.sentence()) if found \
            else message.reason
        self.say(said, error=message.diverged or message.failed)

    def kernels_ready(self, seconds: float, error: str) -> None:
        if error:
            self.say(_("the kernels could not be prepared: {error}").format(error=error), error=True)
        if self.status.state == "compiling":
            self.status.state = "training" if self.session.training else "paused"
        if not error and self.status.message == _(COMPILING):
            self.introduce()

    # --- keys ----------------------------------------------------------------------------
    def action_play_pause(self) -> None:
        if self.session.training:
            self.session.pause()
            self.status.state = "paused"
            self.say(_("paused at epoch {epoch}").format(epoch=self.trainer.epoch))
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
        said = change.said
        if self.session.training and epochs != 1:
            said = _("{said} — space pauses").format(said=said)
        self.say(said, error=change.error)

    def action_reset(self) -> None:
        self.show_change(self.session.reset())

    def action_presets(self) -> None:
        from nnterm.tui.dialogs.preset_picker import PresetPicker
        self.app.push_screen(PresetPicker(self.session.preset.name), self.load_preset)

    def load_preset(self, name: str | None) -> None:
        """p (and the palette's "Load preset"): a preset whose CSV is big is read in a thread behind
        the reading screen (Esc cancels, and the playground keeps all it had); any other, here."""
        if not name:
            return
        from nnterm.commands.reading_progress import reads_a_big_file
        from nnterm.errors import NntermError
        from nnterm.presets.loader import load_preset
        try:
            preset = load_preset(name)
        except NntermError as err:
            self.say(str(err), error=True)
            return
        if not reads_a_big_file(preset):
            self.show_change(self.session.load_preset(name))
            return
        from nnterm.session.background_read import BackgroundRead
        from nnterm.tui.reading_screen import ReadingScreen

        def read(outcome) -> None:
            if isinstance(outcome, str):
                self.say(_("{reason}; the playground is as it was").format(reason=outcome), error=True)
            else:
                self.show_change(self.session.adopt_preset(outcome))
        self.app.push_screen(ReadingScreen(BackgroundRead(preset)), read)

    def action_summary(self) -> None:
        from nnterm.tui.dialogs.summary_screen import SummaryScreen
        self.app.push_screen(SummaryScreen(self.trainer))

    def action_metrics(self) -> None:
        from nnterm.tui.dialogs.metrics_screen import MetricsScreen
        self.session.pause()                      # the figures are of one set of weights
        self.app.push_screen(MetricsScreen(self.trainer))

    def action_digits(self) -> None:
        if self.trainer.data.image_shape is None:
            self.say(_("j shows the images of image data (digits, mnist, a CSV of 784 or 64 pixel columns): "
                       "load the digits preset (p) or pick digits in the Data panel"))
            return
        from nnterm.tui.dialogs.digits_screen import DigitsScreen
        self.session.pause()
        self.app.push_screen(DigitsScreen(self.trainer))

    def action_unit_images(self) -> None:
        if self.trainer.data.image_shape is None:
            self.say(_("u shows what each unit looks for in image data (digits, mnist, a CSV of 784 or 64 pixel "
                       "columns): load the digits preset (p)"))
            return
        from nnterm.tui.dialogs.unit_images_screen import UnitImagesScreen
        self.app.push_screen(UnitImagesScreen(self.trainer))

    def action_help(self) -> None:
        from nnterm.tui.dialogs.help_screen import HelpScreen
        self.app.push_screen(HelpScreen(self))

    def action_lessons(self) -> None:
        from nnterm.tui.lessons.opening import open_lessons
        self.session.pause()
        open_lessons(self.app)

    def action_back_to_lesson(self) -> None:
        """escape, when a lesson step opened the playground: back to that step, as L goes."""
        desk = getattr(self.app, "lesson_desk", None)
        if desk is not None and desk.step_open:
            self.action_lessons()

    def action_log_scale(self) -> None:
        chart = self.loss_chart
        chart.log_scale = not chart.log_scale
        chart.refresh()

    def action_clear_runs(self) -> None:
        kept = len(self.loss_chart.runs)
        self.loss_chart.clear_runs()
        self.say(ngettext("forgot {count} earlier run", "forgot {count} earlier runs", kept).format(count=kept)
                 if kept else _("no earlier runs to forget"))

    def action_quit(self) -> None:
        self.app.action_quit()

    def action_open_screen(self, key: str) -> None:
        """i, l, g, d: a teaching screen on the trainer, training paused meanwhile."""
        title, target = SCREENS[key]
        module, _colon, name = target.partition(":")
        try:
            screen_class = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError) as err:
            self.say(_("cannot open the {screen}: {error}").format(screen=_(title), error=err), error=True)
            return
        self.session.pause()
        self.extra_open = title                     # on_screen_resume catches up when it is gone
        warm_up, group = self.session.warm_up, KERNEL_GROUPS.get(key)
        if warm_up is not None and group is not None and not warm_up.ready(group):
            from nnterm.tui.teaching.compiling import CompilingScreen
            session = self.session
            self.app.push_screen(CompilingScreen(title, group, warm_up, lambda: screen_class(session)))
            return
        self.app.push_screen(screen_class(self.session))

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
            self.show_change(self.session.set_training(_("early stopping on") if value else _("early stopping off"),
                                                       early_stopping=value))

    @on(NumberSelect.Picked)
    def number_picked(self, event: NumberSelect.Picked) -> None:
        control, value = CONTROLS.get(event.select.id), event.value
        if control is None:
            return
        what = f"{_(control.words)} {control.fmt(value)}"
        if control.section == DATA:                       # new data: a rebuild
            self.show_change(self.session.set_data(what, **{control.field: value}))
        elif control.section == TRAINING:                 # a retune: the weights stay
            self.show_change(self.session.set_training(what, **{control.field: value}))
        else:                                             # the rate goes with the kind chosen beside it
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
