"""A big CSV's kernel warm-up starts before the file is read, on a stand-in of the header's
shape, so that on an empty cache the training kernels compile while the file is read; the
stand-in has the types the read data will have (Numba compiles per type), so exactly the
kernels training calls are the ones compiled."""
import os

import numpy as np
import pytest

from nnterm.commands import early_warm_up, reading_progress
from nnterm.engine.trainer import Trainer
from nnterm.presets.loader import preset_from_dict
from nnterm.warmup import quitting
from nnterm.warmup.stand_in import ARRAYS, from_header, stand_in


def csv_preset(tmp_path, inputs=16, classes=3, output=("softmax", 3), task="auto", dtype="float32", rows=40):
    path = tmp_path / "pixels.csv"
    path.write_text("label," + ",".join(f"p{i}" for i in range(inputs)) + "\n"
                    + "".join(f"{i % classes}," + ",".join(str((i * k) % 256) for k in range(inputs)) + "\n"
                              for i in range(rows)))
    return preset_from_dict({"name": "pixels", "data": {"kind": "csv", "path": str(path), "target": "label", "task": task},
                             "network": {"dtype": dtype, "layers": [{"units": 8, "activation": "relu"},
                                                                    {"units": output[1], "activation": output[0]}]}})


def kinds(data):
    """What Numba compiles for: each array's dtype, dimensions, layout, and the width of a row."""
    return {name: None if getattr(data, name) is None else
            (getattr(data, name).dtype, getattr(data, name).ndim, getattr(data, name).flags.c_contiguous,
             getattr(data, name).shape[1:]) for name in ARRAYS} | {"task": data.task, "image": data.image_shape}


@pytest.mark.parametrize("case", [
    dict(),                                                          # softmax over three classes
    dict(inputs=64, classes=2, output=("sigmoid", 1)),               # one sigmoid unit; 8×8 images
    dict(classes=7, output=("linear", 1), task="regression", dtype="float64"),
    dict(classes=2, output=("softmax", 2)),                         # two softmax units: still binary
])
def test_the_header_stand_in_has_the_types_of_the_read_data(tmp_path, case):
    preset = csv_preset(tmp_path, **case)
    assert kinds(from_header(preset)) == kinds(stand_in(Trainer(preset).data))


def test_a_header_that_gives_no_stand_in_leaves_the_reader_to_say_why(tmp_path):
    preset = csv_preset(tmp_path, inputs=2)                          # a plane: the warm-up waits for its points
    assert from_header(preset) is None
    missing = preset_from_dict({"name": "x", "data": {"kind": "csv", "path": str(tmp_path / "gone.csv")},
                                "network": {"layers": [{"units": 2, "activation": "softmax"}]}})
    assert from_header(missing) is None


@pytest.fixture
def started(monkeypatch):
    """Each warm-up start recorded (its data), none really started: no kernel compiles here."""
    class Calls(list):
        pass
    calls, holds = Calls(), []

    class Started:
        def stop(self, timeout=None):
            return True

        def helpers(self):
            return []
    monkeypatch.setattr(early_warm_up, "start_warm_up", lambda preset, data=None, after=None: calls.append(data) or holds.append(after) or Started())
    calls.holds = holds
    return calls


def test_a_big_csv_warm_up_starts_before_the_read_with_the_header_width(tmp_path, monkeypatch, started):
    """The app reads the file (nnterm/tui/app.py): the trainer it opens on stands in on the
    header, with the weights the read data's trainer will start from, and the warm-up's own
    share is held until the read ends."""
    monkeypatch.setattr(reading_progress, "PROGRESS_FROM_BYTES", 0)      # every CSV counts as big
    preset = csv_preset(tmp_path, inputs=784, classes=10, output=("softmax", 10))
    trainer, warm_up, reading = early_warm_up.read_while_warming_up(preset, lambda preset: pytest.fail("read first"))
    assert len(started) == 1 and started.holds == [reading.finished]
    assert started[0].x_train.shape[1] == 784 and started[0].y_train.shape[1] == 10
    assert started[0].x_train.dtype == np.float32 and trainer.data is started[0]
    assert not reading.finished.is_set()
    reading.start()                                  # as the app's reading box does
    assert reading.finished.wait(60) and isinstance(reading.outcome, Trainer)
    assert np.array_equal(trainer.network.params, reading.outcome.network.params)
    assert reading.outcome.data.n_inputs == 784


