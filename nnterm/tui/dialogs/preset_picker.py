"""The preset picker (key p): every bundled and saved preset, with its description."""
from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from nnterm.errors import NntermError
from nnterm.presets.loader import bundled_names, load_preset, user_names, user_preset_dir
from nnterm.runtime.language import N_, _
from nnterm.runtime.visible import visible


def preset_entries() -> list[tuple[str, str, str, bool]]:
    """(option id, name, description, saved by the user) for every preset; bundled first. A saved
    preset loads by its path, so one that shares a bundled preset's name is still reachable."""
    entries = []
    for name in bundled_names():
        entries.append((f"bundled:{name}", name, describe(name), False))
    for name in user_names():
        path = str(user_preset_dir() / f"{name}.toml")
        entries.append((f"user:{path}", name, describe(path), True))
    return entries


def describe(name_or_path: str) -> str:
    try:
        return load_preset(name_or_path).described()
    except NntermError as err:                     # a broken file of the user's: listed, with why
        return _("cannot load: {error}").format(error=err)


def target_of(option_id: str) -> str:
    """What load_preset takes for an option: a bundled name or a saved preset's path."""
    return option_id.split(":", 1)[1]


class PresetPicker(ModalScreen):
    BINDINGS = [("escape", "cancel", N_("Cancel"))]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="picker", classes="dialog") as box:
            self.set_titles(box)
            yield OptionList(*self.options(), id="preset-list")
            yield Label(self.note(), classes="note")

    @staticmethod
    def set_titles(box) -> None:
        box.border_title = _("Load a preset")
        box.border_subtitle = _("enter loads · escape cancels")

    @staticmethod
    def note() -> str:
        return _("yours are saved in {folder}").format(folder=user_preset_dir())

    @staticmethod
    def options() -> list[Option]:
        """An option per preset, its description in the language in use."""
        options = []
        for option_id, name, description, mine in preset_entries():
            tag = "  [dim]" + _("(yours)") + "[/]" if mine else ""
            text = escape(visible(" ".join(description.split())))      # the user's words: never markup, escapes shown
            options.append(Option(f"[b]{escape(visible(name))}[/b]{tag}\n  [dim]{text}[/]", id=option_id))
        return options

    def retranslate(self) -> None:
        """After a live language switch: titles, descriptions and note again, the same preset highlighted."""
        self.set_titles(self.query_one("#picker"))
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(self.options())
        options.highlighted = highlighted
        self.query_one(".note", Label).update(self.note())

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        names = [option.id for option in options.options]
        for option_id in (f"user:{user_preset_dir() / (self.current + '.toml')}", f"bundled:{self.current}"):
            if option_id in names:
                options.highlighted = names.index(option_id)
                return
        options.highlighted = 0

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(target_of(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
