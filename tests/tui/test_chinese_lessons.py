"""The lesson track in Chinese, as a learner whose language is Chinese meets it: the track lists
every lesson by its Chinese title and fits 80×24; each lesson is walked step by step with the live
answer typed in and each task done with show me (m), every step's words in Chinese and every
verdict in Chinese; a live switch of language redraws the open lesson in the other language and
keeps the learner's place."""
import html
import re

import pytest

from nnterm.lessons.track import bundled_lessons
from nnterm.lessons.translation import in_language
from nnterm.presets.loader import load_preset
from nnterm.runtime.language import use
from nnterm.tui.app import NntermApp
from nnterm.tui.lessons.lesson_screen import LessonScreen
from nnterm.tui.lessons.track_screen import TrackScreen

from .playground_pilot import settle, until

LESSONS = bundled_lessons()


@pytest.fixture(autouse=True)
def chinese(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    use("zh")
    yield
    use("en")


def learn_app(lesson: str = "") -> NntermApp:
    return NntermApp(load_preset("xor"), seed=0, learn=lesson)


def screen_text(app) -> str:
    """What the terminal shows, as text (the screenshot's characters)."""
    return html.unescape(re.sub(r"<[^>]+>", "", app.export_screenshot())).replace("\xa0", " ")


def squeezed(text: str) -> str:
    """Text without its spaces and line breaks: a wrapped line still contains it."""
    return re.sub(r"\s+", "", text)


async def test_the_track_lists_every_lesson_in_chinese_and_fits_80x24():
    app = learn_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TrackScreen))
        await settle(pilot)
        shown = screen_text(app)
        assert "课程" in shown and f"共 {len(LESSONS)} 课" in shown
        for lesson in LESSONS:
            title = in_language(lesson, "zh").title
            assert title[:8] in shown, title                   # a long title is cut at the cell, never mid-character
        assert "�" not in shown and "English" not in shown     # not a mixed track: no language tags


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.key for lesson in LESSONS])
async def test_a_chinese_lesson_walked_with_the_live_answers_and_show_me(lesson):
    app = learn_app(lesson.key)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await settle(pilot)
        screen = app.screen
        run = screen.run
        assert run.lesson.language == "zh"
        for index, step in enumerate(run.lesson.steps):
            assert run.index == index
            shown = squeezed(screen_text(app))
            assert squeezed(run.text())[:12] in shown, f"step {index + 1}: the Chinese text is not on screen"
            if step.question is not None:
                truth = run.value(step.question.quantity, step.question.args)
                await pilot.press(*repr(truth), "enter")
                await settle(pilot)
                assert screen.verdict.plain.startswith("答对了："), screen.verdict.plain
            elif step.check is not None:
                await pilot.press("m")                     # show me: done for the learner, said so
                await until(pilot, lambda: screen.verdict is not None and not screen.busy)
                assert screen.verdict.plain.startswith("演示完毕："), screen.verdict.plain
            assert run.unlocked and not app.survived_errors
            if not run.last:
                await pilot.press("n")
                await settle(pilot)
                await until(pilot, lambda: not screen.busy)


async def test_a_live_switch_redraws_the_open_lesson_and_keeps_its_place():
    app = learn_app("neuron")
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await settle(pilot)
        screen = app.screen
        await pilot.press("s", "n")                        # step 2
        await settle(pilot)
        assert "负的权重会把分数往下拉" in squeezed(screen_text(app))
        use("en")
        screen.retranslate()
        await settle(pilot)
        assert screen.run.index == 1 and screen.run.lesson.language == "en"
        assert "A negative weight pulls the score down" in screen_text(app)
        use("zh")
        screen.retranslate()
        await settle(pilot)
        assert screen.run.index == 1 and "负的权重会把分数往下拉" in squeezed(screen_text(app))


CHINESE_ONLY = '''title = "我自己的课"
language = "zh"
order = 5

[[step]]
screen = "neuron_lab"
text = "看 z。"
[step.setup]
neuron = "score"
[step.question]
ask = "z 是多少？"
quantity = "neuron_sum"
tolerance = 0.05
'''


async def test_on_a_mixed_track_a_lesson_not_in_the_language_in_use_says_which_it_is_in(tmp_path):
    use("en")
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "mine.toml").write_text(CHINESE_ONLY, encoding="utf-8")
    app = learn_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TrackScreen))
        await settle(pilot)
        assert "The neuron: a weighted sum" in screen_text(app)          # the bundled ones in English, untagged
        await pilot.press("up")                                            # round to the last: the user's lesson
        await settle(pilot)
        assert "我自己的课 (yours) (中文)" in screen_text(app) and "(English)" not in screen_text(app)


async def test_a_lesson_left_for_the_playground_comes_back_with_L_in_the_language_switched_to_there():
    from nnterm.tui.lessons.opening import open_lessons
    app = learn_app("bias")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await settle(pilot)
        assert app.screen.run.lesson.title == "偏置：输入全为 0 的神经元"
        app.pop_screen()                                   # to the playground, as escape on the track does
        await settle(pilot)
        use("en")                                          # switched there
        open_lessons(app)                                  # L
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await settle(pilot)
        assert app.screen.run.lesson.title == "The bias, and a neuron whose inputs are all zero"
        assert "Every input of the flat-scoring neuron is now 0" in screen_text(app)
