"""The headless CLI end to end, in a subprocess as a user runs it."""
import json
import os
import subprocess
import sys

import pytest


def nnterm(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "nnterm", *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def test_train_json_lines_then_final():
    run = nnterm("train", "xor", "--epochs", "5", "--json", "--seed", "1")
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["epoch"] for r in rows[:-1]] == [1, 2, 3, 4, 5]
    assert {"train_loss", "val_loss", "val_accuracy"} <= set(rows[0])
    assert rows[-1]["final"] is True and rows[-1]["epochs"] == 5
    assert rows[-1]["val_loss"] == rows[-2]["val_loss"]


def test_train_progress_lines_and_set_override():
    run = nnterm("train", "gauss", "--epochs", "3", "--set", "training.optimizer=adam", "--set", "training.learning_rate=0.01")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("Epoch 1/3 - loss ") and "val_loss" in lines[0] and "accuracy" in lines[0]
    assert [line.split(" - ")[0] for line in lines[:3]] == ["Epoch 1/3", "Epoch 2/3", "Epoch 3/3"]   # piped: a line per epoch
    assert all(line.endswith(" ms/epoch") for line in lines[:3])                                # every field labelled
    assert lines[-1].startswith("gauss: 3 epochs in ")


def test_train_on_a_terminal_draws_a_progress_bar_not_a_line_per_epoch():
    """In a pseudo-terminal, as a person runs it: one bar redrawn in place with the latest figures."""
    import fcntl
    import re
    import struct
    import termios
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    child = subprocess.Popen([sys.executable, "-m", "nnterm", "train", "xor", "--epochs", "200"], stdin=slave,
                             stdout=slave, stderr=subprocess.PIPE, env=dict(os.environ, TERM="xterm-256color"))
    os.close(slave)
    chunks = []
    try:
        while chunk := os.read(master, 65536):
            chunks.append(chunk)
    except OSError:                                     # the child closed the terminal
        pass
    finally:
        os.close(master)
    assert child.wait(timeout=300) == 0, child.stderr.read().decode()
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8", "replace"))
    lines = screen.rstrip().splitlines()
    assert re.match(r"\s*Epoch 200/200 ━+ [\d,]+ epochs/s \d:\d\d:\d\d left \d:\d\d:\d\d$", lines[-3].split("\r")[-1])
    assert re.fullmatch(r"loss \d\.\d{4} - val_loss \d\.\d{4} - val_accuracy \d\.\d{4} - val_f1 \d\.\d{4}\s*",
                        lines[-2].split("\r")[-1])                 # the latest figures, on a line below the bar
    assert "Epoch 1/200 - loss" not in screen                       # no line per epoch
    assert lines[-1].startswith("xor: 200 epochs in ") and " — loss " in lines[-1]


def test_divergence_is_reported_not_crashed():
    run = nnterm("train", "plane", "--set", "training.learning_rate=10", "--epochs", "30", "--json")
    assert run.returncode == 3, run.stderr
    final = json.loads(run.stdout.splitlines()[-1])
    assert final["stopped"] is True and "diverged" in final["reason"]
    assert "Traceback" not in run.stderr and "NaN" not in run.stdout.replace("NaN.", "")


def test_presets_and_summary():
    listing = nnterm("presets")
    assert listing.returncode == 0 and any(line.startswith("spiral ") for line in listing.stdout.splitlines())
    summary = nnterm("summary", "keras-binary")
    assert summary.returncode == 0
    assert "Total params: 4,929" in summary.stdout and "Trainable params: 4,929" in summary.stdout


