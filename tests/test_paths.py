"""Output paths: checked before any work, never replacing what is not a regular file, and
temporary files never left behind (README, "What nnterm promises")."""
import os
import stat
import subprocess
import sys

import pytest

from nnterm.cli import main
from nnterm.errors import NntermError
from nnterm.runtime.fileio import atomic_write_bytes
from nnterm.runtime.paths import check_output_path, remove_stale_temps, temp_file


def refused(path, key="--save") -> str:
    with pytest.raises(NntermError) as err:
        check_output_path(path, key)
    return str(err.value)


def test_a_fifo_a_folder_and_a_socket_are_refused_and_left_as_they_were(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert "is a FIFO (named pipe), not a file" in refused(fifo)
    assert "is a folder, not a file" in refused(tmp_path)
    with pytest.raises(NntermError, match="FIFO"):
        atomic_write_bytes(fifo, b"data")                 # the writer refuses too, at the last moment
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path):
    real = tmp_path / "real.bin"
    real.write_bytes(b"old")
    link = tmp_path / "link.bin"
    link.symlink_to(real)
    assert check_output_path(link) == real
    atomic_write_bytes(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


@pytest.mark.parametrize("make, words", [
    (lambda d: (d / "l").symlink_to(d / "nowhere"), "which does not exist"),
    (lambda d: ((d / "l").symlink_to(d / "m"), (d / "m").symlink_to(d / "l")), "cannot be followed"),
    (lambda d: (os.mkfifo(d / "f"), (d / "l").symlink_to(d / "f")), "which is a FIFO (named pipe), not a file"),
    (lambda d: (d / "l").symlink_to(d), "which is a folder, not a file"),
])
def test_symlinks_that_do_not_lead_to_a_regular_file_are_refused(tmp_path, make, words):
    make(tmp_path)
    assert words in refused(tmp_path / "l")


@pytest.mark.parametrize("path, words", [
    ("", "give a file name"),
    ("   ", "give a file name"),
    ("a" * 256 + ".safetensors", "the file name is 268 bytes long; file systems take at most 255"),
    ("é" * 128, "256 bytes"),                    # bytes, not characters
    ("no/such/folder/model.safetensors", "the folder no/such/folder does not exist"),
    ("/proc/model.safetensors", "does not take new files"),
    ("x\0y", "NUL"),
    ("out/", "names a folder"),
])
def test_bad_names_are_one_sentence(path, words, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    if path.startswith("/proc") and not os.path.isdir("/proc"):
        pytest.skip("no /proc here")
    message = refused(path)
    assert words in message and "\n" not in message


def test_a_255_byte_name_is_legal_and_its_temporary_file_too(tmp_path):
    path = tmp_path / ("n" * 255)
    atomic_write_bytes(path, b"ok")
    assert path.read_bytes() == b"ok" and len(list(tmp_path.iterdir())) == 1


def test_a_killed_save_leaves_a_temporary_file_that_the_next_check_removes(tmp_path):
    target = tmp_path / "model.safetensors"
    code = ("import os, sys; from pathlib import Path; from nnterm.runtime.paths import temp_file; "
            f"temp_file(Path({str(target)!r})); os._exit(0)")   # exits as a kill would: no clean-up
    subprocess.run([sys.executable, "-c", code], check=True)
    left = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1
    fd, mine = temp_file(target)                  # a save in progress in this process is left alone
    os.close(fd)
    check_output_path(target, "--save")
    assert [p.name for p in tmp_path.iterdir()] == [os.path.basename(mine)]
    assert remove_stale_temps(tmp_path) == []


def test_train_refuses_a_bad_save_path_before_training(tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for path in (str(fifo), "", str(tmp_path)):
        assert main(["train", "xor", "--epochs", "1", "--save", path]) == 2
        err = capsys.readouterr()
        assert "Epoch" not in err.out and err.err.count("\n") == 1
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_export_refuses_a_fifo_output(tmp_path, capsys):
    weights = tmp_path / "w.safetensors"
    assert main(["train", "xor", "--epochs", "1", "--quiet", "--save", str(weights)]) == 0
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    capsys.readouterr()
    assert main(["export", str(weights), "--output", str(fifo)]) == 2
    assert "is a FIFO (named pipe), not a file" in capsys.readouterr().err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_save_that_fails_after_training_keeps_the_run_elsewhere(tmp_path, monkeypatch, capsys):
    from nnterm.engine import checkpoint
    target = tmp_path / "w.safetensors"
    original = checkpoint.save_weights

    def fifo_appears(path, trainer):
        if str(path) == str(target):
            os.mkfifo(target)                     # appears while the run trains
        return original(path, trainer)

    monkeypatch.setattr("nnterm.engine.checkpoint.save_weights", fifo_appears)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "rescue"))
    (tmp_path / "rescue").mkdir()
    assert main(["train", "xor", "--epochs", "2", "--quiet", "--save", str(target)]) == 2
    err = capsys.readouterr().err
    rescued = list((tmp_path / "rescue").iterdir())
    assert len(rescued) == 1 and str(rescued[0]) in err and "epoch 2" in err
    assert stat.S_ISFIFO(os.lstat(target).st_mode)


def test_the_next_save_to_a_folder_removes_what_a_killed_one_left(tmp_path):
    code = ("import os; from pathlib import Path; from nnterm.runtime.paths import temp_file; "
            f"temp_file(Path({str(tmp_path / 'x.toml')!r})); os._exit(0)")
    subprocess.run([sys.executable, "-c", code], check=True)
    atomic_write_bytes(tmp_path / "y.toml", b"y")
    assert [p.name for p in tmp_path.iterdir()] == ["y.toml"]
