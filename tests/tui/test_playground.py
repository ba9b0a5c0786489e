"""The playground as a user drives it (App.run_test + Pilot): step, play/pause, edit the network,
change the learning rate, survive divergence, save and reload a preset, quit while training."""
import math
import re

import numpy as np
import pytest
from textual.command import CommandList
from textual.screen import Screen
from textual.widgets import OptionList

from nnterm.presets.kinds import loss_formula
from nnterm.presets.edits import AddLayer, AddNeuron, RemoveLayer, RemoveNeuron, SetActivation
from nnterm.presets.loader import load_preset, user_preset_dir
from nnterm.tui.app import NntermApp
from nnterm.tui.widgets.fields import NumberPrompt, NumberSelect
from nnterm.tui.playground.loss_chart import LossChart
from nnterm.tui.playground.status_line import StatusLine
from nnterm.tui.dialogs.preset_picker import PresetPicker
from nnterm.tui.dialogs.save_dialog import SaveDialog

from .playground_pilot import click, press_now, settle, status_text, until


def network_edit(app, edit) -> bool:
    """What the network view's keys do: the session edits, the playground says what happened."""
    change = app.session.edit_network(edit)
    app.playground.show_change(change)
    return not change.error


@pytest.fixture(autouse=True)
def nnterm_home(tmp_path, monkeypatch):
    """Saved presets go to a fresh folder, never the user's."""
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    return tmp_path


async def test_load_a_preset_then_step_three_epochs(nnterm_home):
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PresetPicker)
        options = app.screen.query_one(OptionList)
        options.highlighted = options.get_option_index("bundled:spiral")
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.preset.name == "spiral" and app.session.trainer.data.n_inputs == 2
        assert "epoch   0/400" in status_text(app)

        losses = []
        for _ in range(3):
            await pilot.press("n")
            await settle(pilot)
            losses.append(app.session.trainer.history[-1].train_loss)
        assert app.session.trainer.epoch == 3
        text = status_text(app)
        assert "epoch   3/400" in text
        assert f"{losses[-1]:.4f}" in text                         # the latest train loss, 4 decimals
        assert len(set(losses)) == 3                               # the loss moved every epoch
        assert app.screen.query_one(LossChart).epochs == [1, 2, 3]
        assert "paused" in text and "stepped to epoch 3" in text


