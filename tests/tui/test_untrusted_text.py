"""Untrusted text in the TUI (nnterm/runtime/visible.py): a preset's name and description, a
sentence quoting a file's strings, reach the screen with every hidden character shown escaped —
no escape sequence reaches the terminal. And the small ones: a file where $NNTERM_HOME/screenshots
should be is said in a sentence, and the error log stays small however many errors a session has."""
import random

import pytest

from nnterm.presets.loader import load_preset
from nnterm.tui.app import NntermApp

from .playground_pilot import settle, status_text
from .static_content import given

HOSTILE = ["\x1b[2J", "\x1b]0;owned\x07", "\r", "\u202e", "\u200b", "\x9b", "\n"]


@pytest.fixture(autouse=True)
def nnterm_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "home"


async def test_a_preset_name_with_an_escape_sequence_is_shown_escaped_on_the_playground():
    preset = load_preset("xor", ["name=evil\x1b]0;owned\x07", "description=look\u202e here\x1b[2J"])
    app = NntermApp(preset, seed=0)
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(pilot)
        about = app.playground.query_one("AboutPanel")
        assert about.border_title == "evil\\x1b]0;owned\\x07"
        shown = str(about.render())
        assert "look\\u202e here\\x1b[2J" in shown and "\x1b" not in shown and "\u202e" not in shown


async def test_a_sentence_quoting_a_hostile_string_reaches_the_status_line_escaped():
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rng = random.Random(2)
        for _ in range(20):                                  # fuzz: any mix of hidden characters
            junk = "".join(rng.choice(HOSTILE + list("ab ")) for _ in range(rng.randint(1, 10)))
            app.playground.say(f"data.target = {junk}: no such column", error=True)
            await pilot.pause()
            said = status_text(app)
            assert all(c not in said for c in "\x1b\r\u202e\u200b\x9b"), repr(said)
            line = said.split("data.target = ")[1]            # the sentence's line: one line, the newline shown
            assert line.split("\n")[0].endswith(": no such column"), repr(said)


async def test_a_file_where_the_screenshots_folder_should_be_is_said_in_a_sentence(nnterm_home, monkeypatch):
    nnterm_home.mkdir()
    (nnterm_home / "screenshots").write_text("not a folder")
    monkeypatch.setattr("nnterm.tui.playground.saving.writable", lambda _folder: False)   # a read-only working folder
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        said = status_text(app)
        assert "could not save the screen:" in said and "screenshots is a file, not a folder: move it away" in said
        assert (nnterm_home / "screenshots").read_text() == "not a folder"


def test_the_error_log_stays_small_however_many_errors_a_session_has(nnterm_home):
    from nnterm.tui.guard import LOG_MAX_BYTES, log_error

    def deep(n):
        if n == 0:
            raise KeyError("x" * 6000)
        deep(n - 1)
    for _ in range(200):
        try:
            deep(150)                                        # a Textual-sized stack, every time
        except KeyError as err:
            path = log_error(err)
    log = nnterm_home / "errors.log"
    assert path == str(log)
    assert log.stat().st_size <= LOG_MAX_BYTES + 8192
    assert (nnterm_home / "errors.old.log").stat().st_size <= LOG_MAX_BYTES + 8192
    text = log.read_text()
    assert text.startswith("--- ") and "Traceback" in text and "[… cut …]" in text


async def test_escape_leaves_the_explain_screen_after_a_1x1_terminal():
    from nnterm.tui.dialogs.explain_screen import ExplainPicker
    from nnterm.tui.playground.screen import PlaygroundScreen

    from .playground_pilot import until
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("X")
        await until(pilot, lambda: isinstance(app.screen, ExplainPicker), seconds=120)
        for size in [(1, 1), (2, 1), (1, 3), (80, 24)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        await pilot.resize_terminal(1, 1)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, PlaygroundScreen))
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert isinstance(app.screen, PlaygroundScreen) and app.is_running
        assert not app.survived_errors


USERS_LESSON = '''title = "Mine\\u001b]0;owned\\u0007"
order = 5
summary = "a lesson from elsewhere"
[[step]]
screen = "summary"
text = "Look\\u202e here\\u001b[2J, then on."
[step.question]
ask = "How many parameters has the first layer?"
quantity = "layer_params"
layer = 1
'''


async def test_a_users_lesson_with_escape_sequences_is_shown_escaped_on_the_lesson_screen(nnterm_home):
    from nnterm.tui.lessons.lesson_screen import LessonScreen

    from .playground_pilot import until
    (nnterm_home / "lessons").mkdir(parents=True)
    (nnterm_home / "lessons" / "mine.toml").write_text(USERS_LESSON)
    app = NntermApp(load_preset("xor"), seed=0, learn="mine")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen), 60)
        await settle(pilot)
        body = given(app.screen.query_one("#lesson-body")).renderables[0].plain
        steps = app.screen.steps_list().plain
        assert "Look\\u202e here\\x1b[2J" in body and "\x1b" not in body and "\u202e" not in body
        assert "Mine\\x1b]0;owned\\x07" in steps and "\x1b" not in steps


def test_a_csv_header_with_an_escape_sequence_reaches_the_network_view_escaped(tmp_path):
    from nnterm.engine.snapshot import take_snapshot
    from nnterm.engine.trainer import Trainer
    (tmp_path / "t.csv").write_text("a\x1b[2J,b\u202e,y\n" + "".join(f"{i % 3},{i % 5},{i % 2}\n" for i in range(40)))
    trainer = Trainer(load_preset("xor", ["data.kind=csv", f"data.path={tmp_path / 't.csv'}", "data.target=y"]))
    names = take_snapshot(trainer).feature_names
    assert names[:2] == ("a\\x1b[2J", "b\\u202e")
