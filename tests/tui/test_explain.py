"""Explain (X), driven with Pilot: the picker lists the playground's and the inspector's numbers,
enter opens one with its formula and the real numbers, a click on the status line or a double
click on a unit explains what is under the mouse, and escape closes each in turn. Snapshots of
the explanation at 80×24 and 160×48."""
import pytest
from textual.app import App
from textual.widgets import OptionList, Static

from nnterm.engine.trainer import Trainer
from nnterm.presets.loader import load_preset
from nnterm.runtime.numbers import num
from nnterm.session.session import Session
from nnterm.teach.trace import sub, trace_step
from nnterm.tui.app import NntermApp
from nnterm.tui.dialogs.explain_screen import ExplainPicker, ExplainScreen
from nnterm.tui.playground.status_line import StatusLine
from nnterm.tui.teaching.inspector import InspectorScreen
from nnterm.tui.widgets.network_view import NetworkView

from .playground_pilot import press_now, settle, until
from .static_content import given


@pytest.fixture(autouse=True)
def nnterm_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))


def shown(screen) -> str:
    """Everything the explanation screen shows, as plain text."""
    parts = []
    for static in screen.query(Static):
        content = given(static)
        parts.append(content.plain if hasattr(content, "plain") else str(content))
    return "\n".join(parts)


async def trained(pilot, epochs: int = 5):
    """The playground after `epochs` epochs trained on the test's own thread (no timing on screen)."""
    await settle(pilot)
    session, screen = pilot.app.session, pilot.app.screen
    session.trainer.run(epochs)
    screen.show_trainer(session.trainer)
    session.snapshot()
    await settle(pilot)
    return session, screen


async def pick(pilot, label: str) -> None:
    """Moves the picker's highlight to the option that starts with `label` and presses enter."""
    picker = pilot.app.screen
    assert isinstance(picker, ExplainPicker)
    options = picker.query_one(OptionList)
    index = next(i for i, item in enumerate(picker.items) if item.label == label)
    while options.highlighted != index:
        await pilot.press("down")
    await pilot.press("enter")
    await worked_out(pilot)


