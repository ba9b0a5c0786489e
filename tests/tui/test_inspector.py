"""The backprop inspector, driven with Pilot: pick a sample, walk every phase, follow one weight,
train an epoch and see the numbers change; dead ReLUs are marked; wide layers collapse."""
import re

import numpy as np
from rich.console import Console
from textual.app import App

from nnterm.presets.kinds import loss_formula
from nnterm.runtime.numbers import read_number
from nnterm.presets.loader import load_preset
from nnterm.session.session import Session
from nnterm.teach.trace import num, trace_step
from nnterm.engine.trainer import Trainer
from nnterm.tui.teaching.inspector import InspectorScreen

from .playground_pilot import until
from .static_content import given


class Host(App):
    """A bare app that opens the inspector, as the playground does with `i`."""

    def __init__(self, trainer):
        super().__init__()
        self.trainer = trainer
        self.closed = False

    def on_mount(self) -> None:
        self.push_screen(InspectorScreen(Session(self.trainer.preset, trainer=self.trainer)), callback=lambda _: setattr(self, "closed", True))


def small(*overrides):
    return Trainer(load_preset("xor", ["data.samples=60", *overrides]))


def unit_row(layers: str, layer: int, unit: int) -> list[str]:
    """The cells [unit, z, a, δ, b, ∂L/∂b, Δb] of one unit in the layers pane."""
    lines = layers.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"Layer {layer} "))
    row = next(line for line in lines[start + 2:] if line.replace("▸", "").split()[0] == str(unit))
    return row.replace("▸", "").split()[:7]


def text(screen, part: str) -> str:
    console = Console(width=200, record=True, file=open("/dev/null", "w"))
    console.print(given(screen.query_one(f"#inspector-{part}")))
    return console.export_text()


