"""The two big views (the visuals engineer's widgets in nnterm/tui/widgets/), made for the layout.

Each view has `show(snapshot)` and carries the class "view": the playground hands every
snapshot to every view. Where a view is not installed, its place is a plainly titled panel
that describes the network in words.
"""
from rich.text import Text
from textual.widgets import Static


def make_network_view():
    try:
        from nnterm.tui.widgets.network_view import NetworkView
    except ImportError:
        return LayerList(id="network-view", classes="panel view")
    view = NetworkView(id="network-view", classes="panel view")
    view.border_title = view.border_title or "Network"
    return view


def make_output_view():
    try:
        from nnterm.tui.widgets.heatmap import OutputView
    except ImportError:
        return OutputNumbers(id="output-view", classes="panel view")
    view = OutputView(id="output-view", classes="panel view")
    view.border_title = view.border_title or "Output"
    return view


class LayerList(Static):
    """The network as a list of layers, from its latest snapshot (or trainer)."""

    def on_mount(self) -> None:
        self.border_title = "Network"
        self.describe(self.app.trainer)

    def show(self, _snapshot) -> None:
        self.describe(self.app.trainer)

    def describe(self, trainer) -> None:
        net = trainer.network
        lines = Text()
        lines.append(f"inputs  {net.n_inputs:>4}  ", style="bold")
        lines.append(" ".join(trainer.data.feature_names[:8]) + (" …" if net.n_inputs > 8 else ""), style="dim")
        for layer in net.layers:
            role = "output" if layer.index == len(net.layers) - 1 else f"hidden {layer.index + 1}"
            lines.append(f"\n{role:<8}{layer.units:>4}  {layer.activation}")
        lines.append(f"\n\n{net.n_params:,} parameters", style="dim")
        self.update(lines)


class OutputNumbers(Static):
    """The latest metrics in words."""

    def on_mount(self) -> None:
        self.border_title = "Output"
        self.update(Text("press space to train", style="dim"))

    def show(self, _snapshot) -> None:
        history = self.app.trainer.history
        if not history:
            self.update(Text("press space to train", style="dim"))
            return
        r = history[-1]
        text = Text(f"epoch {r.epoch}\n")
        for name, value in r.metrics.items():
            text.append(f"{name:<10}{value:>10.4f}\n")
        self.update(text)
