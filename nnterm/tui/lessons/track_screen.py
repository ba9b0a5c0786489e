"""The track (nnterm learn, or L on the playground): every lesson with its progress and a key of
its own, so each is one key away; ↑/↓ and enter work too. escape goes to the playground."""
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from nnterm.lessons.translation import in_language
from nnterm.runtime.language import LANGUAGES, N_, _, current
from nnterm.runtime.visible import visible
from nnterm.tui.guard import on_top
from nnterm.tui.lessons.desk import desk_of
from nnterm.tui.widgets.wrapped_text import WrappedText

SHORTCUTS = "1234567890abcdefghijkmnoprtuvwxyz"     # one key per lesson (l and s are the lesson screen's)
# One line each, header and keys: at 80×24 the whole track of 19 fits with no scrolling.
KEYS = N_("1…9, 0, a… open a lesson · ↑/↓ and enter · ? where · escape: playground")


def shortcut(position: int) -> str:
    return SHORTCUTS[position] if position < len(SHORTCUTS) else ""


class TrackScreen(Screen):
    BINDINGS = [Binding("escape", "leave", N_("playground")), Binding("up", "move(-1)", "↑"), Binding("down", "move(1)", "↓"),
                Binding("enter", "open_selected", N_("open")), Binding("question_mark", "where", N_("where"))]

    DEFAULT_CSS = """
    TrackScreen { layout: vertical; }
    TrackScreen #track-header { height: auto; padding: 0 1; }
    TrackScreen #track-scroll { height: 1fr; }
    TrackScreen #track-list { padding: 0 1; }
    TrackScreen #track-summary { height: auto; padding: 0 1; color: $text-muted; }
    TrackScreen #track-keys { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, open_lesson) -> None:
        """`open_lesson(app, lesson)` builds the screen that opens it (nnterm/tui/lessons/opening.py)."""
        super().__init__()
        self.open_lesson = open_lesson
        self.selected = 0
        self.message = ""

    def compose(self):
        yield Static(id="track-header")
        with VerticalScroll(id="track-scroll"):
            yield Static(id="track-list")
        yield WrappedText(id="track-summary")
        yield Static(id="track-keys")

    @property
    def desk(self):
        return desk_of(self.app)

    def on_mount(self) -> None:
        desk = self.desk
        lessons = desk.track.lessons
        current = desk.progress.current
        self.selected = next((i for i, lesson in enumerate(lessons) if lesson.key == current), 0)
        if desk.notices:
            self.message = " · ".join(desk.notices)
            desk.notices = []
        self.redraw()

    def on_screen_resume(self) -> None:
        self.redraw()

    def retranslate(self) -> None:
        """A live switch of language: every word again, each lesson in the new language where it has it."""
        self.message = ""                  # said in the language it was said in; the next one speaks the new
        self.redraw()

    def redraw(self) -> None:
        if not self.is_attached or not self.query("#track-list"):   # switched away before it drew: nothing to draw on
            return
        desk = self.desk
        lessons = desk.track.lessons
        done = sum(1 for lesson in lessons if desk.finished(lesson))
        header = Text.assemble((_("Lessons"), "bold"), "  " + _("{count} in the track, {done} done · each one idea on "
                                                                "the network's own numbers").format(count=len(lessons), done=done))
        if self.message:
            header.append("\n" + self.message, style="italic")
        self.query_one("#track-header", Static).update(header)
        table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
        table.add_column(width=2, no_wrap=True)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(no_wrap=True, justify="right")
        speaking = current()
        shown = [in_language(lesson, speaking) for lesson in lessons]     # each in the language in use where it has it
        mixed = len({lesson.language for lesson in shown}) > 1
        for i, lesson in enumerate(shown):
            style = "bold reverse" if i == self.selected else ""
            yours = " " + _("(yours)") if lesson.origin == "yours" else ""
            # on a mixed track a lesson not in the language in use says which it is in
            other = f" ({LANGUAGES[lesson.language]})" if mixed and lesson.language != speaking else ""
            table.add_row(shortcut(i), Text(visible(lesson.title) + yours + other), desk.state(lesson), style=style)   # a user's file: escapes shown
        self.query_one("#track-list", Static).update(table)
        self.query_one("#track-keys", Static).update(Text(_(KEYS), style="dim"))
        if lessons:
            self.query_one("#track-summary", Static).update(Text(visible(shown[self.selected].summary, keep_newlines=True)))
            scroll = self.query_one("#track-scroll", VerticalScroll)
            rows = max(1, scroll.size.height)
            if self.selected < scroll.scroll_y:                      # keep the selected row in view
                scroll.scroll_to(y=self.selected, animate=False)
            elif self.selected >= scroll.scroll_y + rows:
                scroll.scroll_to(y=self.selected - rows + 1, animate=False)

    def on_key(self, event) -> None:
        if not on_top(self):                       # a key typed for it after it was covered or popped
            return
        if event.character and event.character in SHORTCUTS:
            position = SHORTCUTS.index(event.character)
            if position < len(self.desk.track.lessons):
                event.stop()
                self.selected = position
                self.action_open_selected()

    def action_move(self, by: int) -> None:
        count = len(self.desk.track.lessons)
        if count:
            self.selected = (self.selected + by) % count
            self.redraw()

    def action_where(self) -> None:
        run = self.desk.run
        self.message = (_("you are on the track; the open lesson: {where}").format(where=run.where()) if run is not None
                        else _("you are on the track: pick a lesson (its key, or ↑/↓ and enter)"))
        self.redraw()

    def action_open_selected(self) -> None:
        lessons = self.desk.track.lessons
        if not lessons or not on_top(self):
            return
        self.app.switch_screen(self.open_lesson(self.app, lessons[self.selected]))

    def action_leave(self) -> None:
        if on_top(self):
            self.app.pop_screen()

