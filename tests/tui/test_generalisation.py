"""Generalisation in the playground: the test split, early stopping from the Training panel,
overfitting named in the status line, and earlier runs kept on the loss chart beside the current."""
import numpy as np
import pytest
from rich.text import Text
from textual.widgets import Select

from nnterm.engine.generalisation import best_epoch, overfitting
from nnterm.presets.compare import differences
from nnterm.presets import edits
from nnterm.presets.loader import load_preset
from nnterm.tui.app import NntermApp
from nnterm.tui.widgets.fields import NumberSelect

from .playground_pilot import settle, status_text, until


async def train_to_the_end(pilot) -> None:
    """space, then wait until the training thread has stopped and its last messages are shown. On an
    empty kernel cache play waits for the kernels (session.play_requested) before training starts."""
    await pilot.press("space")
    session = pilot.app.session
    await until(pilot, lambda: not session.training and session.play_requested == 0)
    await settle(pilot)


@pytest.fixture(autouse=True)
def nnterm_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    return tmp_path


def test_overfitting_is_a_rising_validation_loss_while_the_training_loss_falls():
    epochs = list(range(1, 41))
    train = [1.0 / e for e in epochs]
    val = [1.0 / e if e <= 10 else 0.1 + 0.01 * (e - 10) for e in epochs]
    assert best_epoch(epochs, train, val).epoch == 10
    found = overfitting(epochs, train, val)
    assert found is not None and found.best.epoch == 10 and "epoch 10" in found.sentence()
    assert overfitting(epochs[:25], train[:25], val[:25]) is None            # not for long enough yet
    assert overfitting(epochs, [0.5] * 40, val) is None                       # training loss did not fall
    assert overfitting(epochs, train, [float("nan")] * 40) is None            # no validation split


def test_a_run_label_says_what_it_did_differently():
    xor = load_preset("xor")
    assert differences(edits.set_training(xor, learning_rate=0.3), xor) == ["lr 0.3"]
    assert differences(edits.set_optimizer(xor, "adam"), xor) == ["adam"]
    assert differences(edits.set_regularization(xor, "l2", 0.03), xor) == ["L2 0.03"]
    assert differences(edits.set_training(xor, epochs=900), xor) == []       # a longer budget is the same run


