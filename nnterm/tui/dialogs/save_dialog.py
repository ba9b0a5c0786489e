"""The save dialog (key s): the current setup — data, network, training, not the trained weights
(key w saves those) — as a preset TOML in the user's preset folder.

The file loads back as the same Preset (nnterm.presets.writer writes every field). An existing
file is only replaced after a second, explicit Save: nothing the user had is lost by accident.
"""
import re
from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from nnterm.errors import NntermError
from nnterm.presets.loader import bundled_names, user_preset_dir
from nnterm.presets.writer import save_preset
from nnterm.presets.spec import Preset, description_field
from nnterm.runtime.language import N_, _

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def preset_path(name: str):
    return user_preset_dir() / f"{name}.toml"


def check_name(name: str) -> str:
    """"" when fine, else the sentence that says what a name may be."""
    if not NAME.match(name) or name.endswith(".toml"):
        return _('"{name}" cannot be a preset name: use letters, digits, "-", "_" or "." '
                 "(up to 64, starting with a letter or digit)").format(name=name)
    if name in bundled_names():
        return _('"{name}" is a bundled preset\'s name (loading it by name gives the bundled one): try "my-{name}"').format(
            name=name)
    return ""


def suggested_name(preset: Preset) -> str:
    return f"my-{preset.name}" if preset.name in bundled_names() else preset.name


class SaveDialog(ModalScreen):
    """Dismisses with the path written, or None."""

    BINDINGS = [("escape", "cancel", N_("Cancel"))]

    def __init__(self, preset: Preset) -> None:
        super().__init__()
        self.preset = preset
        self.confirmed = ""                    # the name whose overwrite the user has been warned about
        # The field edits the description in the language the dialog opened in (in Chinese
        # description_zh; the English one is kept); shown as the picker shows it until edited.
        self.field, self.shown = description_field(), preset.described()

    def compose(self) -> ComposeResult:
        with Vertical(id="save", classes="dialog"):
            yield Label(id="save-name-label")
            yield Input(suggested_name(self.preset), id="save-name")
            yield Label(id="save-description-label")
            yield Input(self.shown, id="save-description")
            yield Static("", id="save-where", classes="note")
            yield Static("", id="save-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(id="save-ok", variant="primary")
                yield Button(id="save-cancel")

    def on_mount(self) -> None:
        self.retranslate()
        self.where()

    def retranslate(self) -> None:
        """The dialog's words in the language in use (again after a live switch); what was typed stays."""
        self.query_one("#save").border_title = _("Save the setup as a preset (no weights: w saves those)")
        self.query_one("#save-name-label", Label).update(_("Name:"))
        self.query_one("#save-description-label", Label).update(_("Description:"))
        self.query_one("#save-ok", Button).label = _("Save")
        self.query_one("#save-cancel", Button).label = _("Cancel")

    @on(Input.Changed, "#save-name")
    def where(self) -> None:
        name = self.query_one("#save-name", Input).value.strip()
        self.query_one("#save-where", Static).update(f"→ {preset_path(name)}" if name else "")
        self.query_one("#save-error", Static).update("")

    @on(Input.Submitted)
    @on(Button.Pressed, "#save-ok")
    def save(self) -> None:
        name = self.query_one("#save-name", Input).value.strip()
        error = self.query_one("#save-error", Static)
        problem = check_name(name)
        if problem:
            error.update(problem)
            return
        path = preset_path(name)
        if path.exists() and self.confirmed != name:
            self.confirmed = name
            error.update(_("{file} exists: press Save again to replace it").format(file=path.name))
            return
        description = self.query_one("#save-description", Input).value
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            edited = {self.field: description} if description != self.shown else {}   # untouched: every description as it was
            save_preset(replace(self.preset, name=name, **edited), path)
        except OSError as err:
            error.update(_("cannot write {path}: {error}").format(path=path, error=err.strerror or err))
            return
        except NntermError as err:              # a folder, FIFO or dangling link where the file would go
            error.update(str(err))
            return
        self.dismiss(path)

    @on(Button.Pressed, "#save-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
