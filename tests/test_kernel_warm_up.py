"""The background warm-up: every group becomes ready, in order, and says so; a helper process
compiles into the shared cache and reports each part; a missing or failing helper only means
this process compiles the part itself."""
import os
import subprocess
import sys

import pytest

from nnterm.warmup import kernel_warm_up
from nnterm.warmup.kernel_warm_up import GROUPS, LAZY_GROUPS, TWIN_GROUPS, Helper, KernelWarmUp, start_warm_up
from nnterm.presets.loader import load_preset
from nnterm.presets.writer import preset_to_toml


def test_every_group_becomes_ready_and_callbacks_are_told():
    warm_up = KernelWarmUp(load_preset("xor", ["data.samples=40"]), helper=False)
    told = []
    warm_up.when_ready("inspector", lambda error: told.append(("inspector", error)))
    assert not warm_up.ready("playground")
    warm_up.start()
    seconds, error = warm_up.wait()
    assert error == "" and seconds >= 0.0
    for group in GROUPS:
        assert warm_up.wait_for(group, timeout=300), group
        assert warm_up.error_of(group) == ""
    assert told == [("inspector", "")]
    late = []
    warm_up.when_ready("price", late.append)            # already ready: called at once
    assert late == [""]


def test_groups_finish_in_order():
    finished = []
    warm_up = KernelWarmUp(load_preset("xor", ["data.samples=40"]), helper=False, twins=False, lazy=False)
    original = warm_up.finish
    warm_up.finish = lambda group, error: (finished.append(group), original(group, error))
    warm_up.start().wait_for(GROUPS[-1], timeout=300)
    assert finished == list(GROUPS)


def test_the_teaching_screens_groups_are_ready_at_once_and_compile_nothing():
    """Their computations run as the kernels' Python twins (tests/test_python_twins.py)."""
    finished = []
    warm_up = KernelWarmUp(load_preset("xor", ["data.samples=40"]), helper=False)
    original = warm_up.finish
    warm_up.finish = lambda group, error: (finished.append(group), original(group, error))
    assert not set(TWIN_GROUPS) & set(warm_up.groups_to_compile())
    warm_up.start()
    assert all(warm_up.ready(group) for group in TWIN_GROUPS)
    assert warm_up.wait_for(warm_up.groups_to_compile()[-1], timeout=300)
    at_once = list(TWIN_GROUPS) + list(LAZY_GROUPS)
    assert finished == at_once + [group for group in GROUPS if group not in at_once]


def test_a_kernel_the_twins_stood_in_for_is_compiled_in_the_background():
    """Another optimizer than the preset's: its epoch runs as the stepped twin at once, and the
    warm-up compiles its fused kernel meanwhile, which the next epochs run."""
    import time

    import nnterm
    from nnterm.kernels import codes, epoch
    warm_up = start_warm_up(load_preset("xor", ["data.samples=40"]), helper=False)
    assert warm_up.wait_for("compiled", timeout=300)
    preset = load_preset("xor", ["data.samples=40", "training.optimizer=adagrad", "training.loss=mae"])
    fused = epoch.epoch_kernel(codes.MAE, codes.ADAGRAD)
    nnterm.Trainer(preset, seed=1).run(1)
    deadline = time.monotonic() + 300                    # a hang guard, not a timing
    while not fused.signatures and time.monotonic() < deadline:
        time.sleep(0.1)
    assert fused.signatures


def test_a_stopped_warm_up_starts_no_further_step():
    warm_up = KernelWarmUp(load_preset("xor", ["data.samples=40"]), helper=False)
    warm_up.stopping.set()                               # as quitting does, before the first step
    warm_up.start()
    assert warm_up.stop(timeout=60)
    assert not warm_up.ready("playground") and not warm_up.ready("compiled")


def test_a_failing_group_is_a_sentence_and_the_others_still_load(monkeypatch):
    def broken(*_):
        raise ValueError("no neuron today")
    monkeypatch.setitem(kernel_warm_up.WORK, "neuron_lab", broken)
    warm_up = start_warm_up(load_preset("xor", ["data.samples=40"]), helper=False, twins=False, lazy=False)
    assert warm_up.wait_for("float64", timeout=300)
    assert warm_up.error_of("neuron_lab") == "ValueError: no neuron today"
    assert warm_up.error_of("price") == ""


XOR_TEXT = preset_to_toml(load_preset("xor", ["data.samples=40"]))


def test_the_helper_reports_each_part_and_a_failure_in_words():
    helper = Helper(["price", "nonsense"], XOR_TEXT)
    assert helper.reached("price", timeout=300)
    assert not helper.reached("nonsense", timeout=300)
    assert helper.said["nonsense"].startswith("KeyError")
    helper.stop()
    helper.process.wait(timeout=60)


def test_the_helper_exits_when_its_parent_goes_away():
    helper = Helper(["float64"], XOR_TEXT)
    helper.stop()                                        # as when the app exits, however it exits
    assert helper.process.wait(timeout=60) == 0


