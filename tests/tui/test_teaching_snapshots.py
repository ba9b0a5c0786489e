"""SVG snapshots of the teaching screens' shapes at the smallest supported size and a large one:
the neuron lab's activation plot (tanh, its slope, this z marked) and softmax view, and the
descent race with its rules and ticks. Update with `pytest --snapshot-update` after looking."""
import pytest
from textual.app import App

from nnterm.tui.teaching.descent import DescentScreen
from nnterm.tui.teaching.neuron_lab import NeuronLabScreen

SIZES = pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])


class Host(App):
    def __init__(self, screen_factory):
        super().__init__()
        self.screen_factory = screen_factory

    def on_mount(self) -> None:
        self.push_screen(self.screen_factory())


@SIZES
def test_neuron_lab_shape_of_tanh(snap_compare, size):
    assert snap_compare(Host(lambda: NeuronLabScreen(None, "score")), terminal_size=size, press=["f", "f"])


@SIZES
def test_neuron_lab_softmax_of_three_units(snap_compare, size):
    assert snap_compare(Host(lambda: NeuronLabScreen(None, "line")), terminal_size=size, press=["v", "t"])


@SIZES
def test_descent_race_rules_and_ticks(snap_compare, size):
    assert snap_compare(Host(lambda: DescentScreen(None, "rosenbrock")), terminal_size=size, press=["s"] * 5)
