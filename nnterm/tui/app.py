"""The nnterm app: a router between the session and the screens.

The session (nnterm/session/session.py) owns the trainer, its generation and the training
thread; screens call its verbs and show the Change each returns. The session's threads post
their events here as SessionEvent messages; the app hands each to `Session.receive` on the UI
thread and routes what comes back to the playground (docs/design.md, "The session and its
threads"). The app itself keeps no state of the session's.
"""
import gc

from textual import events
from textual.app import App
from textual.binding import Binding

from nnterm.presets.spec import Preset
from nnterm.runtime.language import LANGUAGES, N_, _, current
from nnterm.session.events import EpochsDone, KernelsReady, Notice, SnapshotReady, TrainingStopped
from nnterm.warmup.kernel_warm_up import KernelWarmUp
from nnterm.warmup.quitting import quit_cleanly, stop_before_saying
from nnterm.session.session import Session
from nnterm.tui.commands import PresetCommands, translated_system_commands
from nnterm.tui.guard import Survives
from nnterm.tui.language_switch import next_language, switch_language
from nnterm.tui.typed_ahead import read_typed_ahead
from nnterm.tui.messages import SessionEvent
from nnterm.tui.playground.screen import PlaygroundScreen


class NntermApp(Survives, App):          # Survives: no exception ends the session (nnterm/tui/guard.py)
    """`NntermApp(preset, seed=None, warm_up=None)`: the playground on a preset (seed overrides the
    preset's). `warm_up` is a kernel warm-up already started (`nnterm tui` starts one before it
    imports Textual); without one, the session starts its own."""

    CSS_PATH = "playground.tcss"
    TITLE = "nnterm"
    COMMANDS = App.COMMANDS | {PresetCommands}
    # ctrl+l: a key no screen binds; a priority binding, so it switches the language from any
    # screen, a modal dialog's too (a modal cuts the app's other keys off).
    BINDINGS = [Binding("b", "switch_backend", N_("Backend"), show=False),
                Binding("ctrl+l", "switch_language", "中文 / English", show=False, priority=True)]
    KEY_HELP = {"switch_backend": N_("next backend: auto → cpu → cuda, skipping one that cannot run here "
                                     "(weights and history stay)"),
                "switch_language": N_("switch the language: 中文 ↔ English (every open screen at once)")}

    def __init__(self, preset: Preset, seed: int | None = None, warm_up: KernelWarmUp | None = None,
                 learn: str | None = None, trainer=None, typed: str = "", reading=None) -> None:
        super().__init__()
        # a big CSV read while the app runs (a BackgroundRead, nnterm/commands/early_warm_up.py):
        # `trainer` is on its header's stand-in until the read ends. The sentence if it fails:
        self.reading, self.reading_stopped = reading, None
        self.learn = learn                      # `nnterm learn [LESSON]`: open the lesson track on start
        self.typed = typed                      # keys typed before the first frame (nnterm/tui/typed_ahead.py)
        # `nnterm learn`: keys typed before the track is up are the track's, not the playground's
        # (a learner who knows the track types 3 at once); held here, pressed once it is.
        self.held_for_the_track: list[events.Key] | None = [] if learn is not None else None
        # A big CSV's read: keys pressed before its box is up (a frame after the playground's,
        # which the box would hide if pushed before it is drawn) are the box's, never the
        # stand-in trainer's: held here, pressed once it is.
        self.held_for_the_read: list[events.Key] | None = [] if reading is not None else None
        self.session = Session(preset, seed=seed, post=lambda event: self.post_message(SessionEvent(event)),
                               warm_up=warm_up, trainer=trainer, reading=None if reading is None else preset.data.path)

    def get_default_screen(self) -> PlaygroundScreen:
        self.playground = PlaygroundScreen(self.session, id="playground")
        return self.playground

    def on_mount(self) -> None:
        if self.reading is not None:             # over the playground once it is drawn, the network in view
            self.call_after_refresh(self.read_the_file)
            return                               # keys typed ahead are the playground's: after the read
        if self.learn is not None:
            # After the playground has mounted (and started its session), never before: a lesson's setup
            # trains on that session.
            self.call_after_refresh(self.open_lessons_then_press_held_keys)
        if self.typed:
            self.call_after_refresh(self.press_typed_ahead)

    def read_the_file(self) -> None:
        from nnterm.tui.reading_screen import ReadingScreen
        self.push_screen(ReadingScreen(self.reading), self.read_done)
        held, self.held_for_the_read = self.held_for_the_read or [], None
        self.press_again(held)

    def read_done(self, outcome) -> None:
        """The big CSV read behind the reading box: its trainer replaces the stand-in's (the same
        weights: the same seed and sizes); a sentence (the reading failed or was stopped) ends the
        app, and the command line says it."""
        if isinstance(outcome, str):
            self.reading_stopped = outcome
            self.session.pause()
            self.exit(return_code=2)
            return
        self.playground.show_change(self.session.adopt_read(outcome))
        if self.typed:
            self.call_after_refresh(self.press_typed_ahead)

    def open_lessons_then_press_held_keys(self) -> None:
        from nnterm.tui.lessons.opening import open_lessons
        open_lessons(self, self.learn)
        held, self.held_for_the_track = self.held_for_the_track or [], None
        self.press_again(held)

    def press_again(self, keys: list[events.Key]) -> None:
        for key in keys:
            self.post_message(events.Key(key.key, key.character))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not getattr(event, "is_forwarded", False):
            held = self.held_for_the_track if self.held_for_the_track is not None else self.held_for_the_read
            if held is not None:
                held.append(event)
                return
        await super().on_event(event)

    def press_typed_ahead(self) -> None:
        """The keys typed before the first frame, pressed now, in order, as if typed now."""
        from textual.keys import _character_to_key
        typed, self.typed = self.typed, ""
        for character in typed:
            self.post_message(events.Key(_character_to_key(character), character))

    def on_session_event(self, message: SessionEvent) -> None:
        event = self.session.receive(message.event)
        if event is None:
            return
        if isinstance(event, KernelsReady):
            # What Textual, Numba and the kernels have loaded by now (~180k objects) lives as long
            # as the app. Frozen, the collector stops walking it in every full collection, which
            # the UI thread often pays for: without this, one second in three of full-speed
            # training cost the UI 24 % of a core instead of 10–12 % (nnterm bench --startup).
            gc.freeze()
            self.playground.kernels_ready(event.seconds, event.error)
            self.session.snapshot()
        elif isinstance(event, EpochsDone):
            self.playground.show_epoch(event)
        elif isinstance(event, SnapshotReady):
            self.playground.show_snapshot(event.snapshot)
        elif isinstance(event, Notice):
            self.playground.say(event.said, event.error)
        elif isinstance(event, TrainingStopped):
            self.playground.show_stopped(event)
            if event.diverged:
                self.notify(event.reason, title=_("Diverged"), severity="error", timeout=10)
            elif event.failed:
                self.notify(event.reason, title=_("Training stopped"), severity="error", timeout=10)
            elif event.early:
                self.notify(event.reason, title=_("Early stopping"), severity="information", timeout=8)

    def action_switch_backend(self) -> None:
        """b: between runs, the next backend that can run here (auto → cpu → cuda)."""
        self.playground.show_change(self.session.switch_backend())

    def action_command_palette(self) -> None:
        """ctrl+p: Textual's palette, its prompt in the language in use (Textual's own is English)."""
        from textual.command import CommandPalette
        if getattr(self.screen, "WITHOUT_PALETTE", False):
            return
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=_("Search for commands…"), id="--command-palette"))

    def get_system_commands(self, screen):
        return translated_system_commands(super().get_system_commands(screen))

    def action_switch_language(self) -> None:
        """ctrl+l: the other language, on every open screen (nnterm/tui/language_switch.py)."""
        switch_language(self, next_language())
        self.playground.say(_("Language: {name}").format(name=LANGUAGES[current()]))

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None, time_format: str | None = None):
        """Textual's "Screenshot" command writes to ~/Downloads, and fails where there is none:
        in a terminal it saves as the e key does (the working folder, else $NNTERM_HOME)."""
        if self.is_web or filename or path:
            return super().deliver_screenshot(filename, path, time_format)
        self.playground.action_save_screen()
        return None

    def action_quit(self) -> None:
        self.session.pause()
        self.exit(0)


def run_app(preset: Preset, warm_up: KernelWarmUp | None = None, learn: str | None = None, trainer=None,
            reading=None) -> int:
    """What `nnterm`, `nnterm tui [PRESET]` and `nnterm learn` run; returns the exit status.
    `trainer`: one already built on the preset (a big CSV read first, nnterm/tui/reading_screen.py),
    or on its header's stand-in while `reading` (a BackgroundRead) reads the file."""
    app = NntermApp(preset, warm_up=warm_up, learn=learn, trainer=trainer, typed=read_typed_ahead(), reading=reading)
    app.run()
    if app.reading_stopped is not None:
        raise stop_before_saying(app.reading_stopped, app.session.warm_up)
    # the screens are closed and the terminal restored: now make sure no compile outlives the app
    return quit_cleanly(app.return_code or 0, app.session.warm_up)
