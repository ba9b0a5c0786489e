"""The neuron lab screen, driven with Pilot: edit inputs, weights and the bias, see the sum and
every activation, a dead ReLU when the bias is low enough, and training one step at a time."""
import math

import numpy as np

from rich.console import Console
from textual.app import App

from nnterm.runtime.numbers import ROUNDING_MARK, ROUNDING_NOTE
from nnterm.teach.neuron_lab import SCORE, TWO_INPUTS
from nnterm.teach.trace import num
from nnterm.tui.teaching.neuron_lab import NeuronLabScreen
from nnterm.tui.widgets.curve_plot import CurvePlot

from .static_content import given


class Host(App):
    """A bare app that opens the lab, as the playground does with `l`."""

    def __init__(self, setup="score"):
        super().__init__()
        self.setup = setup
        self.closed = False

    def on_mount(self) -> None:
        self.push_screen(NeuronLabScreen(None, self.setup), callback=lambda _: setattr(self, "closed", True))


def text(screen, part: str) -> str:
    console = Console(width=200, record=True, file=open("/dev/null", "w"))
    console.print(given(screen.query_one(f"#lab-{part}")))
    return console.export_text()


async def test_score_neuron_shows_each_term_the_sum_and_every_activation():
    app = Host("score")
    async with app.run_test(size=(180, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        panel = text(screen, "neuron")
        z = sum(w * x for w, x in zip(SCORE.weights, SCORE.inputs)) + SCORE.bias
        assert all(name in panel for name in SCORE.input_names)
        assert f"z = Σ w·x + b = {num(z)}" in panel and f"a = linear(z) = {num(z)}" in panel
        await pilot.press("v", "v")                                    # shape → softmax → every activation
        acts = text(screen, "activations")
        assert f"every activation at z = {num(z)}" in acts
        rows = {line.split()[-2]: line.split()[-1] for line in acts.splitlines()[2:] if len(line.split()) >= 2}
        assert rows["sigmoid"] == num(1 / (1 + math.exp(-z))) and rows["tanh"] == num(math.tanh(z))
        assert rows["relu"] == num(z) and "softmax" not in rows
        # the first row's weight is selected: + nudges it by 0.1 and the sum follows
        await pilot.press("plus")
        assert screen.neuron.weights[0] == SCORE.weights[0] + 0.1
        assert f"z = Σ w·x + b = {num(z + 0.1 * SCORE.inputs[0])}" in text(screen, "neuron")
        await pilot.press("tab", "e", "1", "enter")                    # the input "size" := 1
        assert screen.neuron.inputs[0] == 1.0
        await pilot.press("f", "f")                                    # linear → sigmoid → tanh
        assert screen.neuron.activation == "tanh"
        assert "a = tanh(z) = " in text(screen, "neuron")
        await pilot.press("e", "x", "y", "enter")
        assert '"xy" is not a number' in text(screen, "header")
        await pilot.press("escape")
        await pilot.pause()
        assert app.closed


async def test_a_low_bias_shows_a_dead_relu_that_training_cannot_move():
    app = Host("line")
    async with app.run_test(size=(180, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        for _ in range(3):                                             # linear → sigmoid → tanh → relu
            await pilot.press("f")
        assert screen.neuron.activation == "relu"
        assert "DEAD ReLU" not in text(screen, "neuron")
        await pilot.press("up")                                        # the bias row
        assert screen.on_bias
        await pilot.press("e", "-", "3", "enter")
        assert screen.neuron.bias == -3.0
        assert "DEAD ReLU: z ≤ 0 for every example" in text(screen, "neuron")
        weights = screen.neuron.weights.copy()
        await pilot.press("t")
        assert (screen.neuron.weights == weights).all() and screen.neuron.bias == -3.0
        assert "Δw" in text(screen, "training")
        await pilot.press("plus")                                      # −2.9: still dead
        assert "DEAD ReLU" in text(screen, "neuron")
        await pilot.press("e", "1", "enter")
        assert "DEAD ReLU" not in text(screen, "neuron")


async def test_training_one_step_at_a_time_lowers_the_loss():
    app = Host("line")
    async with app.run_test(size=(180, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        start = screen.neuron.loss()
        assert f"loss L = {num(start)} after 0 training steps" in text(screen, "training")
        await pilot.press("t")
        step = screen.last_step
        training = text(screen, "training")
        assert f"last step: loss {num(start)} → {num(step.loss_after)}" in training and step.loss_after < start
        assert f"loss L = {num(step.loss_after)} after 1 training step" in training
        assert screen.neuron.weights[0] == TWO_INPUTS.weights[0] + step.update_weights[0]
        await pilot.press("right_square_bracket", "t", "t")           # learning rate 0.2
        assert screen.neuron.learning_rate == 0.2 and screen.neuron.steps == 3
        assert screen.neuron.loss() < step.loss_after
        await pilot.press("r")
        assert screen.neuron.steps == 0 and screen.neuron.loss() == start
        await pilot.press("s")
        assert screen.neuron.setup.key == "score"


async def test_the_side_shows_the_shape_of_the_chosen_activation_with_this_z_marked():
    app = Host("score")                                                # z = 5.4
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("f", "f")                                    # linear → sigmoid → tanh
        await pilot.pause()
        plot = screen.query_one("#lab-shape", CurvePlot)
        z = screen.neuron.weighted_sum()
        assert plot.display and plot.at == z and [label for label, _ in plot.curves] == ["f(z)", "f′(z)"]
        np.testing.assert_allclose(plot.curves[0][1], np.tanh(plot.z), rtol=1e-12)
        np.testing.assert_allclose(plot.curves[1][1], 1 - np.tanh(plot.z) ** 2, rtol=1e-12, atol=1e-15)
        assert len(plot.z) >= 2 * plot.plot_width()                    # a z for every braille dot column
        drawn = "\n".join(strip.text for strip in (plot.render_line(y) for y in range(plot.size.height)))
        assert any("\u2800" < ch <= "\u28ff" for ch in drawn) and f"z={num(z)}" in drawn
        assert "tanh(z) and its slope" in text(screen, "shape-title")
        values = text(screen, "shape-values")
        assert f"f(z) = {num(math.tanh(z))}" in values and f"f′(z) = {num(1 - math.tanh(z) ** 2)}" in values
        assert "0.99996" in values                                     # tanh(5.4) is not 1
        await pilot.press("plus")                                      # the shape follows the neuron's new z
        await pilot.pause()
        assert plot.at == screen.neuron.weighted_sum() == z + 0.1 * SCORE.inputs[0]
        await pilot.press("v")                                         # softmax of three units
        await pilot.pause()
        assert [label for label, _ in plot.curves] == ["p₁", "p₂", "p₃", "∂p₁/∂z₁"]
        assert "softmax of 3 units" in text(screen, "shape-title") and "p₂ = " in text(screen, "shape-values")
        await pilot.press("v")                                         # every activation's value instead
        await pilot.pause()
        assert not plot.display and "every activation at z" in text(screen, "activations")
        await pilot.press("v")
        await pilot.pause()
        assert plot.display and plot.curves[0][0] == "f(z)"


async def test_an_edit_clears_the_last_step_it_no_longer_describes():
    app = Host("line")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        screen = app.screen
        for edit in (("plus",), ("e", "2", "enter"), ("f",), ("right_square_bracket",)):
            await pilot.press("t")
            assert "last step: loss" in text(screen, "training")
            await pilot.press(*edit)
            assert "last step" not in text(screen, "training") and "press t" in text(screen, "training")


async def test_a_fit_exact_up_to_rounding_shows_zero_with_a_note():
    app = Host("line")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        screen = app.screen
        for _ in range(2000):                     # the examples lie on a line: the fit becomes exact
            screen.neuron.train_step()
        await pilot.press("t")
        training = text(screen, "training")
        residuals = screen.neuron.example_outputs()[1] - [e.target for e in screen.neuron.examples]
        assert 0 < np.abs(residuals).max() < 1e-14                     # what float64 leaves over
        assert "e−16" not in training and "e−15" not in training
        assert ROUNDING_MARK in training and ROUNDING_NOTE in training.replace("\n", " ").replace("  ", " ")


async def test_a_value_typed_in_one_burst_reaches_the_editor_whole():
    """"e1.5⏎" queued at once, before the editor e opens has the focus: the weight is 1.5, not 1 or nothing."""
    from textual import events
    app = Host("line")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        for key in ("e", "1", "full_stop", "5", "enter"):
            app.post_message(events.Key(key, {"full_stop": "."}.get(key, key if len(key) == 1 else None)))
        await pilot.pause()
        assert screen.neuron.weights[0] == 1.5 and not screen.editor.is_open


async def test_a_value_typed_for_the_weight_of_rent_goes_to_rent_even_after_down_moved_the_marker():
    app = Host("score")
    rent = SCORE.input_names.index("rent")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press(*["down"] * rent, "e")
        assert "weight of rent" in screen.editor.placeholder
        await pilot.press("down", "0", "enter")                         # the marker moved to commute meanwhile
        assert screen.neuron.weights[rent] == 0.0
        assert screen.neuron.weights[rent + 1] == SCORE.weights[rent + 1]   # commute is untouched
        assert screen.row == rent                                       # the marker is back on what changed
