"""Explain (key X on every screen): pick a number the screen shows and see its formula with the
real operands filled in, or a term and its one-line definition.

A screen offers what it can explain through `explainables()` — a list of Explainable: a label,
the number as shown, and a builder that returns an nnterm.teach.explain.Explanation — and the
terms it shows through `explained_terms()`. The picker lists both (↑/↓, enter); the explanation
opens over it (escape goes back to the list, escape again to the screen). A widget that knows
what is under the mouse (the status line's fields, the network view's units and links) opens an
explanation directly. A builder runs in a worker thread while the explanation says "working
out…": most are one small traced step or a few numbers laid out, but an accuracy predicts a whole
split. The playground opens none of this before the kernels it calls are loaded
(nnterm/tui/teaching EXPLAIN_GROUP, behind the compiling screen), so none compiles on the UI thread.
"""
import math
from dataclasses import dataclass
from typing import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from nnterm.errors import NntermError
from nnterm.runtime.cells import pad, width
from nnterm.runtime.language import N_, _
from nnterm.teach.terms import both
from nnterm.tui.widgets.wrapped_text import WrappedText

KEY = "X"                    # the same key on every screen (x is the network view's remove-layer)
KEY_WORDS = N_("explain a number or a term on this screen: its formula with the real numbers")


@dataclass(frozen=True)
class Explainable:
    label: str                       # what the number is, as the screen names it
    shown: str                       # the number as the screen shows it
    build: Callable                  # () -> Explanation
    key: str = ""                    # which number it is, for a widget that knows what is under the mouse


class ExplainScreen(ModalScreen):
    """One Explanation: what it is, its formula, the formula with the numbers, words, and terms."""

    BINDINGS = [Binding("escape", "dismiss", N_("Back")), Binding("q", "dismiss", N_("Back")),
                Binding(KEY, "dismiss", N_("Back"), show=False)]
    # Its own frame, not the app's .dialog (70 cells wide): a filled-in sum wants the width there is.
    DEFAULT_CSS = """
    ExplainScreen { align: center middle; }
    ExplainScreen #explain {
        width: 110; max-width: 98%; height: auto; max-height: 96%;
        border: round $accent; border-title-color: $text-accent; border-title-style: bold;
        border-subtitle-color: $text-muted; background: $surface; padding: 1 2;
    }
    ExplainScreen .explain-part { margin-bottom: 1; height: auto; }
    """

    class Built(Message):
        """The worker's answer: the explanation, or the sentence saying why there is none now."""

        def __init__(self, explanation, error: str) -> None:
            super().__init__()
            self.explanation, self.error = explanation, error

    def __init__(self, explanation=None, build: Callable | None = None) -> None:
        """An explanation to show, or `build()` to work one out in a thread (shown when it is done)."""
        super().__init__()
        self.explanation, self.build = explanation, build

    def on_mount(self) -> None:
        if self.explanation is None:
            self.work_out()

    def retranslate(self) -> None:
        """After a switch of language: the frame's and the terms' words again (an explanation's
        own words were worked out in the language it was asked in)."""
        self.refresh(recompose=True)

    @work(thread=True)
    def work_out(self) -> None:
        try:
            explanation, error = self.build(), ""
        except NntermError as err:
            explanation, error = None, str(err)
        self.post_message(self.Built(explanation, error))

    async def on_explain_screen_built(self, message: Built) -> None:
        if message.error:
            self.app.notify(message.error, severity="warning")
            self.dismiss()
            return
        self.explanation = message.explanation
        await self.recompose()

    def compose(self) -> ComposeResult:
        from nnterm.teach.glossary import lines
        e = self.explanation
        with VerticalScroll(id="explain") as box:
            box.border_subtitle = _("escape goes back")
            if e is None:
                box.border_title = _("Explain")
                yield Static(Text(_("working out…"), style="dim"), id="explain-working")
                return
            box.border_title = e.title
            if e.formula:
                yield Static(self.block(_("formula"), e.formula), id="explain-formula", classes="explain-part")
            if e.filled:
                yield Static(self.block(_("with the numbers"), e.filled, "bold"), id="explain-filled", classes="explain-part")
            if e.filled and not (isinstance(e.result, float) and math.isnan(e.result)):
                from nnterm.runtime.numbers import num
                yield Static(Text.assemble((_("result") + "  ", "dim"), (num(float(e.result)), "bold")),
                             id="explain-result", classes="explain-part")
            yield WrappedText(Text(e.words), id="explain-words", classes="explain-part")
            terms = lines(e.terms)
            if terms:
                text = Text(_("terms"), style="dim")
                for term, definition in terms:     # Text, never markup: a definition may hold [brackets]
                    text.append("\n")
                    text.append(both(term), style="bold")     # in the primers' two languages (terms.toml)
                    text.append(" — " + definition)
                yield WrappedText(text, id="explain-terms")

    @staticmethod
    def block(heading: str, rows, style: str = "") -> Text:
        text = Text(heading + "\n", style="dim")
        for i, row in enumerate(rows):
            text.append(("\n" if i else "") + row, style=style or None)
        return text


