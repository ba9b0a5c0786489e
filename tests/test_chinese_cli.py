"""The command line in Chinese, as a learner whose locale is Chinese meets it: the help, argparse's
own refusals, nnterm's error sentences and the training's words — with the same numbers as in
English — and help text wrapped by terminal cells so that it fits the terminal."""
import os
import re
import subprocess
import sys

import pytest

from nnterm import cli
from nnterm.runtime import language
from nnterm.runtime.cells import width, wrap

HANZI = re.compile(r"[\u4e00-\u9fff]")


def nnterm(*args, lang=None, columns=None):
    """`nnterm ARGS` in a subprocess; `lang` is the locale (LANG), with no other language set."""
    env = {k: v for k, v in os.environ.items() if k not in language.ENVIRONMENT}
    env["LANG"] = lang or "C.UTF-8"
    if columns:
        env["COLUMNS"] = str(columns)
    return subprocess.run([sys.executable, "-m", "nnterm", *args], capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture
def in_process(monkeypatch, capsys):
    """cli.main in this process, English again afterwards (the other tests expect English)."""
    for name in language.ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)

    def run(*args):
        try:
            code = cli.main(list(args))
        except SystemExit as stop:                  # argparse's --help and refusals exit
            code = stop.code
        out, err = capsys.readouterr()
        return code, out, err
    yield run
    language.use("en")
    cli.speak_nnterms_language()


def test_an_unknown_preset_is_one_chinese_sentence_and_exit_2():
    run = nnterm("--lang", "zh", "train", "nosuch")
    assert run.returncode == 2 and run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr
    assert lines[0].startswith("nnterm：") and "“nosuch”" in lines[0] and "预设" in lines[0]


def test_training_under_a_chinese_locale_speaks_chinese_with_the_same_numbers():
    chinese = nnterm("train", "xor", "--epochs", "2", "--seed", "3", lang="zh_CN.UTF-8")
    english = nnterm("train", "xor", "--epochs", "2", "--seed", "3", lang="en_US.UTF-8")
    assert chinese.returncode == english.returncode == 0, chinese.stderr + english.stderr
    zh, en = chinese.stdout.splitlines(), english.stdout.splitlines()
    assert zh[0].startswith("训练轮次 1/2 - loss ") and "每轮" in zh[0] and "ms/epoch" not in chinese.stdout
    assert zh[-1].startswith("xor：2 个训练轮次，用时 ") and en[-1].startswith("xor: 2 epochs in ")

    def figures(line):
        # what training computed, not how long it took: the figures between the epoch and the timing
        return line.split(" - ")[1:-1] if " - " in line else line.split(" — ")[-1]
    assert [figures(line) for line in zh] == [figures(line) for line in en]
    assert figures(zh[0]) and figures(zh[-1]).startswith("loss ")


@pytest.mark.parametrize("args, words", [
    (["train", "xor", "--bogus"], "无法识别的参数：--bogus"),
    (["train"], "缺少必需的参数：PRESET"),
    (["--completion", "fish"], "无效的选择：'fish'"),
    (["eval", "xor", "--load", "w.safetensors", "--split", "all"], "参数 --split：无效的选择"),
    (["descent", "--steps", "many"], "无效的 int 值：'many'"),
])
def test_argparse_refuses_in_chinese(in_process, args, words):
    code, out, err = in_process("--lang", "zh", *args)
    assert code == 2 and out == ""
    assert err.startswith("nnterm：") and words in err and err.count("\n") == 1
    assert "--help`）" in err                                      # and where to read more, in Chinese too


def test_help_is_chinese_and_argparse_headings_too(in_process):
    code, out, _err = in_process("--lang", "zh", "train", "--help")
    assert code == 0
    assert out.startswith("用法：nnterm train ")
    assert "\n位置参数:" in out and "\n选项:" in out and "显示这条帮助信息并退出" in out
    assert "不开界面训练一个预设" in out and "训练发散" in out          # the command's own help and epilog


def test_english_stays_english_after_chinese(in_process):
    in_process("--lang", "zh", "train", "--help")
    code, out, _err = in_process("--lang", "en", "train", "--help")
    assert code == 0 and out.startswith("usage: nnterm train ") and "\noptions:" in out
    assert "show this help message and exit" in out and not HANZI.search(out)


@pytest.mark.parametrize("columns", [80, 160])
def test_chinese_help_fits_the_terminal_by_cells(columns):
    run = nnterm("--lang", "zh", "train", "--help", columns=columns)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    too_wide = [line for line in lines if width(line) > columns]
    assert not too_wide
    # the usage's second line starts under the first argument, counted in cells
    first, second = lines[0], lines[1]
    assert width(second) - width(second.lstrip()) == width("用法：nnterm train ") and first.startswith("用法：")
    assert not any(line.lstrip().startswith(("，", "。", "；", "：", "）")) for line in lines)


def test_wrap_breaks_between_hanzi_and_at_spaces_never_before_closing_punctuation():
    text = "核函数在哪里运行：cpu、cuda（NVIDIA GPU），或 auto（只有大网络且有 GPU 时才用 cuda）；默认：按预设"
    for cells in range(8, 60):
        lines = wrap(text, cells)
        assert all(width(line) <= cells for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")        # nothing lost or cut
        assert not any(line[0] in "，。；：）、" for line in lines)
        assert not any(line[-1] in "（" for line in lines)
    assert wrap("where kernels run: cpu or cuda", 12) == ["where", "kernels run:", "cpu or cuda"]


def test_argparse_placeholders_survive_translation():
    """argparse fills its messages with %: a translation that lost a %s would raise, not refuse."""
    from nnterm.commands.argparse_words import MESSAGES, PLURALS
    language.use("zh")
    try:
        for message in MESSAGES:
            ours = language._(message)
            assert HANZI.search(ours), message
            assert sorted(re.findall(r"%\(\w+\)[sr]|%[sr]", ours)) == sorted(re.findall(r"%\(\w+\)[sr]|%[sr]", message))
        for singular, plural in PLURALS:
            assert "%s" in language.ngettext(singular, plural, 2)
    finally:
        language.use("en")


def test_summary_table_lines_up_by_cells_in_chinese(in_process):
    code, out, _err = in_process("--lang", "zh", "summary", "xor", "--set", "network.layers=[{units=4,activation=\"tanh\",trainable=false},{units=1,activation=\"sigmoid\"}]")
    lines = out.splitlines()
    rule = next(line for line in lines if line.startswith("━"))
    header = lines[lines.index(rule) + 1]
    assert header.startswith("层（类型）") and "参数量" in header
    rows = [line for line in lines if line.startswith("dense_")]
    assert "已冻结" in rows[0]
    # the parameter counts end in the same cell as the heading above them
    assert {width(line) for line in [header, *rows]} == {width(header)} and width(header) <= width(rule)
    assert any(line.startswith("参数总量：") for line in lines)
