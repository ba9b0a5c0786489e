"""Lesson files from elsewhere and the progress file: one sentence for every mistake (file, step,
key), the rest of the track still loads, `nnterm lessons --check` exit codes, a damaged progress
file set aside, and random mutations of a valid lesson that never raise anything but the sentence."""
import json
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings, strategies as st

import nnterm.lessons.bundled as bundled
from nnterm.cli import main
from nnterm.lessons.format import MAX_BYTES, MAX_STEPS, LessonError, lesson_from_text, load_lesson_file
from nnterm.lessons.progress import Progress, load_progress, progress_path, record, save_progress
from nnterm.lessons.runner import LessonRun
from nnterm.lessons.track import bundled_lessons, load_track, user_lesson_dir
from nnterm.lessons.validate import fresh_session
from nnterm.runtime.compile_notice import MESSAGE as COMPILING

GOOD = '''title = "My lesson"
order = 5
summary = "A neuron, and the price game."

[[step]]
screen = "neuron_lab"
text = "Look at z."
hints = ["Add the products."]
show = [{quantity = "neuron_bias", label = "b"}]
[step.setup]
neuron = "score"
[step.question]
ask = "What is z?"
quantity = "neuron_sum"
tolerance = 0.05

[[step]]
screen = "price"
text = "Make it diverge."
[step.setup]
price_lr = 0.1
[step.check]
name = "price_diverged"
'''


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)


def sentence(text: str, label: str = "my.toml") -> str:
    with pytest.raises(LessonError) as err:
        lesson_from_text(text, "my", label)
    return str(err.value)


def test_a_good_lesson_loads():
    lesson = lesson_from_text(GOOD, "my", "my.toml")
    assert lesson.title == "My lesson" and len(lesson.steps) == 2
    assert lesson.steps[0].question.allowed() == "within ±0.05"


@pytest.mark.parametrize("change, said", [
    (('quantity = "neuron_sum"', 'quantity = "foo"'), 'lesson my.toml, step 1: "quantity" must be one of '),
    (('screen = "price"', 'screen = "casino"'), 'lesson my.toml, step 2: "screen" must be one of playground, '),
    (('text = "Look at z."', 'text = "Look at z."\ncolour = "red"'),
     'lesson my.toml, step 1: "colour" is not a key of a step; the keys are screen, text'),
    (('neuron = "score"', 'neuron = "score"\nvolume = 3'), 'lesson my.toml, step 1: "volume" is not a key of a step\'s setup'),
    (("tolerance = 0.05", "tolerance = -1"), 'lesson my.toml, step 1: "tolerance" must be above 0, not -1'),
    (('name = "price_diverged"', 'name = "price_landed"'), 'lesson my.toml, step 2: "guesses" is needed by the check "price_landed"'),
    (('quantity = "neuron_sum"', 'quantity = "neuron_term"\ninput = "two"'), 'lesson my.toml, step 1: "input" must be a whole number, not "two"'),
    (('neuron = "score"', 'preset = "../../etc/passwd"'), 'lesson my.toml, step 1: "preset" must name a bundled preset'),
    (('neuron = "score"', 'preset = "xor"\nset = ["network.weights=/tmp/x.safetensors"]'),
     'lesson my.toml, step 1: "set" cannot set network.weights: a lesson never makes nnterm read a file'),
    (('title = "My lesson"', 'title = 7'), 'lesson my.toml: "title" must be text, not 7'),
])
def test_each_mistake_is_one_sentence_naming_file_step_and_key(change, said):
    text = sentence(GOOD.replace(*change))
    assert text.startswith(said) and "\n" not in text


def test_not_toml_too_big_and_too_many_steps(tmp_path):
    assert sentence("title = ").startswith("lesson my.toml: not valid TOML")
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * MAX_BYTES)
    with pytest.raises(LessonError, match=f"lesson big.toml: is larger than {MAX_BYTES // 1024} KiB"):
        load_lesson_file(big)
    many = GOOD + "".join('\n[[step]]\nscreen = "price"\ntext = "t"\n' for _ in range(MAX_STEPS))
    assert sentence(many) == f'lesson my.toml: "step" has {MAX_STEPS + 2} entries; at most {MAX_STEPS}'


