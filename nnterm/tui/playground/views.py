"""The two big views (nnterm/tui/widgets/, the visuals engineer's), made for the playground layout.

Each view has `show(snapshot)` and carries the class "view": the playground hands every snapshot
to every view (nnterm.tui.playground.screen.PlaygroundScreen.show_snapshot).
"""
from nnterm.runtime.language import N_, _
from nnterm.tui.widgets.heatmap import OutputView
from nnterm.tui.widgets.network_view import NetworkView

TITLES = {"network-view": N_("Network"), "output-view": N_("Output")}     # by id; translated where set


def title(view) -> None:
    """The view's border title in the language in use (again after a switch)."""
    view.border_title = _(TITLES[view.id])


def make_network_view() -> NetworkView:
    view = NetworkView(id="network-view", classes="panel view")
    title(view)
    return view


def make_output_view() -> OutputView:
    view = OutputView(id="output-view", classes="panel view")
    title(view)
    return view
