"""The preset's own words under the controls, where the terminal is tall enough to spare rows."""
from rich.text import Text
from textual.widgets import Static


class AboutPanel(Static):
    def show(self, trainer) -> None:
        preset, data = trainer.preset, trainer.data
        self.border_title = preset.name
        text = Text(preset.description or "a preset of your own", style="italic")
        text.append(f"\n\n{len(data.x_train)} train · {len(data.x_val)} validation"
                    + (f" · {len(data.x_test)} test" if len(data.x_test) else "")
                    + f"\n{trainer.network.n_params:,} parameters · seed {preset.seed}")
        self.update(text)