def test_a_bad_user_lesson_is_one_sentence_and_the_rest_of_the_track_loads():
    folder = user_lesson_dir()
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(GOOD)
    (folder / "broken.toml").write_text(GOOD.replace('screen = "price"', 'screen = "casino"'))
    track = load_track()
    assert track.find("mine").origin == "yours" and track.lessons[-1].key == "mine"    # after the bundled ones
    assert len(track.lessons) == len(bundled_lessons()) + 1                    # the bundled ones and mine
    assert len(track.problems) == 1 and track.problems[0].startswith(f"lesson {folder / 'broken.toml'}, step 2: \"screen\"")


def test_bundled_lessons_keep_their_keys_whatever_the_user_adds():
    """A user's lesson of order 5 used to come first and shift every bundled lesson's key by one."""
    before = [lesson.key for lesson in load_track().lessons]
    folder = user_lesson_dir()
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(GOOD)                                   # order 5
    (folder / "early.toml").write_text(GOOD.replace("order = 5", "order = 1"))
    (folder / "neuron.toml").write_text(GOOD.replace('"My lesson"', '"Mine"'))     # one of the bundled names
    track = load_track()
    assert [lesson.key for lesson in track.lessons][:len(before)] == before
    assert track.lessons[0].origin == "yours"                                 # neuron: the user's, in its place
    assert [lesson.key for lesson in track.lessons][len(before):] == ["early", "mine"]


def test_check_says_ok_or_one_sentence_with_exit_2(tmp_path, capsys):
    (tmp_path / "my.toml").write_text(GOOD)
    assert main(["lessons", "--check", "my.toml"]) == 0
    assert capsys.readouterr().out.strip() == "my.toml: ok, 2 steps, every setup applies and every question computes"
    (tmp_path / "bad.toml").write_text(GOOD.replace("[step.setup]\nneuron", "[step.setup]\npreset = \"xor\"\nneuron")
                                       .replace('quantity = "neuron_sum"', 'quantity = "unit_z"\nlayer = 7'))
    assert main(["lessons", "--check", "bad.toml"]) == 2
    err = [line for line in capsys.readouterr().err.strip().splitlines() if line != COMPILING]   # on an empty cache
    assert err == ['nnterm: lesson bad.toml, step 1: "quantity" = "unit_z" cannot be computed here: '
                   'layer 7 does not exist: there are layers 1 … 3']


def test_check_walks_a_step_that_reads_what_the_task_before_left(tmp_path, monkeypatch, capsys):
    """fine-tuning's third step reads the epoch the second step's task saved: --check does each task
    with show me, as a learner would, instead of calling that step unanswerable."""
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    path = Path(bundled.__file__).parent / "fine-tuning.toml"
    assert main(["lessons", "--check", str(path)]) == 0
    assert "ok, 6 steps" in capsys.readouterr().out


def test_lessons_lists_the_track_with_progress(capsys):
    assert main(["lessons", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [row["key"] for row in listed["lessons"]][:2] == ["neuron", "bias"] and listed["problems"] == []
    assert not listed["lessons"][0]["started"]
    track = load_track()
    run = LessonRun(track.find("bias"), fresh_session())
    run.start(1)
    progress = Progress()
    record(progress, run)
    assert save_progress(progress) == ""
    assert main(["lessons"]) == 0
    out = capsys.readouterr().out
    assert " 2  bias " in out and "at step 2 of 3" in out


def test_progress_round_trips_and_a_damaged_file_is_set_aside():
    progress = Progress(current="bias")
    progress.of("bias").step, progress.of("bias").done, progress.of("bias").skipped = 2, {0, 1}, {1}
    assert save_progress(progress) == ""
    again = load_progress()
    assert again.current == "bias" and again.lessons["bias"].step == 2 and again.lessons["bias"].done == {0, 1}
    assert again.lessons["bias"].skipped == {1}                 # a skipped step is told from one answered
    path = progress_path()
    path.write_text(json.dumps({"format": "nnterm-lessons/1", "lessons": {"bias": {"step": 1, "done": [0]}}}))
    assert load_progress().lessons["bias"].skipped == set()     # a file from before skips were kept
    for damage in ("{not json", json.dumps({"format": "nnterm-lessons/1", "lessons": {"x": {"step": -4}}}), "\xff",
                   json.dumps({"format": "nnterm-lessons/1", "lessons": {"x": {"done": [0], "skipped": [True]}}})):
        path.write_text(damage)
        fresh = load_progress()
        assert fresh.lessons == {} and fresh.notice.startswith(f"lesson progress: {path} was damaged and is set aside as ")
        aside = fresh.notice.split("set aside as ")[1].split(";")[0]      # .damaged, .damaged-2, …: none replaced
        assert not path.exists() and open(aside).read() == damage


# --- the format, fuzzed: a valid lesson, mutated at random, never raises anything but the sentence ---
RAW = tomllib.loads(GOOD)
values = st.recursive(st.none().map(lambda _: "") | st.booleans() | st.integers(-10**13, 10**13) |
                      st.floats(allow_nan=True) | st.text(max_size=30),
                      lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                      max_leaves=8)
KEYS = st.sampled_from(["title", "order", "summary", "step", "screen", "text", "hints", "show", "setup", "question",
                        "check", "quantity", "tolerance", "relative", "ask", "name", "preset", "set", "train",
                        "neuron_inputs", "race_lr", "value", "input", "label", "sizes", "bogus"])


def mutate(raw, path, key, value):
    node = raw
    for part in path:
        if isinstance(node, list):
            node = node[part % len(node)] if node else node
        elif isinstance(node, dict) and node:
            node = node[sorted(node)[part % len(node)]]
        if not isinstance(node, (dict, list)):
            break
    if isinstance(node, dict):
        node[key] = value
    elif isinstance(node, list) and node:
        node[0] = value
    return raw


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 5), max_size=4), KEYS, values)
def test_mutated_lessons_fail_only_with_the_sentence(path, key, value):
    raw = mutate(json.loads(json.dumps(RAW)), path, key, value)
    try:
        text = tomli_w.dumps(raw)
    except (TypeError, ValueError):
        return                                     # not expressible as TOML
    try:
        lesson_from_text(text, "my", "my.toml")
    except LessonError as err:
        assert str(err).startswith("lesson my.toml") and "\n" not in str(err)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(GOOD) - 1), st.text(max_size=12))
