"""The preset picker (key p): every bundled and saved preset, with its description."""
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from nnterm.errors import NntermError
from nnterm.preset_loader import bundled_names, load_preset, user_names, user_preset_dir


def preset_entries() -> list[tuple[str, str, bool]]:
    """(name, description, saved by the user) for every preset that loads; bundled first."""
    entries = []
    for names, mine in ((bundled_names(), False), (user_names(), True)):
        for name in names:
            try:
                description = load_preset(name).description
            except NntermError as err:             # a broken file of the user's: listed, with why
                description = f"cannot load: {err}"
            entries.append((name, description, mine))
    return entries


class PresetPicker(ModalScreen):
    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="picker", classes="dialog") as box:
            box.border_title = "Load a preset"
            box.border_subtitle = "enter loads · escape cancels"
            options = []
            for name, description, mine in preset_entries():
                tag = "  [dim](yours)[/]" if mine else ""
                options.append(Option(f"[b]{name}[/b]{tag}\n  [dim]{description}[/]", id=name))
            yield OptionList(*options, id="preset-list")
            yield Label(f"yours are saved in {user_preset_dir()}", classes="note")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        try:
            options.highlighted = options.get_option_index(self.current)
        except Exception:                            # the current preset is not a named one
            options.highlighted = 0

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