def test_a_csv_without_a_stand_in_is_warmed_up_on_its_rows_after_the_read(tmp_path, monkeypatch, started):
    monkeypatch.setattr(reading_progress, "PROGRESS_FROM_BYTES", 0)
    preset = csv_preset(tmp_path, inputs=2)
    trainer, warm_up, read = early_warm_up.read_while_warming_up(preset, lambda preset: Trainer(preset))
    assert len(started) == 1 and np.array_equal(started[0].x_train, trainer.data.x_train) and read is None


def test_a_failed_read_hands_back_its_sentence_and_nothing_to_stop(tmp_path, monkeypatch, started):
    monkeypatch.setattr(reading_progress, "PROGRESS_FROM_BYTES", 0)
    preset = csv_preset(tmp_path, inputs=2)                          # read first: no stand-in
    trainer, warm_up, read = early_warm_up.read_while_warming_up(preset, lambda preset: "pixels.csv: reading stopped")
    assert trainer == "pixels.csv: reading stopped" and warm_up is None and started == []


def test_a_stopped_read_is_said_once_the_warm_up_is_stopped(monkeypatch):
    # The real one keeps Numba's compiler lock until the process ends (nnterm/warmup/quitting.py):
    # in this test process every later compile would wait for it forever.
    stopped, warm_up = [], object()

    def compiles_stopped(warm_up):
        stopped.append(warm_up)
        return True
    monkeypatch.setattr(quitting, "compiles_stopped", compiles_stopped)
    assert str(quitting.stop_before_saying("pixels.csv: reading stopped", warm_up)) == "pixels.csv: reading stopped"
    assert stopped == [warm_up]


def test_a_small_file_is_not_read_first(tmp_path, started):
    preset = csv_preset(tmp_path)                                    # a few hundred bytes
    trainer, warm_up, read = early_warm_up.read_while_warming_up(preset, lambda preset: pytest.fail("read first"))
    assert trainer is None and started == [None] and read is None


def test_the_helpers_yield_to_the_read_while_it_lasts(tmp_path):
    """A helper started during the read is niced until the read ends, then given its priority back
    where the system allows it (an ordinary user may not raise one: it then stays niced)."""
    import subprocess
    import sys
    import threading
    import time
    from types import SimpleNamespace

    from nnterm.warmup.kernel_warm_up import HELPER_NICE
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        before, helpers, read = os.getpriority(os.PRIO_PROCESS, child.pid), [], threading.Event()
        warm_up = SimpleNamespace(helpers=lambda: list(helpers))
        yielding = threading.Thread(target=early_warm_up.helpers_yield_to_the_read, args=(warm_up, read))
        yielding.start()
        helpers.append(SimpleNamespace(process=child))                     # it starts after the read began
        deadline = time.monotonic() + 30
        while os.getpriority(os.PRIO_PROCESS, child.pid) == before and time.monotonic() < deadline:
            time.sleep(0.01)
        assert os.getpriority(os.PRIO_PROCESS, child.pid) == max(before, HELPER_NICE)
        read.set()
        yielding.join()
        after = os.getpriority(os.PRIO_PROCESS, child.pid)
        assert after == before or (after == HELPER_NICE and os.geteuid() != 0)
    finally:
        child.stdin.close()
        child.wait()


def test_a_big_csv_is_announced_on_the_terminal_before_the_app_draws(tmp_path, monkeypatch):
    """The first thing a person sees of a big CSV: one line at once, on a terminal only."""
    import io
    import sys

    from nnterm.commands.tui import say_a_big_read_is_coming

    class Terminal(io.StringIO):
        def isatty(self):
            return True
    preset = csv_preset(tmp_path)
    for stream, big, said in ((Terminal(), True, True), (io.StringIO(), True, False), (Terminal(), False, False)):
        monkeypatch.setattr(reading_progress, "PROGRESS_FROM_BYTES", 0 if big else 1 << 40)
        monkeypatch.setattr(sys, "stderr", stream)
        say_a_big_read_is_coming(preset)
        assert (f"nnterm: reading {preset.data.path} (0 MB)" in stream.getvalue()) == said
