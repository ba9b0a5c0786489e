"""A learner answers from what the step shows: the numbers printed under a step's text, as
printed (rounded), put through the step's own formula, land within the step's tolerance — so a
learner who does the arithmetic the text asks for is told "right"."""
import pytest

from nnterm.lessons.runner import LessonRun
from nnterm.lessons.track import load_track
from nnterm.lessons.validate import fresh_session
from nnterm.runtime.numbers import parse_number

# (lesson, step counted from 1) → the learner's arithmetic on the shown numbers, in their order.
BY_HAND = {
    ("forward", 1): lambda x1, x2, w11, w21, b1: w11 * x1 + w21 * x2 + b1,
    ("loss", 1): lambda y_hat, y: (y_hat - y) ** 2,
    ("backprop", 1): lambda delta, a: delta * a,
    ("backprop", 2): lambda delta, a: delta * a,
    ("update", 1): lambda w, g, lr: w - lr * g,
    ("update", 2): lambda b, delta, lr: b - lr * delta,
    ("learning-rate", 2): lambda g, p: g - 0.1 * 2 * (g - p),       # lr = 0.1, as the step's text says
}


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="module")
def session():
    return fresh_session()


@pytest.mark.parametrize("key, number", list(BY_HAND), ids=[f"{k}-{n}" for k, n in BY_HAND])
def test_the_shown_numbers_as_printed_give_a_right_answer(key, number, session):
    track = load_track()
    lesson = track.find(key)
    run = LessonRun(lesson, session, track.position(lesson))
    run.start(number - 1)
    shown = [parse_number(value, words) for words, value in run.shown()]
    verdict = run.answer(repr(BY_HAND[key, number](*shown)))
    assert verdict.right, f"{key} step {number}: {verdict.said} (shown: {run.shown()})"


def test_the_best_epoch_is_where_early_stopping_stopped_less_its_patience(session):
    """The playground's notice is gone by the time the step is read: its two shown numbers give it."""
    track = load_track()
    lesson = track.find("early-stopping")
    run = LessonRun(lesson, session, track.position(lesson))
    run.start(0)
    assert run.show_me().right                                  # turned on, trained until it stopped
    assert run.next()
    stopped, patience = (parse_number(value, words) for words, value in run.shown())
    verdict = run.answer(repr(stopped - patience))
    assert verdict.right, verdict.said


def test_a_step_without_a_question_shows_what_it_says_it_shows(session):
    """The hidden-unit step reads four live numbers: one per corner of xor's plane, each a tanh in −1 … 1."""
    track = load_track()
    lesson = track.find("hidden")
    run = LessonRun(lesson, session, track.position(lesson))
    run.start(2)
    rows = run.shown()
    assert [words for words, _ in rows] == [f"unit 1 at {corner}" for corner in
                                            ("(−3, −3)", "(−3, 3)", "(3, −3)", "(3, 3)")]
    assert all(-1 <= parse_number(value, words) <= 1 for words, value in rows) and run.unlocked


@pytest.mark.parametrize("key, number, shown", [("loss", 3, "train_loss"), ("overfitting", 2, "val_loss")])
def test_the_loss_the_status_line_shows_is_a_right_answer(key, number, shown, session):
    """The status line prints the last epoch's loss, taken as it trained; the step asks the mean
    loss now: the tolerance lets the one the learner reads count."""
    track = load_track()
    lesson = track.find(key)
    run = LessonRun(lesson, session, track.position(lesson))
    run.start(number - 1)
    status_line = getattr(session.trainer.history[-1], shown)
    verdict = run.answer(f"{status_line:.4f}")
    assert verdict.right, verdict.said
