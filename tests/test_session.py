"""The headless session, driven as the TUI and the lessons drive it — no Textual: its threads post
events, the test hands them back to `receive`, and every verb answers with a Change."""
import math
import queue
import subprocess
import sys

import numpy as np
import pytest

from nnterm.engine.checkpoint import read_weights
from nnterm.presets.edits import AddLayer, AddNeuron, SetActivation
from nnterm.presets.loader import load_preset
from nnterm.session.events import EpochsDone, KernelsReady, SnapshotReady, TrainingStopped
from nnterm.session.session import Session


class Driver:
    """A session and the thread that drives it: the test's own."""

    def __init__(self, preset, **kwargs) -> None:
        self.inbox = queue.Queue()
        self.session = Session(preset, post=self.inbox.put, **kwargs)
        self.session.start()
        self.received = []
        self.wait_for(KernelsReady)

    def wait_for(self, kind, timeout: float = 120.0, until=None):
        """Hands events back to the session until one of `kind` arrives (and `until()` holds)."""
        while True:
            event = self.session.receive(self.inbox.get(timeout=timeout))
            if event is not None:
                self.received.append(event)
                if isinstance(event, kind) and (until is None or until()):
                    return event

    def reports(self):
        return [r for e in self.received if isinstance(e, EpochsDone) for r in e.reports]


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)


def test_play_trains_the_budget_in_its_thread_and_says_so():
    driver = Driver(load_preset("xor", ["training.epochs=5"]))
    change = driver.session.play()
    assert not change.error and change.said == "training up to epoch 5" and driver.session.training
    stopped = driver.wait_for(TrainingStopped)
    assert stopped.reason == "finished the budget of 5 epochs" and not driver.session.training
    assert [r.epoch for r in driver.reports()] == [1, 2, 3, 4, 5] and driver.session.trainer.epoch == 5
    again = driver.session.play()                    # the budget is spent: play raises it, never a dead key
    assert again.said.startswith("the budget was spent: raised to 10 epochs")
    driver.wait_for(TrainingStopped)
    assert driver.session.trainer.epoch == 10


def test_a_retune_reaches_the_running_thread_without_stopping_it():
    driver = Driver(load_preset("xor", ["training.epochs=1000000"]))
    session = driver.session
    session.play()
    driver.wait_for(EpochsDone)
    thread = session.thread
    change = session.set_training("learning rate 0.3", learning_rate=0.3)
    assert change.said == "learning rate 0.3" and not change.paused
    assert session.preset.training.learning_rate == 0.3     # in force from the next epoch
    driver.wait_for(EpochsDone, until=lambda: driver.reports()[-1].learning_rate == 0.3)
    assert session.training and session.thread is thread and thread.is_alive()
    assert not any(isinstance(e, TrainingStopped) for e in driver.received)
    optimizer = session.set_optimizer("adam")           # another rule: its state starts afresh, between epochs
    assert not optimizer.error
    session.pause()
    assert session.trainer.preset.training.optimizer == "adam" and not session.training
    lrs = [r.learning_rate for r in driver.reports()]
    assert lrs == sorted(lrs, key=lambda lr: lr == 0.3)   # every epoch after the change ran at 0.3


def test_a_rebuild_drops_what_the_old_trainer_still_posts():
    driver = Driver(load_preset("xor", ["training.epochs=1000000"]))
    session = driver.session
    session.play()
    driver.wait_for(EpochsDone)
    generation = session.generation
    change = session.set_data_kind("circle")
    assert change.rebuilt and change.paused and change.said == "data: circle; weights re-initialised — training paused"
    assert session.generation == generation + 1 and session.trainer.epoch == 0
    while True:                                     # the old thread's last reports and its stop are dropped
        event = driver.inbox.get(timeout=60)
        if event.generation == generation:
            assert session.receive(event) is None
        elif isinstance(event, SnapshotReady):           # … the new trainer's first snapshot is not
            assert session.receive(event) is event and event.snapshot.sizes[-1] == 1
            break


@pytest.mark.parametrize("path", [("teacher",), ("plane", "xor"), ("digits", "moons"), ("multi_gauss", "teacher", "spiral")])
def test_data_kinds_agree_on_task_output_and_loss(path):
    """Walked through the playground's edit path (the session's verbs) and built by the data
    factory, every kind trains the output and loss its task needs — teacher is two classes."""
    from nnterm.presets.kinds import OUTPUT_ACTIVATION, data_kind, loss_for
    session = Session(load_preset("xor"))
    for kind in path:
        change = session.set_data_kind(kind)
        assert change.rebuilt and not change.error, change.said
        trainer = session.trainer
        task = data_kind(kind).task
        expected = OUTPUT_ACTIVATION[task]
        assert trainer.data.task == task
        assert trainer.network.layers[-1].activation == expected == session.preset.output_activation
        assert trainer.network.loss == loss_for(expected) == session.preset.loss
    if path == ("plane", "xor"):
        assert session.preset.output_activation == "sigmoid" and session.preset.loss == "bce"