def test_mutated_text_fails_only_with_the_sentence(at, inserted):
    try:
        lesson_from_text(GOOD[:at] + inserted + GOOD[at:], "my", "my.toml")
    except LessonError as err:
        assert str(err).startswith("lesson my.toml")


def test_the_lessons_and_their_command_import_no_textual(tmp_path):
    """Headless: listing and checking lessons never loads the TUI."""
    import subprocess
    import sys
    code = ("import sys; from nnterm.cli import main; main(['lessons', '--json']); "
            "import nnterm.lessons.validate, nnterm.lessons.progress; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"NNTERM_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_the_readme_example_lesson_checks_ok(tmp_path, capsys):
    from pathlib import Path
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index('```toml\ntitle = "Sigmoid saturates"') + len("```toml\n")
    (tmp_path / "sigmoid.toml").write_text(readme[start:readme.index("```", start)])
    assert main(["lessons", "--check", "sigmoid.toml"]) == 0
    assert capsys.readouterr().out.strip() == "sigmoid.toml: ok, 2 steps, every setup applies and every question computes"


def test_learn_names_an_unknown_lesson_in_one_sentence(capsys):
    assert main(["learn", "juggling"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith('nnterm: there is no lesson "juggling"; the lessons are neuron, bias, ') and "\n" not in err


@pytest.mark.parametrize("setup, said", [
    ('preset = "nope"', '"preset" must name a bundled preset (circle, '),
    ('preset = "xor"\nset = ["training.optimizer=adamm"]', '"preset": '),
    ("training = {learning_rate = -1}", '"training": '),
    ("training = {bogus = 1}", '"bogus" is not a key of a setup\'s training table'),
    ("freeze = [9]", '"freeze": there is no layer 9'),
    ('neuron_activation = "softmax"', 'activation "softmax" is not one of'),
    ("neuron_inputs = [1, 2]", "this neuron has 8 inputs, not 2"),
    ('neuron_view = "graph"', '"neuron_view" must be one of shape, softmax, table, not "graph"'),
    ('surface = "moon"', 'surface "moon" is not one of'),
    ("race_lr = {sgdd = 0.1}", 'optimizer "sgdd" is not in this race'),
    ("price_lr = 0", "learning rate 0: must be a finite number > 0"),
])
def test_a_setup_that_cannot_apply_is_one_sentence_from_check(tmp_path, capsys, setup, said):
    (tmp_path / "bad.toml").write_text(f'title = "x"\n[[step]]\nscreen = "playground"\ntext = "t"\n[step.setup]\n{setup}\n'
                                       '[step.check]\nname = "trained_epochs"\nepochs = 1\n')
    assert main(["lessons", "--check", "bad.toml"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("nnterm: lesson bad.toml, step 1: ") and said in err and "\n" not in err
