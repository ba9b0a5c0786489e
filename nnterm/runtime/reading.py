"""Reading a user's file: regular files only (docs/design.md, "Files").

Opening a FIFO for reading waits for a writer that may never come, and a device never ends
(/dev/zero), so every reader of a file a user names (presets, lessons, the lesson progress,
weight files, CSV tables) opens it here. What is at the path is checked before it is opened
(a link is followed: a link to a regular file is that file), it is opened without blocking and
checked again on the open descriptor, so nothing swapped in between is read. Anything else is
`NotARegularFile`, an OSError whose strerror each reader already puts in its one sentence.
"""
import errno
import os
import stat

from nnterm.runtime.paths import kind_of

OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


class NotARegularFile(OSError):
    """The path names a FIFO, a device, a socket or a folder: nothing nnterm reads."""

    def __init__(self, mode: int) -> None:
        super().__init__(errno.EINVAL, f"it is {kind_of(mode)}, not a regular file")


def read_regular(path, limit: int | None = None) -> bytes:
    """The file's bytes, at most `limit` + 1 of them when a limit is given (so a caller can tell
    "too large" without reading it all). OSError (NotARegularFile among them) otherwise."""
    with open_regular(path) as handle:
        return handle.read() if limit is None else handle.read(limit + 1)


def open_regular(path):
    """The file open for reading bytes, for a reader that streams it (a large CSV); the same checks."""
    refuse_unless_regular(os.stat(path).st_mode)
    fd = os.open(path, OPEN_FLAGS)
    handle = os.fdopen(fd, "rb")
    try:
        refuse_unless_regular(os.fstat(fd).st_mode)
    except OSError:
        handle.close()
        raise
    return handle


def refuse_unless_regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise NotARegularFile(mode)
