"""The playground's visual widgets in a tiny app: they draw the snapshot, select with keys and the
mouse, ask for weight and architecture edits with the right fields, and survive any shape and size."""
import itertools

import numpy as np
import pytest
from textual.app import App
from textual.containers import Horizontal
from textual.widgets import Label

from nnterm.presets.edits import AddLayer, AddNeuron, RemoveLayer, RemoveNeuron, SetActivation
from nnterm.presets.loader import load_preset
from nnterm.engine.snapshot import take_snapshot
from nnterm.engine.trainer import Trainer
from nnterm.tui.widgets.canvas import UPPER_HALF
from nnterm.tui.widgets.heatmap import TEST_GLYPH, TRAIN_GLYPH, OutputView
from nnterm.runtime.numbers import weight_text as number
from nnterm.tui.widgets.network_view import NetworkView
from nnterm.tui.widgets.palette import SELECTED_DARK, SELECTED_LIGHT, point_colour
from nnterm.tui.widgets.weight_editor import WeightEditor, parse_weight


class Host(App):
    """The two views side by side, recording what they ask the shell to do."""

    CSS = "NetworkView { width: 3fr; } OutputView { width: 2fr; }"

    def __init__(self, snapshot):
        super().__init__()
        self.snapshot = snapshot
        self.edits = []

    def compose(self):
        with Horizontal():
            yield NetworkView()
            yield OutputView()

    def on_mount(self) -> None:
        for view in self.query("NetworkView, OutputView"):
            view.show(self.snapshot)
        self.query_one(NetworkView).focus()

    def on_network_view_weight_edit(self, message: NetworkView.WeightEdit) -> None:
        self.edits.append(("weight", message.layer, message.source, message.target, message.value))

    def on_network_view_architecture_edit(self, message: NetworkView.ArchitectureEdit) -> None:
        self.edits.append(message.edit)


def snapshot_of(preset="xor", *overrides, epochs=0):
    trainer = Trainer(load_preset(preset, ["data.samples=80", *overrides]))
    trainer.run(epochs)
    return take_snapshot(trainer)


@pytest.fixture(scope="module")
def xor():
    return snapshot_of("xor", "network.layers=[{units=3, activation='tanh'}, {units=1, activation='sigmoid'}]",
                       epochs=2)


def lines(widget) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


def cells(widget):
    """(x, y) → (character, rich Style) of every painted cell."""
    out = {}
    for y in range(widget.size.height):
        x = 0
        for segment in widget.render_line(y):
            for char in segment.text:
                out[(x, y)] = (char, segment.style)
                x += 1
    return out


async def test_both_views_draw_the_snapshot(xor):
    app = Host(xor)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        net, out = app.query_one(NetworkView), app.query_one(OutputView)
        text = "\n".join(lines(net))
        assert "input" in text and "tanh" in text and "sigmoid" in text
        assert "x1" in text and "x2" in text
        assert UPPER_HALF in text                                   # neuron heatmaps
        assert any(0x2800 < ord(c) <= 0x28FF for c in text)         # braille links
        assert f"bias {number(float(xor.biases[0][0]))}" in text    # the first hidden neuron is selected
        plot = "\n".join(lines(out))
        assert plot.count(UPPER_HALF) > 300 and "−6" in plot and "6" in plot and "test points" in plot


async def test_training_points_sit_where_they_are_in_their_label_colour(xor):
    app = Host(xor)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        out = app.query_one(OutputView)
        painted = cells(out)
        dots = [(xy, st) for xy, (char, st) in painted.items() if char == TRAIN_GLYPH]
        assert 0.5 * len(xor.points_train) < len(dots) <= len(xor.points_train)     # some share a cell
        colours = {st.color.get_truecolor() for _, st in dots}
        assert colours == {tuple(point_colour(k, 2, True)) for k in (0, 1)}
        # the point nearest the top-left corner is drawn in the top-left quarter
        i = int(np.argmin(xor.points_train[:, 0] - xor.points_train[:, 1]))
        label = int(xor.labels_train[i])
        top_left = [xy for xy, st in dots if st.color.get_truecolor() == tuple(point_colour(label, 2, True))]
        xs = [xy[0] for xy, _ in dots]
        ys = [xy[1] for xy, _ in dots]
        assert min(x + y for x, y in top_left) <= min(xs) + min(ys) + 2


