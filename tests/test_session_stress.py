"""The session under fire: resets, retunes, edits and lesson-style training while epochs run,
hundreds of times over several presets, as a person hammering keys would (docs/design.md, "Who
drives the trainer"). Nothing here depends on speed: however many epochs run between two
actions, the same things must hold — no error event, no event lost, a consistent state."""
import math
import queue
import random
import time

import numpy as np
import pytest

from nnterm.presets.loader import load_preset
from nnterm.session import session as session_module
from nnterm.session.events import EpochsDone, KernelsReady, Notice, TrainingStopped
from nnterm.session.session import Session

PRESETS = ("xor", "circle", "moons", "spiral")
ACTIONS_PER_PRESET = 150
BIG_BUDGET = 10 ** 6               # a play that only a pause ends


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)


class Hammer:
    """A headless session and the thread that drives it: every event handed back to `receive`."""

    def __init__(self, preset) -> None:
        self.inbox = queue.Queue()
        self.session = Session(preset, post=self.inbox.put)
        self.posted, self.received = [], []      # everything the threads said; what receive kept
        self.deliver(KernelsReady(0.0))         # no warm-up here: the kernels load on first use

    def deliver(self, event) -> None:
        self.posted.append(event)
        kept = self.session.receive(event)
        if kept is not None:
            self.received.append(kept)

    def drain(self) -> None:
        while True:
            try:
                self.deliver(self.inbox.get_nowait())
            except queue.Empty:
                return

    def settle(self) -> None:
        """Pauses, waits for the thread to have posted everything, and takes it all."""
        self.session.pause()
        if self.session.thread is not None:
            self.session.thread.join(timeout=120)
        self.drain()


def act(hammer: Hammer, rng: random.Random) -> None:
    session = hammer.session
    choice = rng.randrange(9)
    if choice == 0:
        session.play()
    elif choice == 1:
        session.reset()
    elif choice == 2:
        session.set_training(learning_rate=rng.choice([0.003, 0.03, 0.1, 0.3]))
    elif choice == 3:
        session.set_weight(0, 0, 0, rng.uniform(-1, 1))
    elif choice == 4:
        session.set_trainable(0, rng.random() < 0.5)
    elif choice == 5:
        session.train_now(rng.randrange(1, 4))
    elif choice == 6:
        session.set_data(noise=rng.choice([0.0, 0.1]))
    elif choice == 7:
        session.set_optimizer(rng.choice(["adam", "sgd", "momentum"]))
    else:
        session.step()


@pytest.mark.parametrize("name", PRESETS)
def test_resets_retunes_and_edits_while_epochs_run_lose_nothing(name):
    hammer = Hammer(load_preset(name, ["data.samples=200", f"training.epochs={BIG_BUDGET}"]))
    session, rng = hammer.session, random.Random(name)
    for _ in range(ACTIONS_PER_PRESET):
        act(hammer, rng)
        hammer.drain()
        if rng.random() < 0.3 and not session.training:
            session.play()
    hammer.settle()

    failures = [e for e in hammer.received
                if (isinstance(e, TrainingStopped) and e.failed) or (isinstance(e, Notice) and e.error)]
    assert not failures, failures
    # Every run the session started said how it ended, once, with its own number.
    ended = sorted(e.run for e in hammer.posted if isinstance(e, TrainingStopped))
    assert ended == list(range(1, session.run + 1))
    # The trainer now: idle, its epochs those its reports counted, its weights finite.
    trainer = session.trainer
    assert not session.training and session.idle.is_set()
    assert all(np.isfinite(trainer.network.params))
    if trainer.history:
        assert trainer.history[-1].epoch == trainer.epoch
    # The reports of the trainer's current generation: every epoch once, in order, none lost.
    epochs = [r.epoch for e in hammer.received if isinstance(e, EpochsDone) and e.generation == session.generation
              for r in e.reports]
    assert epochs == list(range(epochs[0], epochs[0] + len(epochs))) if epochs else True
    if epochs:
        assert epochs[-1] == trainer.epoch


