"""The TUI's last resort: no exception — nnterm's own or one from inside Textual's widgets (the
command palette has raised `KeyError` on PageUp in a small terminal, and `NoMatches` during a
resize) — ends the session and takes the user's unsaved network with it.

Textual, left alone, answers an unhandled exception by exiting the app; and a message handler
that raises also ends the message loop of the widget it ran in, so that widget (or the app
itself) would stop answering. Two hooks keep it going:

- `Survives._handle_exception` (where Textual sends errors from workers, timers, callbacks and
  message handlers) says in the status line what went wrong and writes the traceback to a log,
  instead of exiting;
- `MessagePump._dispatch_message` is wrapped so that a handler's exception is reported the same
  way and the widget goes on handling its next message.

One race inside Textual is known and harmless: the palette raising NoMatches for its own
CommandList while it closes (palette_closing); it is kept in `quiet_errors`, not said.

And known Textual bugs are fixed where they live. In a terminal narrower than an OptionList's
padding (1×1), its height wraps each option into zero columns and raises ValueError (rich's
chop_cells); there each option is one line. And: OptionList (the palette's list, and the preset
picker's) pages with `_index_to_line[highlighted]`, which is empty until the list has been laid
out with some width — in a terminal a few columns wide, PageUp raised KeyError: 0 (Textual 8.2.8,
the newest release). There a page is one option.

Likewise a screen is dismissed once: two quick Enters on the preset picker selected its option
twice, and the second dismiss popped the screen under it (or raised ScreenStackError). A
dismiss of a screen that is no longer the one on top is ignored — its result was already given.

The first two apply only once the app is running (a failure while it starts is still Textual's to
report) and only to apps that mix `Survives` in. Ctrl+C and SystemExit are never caught.
"""
import os
import time
import traceback
from asyncio import CancelledError

from textual import events
from textual.app import App, ScreenStackError
from textual.command import CommandPalette
from textual.css.query import NoMatches
from textual.await_complete import AwaitComplete
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList

REPORT_INTERVAL = 1.0            # seconds: an error raised on every frame says so once a second
LOGGED_MAX = 20                  # tracebacks written per session: the log stays small
LOG_ENTRY_MAX = 4096             # characters of one traceback
LOG_MAX_BYTES = 32 * 1024        # errors.log past this is moved to errors.old.log (replacing it): 64 KiB at most


class Survives:
    """Mix into an App before App: `class NntermApp(Survives, App)`."""

    def __init__(self, *args, **kwargs) -> None:
        install()
        super().__init__(*args, **kwargs)
        self.survived_errors: list[BaseException] = []     # every one caught (the monkey test reads it)
        self.quiet_errors: list[BaseException] = []        # the palette's known race, below: nothing to say
        self.last_report = 0.0

    def _handle_exception(self, error: Exception) -> None:
        if not self.survive(error):
            super()._handle_exception(error)

    def survive(self, error: BaseException) -> bool:
        """True when the error was reported and the session goes on."""
        if isinstance(error, (KeyboardInterrupt, SystemExit)) or not getattr(self, "_running", False):
            return False
        if getattr(self, "_exit", False):                # quitting: nothing left to keep
            return False
        if palette_closing(self, error):
            self.quiet_errors.append(error)
            return True
        self.survived_errors.append(error)
        try:
            where = log_error(error) if len(self.survived_errors) <= LOGGED_MAX else ""
            now = time.monotonic()
            if now - self.last_report >= REPORT_INTERVAL:
                self.last_report = now
                # square brackets would be read as markup by the notification
                what = f"{type(error).__name__}: {error}"[:160].replace("[", "(").replace("]", ")")
                self.tell(f"something went wrong inside the app ({what}); your network and settings "
                          f"are kept{f' — details in {where}' if where else ''}")
        except Exception:                                # the report itself must never be what ends the session
            pass
        return True


    def tell(self, text: str) -> None:
        """The playground's status line (and its notification), else a notification alone."""
        playground = getattr(self, "playground", None)
        if playground is not None and hasattr(playground, "say"):
            playground.say(text, error=True)
        else:
            self.notify(text, severity="error", markup=False)


def palette_closing(app, error: BaseException) -> bool:
    """Textual's command palette looks up its CommandList from a search worker, a timer or a key
    after it has begun to close (a quick Escape, or a resize that recomposes it), and raises
    NoMatches. Nothing is lost — the palette is going — so that one is not worth a word."""
    inner = getattr(error, "error", error)           # a WorkerFailed carries the worker's error
    if not isinstance(inner, NoMatches):
        return False
    for frame, _line in traceback.walk_tb(inner.__traceback__):
        palette = frame.f_locals.get("self")
        if isinstance(palette, CommandPalette):
            try:
                return app.screen is not palette or not palette.is_attached
            except ScreenStackError:
                return True
    return False


