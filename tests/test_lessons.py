"""The lesson track headless: every bundled lesson walked through the session, each question
answered with the engine's own value (right) and with a wrong one (wrong), each check failing
before the thing is done and passing after; typed answers that are not numbers; the live answer
following the live state."""
import math
import re

import pytest

from nnterm.lessons import quantities
from nnterm.lessons.format import SCREENS
from nnterm.lessons.runner import LessonRun
from nnterm.lessons.track import bundled_lessons, load_track
from nnterm.lessons.validate import fresh_session, walk

# The primers' order: the issue's list of concepts, one lesson (or two) each.
PRIMER_ORDER = ["neuron", "bias", "activations", "forward", "hidden", "loss", "backprop", "update", "learning-rate",
                "batches", "optimizers", "dead-relu", "overfitting", "early-stopping", "regularisation", "metrics",
                "fine-tuning", "inference", "parameters", "unit-images"]
LESSONS = {lesson.key: lesson for lesson in bundled_lessons()}


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def session():
    return fresh_session()


def test_the_track_follows_the_primers_with_at_least_sixteen_lessons():
    track = load_track()
    assert [lesson.key for lesson in track.lessons] == PRIMER_ORDER and len(track.lessons) >= 16
    assert track.problems == ()
    for lesson in track.lessons:
        assert 2 <= len(lesson.steps) <= 6, lesson.key
        assert any(step.question or step.check for step in lesson.steps), lesson.key
        for step in lesson.steps:
            if step.question or step.check:
                assert step.hints, f"{lesson.key}: a step that asks something has a hint"
            assert step.text.count(". ") + 1 <= 3 or len(step.text) <= 300, f"{lesson.key}: one to three sentences"


def wrong_answer(run) -> str:
    """A number just outside the step's tolerance of the live answer."""
    question = run.step.question
    truth = run.value(question.quantity, question.args)
    allowed = question.tolerance * abs(truth) if question.relative else question.tolerance
    return repr(truth + 2 * allowed + 1e-3)


@pytest.mark.parametrize("key", PRIMER_ORDER)
def test_every_step_of_every_bundled_lesson_judges_right_and_wrong(key, session):
    track = load_track()
    lesson = track.find(key)
    run = LessonRun(lesson, session, track.position(lesson))
    run.start(0)
    while True:
        step = run.step
        assert run.problem == "", run.problem
        assert f"step {run.index + 1} of {len(lesson.steps)}" in run.where()
        for words, value in run.shown():
            assert "cannot" not in value, f"{key} step {run.index + 1}: {words}: {value}"
        if step.question is not None:
            wrong = run.answer(wrong_answer(run))
            assert not wrong.right and wrong.said.startswith("not yet") and not run.unlocked
            assert not run.next() and run.index == lesson.steps.index(step)          # locked until right
            truth = run.value(step.question.quantity, step.question.args)
            right = run.answer(repr(truth))
            assert right.right and right.said.startswith("right:") and step.question.allowed() in right.said
            assert run.unlocked
        elif step.check is not None:
            before = run.check()
            assert not before.right and before.said.startswith("not yet") and not run.unlocked
            after = run.show_me()
            assert after.right, f"{key} step {run.index + 1}: {after.said}"
            assert run.unlocked
        if not run.next():
            break
    assert run.last and run.unlocked


def test_an_answer_that_is_not_a_number_gets_a_sentence_and_another_try(session):
    run = LessonRun(LESSONS["neuron"], session)
    run.start(0)
    said = run.answer("five")
    assert not said.right and '"five" is not a number' in said.said and said.said.endswith("try again")
    assert not run.unlocked
    assert run.answer(repr(run.neuron.weighted_sum())).right


def test_the_answer_is_computed_at_the_moment_it_is_asked(session):
    """Never a stored constant: change the neuron and the right answer moves with it."""
    run = LessonRun(LESSONS["neuron"], session)
    run.start(0)
    before = run.neuron.weighted_sum()
    run.neuron.set_bias(run.neuron.bias + 1.0)
    assert not run.answer(repr(before)).right
    assert run.answer(repr(before + 1.0)).right


def test_skip_unlocks_and_hints_come_one_at_a_time(session):
    run = LessonRun(LESSONS["learning-rate"], session)
    run.start(0)
    hints = run.step.hints
    assert run.hint() == f"hint 1 of {len(hints)}: {run.text(hints[0])}"
    assert run.hint() == f"hint 2 of {len(hints)}: {run.text(hints[1])}"
    assert "{p}" in hints[1] and "1688" in run.text(hints[1])      # a hint's number is the live price, never typed
    assert not run.next()
    run.skip()
    assert run.next() and run.index == 1


def test_resuming_applies_every_earlier_setup_in_order(session):
    """A lesson resumed at step 3 stands where an unbroken walk would: the price game at lr 0.05."""
    run = LessonRun(LESSONS["learning-rate"], session)
    run.start(2)
    assert run.index == 2 and run.price.lr == 0.05 and run.price.price == 1688


def test_the_parameter_counts_come_from_live_networks(session):
    run = LessonRun(LESSONS["parameters"], session)
    run.start(0)
    assert quantities.compute(run, "params_for", {"sizes": [784, 10]}) == 784 * 10 + 10
    run.enter(1)
    assert run.session.trainer.network.summary() and \
        quantities.compute(run, "network_params", {}) == (10 + 1) * 64 + (64 + 1) * 64 + (64 + 1) * 1


def test_a_quantity_that_cannot_be_computed_says_why(session):
    run = LessonRun(LESSONS["forward"], session)
    run.start(0)
    with pytest.raises(Exception) as err:
        run.value("unit_z", {"layer": 9})
    assert str(err.value) == ('lesson forward.toml (bundled), step 1: "quantity" = "unit_z" cannot be computed here: '
                              "layer 9 does not exist: there are layers 1 … 3")


def test_every_quantity_and_screen_has_words():
    for name, quantity in quantities.QUANTITIES.items():
        assert quantity.words and quantity.screen in SCREENS, name


def test_walking_a_bundled_lesson_is_what_check_does(session):
    assert walk(LESSONS["neuron"], session) == len(LESSONS["neuron"].steps) == 4


# A key named in a step's words: "press f", "v opens …", "s lets …".
KEY_NAMED = re.compile(r"\b(?:[Pp]ress ([a-zA-Z])\b|with ([a-zA-Z])(?=[.,;)]|$))|\b([a-zA-Z]) (?:opens|shows|saves|loads|resets|lets|steps|cycles)\b")
# Words that say which screen the key belongs to.
ON_A_SCREEN = re.compile(r"\b(?:on|in|from) the (?:playground|lab|game|price game|inspector|race|Training panel|network view)\b",
                         re.IGNORECASE)


def test_a_key_a_step_names_is_the_lesson_screens_or_says_whose_it_is():
    """On the lesson screen m is "show me" and a letter types into the answer box: a key that
    belongs to the step's screen says so ("on the playground v opens the metrics")."""
    for lesson in LESSONS.values():
        for number, step in enumerate(lesson.steps, 1):
            for words in (step.text, *step.hints):
                for sentence in re.split(r"(?<=[.])\s", words):
                    for match in KEY_NAMED.finditer(sentence):
                        key = next(group for group in match.groups() if group)
                        if key == "o" or ON_A_SCREEN.search(sentence):    # o: the lesson's own key
                            continue
                        pytest.fail(
                            f"{lesson.key} step {number}: {key!r} in {sentence!r} does not say whose key it is")
