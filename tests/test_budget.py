"""The memory budget (nnterm/engine/budget.py): a setup that would not fit is refused from the
preset alone, before anything is allocated — in train, summary, and the app's session — with the
figure and the limit in the sentence."""
import os
import queue
from dataclasses import replace

import pytest

from nnterm.cli import main
from nnterm.engine.budget import check_memory, estimate
from nnterm.errors import NntermError
from nnterm.presets.loader import load_preset
from nnterm.presets.spec import LayerSpec
from nnterm.session.session import Session

HUGE = 'network.layers=[{units=65536, activation="relu"}, {units=65536, activation="relu"}, {units=1, activation="sigmoid"}]'


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    monkeypatch.delenv("NNTERM_MEMORY_LIMIT", raising=False)


def test_every_bundled_preset_fits_with_room_to_spare():
    from nnterm.presets.loader import bundled_names
    for name in bundled_names():
        parts = estimate(load_preset(name))
        assert parts["parameters"] + parts["activations"] + parts["data"] < 64 * 2**20, name


@pytest.mark.parametrize("command", ["train", "summary"])
def test_two_huge_layers_are_refused_before_allocating(command, capsys):
    import resource
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert main([command, "xor", "--set", HUGE]) == 2
    err = capsys.readouterr().err
    assert "needs about 144.7 GiB of memory, mostly 4,295,294,977 parameters" in err and "the limit is 2.0 GiB" in err
    assert err.count("\n") == 1
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024     # KiB: nothing big was allocated


def test_synthetic_data_too_large_is_refused_before_it_is_made():
    preset = load_preset("xor", ['data.kind="teacher"', "data.dims=4096", "data.samples=1000000",
                                 'network.layers=[{units=1, activation="sigmoid"}]'])
    with pytest.raises(NntermError, match="mostly the data"):
        check_memory(preset)


def test_the_limit_can_be_raised_and_a_bad_limit_is_a_sentence(monkeypatch):
    preset = load_preset("xor", ['network.layers=[{units=16384, activation="relu"}, {units=16384, activation="relu"}, '
                                 '{units=1, activation="sigmoid"}]'])
    with pytest.raises(NntermError, match="9.2 GiB"):
        check_memory(preset)
    monkeypatch.setenv("NNTERM_MEMORY_LIMIT", "16")
    check_memory(preset)
    monkeypatch.setenv("NNTERM_MEMORY_LIMIT", "lots")
    with pytest.raises(NntermError, match="NNTERM_MEMORY_LIMIT=lots"):
        check_memory(preset)


def test_the_app_session_refuses_before_it_rebuilds():
    session = Session(load_preset("xor"), post=queue.Queue().put)
    trainer = session.trainer
    layers = (LayerSpec(65536, "relu"), LayerSpec(65536, "relu"), LayerSpec(1, "sigmoid"))
    change = session.edit(lambda p: replace(p, network=replace(p.network, layers=layers)), "bigger", keep_data=True)
    assert change.error and "GiB of memory" in change.said and session.trainer is trainer


def test_the_app_session_refuses_a_fifo_as_weight_file(tmp_path):
    session = Session(load_preset("xor"), post=queue.Queue().put)
    os.mkfifo(tmp_path / "pipe")
    change = session.save_weights(str(tmp_path / "pipe"))
    assert change.error and "is a FIFO (named pipe), not a file" in change.said
