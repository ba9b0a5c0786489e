"""Files and strings from elsewhere (docs/design.md, "Files"): a FIFO or a device is refused in one
sentence and never waited on, a damaged progress file is set aside and never saved over, paths
too long or holding a newline are sentences, and every untrusted string printed is visible.
Each test is named after what the user sees; the fuzzers below keep looking for the same class."""
import json
import os
import random
import stat
import threading
import unicodedata

import pytest

from nnterm.cli import main
from nnterm.lessons.progress import FILE_NAME, Progress, load_progress, progress_path, save_progress
from nnterm.runtime.reading import NotARegularFile, open_regular, read_regular
from nnterm.runtime.visible import visible

# What a terminal would act on or hide: ESC sequences, CR, bidi overrides, zero-width, NUL, newline.
HOSTILE = ["\x1b[2J", "\x1b]0;title\x07", "\x1b]52;c;aGk=\x07", "\r", "\n", "\u202e", "\u2066", "\u200b", "\ufeff",
           "\0", "\x9b", "\u2028", "\x7f"]


@pytest.fixture(autouse=True)
def nnterm_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "home"


def in_time(function, *args, seconds: float = 60.0):
    """Runs `function(*args)` on a thread and fails (instead of hanging the suite) if it never returns."""
    result = {}

    def call():
        try:
            result["value"] = function(*args)
        except BaseException as err:                 # noqa: BLE001 — handed back to the test
            result["error"] = err
    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{function.__name__}{args} waited for ever"
    if "error" in result:
        raise result["error"]
    return result["value"]


