"""The frame every teaching screen shares, written once: a header, the screen's own body, a
one-line number editor hidden until a key opens it, a keys line; a play timer; escape that closes
the editor or else stops playing and goes back; [ / ] that halve and double a learning rate; and
a typed number read by the TUI's one parser (nnterm/runtime/numbers.py) and handed to `typed`.

A screen says what it is with class attributes — PREFIX names its elements (PREFIX-header,
PREFIX-edit, PREFIX-keys), KEYS its keys line, PLAY_SECONDS its timer — and fills the hooks:
`body` (its widgets), `header` and `draw` (what redraw shows), `typed`, `scale_rate`, `tick`.
The screens get the trainer with training paused (docs/design.md, "The session and its
threads"); none of them changes it unless it says so.
"""
from rich.text import Text
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Input, Static

from nnterm.errors import NntermError
from nnterm.runtime.language import N_, _
from nnterm.runtime.numbers import EXAMPLE, parse_number
from nnterm.tui.widgets.inline_editor import InlineEditor
from nnterm.tui.widgets.wrapped_text import WrappedText

HIGHLIGHT = "bold reverse"             # what the screen is pointing at: the chosen cell, the current phase

# The keys of the screens whose learning rate [ / ] change (the inspector's pick a layer).
RATE_BINDINGS = [
    Binding("left_square_bracket", "rate(0.5)", N_("lr ÷2")),
    Binding("right_square_bracket", "rate(2)", N_("lr ×2")),
]


