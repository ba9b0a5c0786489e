"""Help (key ?): every key of the playground, the extra screens, the panels and the mouse."""
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

MOUSE = (
    ("click a control", "open it; pick a value, or other… to type any number"),
    ("click the loss chart", "switch between a linear and a log scale"),
    ("click a status-line number", "its formula with the real numbers (X lists every number and term on a screen)"),
    ("double-click a neuron or link", "its z and a = f(z) for sample 0, or its gradient and its next step"),
    ("click a footer key", "does what the key does"),
    ("ctrl+p", "command palette: load a preset, change the network, switch theme"),
)


def key_rows(screen) -> list[tuple[str, str]]:
    """(key, what it does) for every binding of the playground, of its focusable views, and the
    app's own keys that it explains (KEY_HELP; e.g. b, the backend)."""
    rows, seen = [], set()
    views = [w for w in screen.query("*") if w.can_focus and w.BINDINGS and w.has_class("view")]
    for widget in [screen, screen.app] + views:
        words = getattr(widget, "KEY_HELP", {})
        where = "" if widget in (screen, screen.app) else f"  ({widget.border_title or type(widget).__name__}, when focused)"
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
                what = words.get(action, b.description or action)
                if action == "open_screen":
                    what = f"open the {b.description} (escape comes back)"
                rows.append((screen.app.get_key_display(b), what + where))
    return rows


class HelpScreen(ModalScreen):
    BINDINGS = [("escape", "dismiss", "Back"), ("question_mark", "dismiss", "Back"), ("q", "dismiss", "Back")]

    def __init__(self, playground) -> None:
        super().__init__()
        self.rows = key_rows(playground)

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, what in self.rows:
            table.add_row(key, what)
        table.add_row("", "")
        for key, what in MOUSE:
            table.add_row(key, what)
        intro = Text("Build a network, press space, and watch it learn. Data and Training on the left; "
                     "the network, its output and the loss on the right.\n", style="dim")
        with VerticalScroll(id="help", classes="dialog") as box:
            box.border_title = "Keys"
            box.border_subtitle = "escape closes"
            yield Static(intro)
            yield Static(table)
