"""Atomic writes keep what a user expects of a file: its old contents on failure, its mode always."""
import os
import stat

import pytest

from nnterm.runtime.fileio import atomic_write_bytes, atomic_write_text


def test_new_file_gets_the_umask_mode_and_old_mode_is_kept(tmp_path):
    path = tmp_path / "a.toml"
    atomic_write_text(path, "x = 1\n")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    path.chmod(0o640)
    atomic_write_text(path, "x = 2\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and path.read_text() == "x = 2\n"


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path):
    path = tmp_path / "w.bin"
    path.write_bytes(b"old")

    with pytest.raises(TypeError):
        atomic_write_bytes(path, "not bytes")          # write() refuses str mid-way
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["w.bin"]
