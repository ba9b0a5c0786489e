"""Lessons in another language: a translation beside a lesson (NAME.zh.toml) holds only words,
so the translated lesson asks, claims and checks exactly what the English does; every bundled
lesson has its Chinese, one field for one field, no older than the English it translates; a
translation from elsewhere is untrusted and every mistake is one sentence; a lesson written in
Chinese only is one file."""
import re
from dataclasses import replace

import pytest

from nnterm.cli import main
from nnterm.lessons.format import PLACEHOLDER, LessonError, lesson_from_text
from nnterm.lessons.track import bundled_lessons, load_track, user_lesson_dir
from nnterm.lessons.translation import (in_language, languages, overlay_from_text, stale_steps, step_fingerprint,
                                        head_fingerprint, words_of)
from nnterm.runtime.language import use

LESSONS = bundled_lessons()

GOOD = '''title = "My lesson"
order = 5
summary = "A neuron."

[[step]]
screen = "neuron_lab"
text = "Look at z: it is {z} now."
hints = ["Add the products.", "Then the bias {b}."]
show = [{quantity = "neuron_bias", label = "b"}, {quantity = "neuron_sum"}]
[step.values]
z = {quantity = "neuron_sum"}
b = {quantity = "neuron_bias"}
[[step.claim]]
kind = "apart"
value = "z"
number = 0
says = "z is not 0"
[[step.claim]]
kind = "below"
value = "b"
number = 100
[step.setup]
neuron = "score"
[step.question]
ask = "What is z?"
quantity = "neuron_sum"
tolerance = 0.05
'''

GOOD_ZH = '''title = "我的课"
summary = "一个神经元。"

[[step]]
text = "看 z：它现在是 {z}。"
hints = ["把各个乘积加起来。", "再加上偏置 {b}。"]
labels = ["b", ""]
says = ["z 不是 0", ""]
ask = "z 是多少？"
'''


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    yield
    use("en")


def mine():
    return lesson_from_text(GOOD, "my", "my.toml")


def sentence(text: str) -> str:
    with pytest.raises(LessonError) as err:
        overlay_from_text(text, mine(), "zh", "my.zh.toml")
    return str(err.value)


def test_a_changed_english_text_makes_its_translation_stale():
    lesson = mine()
    words = words_of(lesson)
    zh = overlay_from_text(GOOD_ZH.replace('title = "我的课"', f'source = "{head_fingerprint(words)}"\ntitle = "我的课"')
                           .replace('text = "看', f'source = "{step_fingerprint(words.steps[0])}"\ntext = "看'),
                           lesson, "zh", "my.zh.toml")
    assert stale_steps(lesson, zh) == []
    edited = lesson_from_text(GOOD.replace("Add the products.", "Add the eight products."), "my", "my.toml")
    assert [s.split(" (")[0] for s in stale_steps(edited, zh)] == ["step 1"]


# --- a translation from elsewhere: untrusted, one sentence each -------------------------------
def test_a_good_translation_shows_its_words_with_the_live_values():
    from nnterm.lessons.runner import LessonRun
    from nnterm.lessons.translation import translated
    from nnterm.lessons.validate import fresh_session
    lesson = translated(mine(), overlay_from_text(GOOD_ZH, mine(), "zh", "my.zh.toml"))
    run = LessonRun(in_language(lesson, "zh"), fresh_session())
    run.start(0)
    z = run.value("neuron_sum", {})
    assert run.text().startswith("看 z：它现在是 ") and "{z}" not in run.text()
    assert run.task().startswith("z 是多少？") and run.shown()[0][0] == "b"
    assert run.answer(repr(z)).right                                  # the same question, judged the same


@pytest.mark.parametrize("change, said", [
    (('ask = "z 是多少？"', 'ask = "z 是多少？"\nquantity = "neuron_bias"'),
     '"quantity" is not a key of a translated step; the keys are source, text, hints, labels, says, ask, runs'),
    (("summary =", "[setup]\npreset = 'xor'\n[x]\nsummary ="), '"setup" is not a key of a translation; the keys are '
                                                               'source, title, summary, step'),
    (('title = "我的课"', 'title = "我的课'), "not valid TOML"),
    (("看 z：它现在是 {z}。", "看 z。"), 'step 1: "text" must say the same {name}s as the English ({z}), not none'),
    (("再加上偏置 {b}。", "再加上偏置 {z}。"), 'step 1: "hints" must say the same {name}s as the English ({b}), not {z}'),
    (('labels = ["b", ""]', 'labels = ["b"]'), 'step 1: "labels" has 1 entries; the English has 2, one each'),
    (('says = ["z 不是 0", ""]', 'says = ["z 不是 0", "b 很小"]'), 'step 1: "says" entry 2 must be empty, as the English is'),
    (('ask = "z 是多少？"', 'ask = ""'), 'step 1: "ask" is needed: the English asks'),
    (('title = "我的课"', 'title = "' + "长" * 201 + '"'), '"title" is 201 characters long; at most 200'),
    (("[[step]]", "[[step]]\nsource = '../../etc/passwd'"), '"source" must be 8 hex digits'),
    (('ask = "z 是多少？"\n', 'ask = "z 是多少？"\n[[step]]\ntext = "多一步"\n'), '"step" has 2 steps; my.toml has 1, one each'),
])
def test_a_bad_translation_is_one_sentence_naming_file_step_and_key(change, said):
    text = sentence(GOOD_ZH.replace(*change))
    assert text.startswith("lesson my.zh.toml") and said in text and "\n" not in text