def test_every_playground_kind_builds_with_the_loss_its_task_needs():
    from nnterm.presets.kinds import KINDS, OUTPUT_ACTIVATION, loss_for
    session = Session(load_preset("xor", ["data.samples=60"]))
    for kind in (k for k in KINDS if k.in_playground):
        assert not session.set_data_kind(kind.name).error
        assert session.trainer.data.task == kind.task
        assert session.trainer.network.loss == loss_for(OUTPUT_ACTIVATION[kind.task])
        assert session.trainer.data.raw_2d == kind.planar


def test_network_edits_are_values_and_refusals_change_nothing():
    session = Session(load_preset("xor"))
    assert session.edit_network(AddLayer(2, 3)).said == "added a hidden layer; weights re-initialised"
    assert [layer.units for layer in session.trainer.network.layers] == [8, 8, 3, 1]
    generation, params = session.generation, session.trainer.network.params.copy()
    refused = session.edit_network(AddNeuron(3))          # the output layer's size is the data's
    assert refused.error and "hidden layer 4 does not exist" in refused.said
    assert session.generation == generation and np.array_equal(session.trainer.network.params, params)
    picked = session.edit_network(SetActivation(3, "linear"))
    assert picked.said.endswith("(loss mse to suit it); weights re-initialised") and session.trainer.network.loss == "mse"


def test_set_weight_says_old_and_new_and_refuses_what_is_not_a_weight():
    session = Session(load_preset("xor"))
    old = float(session.trainer.network.layers[1].weight[2, 3])
    change = session.set_weight(1, 2, 3, 0.25)
    assert change.said == f"weight 3→4 of layer 2: {old:.4f} → 0.2500"
    assert session.trainer.network.layers[1].weight[2, 3] == np.float32(0.25)
    assert session.set_weight(1, -1, 0, -0.5).said.startswith("bias of layer 2 unit 1: ")
    for bad in ((5, 0, 0, 1.0), (0, 9, 0, 1.0), (0, 0, 0, math.nan), (0, 0, 0, math.inf)):
        assert session.set_weight(*bad).error


def test_switching_backend_skips_one_that_cannot_run_and_keeps_the_weights(monkeypatch):
    from nnterm.engine import cuda_backend
    monkeypatch.setattr(cuda_backend, "gpu_missing", lambda: "no CUDA GPU found: install nnterm[cuda]")
    session = Session(load_preset("xor"))
    params = session.trainer.network.params.copy()
    said = session.switch_backend().said                             # cpu → cuda (skipped) → auto
    assert said == "backend auto; cuda skipped: no CUDA GPU found: install nnterm[cuda]"
    assert session.switch_backend().said == "backend cpu"             # auto → cpu
    assert np.array_equal(session.trainer.network.params, params)


def test_saved_weights_load_back_and_a_file_that_does_not_fit_changes_nothing():
    driver = Driver(load_preset("xor", ["training.epochs=4"]))
    session = driver.session
    session.play()
    driver.wait_for(TrainingStopped)
    assert session.save_weights("xor.safetensors").said == "saved the weights of epoch 4 to xor.safetensors"
    trained = session.trainer.network.params.copy()
    session.reset()
    assert session.load_weights("xor.safetensors").said == "resumed xor.safetensors at epoch 4"
    assert np.array_equal(session.trainer.network.params, trained) and session.trainer.epoch == 4

    other = Session(load_preset("spiral"))
    params = other.trainer.network.params.copy()
    refused = other.load_weights("xor.safetensors")
    assert refused.error and not refused.rebuilt and np.array_equal(other.trainer.network.params, params)
    assert read_weights("xor.safetensors").epoch == 4
    missing = session.save_weights("no/such/folder/w.safetensors")
    assert missing.error and "does not exist" in missing.said


def test_the_session_and_the_engine_import_no_textual():
    code = ("import sys, nnterm.session.session, nnterm.teach.trace, nnterm.commands.train; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


class HeldWarmUp:
    """A warm-up whose kernels are loaded when the test says so."""

    def __init__(self) -> None:
        import threading
        self.loaded = threading.Event()

    def ready(self, group: str) -> bool:
        return self.loaded.is_set()

    def wait(self):
        self.loaded.wait()
        return 0.0, ""


def test_a_network_not_drawn_on_a_plane_is_shown_before_its_kernels_are_loaded():
    warm_up, inbox = HeldWarmUp(), queue.Queue()
    session = Session(load_preset("digits"), post=inbox.put, warm_up=warm_up)
    session.start()
    first = session.receive(inbox.get(timeout=60))
    assert isinstance(first, SnapshotReady) and first.snapshot.sketch and first.snapshot.confusion is None
    net = session.trainer.network
    assert all(np.array_equal(w, layer.weight) for w, layer in zip(first.snapshot.weights, net.layers))
    warm_up.loaded.set()
    assert isinstance(session.receive(inbox.get(timeout=60)), KernelsReady)
    assert session.receive(first) is None                       # a sketch after the kernels: the full one follows


def test_a_plane_waits_for_its_kernels_for_its_first_snapshot():
    warm_up, inbox = HeldWarmUp(), queue.Queue()
    session = Session(load_preset("xor"), post=inbox.put, warm_up=warm_up)
    session.start()
    with pytest.raises(queue.Empty):
        inbox.get(timeout=0.5)
    warm_up.loaded.set()
    assert isinstance(session.receive(inbox.get(timeout=60)), KernelsReady)
