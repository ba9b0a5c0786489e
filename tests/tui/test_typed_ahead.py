"""A key typed before the first frame is not lost: `nnterm`, then `l` at once, on an empty cache
(seconds before the first frame on a busy machine), opens the neuron lab once the app is up."""
import os
import pty
import signal
import sys
import time

from nnterm.tui.typed_ahead import printable_keys

from .test_quit_cold import HANG_GUARD, read_for, set_size


def test_only_whole_key_presses_are_kept():
    assert printable_keys("l1 ?") == "l1 ?"
    assert printable_keys("ab\x1b[A") == "ab"               # an arrow's escape sequence, and all after it
    assert printable_keys("x\r\n") == "x"


def test_a_key_typed_before_the_first_frame_opens_its_screen(tmp_path):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"), NNTERM_HOME=str(tmp_path / "home"),
               TERM="xterm-256color")
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-m", "nnterm", "tui", "xor"], env)
    set_size(fd)
    os.write(fd, b"l")                                     # at once: long before Textual has the terminal
    deadline, seen = time.monotonic() + HANG_GUARD, b""
    try:
        while b"Neuron lab" not in seen and time.monotonic() < deadline:
            seen = (seen + read_for(fd, 0.5))[-200_000:]
        assert b"Neuron lab" in seen, "the l typed before the first frame did not open the neuron lab"
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)


def test_in_tmux_too(tmp_path):
    """The same through tmux, a terminal that answers Textual's start-up queries: there the key was
    lost before the app read what was typed ahead itself."""
    import shutil
    import subprocess

    import pytest
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    name = f"nnterm-typed-{os.getpid()}"
    env = f"NUMBA_CACHE_DIR={tmp_path / 'cache'} NNTERM_HOME={tmp_path / 'home'}"
    subprocess.run(["tmux", "new", "-d", "-s", name, "-x", "80", "-y", "24",
                    f"env {env} {sys.executable} -m nnterm tui xor; sleep 600"], check=True)
    try:
        time.sleep(1.0)                                     # the shell has started nnterm; Textual has not
        subprocess.run(["tmux", "send-keys", "-t", name, "l"], check=True)
        deadline, screen = time.monotonic() + HANG_GUARD, ""
        while "Neuron lab" not in screen and time.monotonic() < deadline:
            time.sleep(0.5)
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", name], capture_output=True, text=True).stdout
        assert "Neuron lab" in screen, screen
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
