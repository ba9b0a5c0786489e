"""The training thread's loop (nnterm.session.training_loop.train), run here on the test's own thread:
throttled posts that still deliver every report, cancellation between epochs, and the words it
stops with (paused, budget spent, diverged, early stopping)."""
import itertools

from nnterm.presets.loader import load_preset
from nnterm.engine.trainer import Trainer
from nnterm.session.events import EpochsDone, TrainingStopped
from nnterm.session.training_loop import POST_INTERVAL, budget_left, train


def run(trainer, epochs, cancel_after=None, tick=POST_INTERVAL / 2.5, ui_keeps_up=True):
    """Trains with a fake clock that moves `tick` seconds per reading; returns the messages, each
    EpochsDone opened at once (a UI that keeps up) or only at the end (a UI busy painting)."""
    posted = []
    times = itertools.count(0.0, tick)
    checks = itertools.count(1)
    cancelled = (lambda: next(checks) > cancel_after) if cancel_after is not None else (lambda: False)

    def post(message):
        if ui_keeps_up and isinstance(message, EpochsDone):
            message.take()
        posted.append(message)

    train(trainer, epochs, generation=7, cancelled=cancelled, post=post, clock=lambda: next(times))
    if not ui_keeps_up:
        for message in posted:
            if isinstance(message, EpochsDone):
                message.take()
    return posted


def reports_of(messages):
    return [r for m in messages if isinstance(m, EpochsDone) for r in m.reports]


def test_posts_are_throttled_but_every_report_arrives_in_order():
    trainer = Trainer(load_preset("xor"))
    messages = run(trainer, 20)
    epochs = [m for m in messages if isinstance(m, EpochsDone)]
    assert 1 < len(epochs) <= 20 * 0.4 + 1                # one post per 2.5 epochs of fake time, not 20
    assert reports_of(messages) == trainer.history          # nothing lost, nothing twice
    assert all(m.generation == 7 for m in messages)
    assert all(m.snapshot.epoch == m.report.epoch for m in epochs)
    stop = messages[-1]
    assert isinstance(stop, TrainingStopped) and stop.reason == "trained 20 epochs" and not stop.diverged


def test_a_busy_ui_gets_one_message_with_everything_and_the_latest_snapshot():
    trainer = Trainer(load_preset("xor"))
    messages = run(trainer, 20, ui_keeps_up=False)
    epochs = [m for m in messages if isinstance(m, EpochsDone)]
    assert len(epochs) == 1                                 # never a queue of stale frames
    assert list(epochs[0].reports) == trainer.history
    assert epochs[0].snapshot.epoch == 20                   # the final state, not the first delivery's
    assert isinstance(messages[-1], TrainingStopped)


def test_one_step_and_the_budget_say_what_happened():
    trainer = Trainer(load_preset("xor", ["training.epochs=3"]))
    assert run(trainer, 1)[-1].reason == "stepped to epoch 1"
    messages = run(trainer, budget_left(trainer))
    assert trainer.epoch == 3 and budget_left(trainer) == 0
    assert messages[-1].reason == "finished the budget of 3 epochs"


def test_cancel_stops_between_epochs_and_flushes_what_was_trained():
    trainer = Trainer(load_preset("xor"))
    messages = run(trainer, 1000, cancel_after=4)
    assert trainer.epoch == 4
    assert [r.epoch for r in reports_of(messages)] == [1, 2, 3, 4]
    assert messages[-1].reason == "paused at epoch 4"


def test_divergence_is_reported_as_such_and_its_epoch_is_not():
    trainer = Trainer(load_preset("plane", ["training.learning_rate=10"]))
    messages = run(trainer, 50)
    assert trainer.epoch == 0 and reports_of(messages) == []
    stop = messages[-1]
    assert stop.diverged and not stop.early and "learning rate 10 is probably too high" in stop.reason


def test_early_stopping_is_not_divergence():
    trainer = Trainer(load_preset("xor", ["training.early_stopping=true", "training.patience=1",
                                          "training.min_delta=10.0"]))
    messages = run(trainer, 100)
    stop = messages[-1]
    assert trainer.epoch == 2 and [r.epoch for r in reports_of(messages)] == [1, 2]
    assert stop.early and not stop.diverged and stop.reason.startswith("early stopping")
