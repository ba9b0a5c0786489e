"""Atomic file writes: a reader (or a crash mid-write) sees the old file or the new one, never half.

What may be replaced is nnterm.runtime.paths' rule: a regular file, or the regular file a
symlink points to; never a folder, device or FIFO. A temporary file is removed on any failure;
one left by a kill is removed by the next save to that folder (paths.remove_stale_temps).
"""
import os
from pathlib import Path

from nnterm.runtime.paths import remove_stale_temps, temp_file, write_target


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Temp file in the same folder, flush + fsync, then os.replace over the target."""
    target = write_target(path)
    remove_stale_temps(target.parent if str(target.parent) else ".")   # a killed save's leftovers in this folder
    fd, tmp = temp_file(target)
    try:
        os.chmod(tmp, file_mode(target))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        write_target(target)                   # still a regular file (or nothing) at the last moment
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def file_mode(target: Path) -> int:
    """The mode the file had, or what the umask gives a new one (mkstemp's 0600 would hide it)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
