"""The first session on an empty kernel cache ends as it should: space (training starts while the
kernels compile in the background), then q, and `nnterm` exits with status 0 — never "Aborted"
(status 134) because a compile was still running while Python shut down
(nnterm/warmup/quitting.py). Run as a person runs it: `python -m nnterm` in a real terminal (a pty)."""
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

import pytest

HANG_GUARD = 240.0          # seconds: only a hang guard, never a timing assertion


def read_for(fd, seconds: float) -> bytes:
    """Everything the app draws during `seconds` (answering nothing)."""
    out, until = b"", time.monotonic() + seconds
    while time.monotonic() < until:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return out


def set_size(fd, columns: int = 80, rows: int = 24) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def quit_status(tmp_path, pause: float) -> int:
    """Launches nnterm on an empty cache, presses space once it has drawn, q `pause` seconds
    later, and returns its wait status."""
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / f"cache-{pause}"), NNTERM_HOME=str(tmp_path / "home"),
               TERM="xterm-256color")
    pid, fd = pty.fork()
    if pid == 0:                                           # the child: nnterm, as typed in a terminal
        os.execve(sys.executable, [sys.executable, "-m", "nnterm", "tui", "xor"], env)
    set_size(fd)
    deadline = time.monotonic() + HANG_GUARD
    try:
        drawn = b""
        while b"xor" not in drawn and time.monotonic() < deadline:
            drawn += read_for(fd, 0.5)
        os.write(fd, b" ")
        read_for(fd, pause)
        os.write(fd, b"q")
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status
            read_for(fd, 0.2)                              # keep the pty drained so the app can write
        os.kill(pid, signal.SIGKILL)
        pytest.fail(f"nnterm did not exit within {HANG_GUARD:.0f} s of q")
    finally:
        os.close(fd)


@pytest.mark.parametrize("pause", [0.5, 2.0, 5.0])
def test_quitting_while_the_kernels_compile_exits_0(tmp_path, pause):
    status = quit_status(tmp_path, pause)
    assert os.WIFEXITED(status), f"nnterm ended by signal {os.WTERMSIG(status)} instead of exiting"
    assert os.WEXITSTATUS(status) == 0