async def test_pick_a_sample_by_arrows_or_by_number():
    trainer = small()
    app = Host(trainer)
    async with app.run_test(size=(180, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InspectorScreen) and screen.sample == 0
        await pilot.press("right", "right", "left")
        assert screen.sample == 1
        x = trainer.data.x_train[1]
        assert "sample 1 of 42 alone" in text(screen, "header")
        assert f"what the network computes with: x1 = {num(float(x[0]))}, x2 = {num(float(x[1]))}" in text(screen, "header")
        await pilot.press("1", "7")
        assert "go to sample: 17_" in text(screen, "header")
        await pilot.press("enter")
        assert screen.sample == 17 and screen.trace.rows.tolist() == [17]
        await pilot.press("9", "9", "enter")
        assert screen.sample == 17
        assert "there is no sample 99: the training set has 42 samples, numbered 0 … 41" in text(screen, "header")
        await pilot.press("escape")
        await pilot.pause()
        assert app.closed and not isinstance(app.screen, InspectorScreen)


async def test_walk_all_phases_later_ones_blank_until_reached():
    trainer = small()
    trace = trace_step(trainer, [0])
    app = Host(trainer)
    async with app.run_test(size=(180, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        first, last = trace.layers[0], trace.layers[-1]
        loss = f"loss L = {num(trace.loss)}"
        layers = text(screen, "layers")
        assert screen.phase == ("forward", 0)
        # layer 1's z and a are shown, its δ is not; layer 2 is not reached; the loss is blank
        assert unit_row(layers, 1, 1)[1:4] == [num(float(first.z[0, 0])), num(float(first.a[0, 0])), "·"]
        assert unit_row(layers, 2, 1)[1:4] == ["·", "·", "·"]
        assert loss not in layers
        seen = [screen.phase]
        for _ in range(len(screen.steps) - 1):
            await pilot.press("space")
            seen.append(screen.phase)
            layers = text(screen, "layers")
            if screen.phase == ("loss", -1):
                assert loss in layers and unit_row(layers, 3, 1)[3] == "·"
            if screen.phase == ("backward", 2):
                assert unit_row(layers, 3, 1)[3] == num(float(last.delta[0, 0]))
                assert unit_row(layers, 1, 1)[3] == "·"
        assert seen == [("forward", 0), ("forward", 1), ("forward", 2), ("loss", -1),
                        ("backward", 2), ("backward", 1), ("backward", 0), ("update", -1)]
        assert unit_row(layers, 1, 1)[3:] == [num(float(v)) for v in (first.delta[0, 0], first.bias[0], first.grad_bias[0], first.update_bias[0])]
        assert num(float(first.update_weight[0, 0])) in layers
        header = text(screen, "header")
        assert "Update: the optimizer (sgd, learning rate 0.03)" in header
        await pilot.press("space", "p")                               # the last phase stays last; p goes back
        assert screen.phase == ("backward", 0)


async def test_select_a_weight_and_read_its_chain_rule_with_the_gradient_check():
    trainer = small()
    trace = trace_step(trainer, [0])
    app = Host(trainer)
    async with app.run_test(size=(180, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.selected == (0, 0, 0)                          # w₁₁ of layer 1
        await pilot.press("right_square_bracket")
        assert screen.selected == (1, 0, 0)
        await pilot.press("down", "down", "up")                       # w₂₁, w₃₁, back to w₂₁
        assert screen.selected == (1, 1, 0)
        chain = text(screen, "chain")
        assert "Follow one weight: w₂₁, layer 2" in chain and "backward: not reached yet" in chain
        await pilot.press("a")
        chain = text(screen, "chain")
        lt = trace.layers[1]
        d, a_in = float(lt.delta[0, 0]), float(lt.inputs[0, 1])
        assert f"∂L/∂w₂₁ = δ₁ · a₂ = ({num(d)})({num(a_in)}) = {num(float(lt.grad_weight[1, 0]))}" in chain
        assert f"w₂₁: {num(float(lt.weight[1, 0]))} → {num(float(lt.weight_after[1, 0]))}" in chain
        assert "slope ≈" in chain and "relative error" in chain
        error = read_number(chain.split("relative error ")[1].split(")")[0])
        assert error < 1e-3                                           # float32 network, float64 check
        marked = [line.split() for line in text(screen, "layers").splitlines() if line.strip().startswith("▸")]
        assert ["▸", "2", "→", "1"] in [row[:4] for row in marked]        # the chosen weight's row is marked


async def test_n_trains_one_epoch_and_shows_before_and_after():
    trainer = small()
    start = trainer.network.params.copy()
    app = Host(trainer)
    async with app.run_test(size=(180, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("a")
        before = text(screen, "layers")
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert trainer.epoch == 1 and not np.array_equal(trainer.network.params, start)
        epoch = text(screen, "epoch")
        w = trainer.network.layers[0].weight
        assert "Epoch 1 trained: loss on the whole training set, before → after the epoch" in epoch
        assert f"the status line's loss, {num(trainer.history[-1].train_loss)}, is the mean over the epoch's minibatches" \
            in " ".join(epoch.split())
        assert f"layer 1 w₁₁ {num(float(start[0])):>9} {num(float(w[0, 0])):>11}".split() == \
            [line for line in epoch.splitlines() if "layer 1 w₁₁" in line][0].split()[:5]
        assert text(screen, "layers") != before                      # the trace was redone on the new weights
        assert screen.trace.epoch == 1


async def test_dead_relus_are_marked_and_wide_layers_collapse_to_statistics():
    trainer = small('network.layers=[{units=20, activation="relu"}, {units=1, activation="sigmoid"}]')
    trainer.network.layers[0].bias[3] = -100.0                      # unit 4 never fires
    app = Host(trainer)
    async with app.run_test(size=(180, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("a")
        layers = text(screen, "layers")
        assert "20 units — mean |δ|" in layers and "update/weight" in layers
        assert "dead ReLUs 1  saturated 0 (on the training set)" in layers
        assert "weights into unit 1 (of 40;" in layers
        for _ in range(3 * 3):                                        # 3 rows per neuron: bias, w₁, w₂
            await pilot.press("down")
        assert screen.selected == (0, 0, 3)
        layers = text(screen, "layers")
        assert "weights into unit 4" in layers and "dead ReLU" in layers
        await pilot.press("z")
        weight_rows = lambda pane: sum(1 for line in pane.splitlines() if re.match(r"\s*▸?\s*\d+ → \d+ ", line))
        assert weight_rows(layers) == 2 + 20                          # unit 4's two weights; the output's 20
        assert weight_rows(text(screen, "layers")) == 40 + 20         # z: all of layer 1
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "layer 1: dead ReLU unit(s) 4" in text(screen, "epoch")


async def test_minibatch_mode_shows_the_step_the_trainer_then_takes():
    # full batch: the next minibatch is the whole training set, so one epoch is this one step
    trainer = small('training.optimizer="gd"')
    app = Host(trainer)
    async with app.run_test(size=(180, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("b", "a")
        trace = screen.trace
        assert len(trace.rows) == 42 and "the next minibatch training will use (42 samples); row 1: sample" in text(screen, "header")
        await pilot.press("right")
        assert screen.focus == 1 and screen.trace is trace                # same batch, another row shown
        row = unit_row(text(screen, "layers"), 1, 1)
        assert row[1] == num(float(trace.layers[0].z[1, 0]))
        shown = num(float(trace.layers[0].update_weight[0, 0]))
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        change = [line.split() for line in text(screen, "epoch").splitlines() if "layer 1 w₁₁" in line][0][-1]
        assert change == shown


async def test_playground_keys_i_and_l_open_the_inspector_and_the_neuron_lab():
    from nnterm.tui.app import NntermApp
    from nnterm.tui.teaching.neuron_lab import NeuronLabScreen
    app = NntermApp(load_preset("xor", ["data.samples=60"]))
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        # on a loaded machine the inspector's kernels may still be loading: the compiling screen
        # stands in until they are, then gives way to the inspector (a state to wait for, not a time)
        await until(pilot, lambda: isinstance(app.screen, InspectorScreen))
        assert app.screen.trainer is app.session.trainer
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session.trainer.epoch == 1
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, InspectorScreen)
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, NeuronLabScreen))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, NeuronLabScreen)


async def test_the_header_shows_raw_and_standardised_inputs_the_loss_formula_and_the_penalty():
    trainer = small("training.l2=0.01")
    app = Host(trainer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        x = trainer.data.x_train[0]
        raw = trainer.data.raw_inputs(x)
        header = " ".join(text(screen, "header").split())
        assert f"standardised inputs (x − mean)/std, what the network computes with: x1 = {num(float(x[0]))}" in header
        assert f"raw inputs, in the data's own units: x1 = {num(float(raw[0]))}, x2 = {num(float(raw[1]))}" in header
        assert raw[0] != x[0]
        while screen.phase[0] != "loss":
            await pilot.press("space")
        assert loss_formula("bce") in " ".join(text(screen, "header").split())
        await pilot.press("a")                                        # the update phase
        header = " ".join(text(screen, "header").split())
        assert "With L2 (l2/2)·Σw² (l2 = 0.01) on the weights (not biases), each weight steps on ∂L/∂w + l2·w." in header