@pytest.mark.parametrize("args,message", [
    (["train", "xorr"], 'unknown preset "xorr"'),
    (["train", "missing.toml"], "missing.toml: no such preset file"),
    (["train", "xor", "--set", "training.optimizer=adamm"], '--set: training.optimizer = "adamm" is not one of'),
    (["train", "xor", "--set", "oops"], "--set oops: expected KEY=VALUE"),
    (["train", "xor", "--epochs", "0"], "--epochs 0: the number of epochs must be at least 1"),
    (["train", "xor", "--epochs", "many"], "argument --epochs: invalid int value"),
    (["train", "xor", "--backend", "tpu"], 'backend "tpu" is not one of'),
    (["missing.toml"], "missing.toml: no such preset file"),            # `nnterm PRESET`, before any screen
    (["spirall"], "invalid choice: 'spirall'"),                          # neither a command nor a preset
])
def test_bad_input_is_one_sentence_and_exit_2(args, message):
    run = nnterm(*args)
    assert run.returncode == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_bad_preset_file_exits_2(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[training]\nlearning_rate = -0.1\n")
    run = nnterm("train", str(path))
    assert run.returncode == 2
    assert run.stderr.strip() == f"nnterm: {path}: training.learning_rate = -0.1 must be > 0"


def test_a_preset_name_alone_opens_the_playground_on_it():
    from nnterm.cli import expand_shorthand
    assert expand_shorthand(["spiral", "--set", "data.noise=0.1"]) == ["tui", "spiral", "--set", "data.noise=0.1"]
    assert expand_shorthand(["my/own.toml"]) == ["tui", "my/own.toml"]
    assert expand_shorthand(["train", "spiral"]) == ["train", "spiral"]      # commands stay commands
    assert expand_shorthand(["--help"]) == ["--help"] and expand_shorthand([]) == []
    assert expand_shorthand(["spirall"]) == ["spirall"]                      # argparse says what is wrong


@pytest.mark.slow                   # an empty kernel cache: the descent race's kernels compile
def test_the_first_run_says_it_is_compiling_and_later_runs_do_not(tmp_path):
    from nnterm.runtime.compile_notice import MESSAGE
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"))       # empty: every kernel compiles
    runs = [subprocess.run([sys.executable, "-m", "nnterm", "descent", "--json"], capture_output=True, text=True,
                           timeout=300, env=env) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
    assert runs[0].stderr.strip() == MESSAGE                                  # once, however many kernels
    assert runs[1].stderr == "" and runs[1].stdout == runs[0].stdout        # loaded from the cache: silent


def test_blas_runs_on_one_thread_unless_the_user_chose(monkeypatch):
    from nnterm.runtime.blas_threads import THREAD_VARIABLES, one_thread_unless_set
    for name in THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    one_thread_unless_set()
    assert all(os.environ[name] == "1" for name in THREAD_VARIABLES)
    for name in THREAD_VARIABLES:
        monkeypatch.delenv(name)
    monkeypatch.setenv("OMP_NUM_THREADS", "4")                 # the user's choice stands, alone
    one_thread_unless_set()
    assert os.environ["OMP_NUM_THREADS"] == "4" and "OPENBLAS_NUM_THREADS" not in os.environ


def test_nnterm_sets_the_blas_threads_before_numpy_loads():
    code = ("import os, sys; from nnterm.cli import main; early = 'numpy' in sys.modules; "
            "main(['summary', 'xor']); print(os.environ.get('OPENBLAS_NUM_THREADS'), early, 'numpy' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if not k.endswith("_THREADS")}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "1 False True"      # set, and numpy loaded only after


def test_compare_trains_once_per_value_and_says_how_each_ended():
    run = nnterm("train", "xor", "--epochs", "15", "--compare", "training.learning_rate=0.01,0.3")
    assert run.returncode == 0, run.stderr
    head, *rows = run.stdout.splitlines()
    assert head.split()[:3] == ["training.learning_rate", "epochs", "train_loss"] and "val_accuracy" in head
    assert [row.split()[0] for row in rows] == ["0.01", "0.3"] and all(row.split()[1] == "15" for row in rows)
    lines = nnterm("train", "xor", "--epochs", "5", "--compare", "training.optimizer=sgd,adam", "--json").stdout.splitlines()
    runs = [json.loads(line) for line in lines]
    assert [r["value"] for r in runs] == ["sgd", "adam"] and all(len(r["history"]["val_loss"]) == 5 for r in runs)
    assert runs[0]["final"]["val_loss"] != runs[1]["final"]["val_loss"]


@pytest.mark.parametrize("value, sentence", [
    ("training.learning_rate=0.3", "at least two values"),
    ("training.learning_rate=0.3,x", '--compare training.learning_rate=x: training.learning_rate = "x" must be a number'),
])
def test_compare_with_bad_values_is_one_sentence(value, sentence):
    run = nnterm("train", "xor", "--compare", value)
    assert run.returncode == 2 and sentence in run.stderr and "Traceback" not in run.stderr
