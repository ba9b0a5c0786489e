"""The two big views (nnterm/tui/widgets/, the visuals engineer's), made for the playground layout.

Each view has `show(snapshot)` and carries the class "view": the playground hands every snapshot
to every view (nnterm.tui.playground.screen.PlaygroundScreen.show_snapshot).
"""
from nnterm.tui.widgets.heatmap import OutputView
from nnterm.tui.widgets.network_view import NetworkView


def make_network_view() -> NetworkView:
    view = NetworkView(id="network-view", classes="panel view")
    view.border_title = "Network"
    return view


def make_output_view() -> OutputView:
    view = OutputView(id="output-view", classes="panel view")
    view.border_title = "Output"
    return view