def test_every_run_ends_with_one_stopped_event_of_its_own_number():
    hammer = Hammer(load_preset("xor", ["data.samples=100", f"training.epochs={BIG_BUDGET}"]))
    session = hammer.session
    for _ in range(100):
        session.play()
        session.pause()
        session.train_now(1)
    hammer.settle()
    ended = [e.run for e in hammer.posted if isinstance(e, TrainingStopped)]
    assert sorted(ended) == list(range(1, session.run + 1)) and session.run == 200


def mid_epoch(session, guard: float = 60.0) -> None:
    """Returns once an epoch holds the trainer (or the run has ended): the moment a reset used to
    pull the weights from under it. A hang guard only, never a timing the test depends on."""
    deadline = time.monotonic() + guard
    while not session.trainer.epoch_lock.locked() and not session.idle.is_set():
        assert time.monotonic() < deadline, "the training thread never started an epoch"


def test_a_reset_that_cannot_wait_for_the_epoch_still_never_races_it(monkeypatch):
    """A pause that gives up at once (as one that outlives its wait does): the reset waits for the
    running epoch under the trainer's lock instead of pulling the weights from under it, and the
    pause that timed out is said."""
    monkeypatch.setattr(session_module, "PAUSE_WAIT", 0.0)
    hammer = Hammer(load_preset("spiral", ["data.samples=2000", f"training.epochs={BIG_BUDGET}"]))
    session = hammer.session
    said = 0
    for _ in range(100):
        if session.idle.is_set():
            session.play()
        mid_epoch(session)
        session.reset()
        hammer.drain()
    hammer.settle()
    failed = [e for e in hammer.received if isinstance(e, TrainingStopped) and e.failed]
    notices = [e for e in hammer.received if isinstance(e, Notice)]
    said = sum("has not ended" in n.said for n in notices)
    assert not failed, failed[0].reason
    assert all(not ("had ended" in n.said) for n in notices)
    assert said == len(notices)          # only timed-out pauses were said, and each in words
    assert math.isfinite(float(session.trainer.network.params.sum()))


def test_a_late_failure_from_an_earlier_run_is_said_and_its_stop_never_ends_the_current_run():
    hammer = Hammer(load_preset("xor", ["data.samples=60", f"training.epochs={BIG_BUDGET}"]))
    session = hammer.session
    session.play()
    current, generation = session.run, session.generation
    assert session.receive(TrainingStopped(generation, "paused at epoch 3", run=current - 1)) is None
    assert session.training                        # an earlier run's "stopped" leaves this one going
    session.reset()                                # a new generation: the old run's news is stale …
    late = session.receive(TrainingStopped(generation, "training stopped by an error: TypeError: x", failed=True,
                                           run=current))
    assert isinstance(late, Notice) and late.error and f"run {current}" in late.said and "TypeError" in late.said
    assert session.receive(TrainingStopped(generation, "paused at epoch 3", run=current)) is None   # … but a failure is said
    hammer.settle()


def test_train_now_trains_on_the_sessions_thread_and_posts_like_a_play():
    hammer = Hammer(load_preset("xor", ["data.samples=60"]))
    session = hammer.session
    change = session.train_now(4)
    assert not change.error and [r.epoch for r in change.extra["reports"]] == [1, 2, 3, 4]
    assert session.trainer.epoch == 4 and session.thread.name == "nnterm-training"
    hammer.drain()
    assert [r.epoch for e in hammer.received if isinstance(e, EpochsDone) for r in e.reports] == [1, 2, 3, 4]
    assert [e.run for e in hammer.received if isinstance(e, TrainingStopped)] == [1]
    until = session.train_now(50, until=lambda: session.trainer.epoch >= 6)
    assert session.trainer.epoch == 6 and len(until.extra["reports"]) == 2