def cli(capsys, *argv) -> tuple[int, str]:
    code = in_time(main, list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def assert_one_visible_sentence(text: str) -> None:
    assert "Traceback" not in text
    assert text.count("\n") <= 1, text
    assert all(c not in text for c in HOSTILE if c != "\n"), repr(text)


# --- a FIFO, a link to one, a device: one sentence, no hang ------------------------------------------------
def test_a_fifo_given_as_a_lesson_a_preset_a_weight_file_or_a_csv_is_one_sentence_not_a_hang(tmp_path, capsys):
    for name in ("x.toml", "w.safetensors", "t.csv"):
        os.mkfifo(tmp_path / name)
    os.symlink(tmp_path / "x.toml", tmp_path / "link.toml")
    cases = {("lessons", "--check", "x.toml"): "x.toml: cannot be read (it is a FIFO (named pipe), not a regular file)",
             ("summary", "link.toml"): "link.toml: cannot read the preset file (it is a FIFO (named pipe), not a regular file)",
             ("train", "xor", "--set", "network.weights=w.safetensors"): "w.safetensors: is a FIFO (named pipe), not a weight file",
             ("summary", "xor", "--set", 'data.kind="csv"', "--set", "data.path=t.csv"):
                 "t.csv: cannot read the file (it is a FIFO (named pipe), not a regular file)"}
    for argv, sentence in cases.items():
        code, said = cli(capsys, *argv)
        assert code == 2 and sentence in said, (argv, said)
        assert_one_visible_sentence(said)


def test_a_device_is_refused_by_the_one_reader_every_user_file_goes_through():
    for device in ("/dev/zero", "/dev/null"):
        if os.path.exists(device):
            with pytest.raises(NotARegularFile, match="it is a device, not a regular file"):
                in_time(read_regular, device)


def test_a_fifo_as_the_progress_file_is_set_aside_and_lessons_still_list(nnterm_home, capsys):
    nnterm_home.mkdir()
    os.mkfifo(progress_path())
    code, said = cli(capsys, "lessons")
    assert code == 0 and "cannot be read (it is a FIFO (named pipe), not a regular file) and is set aside as" in said
    assert stat.S_ISFIFO(os.lstat(nnterm_home / f"{FILE_NAME}.damaged").st_mode)
    assert in_time(save_progress, Progress(current="bias")) == ""          # the save writes a new file, not into the FIFO
    assert load_progress().current == "bias"


# --- the progress file: set aside, never saved over -------------------------------------------------------
def test_an_unreadable_progress_file_is_set_aside_and_the_next_save_leaves_it_whole(nnterm_home):
    if os.geteuid() == 0:
        pytest.skip("root reads a file whatever its mode")
    progress = Progress(current="bias")
    progress.of("bias").step = 2
    assert save_progress(progress) == ""
    path = progress_path()
    kept = path.read_text()
    path.chmod(0)
    fresh = load_progress()
    assert "cannot be read" in fresh.notice and "set aside as" in fresh.notice
    assert save_progress(fresh) == ""
    aside = nnterm_home / f"{FILE_NAME}.damaged"
    aside.chmod(0o600)
    assert aside.read_text() == kept


def test_an_unreadable_progress_file_that_cannot_be_moved_is_never_saved_over(nnterm_home, monkeypatch):
    progress = Progress(current="bias")
    progress.of("bias").step = 2
    assert save_progress(progress) == ""
    path = progress_path()
    kept = path.read_text()

    def unreadable(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    def unmovable(*_args, **_kwargs):
        raise PermissionError(13, "Operation not permitted")
    monkeypatch.setattr("nnterm.lessons.progress.read_regular", unreadable)
    monkeypatch.setattr("nnterm.lessons.progress.os.rename", unmovable)
    fresh = load_progress()
    assert "could not be set aside" in fresh.notice and "not saved over it" in fresh.notice
    monkeypatch.undo()
    assert "move it away to save" in save_progress(fresh)
    assert path.read_text() == kept


def test_a_second_damaged_progress_file_is_set_aside_beside_the_first_not_over_it(nnterm_home):
    nnterm_home.mkdir()
    path = progress_path()
    for n, damage in enumerate(["{first", "{second", "{third"], 1):
        path.write_text(damage)
        notice = load_progress().notice
        name = FILE_NAME + ".damaged" + (f"-{n}" if n > 1 else "")
        assert notice.endswith(f"set aside as {nnterm_home / name}; progress starts afresh")
        assert (nnterm_home / name).read_text() == damage
    assert (nnterm_home / f"{FILE_NAME}.damaged").read_text() == "{first"


# --- paths that are no file names ----------------------------------------------------------------------------
def test_a_300_character_weight_path_is_a_sentence_not_a_traceback(capsys):
    code, said = cli(capsys, "train", "xor", "--epochs", "1", "--set", f"network.weights={'x' * 300}")
    assert code == 2 and "a file name in it is 300 bytes long; file systems take at most 255" in said
    assert_one_visible_sentence(said)


def test_a_weight_path_with_a_newline_is_refused_on_one_line(capsys):
    code, said = cli(capsys, "summary", "xor", "--set", 'network.weights="a\\nb.safetensors"')
    assert code == 2 and "a file name cannot contain a newline" in said
    assert_one_visible_sentence(said)


def test_export_on_a_symlink_loop_is_a_sentence_not_a_traceback(tmp_path, capsys):
    os.symlink("loop-b", tmp_path / "loop-a")
    os.symlink("loop-a", tmp_path / "loop-b")
    code, said = cli(capsys, "export", "loop-a", "--format", "npz", "--output", "out.npz")
    assert code == 2 and "loop-a: cannot open the weight file (Too many levels of symbolic links)" in said
    assert main(["train", "xor", "--epochs", "1", "--save", "w.safetensors"]) == 0
    capsys.readouterr()
    code, said = cli(capsys, "export", "w.safetensors", "--format", "npz", "--output", "loop-a")
    assert code == 2 and "--output loop-a: is a symbolic link that cannot be followed" in said
    assert_one_visible_sentence(said)


# --- untrusted strings reach the terminal escaped ----------------------------------------------------------------
def test_an_escape_sequence_in_an_argument_is_shown_escaped_in_the_error(capsys):
    code, said = cli(capsys, "learn", "\x1b[2J\u202e")
    assert code == 2 and 'there is no lesson "\\x1b[2J\\u202e"' in said
    assert_one_visible_sentence(said)


def test_visible_escapes_what_a_terminal_would_act_on_and_keeps_every_script():
    assert visible("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert visible("line\nnext\r") == "line\\nnext\\r"
    assert visible("abc\u202edef\u200b\0") == "abc\\u202edef\\u200b\\0"
    assert visible("µ² · é ж 中 ✓") == "µ² · é ж 中 ✓"
    assert visible("a\nb", keep_newlines=True) == "a\nb"


def test_fuzz_visible_never_lets_a_hidden_character_through():
    rng = random.Random(7)
    alphabet = HOSTILE + list("ab/. µé中") + [chr(c) for c in range(0, 0x250)]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        shown = visible(text)
        assert all(c not in shown for c in HOSTILE), repr(text)
        assert all(c.isprintable() or unicodedata.category(c) == "Zs" for c in shown), repr(shown)


def test_fuzz_a_hostile_string_in_any_preset_string_is_one_visible_sentence(capsys):
    """Every string field of a preset, given junk by --set: exit 0 or 2, never a traceback, and
    whatever is printed (a summary, a sentence) shows none of the hidden characters raw."""
    rng = random.Random(11)
    keys = ["name", "description", "data.path", "network.weights", "data.target", "training.loss"]
    for _ in range(40):
        junk = "".join(rng.choice(HOSTILE + list("ab.c")) for _ in range(rng.randint(1, 8)))
        key = rng.choice(keys)
        code, said = cli(capsys, "summary", "xor", "--set", f"{key}={json.dumps(junk)}")
        assert code in (0, 2) and "Traceback" not in said, (key, junk, said)
        if code == 2:
            assert_one_visible_sentence(said)
        assert "\x1b" not in said and "\u202e" not in said and "\r" not in said, (key, junk, said)


def test_fuzz_every_reader_refuses_what_is_not_a_regular_file(tmp_path):
    """Random kinds of thing at a path — FIFO, folder, link to each, dangling link, loop — each
    read through the one reader: an OSError with a strerror, never a hang, never a read."""
    rng = random.Random(3)
    for n in range(30):
        kind = rng.choice(["fifo", "folder", "dangling", "loop", "link-fifo", "link-folder", "file"])
        target = tmp_path / f"thing-{n}"
        if kind in ("fifo", "link-fifo"):
            os.mkfifo(target)
        elif kind in ("folder", "link-folder"):
            target.mkdir()
        elif kind == "file":
            target.write_bytes(b"data")
        path = target
        if kind.startswith("link") or kind in ("dangling", "loop"):
            path = tmp_path / f"link-{n}"
            os.symlink(path if kind == "loop" else (tmp_path / "nothing" if kind == "dangling" else target), path)
        if kind == "file":
            assert in_time(read_regular, path) == b"data"
            continue
        with pytest.raises(OSError) as err:
            in_time(read_regular, path)
        assert err.value.strerror, kind


# --- nnterm share: what is seen is what is pasted -----------------------------------------------------------
def pasted(line: str) -> list[str]:
    """The words bash makes of a pasted share line (its $'…' read as bash reads it)."""
    import shutil
    import subprocess
    if shutil.which("bash") is None:
        pytest.skip("needs bash to read the line back")
    out = subprocess.run(["bash", "-c", 'for word in ' + line + '; do printf "%s\\0" "$word"; done'],
                         capture_output=True, check=True, timeout=30).stdout
    return out.decode("utf-8", "surrogateescape").split("\0")[:-1]


def test_share_shows_an_escape_sequence_in_a_preset_name_escaped_and_the_paste_rebuilds_it(capsys):
    from nnterm.presets.loader import load_preset
    name, description = "a\x1b]0;owned\x07b'q\\z", "h\u202eello\u200b"
    code, said = cli(capsys, "share", "xor", "--set", f"name={name}", "--set", f"description={description}")
    line = said.strip()
    assert code == 0 and line.startswith("nnterm xor --set $'name=a\\x1b]0;owned\\x07b\\'q\\\\z'")
    assert_one_visible_sentence(said)
    words = pasted(line)
    sets = [words[i + 1] for i, word in enumerate(words) if word == "--set"]
    assert load_preset(words[1], sets) == load_preset("xor", [f"name={name}", f"description={description}"])
    code, said = cli(capsys, "share", "xor", "--json", "--set", f"name={name}")
    assert code == 0 and "\x1b" not in said and json.loads(said)["set"] == [f"name={name}"]


def test_share_refuses_a_nul_it_could_not_carry_in_one_sentence(capsys):
    code, said = cli(capsys, "share", "xor", "--set", 'name="a\\u0000b"')
    assert code == 2 and "name=a\\0b: holds a NUL character, which no command line can carry" in said
    assert_one_visible_sentence(said)


def test_fuzz_share_lines_are_visible_and_paste_back_to_the_same_preset(capsys):
    from nnterm.presets.loader import load_preset
    rng = random.Random(5)
    pieces = [c for c in HOSTILE if c != "\0"] + list("ab'\"\\ $`;#") + ["é", "中"]
    for _ in range(25):
        sets = [f"{key}={''.join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))}"
                for key in rng.sample(["name", "description"], rng.randint(1, 2))]
        try:
            preset = load_preset("xor", sets)
        except Exception:                                # the loader's own sentence (e.g. a blank name)
            continue
        code, said = cli(capsys, "share", "xor", *[part for item in sets for part in ("--set", item)])
        assert code == 0, said
        assert_one_visible_sentence(said)
        words = pasted(said.strip())
        assert load_preset(words[1], [words[i + 1] for i, w in enumerate(words) if w == "--set"]) == preset, said


# --- a lesson loads only bundled presets ------------------------------------------------------------------------
LESSON_ON_A_SAVED_PRESET = '''title = "Mine"
[[step]]
screen = "playground"
text = "Train it."
[step.setup]
preset = "mine"
[step.question]
ask = "How many parameters?"
quantity = "trainable_params"
tolerance = 0.5
'''


def test_a_lesson_naming_a_saved_preset_is_refused_and_its_data_file_never_opened(nnterm_home, tmp_path, capsys,
                                                                                  monkeypatch):
    from nnterm.errors import NntermError
    from nnterm.lessons.format import lesson_from_text
    from nnterm.lessons.runner import LessonRun
    presets = nnterm_home / "presets"
    presets.mkdir(parents=True)
    (tmp_path / "secret.csv").write_text("x1,x2,y\n1,2,0\n3,4,1\n")
    (presets / "mine.toml").write_text(f'name = "mine"\n[data]\nkind = "csv"\npath = "{tmp_path / "secret.csv"}"\n')
    lesson_file = tmp_path / "mine.toml"
    lesson_file.write_text(LESSON_ON_A_SAVED_PRESET)
    opened = []
    real = open_regular
    monkeypatch.setattr("nnterm.data.csv_table.open_regular", lambda path, *a: opened.append(path) or real(path, *a))
    code, said = cli(capsys, "lessons", "--check", str(lesson_file))
    assert code == 2 and 'step 1: "preset" must name a bundled preset (' in said and opened == []
    assert_one_visible_sentence(said)
    # and a lesson that got past the file's checks is refused by the runner too, before anything is read
    lesson = lesson_from_text(LESSON_ON_A_SAVED_PRESET.replace('"mine"', '"xor"'), "mine", "mine.toml")
    object.__setattr__(lesson.steps[0], "setup", {"preset": "mine"})
    from nnterm.lessons.validate import START_PRESET
    from nnterm.presets.loader import load_preset
    from nnterm.session.session import Session
    run = LessonRun(lesson, Session(load_preset(START_PRESET)))
    with pytest.raises(NntermError, match="\"mine\" is not a bundled preset; a lesson loads only those"):
        run.apply({"preset": "mine"})
    assert opened == []