def test_a_translation_on_the_track_and_its_mistakes():
    folder = user_lesson_dir()
    folder.mkdir(parents=True)
    (folder / "my.toml").write_text(GOOD)
    (folder / "my.zh.toml").write_text(GOOD_ZH)
    (folder / "bias.zh.toml").write_text(GOOD_ZH)                       # a bundled lesson's, not fitting it
    (folder / "nosuch.zh.toml").write_text(GOOD_ZH)
    track = load_track()
    assert in_language(track.find("my"), "zh").title == "我的课" and len(track.lessons) == len(LESSONS) + 1
    assert any(p.startswith(f"lesson {folder / 'bias.zh.toml'}") for p in track.problems)
    assert f"lesson {folder / 'nosuch.zh.toml'}: translates nosuch.toml, which is not in the track" in track.problems
    assert in_language(track.find("bias"), "zh") == in_language(load_track().find("bias"), "zh")    # its own stays


def test_a_lesson_written_in_chinese_only_is_one_file_shown_in_any_language():
    chinese = GOOD.replace('title = "My lesson"', 'title = "我的课"\nlanguage = "zh"')
    lesson = lesson_from_text(chinese, "my", "my.toml")
    assert lesson.language == "zh" and in_language(lesson, "en") is lesson and languages(lesson) == ("zh",)
    with pytest.raises(LessonError, match='"language" must be one of en, zh, not "fr"'):
        lesson_from_text(GOOD.replace('order = 5', 'order = 5\nlanguage = "fr"'), "my", "my.toml")


def test_check_and_audit_take_the_translation_beside_the_file(tmp_path, capsys):
    (tmp_path / "my.toml").write_text(GOOD)
    (tmp_path / "my.zh.toml").write_text(GOOD_ZH)
    assert main(["lessons", "--check", "my.toml"]) == 0
    assert capsys.readouterr().out.strip().endswith("; its words in zh match it")
    assert main(["lessons", "--audit", "my.toml"]) == 0
    english = capsys.readouterr().out.strip().splitlines()[-1]
    assert main(["--lang", "zh", "lessons", "--audit", "my.toml"]) == 0
    chinese = capsys.readouterr().out.strip().splitlines()[-1]
    assert re.findall(r"\d+", chinese) == re.findall(r"\d+", english) == ["1", "2", "2", "4", "1", "0"]
    (tmp_path / "my.zh.toml").write_text(GOOD_ZH.replace("{b}", "{z}"))
    assert main(["lessons", "--check", "my.toml"]) == 2
    assert capsys.readouterr().err.strip() == ('nnterm: lesson my.zh.toml, step 1: "hints" must say the same {name}s '
                                               'as the English ({b}), not {z}')


def test_the_readme_example_translation_fits_the_readme_lesson_and_is_current(tmp_path, capsys):
    from pathlib import Path
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")

    def block(opening: str) -> str:
        start = readme.index(opening) + len("```toml\n")
        return readme[start:readme.index("```", start)]
    (tmp_path / "sigmoid.toml").write_text(block('```toml\ntitle = "Sigmoid saturates"'), encoding="utf-8")
    (tmp_path / "sigmoid.zh.toml").write_text(block("```toml\n# sigmoid.zh.toml"), encoding="utf-8")
    assert main(["lessons", "--check", "sigmoid.toml"]) == 0
    assert capsys.readouterr().out.strip().endswith("; its words in zh match it")
    lesson = lesson_from_text(block('```toml\ntitle = "Sigmoid saturates"'), "sigmoid", "sigmoid.toml")
    words = overlay_from_text(block("```toml\n# sigmoid.zh.toml"), lesson, "zh", "sigmoid.zh.toml")
    assert stale_steps(lesson, words) == []


def test_a_steps_own_sentences_speak_the_language_in_use():
    """The verdicts, hints and where-you-are lines around a lesson's words are the app's: in Chinese too."""
    from nnterm.lessons.runner import LessonRun
    from nnterm.lessons.translation import translated
    from nnterm.lessons.validate import fresh_session
    lesson = translated(mine(), overlay_from_text(GOOD_ZH, mine(), "zh", "my.zh.toml"))
    use("zh")
    run = LessonRun(in_language(lesson, "zh"), fresh_session())
    run.start(0)
    z = run.value("neuron_sum", {})
    assert run.where() == "第 1/1 课，第 1/1 步：我的课（神经元实验室）"
    assert run.task() == "z 是多少？（输入一个数；误差在 ±0.05 以内都算对）"
    assert run.answer(repr(z + 1)).said.startswith("还不对：") and "按 h 看提示" in run.answer(repr(z + 1)).said
    assert run.hint() == "提示 1/2：把各个乘积加起来。"
    assert run.answer(repr(z)).said.startswith("答对了：神经元给出的是 ")
    use("en")
    english = LessonRun(lesson, fresh_session())
    english.start(0)
    assert english.where() == "lesson 1 of 1, step 1 of 1: My lesson — on the neuron lab"
    assert english.answer(repr(z)).said.startswith("right: the neuron says ")


def test_the_lessons_command_lists_the_titles_in_the_language_asked_for(capsys):
    assert main(["--lang", "zh", "lessons"]) == 0
    assert "神经元：加权求和" in capsys.readouterr().out
    assert main(["lessons", "--json"]) == 0
    import json
    first = json.loads(capsys.readouterr().out)["lessons"][0]
    assert first["title"] == "The neuron: a weighted sum" and first["language"] == "en"
