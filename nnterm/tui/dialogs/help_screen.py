"""Help (key ?): every key of the playground, the extra screens, the panels and the mouse."""
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from nnterm.runtime.language import N_, _

MOUSE = (
    (N_("click a control"), N_("open it; pick a value, or other… to type any number")),
    (N_("click the loss chart"), N_("switch between a linear and a log scale")),
    (N_("click a status-line number"), N_("its formula with the real numbers (X lists every number and term on a screen)")),
    (N_("double-click a neuron or link"), N_("its z and a = f(z) for sample 0, or its gradient and its next step")),
    (N_("click a footer key"), N_("does what the key does")),
    ("ctrl+p", N_("command palette: load a preset, change the network, switch the language or the theme")),
)


def key_rows(screen) -> list[tuple[str, str]]:
    """(key, what it does) for every binding of the playground, of its focusable views, and the
    app's own keys that it explains (KEY_HELP; e.g. b, the backend), in the language in use."""
    rows, seen = [], set()
    views = [w for w in screen.query("*") if w.can_focus and w.BINDINGS and w.has_class("view")]
    for widget in [screen, screen.app] + views:
        words = getattr(widget, "KEY_HELP", {})
        where = "" if widget in (screen, screen.app) else "  " + _("({view}, when focused)").format(
            view=widget.border_title or type(widget).__name__)
        for bindings in widget._bindings.key_to_bindings.values():
            for b in bindings:
                if b.system or b.key in ("ctrl+c", "super+c"):
                    continue
                if widget is screen.app and b.action not in words:
                    continue
                if widget not in (screen, screen.app) and not b.show:
                    continue
                if (widget, b.action) in seen:                  # "plus,equals_sign": one row
                    continue
                seen.add((widget, b.action))
                action = b.action.split("(")[0]
                what = _(words.get(action, b.description or action))
                if action == "open_screen":
                    what = _("open the {screen} (escape comes back)").format(screen=_(b.description))
                rows.append((screen.app.get_key_display(b), what + where))
    return rows


class HelpScreen(ModalScreen):
    BINDINGS = [("escape", "dismiss", N_("Back")), ("question_mark", "dismiss", N_("Back")), ("q", "dismiss", N_("Back"))]

    def __init__(self, playground) -> None:
        super().__init__()
        self.playground = playground
        self.rows = key_rows(playground)

    def retranslate(self) -> None:
        """After a switch of language: the same keys in the new words."""
        self.rows = key_rows(self.playground)
        self.refresh(recompose=True)

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, what in self.rows:
            table.add_row(key, what)
        table.add_row("", "")
        for key, what in MOUSE:
            table.add_row(_(key), _(what))
        intro = Text(_("Build a network, press space, and watch it learn. Data and Training on the left; "
                       "the network, its output and the loss on the right.") + "\n", style="dim")
        with VerticalScroll(id="help", classes="dialog") as box:
            box.border_title = _("Keys")
            box.border_subtitle = _("escape closes")
            yield Static(intro)
            yield Static(table)