def test_one_helper_per_process_at_most(monkeypatch):
    started = []
    monkeypatch.setattr(kernel_warm_up, "_helper_started", False)
    monkeypatch.setattr(kernel_warm_up, "Helper", lambda parts, text, stand_in="": started.append(parts) or object())
    assert kernel_warm_up.start_helper(["price"], XOR_TEXT) is not None
    assert kernel_warm_up.start_helper(["price"], XOR_TEXT) is None
    assert started == [["price"]]


def test_without_a_helper_this_process_compiles_what_is_left(monkeypatch):
    monkeypatch.setattr(kernel_warm_up, "start_helper", lambda parts, text, stand_in="": None)
    warm_up = KernelWarmUp(load_preset("xor", ["data.samples=40"]))
    warm_up.spawn_helper("evaluation")
    assert warm_up.helper is None
    warm_up.start()
    assert warm_up.wait_for("descent", timeout=300) and warm_up.error_of("descent") == ""


def test_the_helper_compiles_the_fused_epoch_then_yields_to_the_app():
    helper = Helper(["training", "descent"], XOR_TEXT)
    assert helper.reached("training", timeout=300)
    assert helper.reached("descent", timeout=300)       # after the playground's kernels: niced
    expected = min(os.getpriority(os.PRIO_PROCESS, 0) + kernel_warm_up.HELPER_NICE, 19)
    assert os.getpriority(os.PRIO_PROCESS, helper.process.pid) == expected
    helper.stop()
    helper.process.wait(timeout=60)


def test_the_warm_up_uses_a_few_rows_of_the_data_and_its_helper_reads_no_file(tmp_path):
    """A big CSV is read once, by the app: the warm-up's scratch trainers and its helper work on
    a stand-in of a few rows, the same types, so the same kernels compile."""
    from nnterm.engine.trainer import Trainer
    from nnterm.presets.loader import preset_from_dict
    from nnterm.warmup.stand_in import ROWS, to_line
    path = tmp_path / "pixels.csv"
    path.write_text("label," + ",".join(f"p{i}" for i in range(16)) + "\n"
                    + "".join(f"{i % 3}," + ",".join(str((i * k) % 256) for k in range(16)) + "\n" for i in range(300)))
    preset = preset_from_dict({"name": "pixels", "data": {"kind": "csv", "path": str(path), "target": "label"},
                               "network": {"layers": [{"units": 8, "activation": "relu"},
                                                      {"units": 3, "activation": "softmax"}]}})
    data = Trainer(preset).data
    warm_up = KernelWarmUp(preset, data)
    assert warm_up.data.x_train.shape == (ROWS, 16) and warm_up.data.x_train.dtype == data.x_train.dtype
    path.unlink()                                        # nothing may read it again
    with_rows = Helper(["evaluation"], preset_to_toml(preset), to_line(data))
    without = Helper(["evaluation"], preset_to_toml(preset))
    assert with_rows.reached("evaluation", timeout=300)
    assert not without.reached("evaluation", timeout=300) and "pixels.csv" in without.said["evaluation"]
    for helper in (with_rows, without):
        helper.stop()
        helper.process.wait(timeout=60)


SPARE = "import nnterm.warmup.kernel_warm_up as w; w.SPARE_LOAD_PER_CORE = float('inf')\n"
BUSY = "import nnterm.warmup.kernel_warm_up as w; w.SPARE_LOAD_PER_CORE = 0.0\n"
COLD_START = """
from numba.core import event
from nnterm.presets.loader import load_preset
from nnterm.warmup.kernel_warm_up import start_warm_up
compiled_here = []

class Count(event.Listener):
    def on_start(self, e):
        compiled_here.append(e)
    def on_end(self, e):
        pass
event.register("numba:compile", Count())
warm_up = start_warm_up(load_preset("xor", ["data.samples=40"]))
assert warm_up.wait_for("compiled", timeout=600)
print(len(warm_up.helpers()), warm_up.error_of("playground") + warm_up.error_of("compiled") or "no error", len(compiled_here))
"""


@pytest.mark.slow                   # an empty kernel cache: the playground's kernels compile
def test_on_an_empty_cache_two_helpers_compile_and_the_app_process_only_loads(tmp_path):
    """The app's process never holds its GIL for Numba's compiler (which runs in Python for most
    of a compile), so its screens answer while the kernels are compiled, by two processes (on a
    machine with a core to spare: here, whatever the machine's load)."""
    out = subprocess.run([sys.executable, "-c", COLD_START.replace("warm_up = ", SPARE + "warm_up = ")],
                         capture_output=True, text=True, timeout=900,
                         env=dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path)))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["2", "no", "error", "0"]


@pytest.mark.slow                   # an empty kernel cache: the playground's kernels compile
def test_on_a_busy_machine_the_app_compiles_beside_one_helper(tmp_path):
    out = subprocess.run([sys.executable, "-c", COLD_START.replace("warm_up = ", BUSY + "warm_up = ")],
                         capture_output=True, text=True, timeout=900, env=dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path)))
    assert out.returncode == 0, out.stderr
    helpers, *_, compiled_here = out.stdout.split()
    assert helpers == "1" and int(compiled_here) > 0