async def test_test_points_and_discretize_toggle_by_key(xor):
    app = Host(xor)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        out = app.query_one(OutputView)
        out.focus()
        assert TEST_GLYPH not in "".join(lines(out))
        await pilot.press("t")
        assert out.show_test and TEST_GLYPH in "".join(lines(out))
        smooth = {st.bgcolor.get_truecolor() for char, st in cells(out).values() if char == UPPER_HALF}
        await pilot.press("z")
        assert out.discretize
        sharp = {st.bgcolor.get_truecolor() for char, st in cells(out).values() if char == UPPER_HALF}
        assert len(sharp) == 2 < len(smooth)                 # two classes, two colours


async def test_legend_click_toggles_discretize(xor):
    app = Host(xor)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        out = app.query_one(OutputView)
        lines(out)
        x, y = next(xy for xy, action in out._toggles.items() if action == "toggle_discretize")
        await pilot.click(OutputView, offset=(x, y))
        await pilot.pause()
        assert out.discretize


async def test_arrows_move_the_selection_and_the_info_line_follows(xor):
    app = Host(xor)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        net = app.query_one(NetworkView)
        assert (net.column, net.unit) == (1, 0)
        await pilot.press("down", "down", "down", "down")
        assert net.unit == 2                                  # clamped at the last of 3 neurons
        await pilot.press("right")
        assert (net.column, net.unit) == (2, 0)               # the output has one neuron
        await pilot.press("left", "left", "up")
        assert (net.column, net.unit) == (0, 0)
        assert "input x1" in "\n".join(lines(net))
        await pilot.press("right", "down", "right_square_bracket", "right_square_bracket")
        assert (net.column, net.unit, net.source) == (1, 1, 0)        # the bias first, then x1's weight
        w = float(xor.weights[0][0, 1])
        assert f"weight input x1 → layer 1 neuron 2 = {number(w)}" in "\n".join(lines(net))
        await pilot.press("left_square_bracket")
        assert net.source == -1 and "bias of layer 1 neuron 2" in "\n".join(lines(net))
        await pilot.press("left_square_bracket")
        assert net.source == 1                                         # round to the last input, x2


async def test_mouse_selects_a_neuron_or_a_link(xor):
    app = Host(xor)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        net = app.query_one(NetworkView)
        lines(net)
        neuron = next(xy for xy, hit in net._hits.items() if hit == ("neuron", 1, 2))
        await pilot.click(NetworkView, offset=neuron)
        assert (net.column, net.unit, net.source) == (1, 2, None)
        link = next(xy for xy, hit in net._hits.items() if hit == ("link", 1, 0, 0))
        await pilot.click(NetworkView, offset=link)
        assert (net.column, net.unit, net.source) == (2, 0, 0)
        assert number(float(xor.weights[1][0, 0])) in "\n".join(lines(net))


async def test_enter_on_a_weight_types_a_new_value_and_posts_weight_edit(xor):
    app = Host(xor)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        await pilot.press("down", "right_square_bracket", "right_square_bracket", "enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, WeightEditor)
        field = editor.query_one("#weight-input")
        assert field.value == f"{float(xor.weights[0][0, 1]):.4f}"
        field.value = "abc"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is editor and app.edits == []
        assert "“abc” is not a number" in str(editor.query_one("#weight-error", Label).render())
        field.value = "−0.75"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, WeightEditor)
        assert app.edits == [("weight", 0, 0, 1, -0.75)]


async def test_enter_on_a_neuron_edits_its_bias_and_escape_cancels(xor):
    app = Host(xor)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        await pilot.press("right", "enter")
        await pilot.pause()
        await pilot.press("2", "e", "minus", "1", "enter")        # typing replaces the value shown
        await pilot.pause()
        assert app.edits == [("weight", 1, -1, 0, 0.2)]
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert len(app.edits) == 1 and not isinstance(app.screen, WeightEditor)


