"""The preset's own words under the controls, where the terminal is tall enough to spare rows."""
from rich.text import Text
from rich.markup import escape
from textual.widgets import Static

from nnterm.runtime.visible import visible


class AboutPanel(Static):
    def show(self, trainer) -> None:
        preset, data = trainer.preset, trainer.data
        self.border_title = escape(visible(preset.name))          # a file's words: never markup, never raw escapes
        text = Text(visible(preset.description, keep_newlines=True) or "a preset of your own", style="italic")
        text.append(f"\n\n{len(data.x_train)} train · {len(data.x_val)} validation"
                    + (f" · {len(data.x_test)} test" if len(data.x_test) else "")
                    + f"\n{trainer.network.n_params:,} parameters · seed {preset.seed}")
        self.update(text)