class TeachingScreen(Screen):
    """A teaching screen's frame. Subclasses add their body and behaviour."""

    PREFIX = ""                          # the element ids' prefix, which the tests query
    KEYS = ""                            # the keys line: a msgid (N_), shown translated
    EDITOR = True                        # False: the screen types no numbers
    PLAY_SECONDS: float | None = None    # the play timer's tick; None: the screen does not play
    NUMBER_EXAMPLE = EXAMPLE             # what a number looks like here, said when one is not
    THOUSANDS = False                    # whether 1,500 means 1500 (prices, not rates)

    BINDINGS = [Binding("escape", "back", N_("back")), Binding("X", "explain", N_("explain a number"))]
    TERMS: tuple = ()                    # the glossary terms the screen shows (X lists them)

    DEFAULT_CSS = """
    TeachingScreen { layout: vertical; }
    TeachingScreen .teaching-header { height: auto; padding: 0 1; }
    TeachingScreen .teaching-keys { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, session=None):
        super().__init__()
        self.session = session           # the playground's: the one way to train (Session.train_now)
        self.trainer = session.trainer if session is not None else None
        self.message = ""                # the last thing that happened, in words, for the header
        self.timer = None
        self.playing = False

    # --- layout ----------------------------------------------------------------------------
    def compose(self):
        yield WrappedText(id=f"{self.PREFIX}-header", classes="teaching-header")
        yield from self.body()
        if self.EDITOR:
            # disabled (so never focused) except while a value is being typed: keys go to the screen
            yield InlineEditor(id=f"{self.PREFIX}-edit")
        yield Static(self.keys_line(), id=f"{self.PREFIX}-keys", classes="teaching-keys")

    def keys_line(self) -> Text:
        return Text(_("{keys} · X explain").format(keys=_(self.KEYS)), style="dim")

    def retranslate(self) -> None:
        """After a switch of language: the keys line and the screen's words again."""
        self.query_one(f"#{self.PREFIX}-keys", Static).update(self.keys_line())
        self.redraw()

    def body(self):
        """The screen's own widgets, between the header and the editor."""
        return ()

    def on_mount(self) -> None:
        # Subclasses hook `started`, not on_mount: Textual would run both handlers.
        if self.PLAY_SECONDS is not None:
            self.timer = self.set_interval(self.PLAY_SECONDS, self.tick, pause=True)
        self.started()

    def started(self) -> None:
        self.redraw()

    # --- drawing -----------------------------------------------------------------------------
    def redraw(self) -> None:
        self.query_one(f"#{self.PREFIX}-header", Static).update(self.header())
        self.draw()

    def header(self):
        return Text(self.message)

    def draw(self) -> None:
        """Updates the body's widgets."""

    # --- playing -----------------------------------------------------------------------------
    def tick(self) -> None:
        """One beat of the play timer."""

    def start_playing(self) -> None:
        self.playing = True
        self.timer.resume()

    def stop_playing(self) -> None:
        self.playing = False
        self.timer.pause()

    def toggle_playing(self) -> bool:
        """Plays if paused, pauses if playing; whether it now plays."""
        self.stop_playing() if self.playing else self.start_playing()
        return self.playing

    # --- going back ----------------------------------------------------------------------------
    def action_back(self) -> None:
        editor = self.mounted_editor()
        if editor is not None and editor.is_open:
            editor.close()
            self.redraw()
            return
        if self.playing:
            self.stop_playing()
        if self.may_leave():
            self.dismiss()

    def may_leave(self) -> bool:
        """False keeps the screen (saying why), e.g. while a thread still holds the trainer."""
        return True

    # --- explaining a number (X) ---------------------------------------------------------------
    def action_explain(self) -> None:
        from nnterm.tui.dialogs.explain_screen import open_picker
        if self.playing:                 # the numbers explained stay still while they are read
            self.stop_playing()
        open_picker(self)

    def explainables(self) -> list:
        """The numbers on screen, as nnterm.tui.dialogs.explain_screen.Explainable values."""
        return []

    def explained_terms(self) -> tuple:
        return self.TERMS

    # --- the learning rate and typed numbers ------------------------------------------------------
    def action_rate(self, factor: float) -> None:
        try:
            self.scale_rate(factor)
        except NntermError as err:
            self.message = str(err)
        self.redraw()

    def scale_rate(self, factor: float) -> None:
        """Multiplies the learning rate by `factor`; an NntermError is said in the header."""

    async def on_key(self, event) -> None:
        # A key that reaches the screen while the editor is open was queued before the editor
        # took the focus (a burst: "e1.5⏎", or a guess typed fast): it belongs to the editor.
        # Keys the editor does not type (escape, arrows) stay the screen's.
        editor = self.mounted_editor()
        if editor is None:
            return
        if editor.is_open:
            if await editor.take(event.key, event.character):
                event.stop()
                event.prevent_default()
            return
        # A key that opens the editor opens it here and now, not as a binding, which runs only once
        # the key has gone round the app: the digits queued behind it would reach a closed editor.
        action = self.editor_actions().get(event.key)
        if action is not None:
            event.stop()
            event.prevent_default()
            await self.run_action(action)

    @classmethod
    def editor_actions(cls) -> dict[str, str]:
        """key → action of the bindings that open the editor (actions named edit…)."""
        return {key.strip(): b.action for b in cls.BINDINGS if isinstance(b, Binding) and b.action.startswith("edit")
                for key in b.key.split(",")}

    @property
    def editor(self) -> InlineEditor:
        return self.query_one(f"#{self.PREFIX}-edit", InlineEditor)

    def mounted_editor(self) -> InlineEditor | None:
        """The editor, or None when the screen has none or has not mounted it yet: fast keys can
        reach a screen that is still composing (escape at once, in the lessons' monkey test)."""
        if not self.EDITOR:
            return None
        try:
            return self.editor
        except NoMatches:
            return None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        what = self.editor.close()
        try:
            self.typed(what, parse_number(event.value, thousands=self.THOUSANDS, example=self.NUMBER_EXAMPLE))
        except NntermError as err:
            self.message = str(err)
        self.redraw()

    def typed(self, what: str, value: float) -> None:
        """`value` was typed for `what` (the editor's open(what, …)); an NntermError is said in the header."""