async def test_early_stopping_from_the_panel_stops_and_restores_the_best_epoch():
    app = NntermApp(load_preset("overfit"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.screen
        assert panel.query_one("#patience", NumberSelect).disabled                 # off: its knobs rest
        panel.query_one("#early-stopping", Select).value = True
        await settle(pilot)
        assert app.session.preset.training.early_stopping and "early stopping on" in status_text(app)
        assert not panel.query_one("#patience", NumberSelect).disabled
        await train_to_the_end(pilot)
        trainer = app.session.trainer
        best = min(trainer.history, key=lambda r: r.val_loss)
        assert trainer.epoch < 400 and f"restored the best weights, from epoch {best.epoch}" in status_text(app)
        assert np.isclose(trainer.backend.evaluate_loss(trainer.network, trainer.data.x_val, trainer.data.y_val),
                          best.val_loss)


async def test_early_stopping_without_a_validation_split_is_refused_in_a_sentence():
    app = NntermApp(load_preset("xor", ["data.train_fraction=0.8", "data.test_fraction=0.2"]), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#early-stopping", Select).value = True
        await settle(pilot)
        assert "needs a validation split" in status_text(app) and not app.session.preset.training.early_stopping
        assert app.screen.query_one("#early-stopping", Select).value is False   # the control shows what is in force


async def test_a_test_split_from_the_data_panel_draws_its_loss():
    app = NntermApp(load_preset("xor", ["training.epochs=5"]), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#test-fraction", NumberSelect).value = 0.2
        await settle(pilot)
        assert app.session.trainer.data.x_test.shape[0] == 100 and "test fraction 20 %" in status_text(app)
        await train_to_the_end(pilot)
        chart = app.screen.loss_chart
        assert len(chart.test) == 5 and all(np.isfinite(chart.test)) and "test" in chart.border_title


async def test_overfitting_is_named_in_the_status_line():
    app = NntermApp(load_preset("overfit", ["training.epochs=200"]), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await train_to_the_end(pilot)
        assert "finished the budget of 200 epochs; overfitting since epoch " in status_text(app)


async def test_the_overfitting_sentence_keeps_its_best_epoch_at_80x24():
    app = NntermApp(load_preset("overfit", ["training.epochs=200"]), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await train_to_the_end(pilot)
        shown = app.screen.status.render().plain.splitlines()[1][:app.screen.status.size.width - 1]
        best = overfitting(app.screen.loss_chart.epochs, app.screen.loss_chart.train, app.screen.loss_chart.val).best
        assert f"overfitting since epoch {best.epoch}" in shown


async def test_a_second_run_keeps_the_first_beside_it_and_k_forgets_it():
    app = NntermApp(load_preset("xor", ["training.epochs=6"]), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await train_to_the_end(pilot)
        chart = app.screen.loss_chart
        first = list(chart.train)
        app.screen.query_one("#learning-rate", NumberSelect).value = 0.3      # a knob changes …
        await settle(pilot)
        await pilot.press("r")                                                # … and training starts again
        await settle(pilot)
        assert [label for label, *_ in chart.runs] == ["lr 0.03"] and chart.runs[0][2] == first
        await train_to_the_end(pilot)
        assert len(chart.epochs) == 6 and chart.train != first and "earlier: lr 0.03" in chart.border_title
        await pilot.press("k")
        assert chart.runs == [] and "forgot 1 earlier run" in status_text(app)
        app.screen.query_one("#data-kind", Select).value = "circle"            # other data: nothing to compare
        await settle(pilot)
        assert chart.runs == []


async def test_a_frozen_layer_stays_bit_for_bit_while_the_rest_trains(monkeypatch, tmp_path):
    app = NntermApp(load_preset("xor", ["training.epochs=5"]), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")                            # the selected first hidden layer, frozen
        await settle(pilot)
        trainer = app.session.trainer
        assert not trainer.network.layers[0].trainable and "layer 1 frozen" in status_text(app)
        assert not app.session.preset.network.layers[0].trainable          # the setup says so too
        first, second = trainer.network.layers[0].weight.copy(), trainer.network.layers[1].weight.copy()
        await train_to_the_end(pilot)
        assert np.array_equal(trainer.network.layers[0].weight, first)
        assert not np.array_equal(trainer.network.layers[1].weight, second)
        view = app.screen.views[0]
        for column in (2, 3):                              # the other two frozen: the last one may not be
            view.column = column
            await pilot.press("f")
            await settle(pilot)
        assert "nothing would be left to train" in status_text(app) and app.session.preset.network.layers[2].trainable
        view.column = 2
        await pilot.press("f")                             # and back
        await settle(pilot)
        assert "layer 2 trains again" in status_text(app) and trainer.network.layers[1].trainable


async def test_weights_saved_in_the_app_load_back_with_identical_predictions(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    app = NntermApp(load_preset("xor", ["training.epochs=8"]), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await train_to_the_end(pilot)
        trainer = app.session.trainer
        predicted = trainer.network.predict(trainer.data.x_val).copy()
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("enter")                          # the offered name: xor.safetensors, here
        await settle(pilot)
        assert (tmp_path / "xor.safetensors").is_file() and "saved the weights of epoch 8" in status_text(app)
        await pilot.press("r")                              # fresh weights …
        await settle(pilot)
        assert not np.array_equal(app.session.trainer.network.predict(trainer.data.x_val), predicted)
        await pilot.press("W", "enter")                     # … and the file's again
        await settle(pilot)
        trainer = app.session.trainer
        assert "resumed xor.safetensors at epoch 8" in status_text(app) and trainer.epoch == 8
        assert np.array_equal(trainer.network.predict(trainer.data.x_val), predicted)
        await pilot.press("W")
        await settle(pilot)
        app.screen.query_one("#path-input").value = "missing.safetensors"
        await pilot.press("enter")
        await settle(pilot)
        assert "missing.safetensors" in status_text(app) and app.session.trainer.epoch == 8   # refused, nothing lost


async def test_the_metrics_panel_gives_evals_figures_and_walks_the_splits():
    from nnterm.engine.evaluation import report_lines
    from nnterm.engine.evaluation import evaluate_outputs
    app = NntermApp(load_preset("xor", ["training.epochs=20", "data.test_fraction=0.2"]), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await train_to_the_end(pilot)
        await pilot.press("v")
        await settle(pilot)
        text = str(app.screen.query_one("#metrics-text").render())
        trainer = app.session.trainer
        data = trainer.data
        metrics = evaluate_outputs(data.task, trainer.network.predict(data.x_val), data.y_val, 2)
        assert "validation split · 50 samples · epoch 20" in text and f"roc_auc          {metrics['roc_auc']:.4f}" in text
        right = round(metrics["accuracy"] * 50)
        assert f"accuracy = right / total = {right} / 50" in text and "ROC curve" in text
        assert all(line in text for line in report_lines("", 0.0, metrics, data.class_names)[3:] if "loss" not in line)
        await pilot.press("t")
        await settle(pilot)
        assert "test split · 100 samples" in str(app.screen.query_one("#metrics-text").render())
        await pilot.press("escape")


async def test_the_metrics_panel_for_regression_shows_rmse_and_predictions():
    app = NntermApp(load_preset("plane", ["training.epochs=5"]), seed=0)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        text = str(app.screen.query_one("#metrics-text").render())
        assert "rmse" in text and "r2" in text and "accuracy" not in text
        assert app.screen.query_one("#metrics-curve").display


async def test_a_click_on_the_plane_adds_a_point_and_ctrl_click_removes_the_nearest():
    app = NntermApp(load_preset("gauss", ["training.epochs=3"]), seed=0)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        view = app.screen.views[1]
        x0, y0, cols, rows = view._plane                  # in content cells; a click's offset counts the frame too
        x0, y0 = x0 + view.content_region.x - view.region.x, y0 + view.content_region.y - view.region.y
        data = app.session.trainer.data
        before = data.x_train.shape[0]
        await pilot.click("#output-view", offset=(x0 + cols - 2, y0 + 1))        # the top right corner: class 1
        await settle(pilot)
        assert data.x_train.shape[0] == before + 1 and data.y_train[-1, 0] == 1.0
        x, y = data.points_train[-1]
        assert x > 4 and y > 4 and "added a training point of class 1" in status_text(app)
        np.testing.assert_allclose(data.inputs_for_points(data.points_train[-1:]), data.x_train[-1:], rtol=1e-5)
        await pilot.press("o")                                                    # class 0 next
        await pilot.click("#output-view", offset=(x0 + 1, y0 + rows - 2))
        await settle(pilot)
        assert data.x_train.shape[0] == before + 2 and data.y_train[-1, 0] == 0.0
        await pilot.click("#output-view", offset=(x0 + cols - 2, y0 + 1), control=True)
        await settle(pilot)
        assert data.x_train.shape[0] == before + 1 and "removed the training point" in status_text(app)
        await pilot.press("space")                                               # training goes on with them
        await until(pilot, lambda: not app.session.training and app.session.play_requested == 0)
        assert app.session.trainer.epoch == 3


async def test_the_digits_are_browsed_mistakes_first_with_each_class_probability():
    app = NntermApp(load_preset("digits", ["training.epochs=3"]), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await train_to_the_end(pilot)
        await pilot.press("j")
        await settle(pilot)
        screen = app.screen
        result = screen.result
        first = int(result.order[0])
        assert int(np.argmax(result.probabilities[first])) != int(result.labels[first])     # a mistake first
        text = str(screen.query_one("#digits-view").render())
        assert "misclassified: 1 of" in text and "← true" in text and "← predicted" in text
        trainer = app.session.trainer
        raw = trainer.data.x_val[first] * trainer.data.scaler_std + trainer.data.scaler_mean
        assert np.allclose(result.images[first].ravel(), raw) and -1e-4 < raw.min() and raw.max() < 16 + 1e-4   # float32 inputs
        await pilot.press("left")                                                           # the last: a sure right one
        assert f"right: {len(result.order) - result.wrong} of" in str(screen.query_one("#digits-view").render())
        await pilot.press("escape")
        await pilot.press("p")


async def test_the_overfitting_sentence_at_160x48_does_not_end_cut_at_early_stopping_would_have_kept():
    app = NntermApp(load_preset("overfit", ["training.epochs=300"]), seed=0)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await train_to_the_end(pilot)
        shown = app.screen.status.render().plain.splitlines()[1][:app.screen.status.size.width - 1]
        best = overfitting(app.screen.loss_chart.epochs, app.screen.loss_chart.train, app.screen.loss_chart.val).best
        assert f"overfitting since epoch {best.epoch}, the one early stopping would keep" in shown


async def test_early_stoppings_best_epoch_is_not_cut_off_the_status_line_at_80x24():
    app = NntermApp(load_preset("overfit", ["training.early_stopping=true"]), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await train_to_the_end(pilot)
        best = min(app.session.trainer.history, key=lambda r: r.val_loss)
        shown = app.screen.status.render().plain.splitlines()[1][:app.screen.status.size.width - 1]
        assert f"restored the best weights, from epoch {best.epoch}" in shown


@pytest.mark.parametrize("size, words", [((80, 24), "best val: {epoch}"), ((160, 48), "best val_loss: epoch {epoch} · linear · click")])
async def test_the_loss_chart_says_what_its_vertical_mark_is(size, words):
    """The mark at the best validation epoch is a full-height line: a learner took it for a curve."""
    app = NntermApp(load_preset("overfit", ["training.epochs=60"]), seed=0)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await train_to_the_end(pilot)
        chart = app.screen.loss_chart
        mark = best_epoch(chart.epochs, chart.train, chart.val).epoch
        assert mark < chart.epochs[-1] and "┃ " + words.format(epoch=mark) in Text.from_markup(chart.border_subtitle).plain