async def worked_out(pilot) -> None:
    """Waits for the explanation's worker thread to hand it its explanation."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, ExplainScreen) and app.screen.explanation is not None)
    await pilot.pause()


async def test_picker_on_the_playground_explains_the_loss_and_escape_closes():
    app = NntermApp(load_preset("xor", ["training.l2=0.01"]), seed=0)
    async with app.run_test(size=(160, 48)) as pilot:
        session, playground = await trained(pilot)
        await pilot.press("X")
        assert isinstance(app.screen, ExplainPicker)
        labels = [item.label for item in app.screen.items]
        assert labels[:3] == ["loss", "val_loss", "val_acc"] and "parameters of the network" in labels
        assert "overfitting" in app.screen.terms and "epoch" in app.screen.terms
        await pick(pilot, "val_loss")
        assert isinstance(app.screen, ExplainScreen)
        text = shown(app.screen)
        report = session.trainer.history[-1]
        assert app.screen.explanation.result == report.val_loss
        filled = given(app.screen.query_one("#explain-filled", Static)).plain
        assert "penalty = (l2/2)·Σw²  (weights only" in text and "objective = " in filled and num(report.val_loss) in filled
        assert "penalty = (0.01/2)·" in filled                    # no l1 term: l1 is off
        assert "validation split" in text                        # the terms, with their definitions
        await pilot.press("escape")
        assert isinstance(app.screen, ExplainPicker)
        await pilot.press("escape")
        assert app.screen is playground


async def test_picker_explains_the_selected_unit_with_the_traced_numbers():
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(160, 48)) as pilot:
        session, playground = await trained(pilot)
        playground.views[0].select(1, 2)                        # layer 1, unit 3
        await pilot.press("X")
        await pick(pilot, "z of layer 1 neuron 3")
        e = app.screen.explanation
        trace = trace_step(session.trainer, [0])
        assert e.result == trace.layers[0].z[0, 2] and e.filled[0].startswith("z₃ = ")
        await pilot.press("escape", "escape")
        assert app.screen is playground


async def test_a_term_on_the_picker_shows_its_definition():
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await trained(pilot, 1)
        await pilot.press("X")
        picker = app.screen
        options = picker.query_one(OptionList)
        target = "t" + str(picker.terms.index("epoch"))
        while options.get_option_at_index(options.highlighted).id != target:
            await pilot.press("down")
        await pilot.press("enter")
        assert isinstance(app.screen, ExplainScreen) and app.screen.explanation.title == "epoch · 训练轮次"   # the primers' word beside it
        assert "one pass over every minibatch" in shown(app.screen)


async def test_a_click_on_a_status_field_explains_it():
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(160, 48)) as pilot:
        session, playground = await trained(pilot)
        status = playground.query_one(StatusLine)
        start, _end, name = next(span for span in status.field_spans if span[2] == "val_acc")
        left = status.content_region.x - status.region.x
        await pilot.click(StatusLine, offset=(left + start + 2, status.content_region.y - status.region.y))
        await worked_out(pilot)
        assert isinstance(app.screen, ExplainScreen)
        e = app.screen.explanation
        assert e.title == "accuracy on the validation split"
        assert e.result == session.trainer.history[-1].metrics["val_accuracy"]
        await pilot.press("escape")
        assert app.screen is playground


async def test_a_double_click_on_a_unit_of_the_network_view_explains_it():
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(160, 48)) as pilot:
        session, playground = await trained(pilot)
        view = playground.query_one(NetworkView)
        await until(pilot, lambda: any(hit[:2] == ("neuron", 1) for hit in view._hits.values()))
        (x, y), hit = next((at, hit) for at, hit in sorted(view._hits.items()) if hit[:3] == ("neuron", 1, 1))
        dx, dy = view.content_region.x - view.region.x, view.content_region.y - view.region.y
        await pilot.click(NetworkView, offset=(x + dx, y + dy), times=2)
        await worked_out(pilot)
        assert isinstance(app.screen, ExplainScreen)
        e = app.screen.explanation
        trace = trace_step(session.trainer, [0])
        assert e.result == trace.layers[0].a[0, 1]                # z, then a = f(z), of unit 2
        assert e.filled[0].startswith("z₂ = ") and e.filled[1].startswith("a₂ = ")
        assert e.title == "z₂ and a₂ of layer 1 unit 2, sample 0 of the training split"
        await pilot.press("escape")
        assert app.screen is playground


async def test_a_double_click_on_a_link_explains_its_gradient_and_step():
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(160, 48)) as pilot:
        session, playground = await trained(pilot)
        view = playground.query_one(NetworkView)
        await until(pilot, lambda: any(hit[0] == "link" for hit in view._hits.values()))
        (x, y), (_, layer, source, target) = next((at, hit) for at, hit in sorted(view._hits.items()) if hit[0] == "link")
        dx, dy = view.content_region.x - view.region.x, view.content_region.y - view.region.y
        await pilot.click(NetworkView, offset=(x + dx, y + dy), times=2)
        await worked_out(pilot)
        e = app.screen.explanation
        trace = trace_step(session.trainer)                   # the next minibatch: what training does next
        lt = trace.layers[layer]
        assert e.title.startswith(f"∂L/∂w{sub(source + 1, target + 1)} and Δw")
        assert e.result == lt.update_weight[source, target]
        assert e.filled[0].endswith(num(float(lt.grad_weight[source, target])))


class Host(App):
    """A bare app that opens the inspector, as the playground does with `i`."""

    def __init__(self, trainer):
        super().__init__()
        self.trainer = trainer

    def on_mount(self) -> None:
        self.push_screen(InspectorScreen(Session(self.trainer.preset, trainer=self.trainer)))


async def test_picker_on_the_inspector_explains_the_selected_weights_step():
    trainer = Trainer(load_preset("xor", ["data.samples=60", 'training.optimizer="adam"']))
    app = Host(trainer)
    async with app.run_test(size=(160, 48)) as pilot:
        inspector = app.screen
        await until(pilot, lambda: inspector.trace is not None)
        await pilot.press("right_square_bracket", "down")         # layer 2, its first weight
        await pilot.press("X")
        assert isinstance(app.screen, ExplainPicker)
        layer, source, target = inspector.selected
        labels = [item.label for item in app.screen.items]
        assert labels[:2] == [f"z of unit {target + 1} of layer {layer + 1}", f"a of unit {target + 1} of layer {layer + 1}"]
        name = labels[5]
        assert name.startswith("Δ")
        await pick(pilot, name)
        e = app.screen.explanation
        lt = inspector.trace.layers[layer]
        assert e.result == (lt.update_bias[target] if source < 0 else lt.update_weight[source, target])
        assert "m = β1·m + (1 − β1)·g" in shown(app.screen) and "m and v" in e.terms
        await pilot.press("escape", "escape")
        assert app.screen is inspector
        await pilot.press("escape")                              # and the inspector's own escape still goes back


async def explain_the_val_loss(pilot) -> None:
    await trained(pilot, 20)
    await pilot.press("X")
    await pick(pilot, "val_loss")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_the_explain_screen(snap_compare, size):
    app = NntermApp(load_preset("xor", ["training.l2=0.01"]), seed=0)
    assert snap_compare(app, terminal_size=size, run_before=explain_the_val_loss)


class ScreenHost(App):
    """A bare app that opens one screen, as the playground does with its key."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def on_mount(self) -> None:
        self.push_screen(self.make())


async def test_the_neuron_labs_weighted_sum_is_explained_with_its_inputs():
    from nnterm.tui.teaching.neuron_lab import NeuronLabScreen
    app = ScreenHost(lambda: NeuronLabScreen(None, "score"))
    async with app.run_test(size=(80, 24)) as pilot:
        lab = app.screen
        assert "X explain" in given(lab.query_one("#lab-keys", Static)).plain
        await pilot.press("X")
        await pick(pilot, "z, the weighted sum")
        e = app.screen.explanation
        assert e.result == lab.neuron.weighted_sum() and e.filled[0].count("·") == len(lab.neuron.names)
        await pilot.press("escape", "escape")
        assert app.screen is lab