def install() -> None:
    """Wraps MessagePump._dispatch_message and OptionList._move_page, once per process (see the
    module's docstring)."""
    if getattr(MessagePump._dispatch_message, "nnterm_guard", False):
        return
    original = MessagePump._dispatch_message
    move_page = getattr(OptionList, "_move_page", None)       # the private method the bug is in

    def page(self, direction) -> None:
        lines = getattr(self, "_index_to_line", None)
        if self._options and lines is not None and (self.highlighted or 0) not in lines:   # not laid out yet
            (self.action_cursor_down if direction > 0 else self.action_cursor_up)()
            return
        move_page(self, direction)

    if move_page is not None:
        OptionList._move_page = page
    content_height = OptionList.get_content_height

    def height_at_any_width(self, container, viewport, width):
        try:
            return content_height(self, container, viewport, width)
        except ValueError:                       # no column left to wrap into: a line per option
            return len(self._options)

    OptionList.get_content_height = height_at_any_width
    dismiss = Screen.dismiss

    def dismiss_once(self, result=None):
        try:
            gone = self.app.screen is not self
        except ScreenStackError:
            gone = True
        if gone and isinstance(self.app, Survives):
            return AwaitComplete.nothing() if hasattr(AwaitComplete, "nothing") else None
        return dismiss(self, result)

    Screen.dismiss = dismiss_once
    pop_screen, run_action = App.pop_screen, App.run_action

    def pop_screen_kept(self):
        """The playground is never popped: a pop with one screen left is ignored, not raised."""
        if isinstance(self, Survives) and len(self.screen_stack) <= 1:
            return AwaitComplete.nothing() if hasattr(AwaitComplete, "nothing") else None
        return pop_screen(self)

    async def run_action_on_top(self, action, default_namespace=None, *more) -> bool:
        """An action for a screen (or a widget of one) that is no longer on top is dropped: a key
        typed for it arrived after it was popped, and must not act on the screen now there."""
        if isinstance(self, Survives) and isinstance(default_namespace, Widget) and not on_top(default_namespace):
            return False
        return await run_action(self, action, default_namespace, *more)

    App.pop_screen, App.run_action = pop_screen_kept, run_action_on_top

    async def dispatch(self, message) -> None:
        # A key queued for a widget whose screen has since been popped or covered is dropped, and
        # so is one that reaches the app after its last screen has gone (typed while quitting).
        if isinstance(message, events.Key) and not key_has_a_screen(self):
            return
        try:
            await original(self, message)
        except CancelledError:
            raise
        except Exception as error:
            try:
                app = self.app
            except Exception:
                raise error from None
            if not isinstance(app, Survives) or not app.survive(error):
                raise

    dispatch.nnterm_guard = True
    MessagePump._dispatch_message = dispatch


def key_has_a_screen(pump) -> bool:
    """False for a key that must be dropped: its widget's screen is not on top, or the app it
    reached has no screen left. Only in apps that mix Survives in."""
    try:
        app = pump if isinstance(pump, App) else pump.app
    except Exception:
        return True
    if not isinstance(app, Survives):
        return True
    if isinstance(pump, App):
        try:
            pump.screen
        except (ScreenStackError, KeyError):
            return False
        return True
    return not isinstance(pump, Widget) or on_top(pump)


def on_top(node) -> bool:
    """Whether `node` (a screen, or a widget on one) is on the screen the user sees now. Every
    handler that pops, switches or pushes screens asks this first (and the guard asks it for every
    key and action): keys typed fast arrive after the screen they were meant for has gone."""
    try:
        screen = node if isinstance(node, Screen) else node.screen
        return screen.app.screen is screen
    except Exception:                      # detached, or no screen left at all: not on top
        return False


def log_error(error: BaseException) -> str:
    """Appends the traceback to errors.log beside the user's presets; returns its path ("" if it
    cannot be written: the status line is said either way)."""
    from nnterm.presets.loader import user_preset_dir
    path = user_preset_dir().parent / "errors.log"
    entry = "".join(traceback.format_exception(error))
    if len(entry) > LOG_ENTRY_MAX:                    # Textual's deepest stacks: the start and the raise are what tell
        entry = entry[:LOG_ENTRY_MAX // 2] + "\n[… cut …]\n" + entry[-LOG_ENTRY_MAX // 2:]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if path.stat().st_size + len(entry) > LOG_MAX_BYTES:    # the newest errors are kept, in two files at most
                os.replace(path, path.with_name("errors.old.log"))
        except FileNotFoundError:
            pass
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
            log.write(entry)
        return str(path)
    except OSError:
        return ""