async def test_play_then_pause(nnterm_home):
    app = NntermApp(load_preset("xor", ["training.epochs=100000"]), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_now(pilot, "space")
        assert app.session.training and "training" in status_text(app)
        await until(pilot, lambda: app.session.trainer.epoch >= 5)
        await press_now(pilot, "space")
        assert not app.session.training and app.session.idle.is_set()             # the thread has stopped, not just been asked
        stopped_at = app.session.trainer.epoch
        await pilot.pause(0.3)
        assert app.session.trainer.epoch == stopped_at
        await settle(pilot)
        assert "paused" in status_text(app) and re.search(rf"epoch +{stopped_at}/100000", status_text(app))
        assert app.screen.query_one(LossChart).epochs[-1] == stopped_at


async def test_add_and_remove_a_layer_and_a_neuron(nnterm_home):
    app = NntermApp(load_preset("xor"), seed=0)                  # 8 tanh, 8 tanh, 1 sigmoid
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        generation = app.session.generation

        def units():
            return [layer.units for layer in app.session.trainer.network.layers]

        assert network_edit(app, AddLayer(2, 3))                  # a 3-unit layer just before the output
        await settle(pilot)
        assert units() == [8, 8, 3, 1] and app.session.trainer.epoch == 0 and app.session.generation > generation
        assert "added a hidden layer" in status_text(app)
        assert network_edit(app, AddNeuron(0))
        await settle(pilot)
        assert units() == [9, 8, 3, 1]
        assert network_edit(app, RemoveNeuron(0))
        assert network_edit(app, RemoveLayer(2))
        await settle(pilot)
        assert units() == [8, 8, 1]
        assert app.session.preset.network.layers == load_preset("xor").network.layers

        # refused edits are sentences, and nothing changes
        assert not network_edit(app, AddNeuron(2))              # the output layer's size is the data's
        assert "hidden layer 3 does not exist" in status_text(app)
        assert units() == [8, 8, 1]


async def test_network_view_edits_reach_the_trainer(nnterm_home):
    network_view = pytest.importorskip("nnterm.tui.widgets.network_view")
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(network_view.NetworkView)
        view.post_message(network_view.NetworkView.ArchitectureEdit(SetActivation(0, "relu")))
        await settle(pilot)
        assert app.session.trainer.network.layers[0].activation == "relu"
        view.post_message(network_view.NetworkView.WeightEdit(1, 2, 3, 0.25))
        view.post_message(network_view.NetworkView.WeightEdit(1, -1, 4, -0.5))
        await settle(pilot)
        assert app.session.trainer.network.layers[1].weight[2, 3] == pytest.approx(0.25)
        assert app.session.trainer.network.layers[1].bias[4] == pytest.approx(-0.5)


async def test_change_the_learning_rate_from_the_list_and_by_typing(nnterm_home):
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        weights = app.session.trainer.network.params.copy()
        select = app.screen.query_one("#learning-rate", NumberSelect)
        assert [value for _, value in select._options][:11] == [1e-05, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
        select.value = 0.3                                         # what picking "0.3" in the list does
        await settle(pilot)
        assert app.session.preset.training.learning_rate == 0.3
        assert app.session.trainer.epoch == 1 and np.array_equal(app.session.trainer.network.params, weights)   # weights kept
        assert "learning rate 0.3" in status_text(app)

        select.value = "other"                                     # "other…": a dialog for any value
        await pilot.pause()
        assert isinstance(app.screen, NumberPrompt)
        prompt = app.screen
        number = prompt.query_one("#number")
        number.value = "fast"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is prompt and "is not a number" in str(prompt.query_one("#prompt-error").render())
        number.value = "0.0042"
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.preset.training.learning_rate == 0.0042 and select.value == 0.0042

        await pilot.press("n")
        await settle(pilot)
        assert app.session.trainer.history[-1].learning_rate == pytest.approx(0.0042)


async def test_divergence_at_learning_rate_10_rolls_back_and_pauses(nnterm_home):
    app = NntermApp(load_preset("plane"), seed=0)               # a linear output: lr 10 blows it up
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        good = app.session.trainer.network.params.copy()
        app.screen.query_one("#learning-rate", NumberSelect).value = 10.0
        await settle(pilot)
        await press_now(pilot, "space")
        await settle(pilot)
        assert not app.session.training
        assert app.session.trainer.epoch == 1 and np.array_equal(app.session.trainer.network.params, good)
        assert np.isfinite(app.session.trainer.network.params).all()
        text = status_text(app)
        assert "diverged" in text and "learning rate 10 is probably too high" in text
        assert any("diverged" in n.message for n in app._notifications)
        assert math.isfinite(app.session.trainer.history[-1].train_loss)

        # back to a sane rate, training goes on from the rolled-back weights
        app.screen.query_one("#learning-rate", NumberSelect).value = 0.01
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert app.session.trainer.epoch == 2 and "paused" in status_text(app)


async def test_save_then_load_the_preset_back(nnterm_home):
    app = NntermApp(load_preset("spiral"), seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert network_edit(app, AddLayer(None, 5))
        app.screen.query_one("#learning-rate", NumberSelect).value = 0.003
        await settle(pilot)
        edited = app.session.preset

        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SaveDialog)
        assert dialog.query_one("#save-name").value == "my-spiral"       # not the bundled preset's own name
        dialog.query_one("#save-name").value = "spiral"
        await click(pilot, "#save-ok")
        await pilot.pause()
        assert app.screen is dialog and "bundled preset" in str(dialog.query_one("#save-error").render())
        dialog.query_one("#save-name").value = "my spiral"
        await click(pilot, "#save-ok")
        await pilot.pause()
        assert app.screen is dialog and "cannot be a preset name" in str(dialog.query_one("#save-error").render())
        dialog.query_one("#save-name").value = "my-spiral"
        await click(pilot, "#save-ok")
        await settle(pilot)
        path = user_preset_dir() / "my-spiral.toml"
        assert path.is_file() and str(path).startswith(str(nnterm_home))
        assert "my-spiral.toml" in status_text(app)

        # what was saved loads back as the same setup
        from dataclasses import replace
        assert load_preset("my-spiral") == replace(edited, name="my-spiral")

        # a second save under the same name asks before replacing the file
        before = path.read_text()
        app.screen.query_one("#learning-rate", NumberSelect).value = 0.1
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#save-name").value = "my-spiral"
        await click(pilot, "#save-ok")
        await pilot.pause()
        assert path.read_text() == before and "exists" in str(app.screen.query_one("#save-error").render())
        await click(pilot, "#save-ok")
        await settle(pilot)
        assert load_preset("my-spiral").training.learning_rate == 0.1

        # and the picker lists it and loads it
        await pilot.press("r")
        app.playground.show_change(app.session.load_preset("xor"))
        await settle(pilot)
        await pilot.press("p")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        options.highlighted = options.get_option_index(f"user:{user_preset_dir() / 'my-spiral.toml'}")
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.preset == load_preset("my-spiral") and len(app.session.trainer.network.layers) == 5


async def test_quit_while_training_exits_and_stops_the_training_thread(nnterm_home):
    app = NntermApp(load_preset("xor", ["training.epochs=1000000"]), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_now(pilot, "space")
        await until(pilot, lambda: app.session.trainer.epoch > 0)
        await press_now(pilot, "q")
    # the app has exited and its training thread has stopped — checked by state, not by a
    # wall-clock bound that a loaded machine could break
    assert app.session.idle.is_set() and not app.session.training
    assert app.return_code == 0


async def test_changing_data_while_training_pauses_rebuilds_and_says_so(nnterm_home):
    app = NntermApp(load_preset("xor", ["training.epochs=100000"]), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_now(pilot, "space")
        await until(pilot, lambda: app.session.trainer.epoch >= 3)
        app.screen.query_one("#data-kind").value = "circle"
        await settle(pilot)
        assert not app.session.training and app.session.trainer.epoch == 0 and app.session.preset.data.kind == "circle"
        assert "data: circle; weights re-initialised — training paused" in status_text(app)
        assert app.screen.query_one(LossChart).epochs == []


KEYS = ["space", "n", "r", "p", "s", "m", "question_mark", "y", "escape", "escape", "enter", "tab", "shift+tab",
        "up", "down", "left", "right", "a", "x", "plus", "minus", "A", "t", "z", "right_square_bracket",
        "i", "l", "g", "d", "b", "1", "0", "backspace"]


async def test_no_key_sequence_crashes_the_app(nnterm_home):
    rng = np.random.default_rng(4)
    app = NntermApp(load_preset("xor", ["training.epochs=200"]), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in rng.choice(KEYS, size=40):
            await press_now(pilot, str(key))
        while len(app.screen_stack) > 1:                      # back to the playground, then quit
            await pilot.press("escape")
        await pilot.press("q")
    assert app.return_code == 0 and app.session.idle.is_set()


async def test_the_panel_controls_change_the_setup(nnterm_home):
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        weights = app.session.trainer.network.params.copy()

        def control(name):
            return app.screen.query_one(f"#{name}")

        # regularisation takes the rate shown beside it; training settings keep the weights
        assert control("regularization-rate").disabled
        control("regularization").value = "l2"
        await settle(pilot)
        assert (app.session.preset.training.l1, app.session.preset.training.l2) == (0.0, 0.001)
        assert not control("regularization-rate").disabled
        control("regularization-rate").value = 0.03
        control("optimizer").value = "adam"
        await settle(pilot)
        assert app.session.preset.training.l2 == 0.03 and app.session.preset.training.optimizer == "adam"
        assert app.session.trainer.epoch == 1 and np.array_equal(app.session.trainer.network.params, weights)

        # the epoch budget, typed
        control("epochs").value = "other"
        await pilot.pause()
        app.screen.query_one("#number").value = "123"
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.preset.training.epochs == 123 and "epoch   1/123" in status_text(app)

        # a feature, with the mouse: one more input, a new network
        await click(pilot, "#feature-sin_x1_")
        await settle(pilot)
        assert app.session.preset.data.features == ("x1", "x2", "sin(x1)") and app.session.trainer.network.n_inputs == 3
        assert app.session.trainer.epoch == 0 and "feature sin(x1) on" in status_text(app)

        control("noise").value = 0.25
        await settle(pilot)
        assert app.session.preset.data.noise == 0.25

        # regression data: a linear output, RMSE and R² in the status line
        control("data-kind").value = "plane"
        await settle(pilot)
        assert app.session.trainer.data.task == "regression" and app.session.preset.output_activation == "linear"
        assert "rmse" in status_text(app) and "r²" in status_text(app)

        # digits: no 2-D features to toggle; it trains, with a confusion matrix in the output
        control("data-kind").value = "digits"
        await settle(pilot)
        assert not control("features").display and "64 pixels" in str(control("features-note").render())
        await pilot.press("n")
        await settle(pilot)
        assert app.session.trainer.epoch == 1 and app.session.trainer.network.n_outputs == 10
        assert "acc" in status_text(app)


class TrainsOneEpoch(Screen):
    """A stand-in for an extra screen (inspector, lab, …): it trains the trainer it is given."""

    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def __init__(self, trainer) -> None:
        super().__init__()
        self.trainer = trainer

    def on_mount(self) -> None:
        self.trainer.train_epoch()


async def test_extra_screens_get_the_trainer_paused_and_the_playground_catches_up(nnterm_home, monkeypatch):
    from nnterm.tui import teaching
    monkeypatch.setitem(teaching.SCREENS, "k", ("Test screen", f"{__name__}:TrainsOneEpoch"))
    app = NntermApp(load_preset("xor", ["training.epochs=100000"]), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_now(pilot, "space")
        await until(pilot, lambda: app.session.trainer.epoch >= 2)
        await press_now(pilot, "k")
        await settle(pilot)
        assert isinstance(app.screen, TrainsOneEpoch) and not app.session.training and app.session.idle.is_set()
        epoch = app.session.trainer.epoch
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.playground
        assert app.screen.query_one(LossChart).epochs == list(range(1, epoch + 1))
        assert f"back from the Test screen · epoch {epoch}" in status_text(app)


async def test_the_command_palette_edits_the_network_and_loads_presets(nnterm_home):
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for query in ("add a hidden", "moons"):
            await pilot.press("ctrl+p")
            await pilot.press(*query)
            await until(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
            await pilot.pause(0.2)
            await pilot.press("enter")
            await settle(pilot)
            if query.startswith("add"):
                assert [layer.units for layer in app.session.trainer.network.layers] == [8, 8, 8, 1]
        assert app.session.preset.name == "moons" and app.screen is app.playground


async def test_play_after_the_budget_is_spent_plays_another_budget(nnterm_home):
    app = NntermApp(load_preset("xor", ["training.epochs=3"]), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_now(pilot, "space")
        await settle(pilot)
        assert app.session.trainer.epoch == 3 and "finished the budget of 3 epochs" in status_text(app)
        await press_now(pilot, "space")
        await settle(pilot)
        assert app.session.trainer.epoch == 6 and app.session.preset.training.epochs == 6
        assert app.screen.query_one("#epochs").value == 6 and "epoch 6/6" in status_text(app)


async def test_help_lists_every_key_the_readme_table_lists(nnterm_home):
    from nnterm.tui.dialogs.help_screen import HelpScreen
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = dict(app.screen.rows)
        for key in ("space", "n", "r", "p", "s", "m", "y", "b", "i", "l", "g", "d", "?", "q"):
            assert key in rows, f"help lacks {key}"
        assert "backend" in rows["b"]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_the_data_select_gives_each_task_its_output_layer_and_loss(nnterm_home):
    """teacher is two classes (sigmoid + bce); xor → plane → xor comes back to sigmoid + bce."""
    from textual.widgets import Select, Static
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        kind = app.screen.query_one("#data-kind", Select)
        for value, task, activation, loss in (("teacher", "binary", "sigmoid", "bce"), ("xor", "binary", "sigmoid", "bce"),
                                              ("plane", "regression", "linear", "mse"), ("xor", "binary", "sigmoid", "bce")):
            kind.value = value
            await settle(pilot)
            trainer = app.session.trainer
            assert trainer.data.task == task and trainer.network.layers[-1].activation == activation
            select = app.screen.query_one("#loss", Select)
            shown = select.query_one("#label", Static).render()
            assert trainer.network.loss == loss and str(shown) == f"auto ({loss})"
            assert select.tooltip == loss_formula(loss)                   # the loss in force, written out
            assert loss_formula(loss) in str(app.screen.query_one(StatusLine).tooltip)
            assert f"data: {value}" in status_text(app)


async def test_a_teaching_screen_opened_before_its_kernels_says_compiling_and_then_opens(nnterm_home):
    """The neuron lab's kernels not loaded yet: a "compiling…" screen answers keys (escape goes
    back), and the lab takes its place the moment the warm-up has its group."""
    import threading

    from nnterm.warmup.kernel_warm_up import KernelWarmUp
    from nnterm.tui.teaching.compiling import CompilingScreen
    from nnterm.tui.teaching.neuron_lab import NeuronLabScreen
    preset = load_preset("xor")
    warm_up = KernelWarmUp(preset, helper=False)           # not started: this test says when each group is ready
    warm_up.finish("playground", "")
    app = NntermApp(preset, seed=0, warm_up=warm_up)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press_now(pilot, "l")
        assert isinstance(app.screen, CompilingScreen)
        assert "Neuron lab: compiling its kernels" in str(app.screen.query_one("#compiling").render())
        await pilot.press("escape")                        # the UI answers while the group is not ready
        assert app.screen is app.playground
        await press_now(pilot, "l")
        assert isinstance(app.screen, CompilingScreen)
        threading.Thread(target=warm_up.finish, args=("neuron_lab", "")).start()
        await until(pilot, lambda: isinstance(app.screen, NeuronLabScreen))
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.playground and "back from the Neuron lab" in status_text(app)


async def test_the_network_view_says_what_its_link_colours_mean(nnterm_home):
    from nnterm.tui.widgets.network_view import NetworkView
    from nnterm.tui.widgets.palette import BLUE, ORANGE, hex_colour
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        legend = app.screen.query_one(NetworkView).border_subtitle
        assert "w > 0" in legend and "w < 0" in legend
        assert legend.index(hex_colour(BLUE)) < legend.index("w > 0") < legend.index(hex_colour(ORANGE)) < legend.index("w < 0")