async def test_a_racers_step_is_explained_by_its_rule_after_it_moved():
    from nnterm.tui.teaching.descent import DescentScreen
    app = ScreenHost(lambda: DescentScreen(None))
    async with app.run_test(size=(160, 48)) as pilot:
        race = app.screen
        await pilot.press("s")
        await pilot.press("X")
        racer = race.racer
        await pick(pilot, f"{racer.name}: step in x")
        e = app.screen.explanation
        assert e.result == racer.path[-1][0] - racer.path[-2][0] and f"Δx = " in "\n".join(e.filled)


async def test_the_summary_explains_each_layers_parameter_count():
    from nnterm.tui.dialogs.summary_screen import SummaryScreen
    trainer = Trainer(load_preset("xor", ["data.samples=60"]))
    app = ScreenHost(lambda: SummaryScreen(trainer))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("X")
        await pick(pilot, "parameters of layer 2")
        layer = trainer.network.layers[1]
        assert app.screen.explanation.filled == (
            f"parameters = {layer.fan_in} × {layer.units} + {layer.units} = {layer.n_params}",)


async def test_the_metrics_panel_explains_accuracy_as_right_over_total():
    from nnterm.tui.dialogs.metrics_screen import MetricsScreen
    trainer = Trainer(load_preset("xor", ["data.samples=60"]))
    trainer.run(3)
    app = ScreenHost(lambda: MetricsScreen(trainer))
    async with app.run_test(size=(160, 48)) as pilot:
        metrics = app.screen
        await until(pilot, lambda: metrics.explanations)
        await pilot.press("X")
        labels = [item.label for item in app.screen.items]
        assert labels[0] == "accuracy on the validation split" and "F1 of class 1" in labels[1:]
        await pick(pilot, labels[0])
        e = app.screen.explanation
        outputs = trainer.backend.predict(trainer.network, trainer.data.x_val)
        right = int(((outputs[:, 0] >= 0.5) == (trainer.data.y_val[:, 0] >= 0.5)).sum())
        assert f"accuracy = {right}/{len(trainer.data.x_val)} = " in e.filled[0]


async def test_help_names_x_and_the_price_game_lists_its_terms():
    from nnterm.tui.dialogs.help_screen import HelpScreen
    from nnterm.tui.teaching.price import PriceScreen
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen) and "explain a number" in dict(app.screen.rows)["X"]
    app = ScreenHost(lambda: PriceScreen(None))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("X")
        assert isinstance(app.screen, ExplainPicker) and app.screen.items == [] and "gradient" in app.screen.terms


async def test_x_before_the_inspectors_kernels_are_loaded_says_compiling_and_then_opens_the_picker():
    """An explanation runs a traced step and the penalty kernel: pressed before the warm-up has
    loaded them, X waits behind the compiling screen (escape goes back) instead of compiling
    them on the UI thread; a double click on a unit waits the same way."""
    import threading

    from nnterm.warmup.kernel_warm_up import KernelWarmUp
    from nnterm.tui.teaching.compiling import CompilingScreen
    preset = load_preset("xor")
    warm_up = KernelWarmUp(preset, helper=False)           # not started: this test says when each group is ready
    warm_up.finish("playground", "")
    app = NntermApp(preset, seed=0, warm_up=warm_up)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_now(pilot, "X")
        assert isinstance(app.screen, CompilingScreen)
        assert "Explain: compiling its kernels" in str(app.screen.query_one("#compiling").render())
        await pilot.press("escape")
        assert app.screen is app.playground
        app.playground.post_message(NetworkView.ExplainAsked(1, 0, None))
        await pilot.pause()
        assert isinstance(app.screen, CompilingScreen)         # the mouse's way in waits too
        await pilot.press("escape")
        await press_now(pilot, "X")
        threading.Thread(target=warm_up.finish, args=("inspector", "")).start()
        await until(pilot, lambda: isinstance(app.screen, ExplainPicker))
        await pick(pilot, "parameters of the network")
        assert app.screen.explanation.result == app.session.trainer.network.n_params
        await pilot.press("escape", "escape")
        assert app.screen is app.playground


async def test_an_explanation_says_working_out_until_its_thread_has_it():
    import threading

    from nnterm.errors import NntermError
    from nnterm.teach import explain
    network = Trainer(load_preset("xor", ["data.samples=60"])).network
    go = threading.Event()

    def slow():
        go.wait(30)
        return explain.network_parameters(network)

    def refused():
        raise NntermError("no trace yet: step once first")

    app = ScreenHost(lambda: ExplainScreen(build=slow))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ExplainScreen) and "working out…" in shown(app.screen)
        go.set()
        await worked_out(pilot)
        assert "parameters = " in shown(app.screen) and "working out" not in shown(app.screen)
    app = ScreenHost(lambda: ExplainScreen(build=refused))
    async with app.run_test(size=(80, 24)) as pilot:
        # Closed, the reason in a notice. Textual posts a notice as a message, which may be handled
        # after the screen has gone: wait for both (a hang guard, not a timing).
        await until(pilot, lambda: not isinstance(app.screen, ExplainScreen)
                    and any("no trace yet" in note.message for note in app._notifications))