async def test_layer_keys_post_architecture_edits_and_refuse_what_cannot_be(xor):
    app = Host(snapshot_of("xor"))          # 2 → 8 tanh → 8 tanh → 1 sigmoid
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("plus", "minus", "a", "A", "right", "x")
        assert app.edits == [AddNeuron(0), RemoveNeuron(0), AddLayer(1, 8), SetActivation(0, "relu"), RemoveLayer(1)]
        app.edits.clear()
        await pilot.press("right", "plus", "x", "A", "a")      # the output layer
        assert app.edits == [SetActivation(2, "tanh"), AddLayer(2, 4)]
        await pilot.press("left", "left", "left", "plus", "x", "A", "enter")     # the inputs
        assert app.edits == [SetActivation(2, "tanh"), AddLayer(2, 4)]
        await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert any("output layer's size is set by the data" in n for n in notes)
        assert any("Only a hidden layer can be removed" in n for n in notes)
        assert any("Inputs have no activation" in n for n in notes)


async def test_a_layer_left_with_one_neuron_is_not_emptied():
    app = Host(snapshot_of("xor", "network.layers=[{units=1, activation='tanh'}, {units=1, activation='sigmoid'}]"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("minus")
        assert app.edits == []
        assert any("at least one neuron" in n.message for n in app._notifications)


async def test_redraws_only_for_a_new_snapshot_or_selection(xor):
    app = Host(xor)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        net = app.query_one(NetworkView)
        paints = []
        original = net.paint
        net.paint = lambda w, h: paints.append(1) or original(w, h)
        for _ in range(3):
            net.refresh()
            await pilot.pause()
        assert paints == []                          # a plain refresh serves the cached lines
        await pilot.press("down")
        await pilot.pause()
        assert len(paints) == 1
        net.show(xor)
        await pilot.pause()
        assert len(paints) == 2


async def test_non_2d_data_shows_a_confusion_matrix_and_layer_summaries():
    snap = snapshot_of("digits")
    app = Host(snap)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        out = "\n".join(lines(app.query_one(OutputView)))
        assert "confusion matrix · validation" in out and f"/{int(snap.confusion.sum())} right" in out
        net = "\n".join(lines(app.query_one(NetworkView)))
        mean_abs, low, high = snap.weight_summary(0)
        assert "64 inputs" in net and f"|w| {mean_abs:.3f}" in net and f"min {number(low)}" in net


async def test_regression_without_a_plane_shows_predictions_against_targets():
    trainer = Trainer(load_preset("plane", ["data.samples=60"]))
    trainer.data.raw_2d = False
    app = Host(take_snapshot(trainer))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        out = "\n".join(lines(app.query_one(OutputView)))
        assert "predicted ↑ vs target" in out and UPPER_HALF in out


@pytest.mark.parametrize("preset, overrides", [
    ("xor", ["network.layers=[{units=1, activation='sigmoid'}]"]),                  # no hidden layer
    ("plane", []),
    ("spiral", []),                                                                   # 16-unit layers
    ("keras-binary", ["data.samples=100"]),                                          # wide, not 2-D
])
def test_any_shape_paints_at_any_size(preset, overrides):
    snap = snapshot_of(preset, *overrides)
    for view in (NetworkView(), OutputView()):
        view.snapshot = snap
        for width, height in itertools.chain(itertools.product((0, 1, 7, 24, 41), (0, 1, 3, 6, 11)), [(80, 24)]):
            for column in range(len(snap.sizes)):
                view.column, view.unit, view.source = column, 0, (0 if column else None)
                canvas = view.paint(width, height)
                assert len(canvas.strips()) == height


async def test_the_smallest_layout_still_draws(xor):
    app = Host(xor)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        await pilot.press("down", "right", "right_square_bracket", "left", "up")
        assert UPPER_HALF in "".join(lines(app.query_one(NetworkView)))
        assert UPPER_HALF in "".join(lines(app.query_one(OutputView)))


@pytest.mark.parametrize("text, value", [("0.5", 0.5), ("−0.25", -0.25), (" -2e-3 ", -0.002), ("1,5", 1.5)])
def test_weight_text_parses(text, value):
    assert parse_weight(text) == value


@pytest.mark.parametrize("text, sentence", [
    ("", "type a number"), ("abc", "is not a number"), ("nan", "not a finite number"),
    ("inf", "not a finite number"), ("1e9", "must lie within ±1,000,000"), ("1,2,3", "is not a number"),
])
def test_a_bad_weight_is_refused_with_a_sentence(text, sentence):
    with pytest.raises(ValueError, match=sentence):
        parse_weight(text)


def test_a_small_plot_draws_points_as_pixels_so_the_surface_still_shows():
    snap = snapshot_of("spiral", "data.samples=400")
    view = OutputView()
    view.snapshot = snap
    canvas = view.paint(30, 12)
    chars = "".join("".join(row) for row in canvas.chars)
    assert TRAIN_GLYPH not in chars
    pixels = [c for row in canvas.styles for st in row if st is not None and st.bgcolor is not None
              for c in (st.color.get_truecolor(), st.bgcolor.get_truecolor())]
    for label in (0, 1):
        assert tuple(point_colour(label, 2, True)) in pixels
    surface = {p for p in pixels if p not in {tuple(point_colour(k, 2, True)) for k in (0, 1)}}
    assert len(surface) > 20                       # the boundary's shades are still there


async def test_a_theme_change_repaints_in_the_themes_colours(xor):
    app = Host(xor)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        net = app.query_one(NetworkView)
        header = lambda: {st.color.get_truecolor() for (x, y), (char, st) in cells(net).items() if y == 0 and char in "tanh"
                          and st is not None and st.bold}
        assert header() == {SELECTED_DARK}
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.pause()
        assert header() == {SELECTED_LIGHT}


class FramedHost(Host):
    """As the playground lays it out: a border and padding around the view."""

    CSS = Host.CSS + " NetworkView { border: round red; padding: 0 1; }"


async def test_clicks_land_on_the_right_neuron_inside_a_border_and_padding(xor):
    app = FramedHost(xor)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        net = app.query_one(NetworkView)
        lines(net)
        x, y = next(xy for xy, hit in net._hits.items() if hit == ("neuron", 1, 1))
        await pilot.click(NetworkView, offset=(x + 2, y + 1))     # border 1 + padding 1 on the left, border 1 on top
        assert (net.column, net.unit) == (1, 1)


async def test_a_panel_too_narrow_for_columns_lists_the_layers_and_arrows_walk_them():
    snap = snapshot_of("spiral")                     # 2 → 16 → 16 → 16 → 1
    app = Host(snap)
    async with app.run_test(size=(48, 16)) as pilot:
        await pilot.pause()
        net = app.query_one(NetworkView)
        text = "\n".join(lines(net))
        assert net.table_mode and "1   16 tanh" in text and "out  1 sigmoid" in text
        mean_abs, low, high = snap.weight_summary(1)
        assert f"w ∈ [{number(low, 2)}, {number(high, 2)}]" in text and "…" not in text   # a range, never cut
        await pilot.press("down", "down")
        assert net.column == 3
        await pilot.press("up", "plus")
        assert app.edits == [AddNeuron(1)]


async def test_t_and_z_reach_the_output_view_while_the_network_has_the_focus(xor):
    app = Host(xor)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        out = app.query_one(OutputView)
        assert app.focused is app.query_one(NetworkView)
        await pilot.press("t", "z")
        assert out.show_test and out.discretize
        assert TEST_GLYPH in "".join(lines(out))


async def test_a_three_class_spiral_draws_three_colours_in_the_surface_and_the_points():
    """Several classes: each its own colour, in the decision boundary and in the points."""
    snap = snapshot_of("spiral", 'data.kind="spiral3"', 'network.layers=[{units=16, activation="tanh"}, '
                       '{units=16, activation="tanh"}, {units=3, activation="softmax"}]', 'training.optimizer="adam"',
                       "training.learning_rate=0.01", epochs=150)
    assert snap.n_classes == 3 and set(np.unique(snap.boundary)) == {0.0, 1.0, 2.0}
    app = Host(snap)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        out = app.query_one(OutputView)
        out.focus()
        await pilot.press("z")                                    # discretized: pure class colours
        surface = {st.bgcolor.get_truecolor() for char, st in cells(out).values() if char == UPPER_HALF}
        assert len(surface) == 3
        dots = {st.color.get_truecolor() for char, st in cells(out).values() if char == TRAIN_GLYPH}
        assert dots == {tuple(point_colour(k, 3, True)) for k in range(3)}
        legend = "".join(lines(out))
        assert "0 " in legend and "1 " in legend and "2 " in legend and "P(class 1)" not in legend
