"""The bundled track in Chinese: every lesson has its NAME.zh.toml, one field for one field with
the English, the same {name}s, no older than the English it translates, and the Chinese lesson
asks, claims and checks exactly what the English does — the audit counts the same and holds."""
import re
from dataclasses import replace

import pytest

from nnterm.lessons.audit import audit_lesson
from nnterm.lessons.format import PLACEHOLDER
from nnterm.lessons.runner import LessonRun
from nnterm.lessons.track import bundled_lessons
from nnterm.lessons.translation import in_language, languages, stale_steps, words_of
from nnterm.lessons.validate import fresh_session
from nnterm.runtime.language import use

LESSONS = bundled_lessons()
IDS = [lesson.key for lesson in LESSONS]


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path / "home"))
    yield
    use("en")


def hanzi(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def test_every_bundled_lesson_has_its_chinese():
    missing = [lesson.label for lesson in LESSONS if "zh" not in languages(lesson)]
    assert missing == [], f"no Chinese beside {', '.join(missing)}: write NAME.zh.toml (nnterm/lessons/translation.py)"


def checks_of(lesson):
    """Everything a lesson computes, asks and judges — all but its words."""
    out = []
    for step in lesson.steps:
        setup = {**step.setup, "compare": [{k: v for k, v in run.items() if k != "label"}
                                           for run in step.setup.get("compare", [])]}
        out.append((step.screen, setup, step.values, [replace(entry, label="") for entry in step.show],
                    [replace(claim, says="") for claim in step.claims],
                    replace(step.question, ask="") if step.question else None,
                    replace(step.check, ask="") if step.check else None))
    return lesson.key, lesson.order, out


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_the_chinese_lesson_checks_exactly_what_the_english_does(lesson):
    chinese = in_language(lesson, "zh")
    assert chinese.language == "zh" and checks_of(chinese) == checks_of(lesson)
    assert in_language(chinese, "en") == lesson                      # and back: a live switch loses nothing


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_the_chinese_words_pair_one_for_one_with_the_english_and_say_the_same_values(lesson):
    english, chinese = words_of(lesson), words_of(in_language(lesson, "zh"))
    assert len(chinese.steps) == len(english.steps)
    for n, (zh, en) in enumerate(zip(chinese.steps, english.steps), 1):
        for field in ("hints", "labels", "says", "runs"):
            assert len(getattr(zh, field)) == len(getattr(en, field)), f"{lesson.key} step {n}: {field}"
        for said, theirs in zip((zh.text, *zh.hints, zh.ask, *zh.labels, *zh.says, *zh.runs),
                                (en.text, *en.hints, en.ask, *en.labels, *en.says, *en.runs)):
            assert set(PLACEHOLDER.findall(said)) == set(PLACEHOLDER.findall(theirs)), f"{lesson.key} step {n}: {said}"
            assert bool(said) == bool(theirs)
        assert any("\u4e00" <= c <= "\u9fff" for c in zh.text), f"{lesson.key} step {n} is not in Chinese"


def test_no_chinese_lesson_is_older_than_the_english_it_translates():
    """An English text changed after it was translated: the fingerprint its translation keeps says which."""
    stale = {f"{lesson.key}.zh.toml": stale_steps(lesson, dict(lesson.translations)["zh"])
             for lesson in LESSONS if "zh" in languages(lesson)}
    stale = {name: steps for name, steps in stale.items() if steps}
    assert stale == {}, "translate these again, then set their source to the English's: " + "; ".join(
        f"{name}: {', '.join(steps)}" for name, steps in stale.items())


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_the_chinese_lesson_audits_as_the_english_does_and_reads_in_chinese(lesson):
    """Played on a fresh session in Chinese: the same claims hold, the same values, questions and tasks
    count; every step's text and hints render with the live values in Chinese."""
    use("zh")
    chinese = in_language(lesson, "zh")
    result, english = audit_lesson(chinese), audit_lesson(lesson)
    assert result.failures == []
    assert (result.claims, result.held, result.values, result.questions, result.tasks) == \
           (english.claims, english.held, english.values, english.questions, english.tasks)
    run = LessonRun(chinese, fresh_session())
    for index, step in enumerate(chinese.steps):
        run.start(0) if index == 0 else run.enter(index)
        assert hanzi(run.text()), f"{lesson.key} step {index + 1}: {run.text()}"
        english = re.search(r"(?:\b[A-Za-z]{2,}[ ,;:]+){3}[A-Za-z]{2,}", run.text())      # a definition left in English
        assert english is None, f"{lesson.key} step {index + 1}: {english.group()}"
        for said in (run.text(), *(run.text(hint) for hint in step.hints)):        # a value that fails says so in [ ]
            assert not PLACEHOLDER.search(said) and "cannot be computed" not in said, f"{lesson.key} step {index + 1}: {said}"
        if step.check is not None:
            assert run.show_me().right                     # as a learner would leave it for the next step
        run.skip()
