"""The preset's own words under the controls, where the terminal is tall enough to spare rows."""
from rich.text import Text
from rich.markup import escape
from textual.widgets import Static

from nnterm.runtime.language import _, ngettext
from nnterm.runtime.visible import visible


class AboutPanel(Static):
    trainer = None
    reading = None

    def retranslate(self) -> None:
        if self.trainer is not None:
            self.show(self.trainer, self.reading)

    def show(self, trainer, reading: str | None = None) -> None:
        """`reading`: the big CSV read meanwhile, the trainer standing in on its header (its rows
        are not counted yet)."""
        self.trainer, self.reading = trainer, reading
        preset, data = trainer.preset, trainer.data
        self.border_title = escape(visible(preset.name))          # a file's words: never markup, never raw escapes
        text = Text(visible(preset.described(), keep_newlines=True) or _("a preset of your own"), style="italic")
        split = {"train": len(data.x_train), "validation": len(data.x_val), "test": len(data.x_test)}
        if reading is not None:
            text.append("\n\n" + _("reading {path}…").format(path=visible(reading)))
        else:
            text.append("\n\n" + (_("{train} train · {validation} validation · {test} test") if split["test"]
                                    else _("{train} train · {validation} validation")).format(**split))
        text.append("\n" + ngettext("{count:,} parameter · seed {seed}", "{count:,} parameters · seed {seed}",
                                     trainer.network.n_params).format(count=trainer.network.n_params, seed=preset.seed))
        self.update(text)