def term_explanation(term: str):
    """A term on its own: its definition, as an Explanation with nothing to fill in."""
    from nnterm.teach.explain import Explanation
    from nnterm.teach.glossary import define
    return Explanation(both(term), (), (), math.nan, define(term), ())


class ExplainPicker(ModalScreen):
    """The numbers and the terms of one screen, as a list: ↑/↓ and enter open one."""

    BINDINGS = [Binding("escape", "dismiss", N_("Back")), Binding(KEY, "dismiss", N_("Back"), show=False)]
    DEFAULT_CSS = """
    ExplainPicker { align: center middle; }
    ExplainPicker #explain-picker {
        width: 90; max-width: 98%; height: auto; max-height: 90%;
        border: round $accent; border-title-color: $text-accent; border-title-style: bold;
        border-subtitle-color: $text-muted; background: $surface; padding: 0 1;
    }
    ExplainPicker #explain-list { height: auto; max-height: 100%; border: none; }
    """

    def __init__(self, items: list, terms=(), title: str = N_("Explain")) -> None:
        super().__init__()
        from nnterm.teach.glossary import TERMS
        self.items = list(items)
        self.terms = [t for t in dict.fromkeys(terms) if t in TERMS]
        self.title_text = title

    def compose(self) -> ComposeResult:
        cells = min(48, max((width(item.label) for item in self.items), default=0))
        options = [Option(Text.assemble((pad(item.label, cells), "bold"), "   ", item.shown), id=f"n{i}")
                   for i, item in enumerate(self.items)]
        if self.terms:
            options.append(Option(Text(_("terms on this screen"), style="dim"), id="heading", disabled=True))
            options += [Option(Text.assemble("  ", (both(term), "italic")), id=f"t{i}") for i, term in enumerate(self.terms)]
        if not options:
            options.append(Option(Text(_("nothing to explain here yet"), style="dim"), id="none", disabled=True))
        with VerticalScroll(id="explain-picker") as box:
            box.border_title = _(self.title_text)
            box.border_subtitle = _("↑/↓ · enter explains · escape closes")
            yield OptionList(*options, id="explain-list")

    def on_mount(self) -> None:
        for options in self.query(OptionList):     # none when escape closed it before it mounted
            options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = event.option.id or ""
        if key.startswith("n"):
            show_explanation(self.app, self.items[int(key[1:])].build)
        elif key.startswith("t"):
            self.app.push_screen(ExplainScreen(term_explanation(self.terms[int(key[1:])])))


def show_explanation(app, build) -> None:
    """Opens the explanation `build()` works out in a thread; a number that cannot be explained now
    is said in a notice."""
    app.push_screen(ExplainScreen(build=build))


def picker_of(screen) -> "ExplainPicker | None":
    """The picker of `screen`'s explainables() and explained_terms(), or None (said in a notice)."""
    try:
        items = screen.explainables()
    except NntermError as err:
        screen.app.notify(str(err), severity="warning")
        return None
    terms = screen.explained_terms() if hasattr(screen, "explained_terms") else ()
    return ExplainPicker(items, terms)


def open_picker(screen) -> None:
    """X: the picker of `screen`'s explainables() and explained_terms() — only while `screen` is on
    top (a lesson opens it after a refresh; escape may have closed the screen by then)."""
    from nnterm.tui.guard import on_top
    if not on_top(screen):
        return
    picker = picker_of(screen)
    if picker is not None:
        screen.app.push_screen(picker)
