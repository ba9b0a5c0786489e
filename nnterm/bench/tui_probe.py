"""The TUI's start-up and drawing cost, measured on the real app in a child process.

The child runs nnterm.tui.app.NntermApp on `xor` (and, for the drawing cost only, on the
heavier `spiral`: three hidden layers, a heatmap per neuron) inside a pseudo-terminal (so Textual renders
and writes every frame exactly as in a terminal; the parent reads and drops the output). A small
subclass only observes: it records the first frame (Textual's Ready event, posted right after the
first compositor refresh), asks for one epoch at once — as a person pressing play would — and
records when it finishes; then it trains at full speed and, over a window of a few seconds,
compares the CPU time of every thread but the training thread (the UI: event loop, compositor,
terminal writer, and any BLAS worker threads) with the wall time. Times count from the moment
the process is spawned.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from importlib.util import find_spec

WINDOW_SECONDS = 5.0       # full-speed training observed for the drawing cost (its first second included)
HEAVIER = "spiral"         # a second preset for the drawing cost: more neurons, more to paint
SETTLE_SECONDS = 0.5       # after the first epoch, before the window opens
TERMINAL = (160, 48)       # columns, rows
TIMEOUT = 240              # seconds, for `nnterm bench --startup`; an empty cache on a loaded machine compiles every screen's kernels in ~1–3 minutes

# Runs in the child. argv: result path, spawn time (time.time() in the parent).
PROBE = r"""
import json, os, sys, threading, time
result_path, spawned = sys.argv[1], float(sys.argv[2])
from nnterm.runtime.blas_threads import one_thread_unless_set
one_thread_unless_set()                          # as `nnterm` does (nnterm/cli.py), before numpy loads
from nnterm.presets.loader import load_preset
preset = load_preset(%(preset)r)
marks = {}


def read_first(preset):                           # the reading screen, observed (a big CSV only)
    from nnterm.tui.reading_screen import ReadingApp

    class ReadingProbe(ReadingApp):
        def on_ready(self):
            marks["first_frame"] = time.time() - spawned

    reading = ReadingProbe(preset)
    reading.run()
    marks["read"] = time.time() - spawned
    return reading.return_value


from nnterm.commands.early_warm_up import read_while_warming_up
trainer, warm_up, reading = read_while_warming_up(preset, read_first)   # as nnterm/commands/tui.py does
if trainer is not None and not hasattr(trainer, "data"):
    raise SystemExit(f"reading stopped: {trainer}")
from nnterm.warmup.kernel_warm_up import GROUPS
ready = {}
for group in GROUPS:                              # when each screen's kernels are loaded
    warm_up.when_ready(group, lambda error, group=group: ready.setdefault(group, time.time() - spawned))
from nnterm.session.events import EpochsDone, SnapshotReady, TrainingStopped
from nnterm.tui.app import NntermApp

marks["imported"] = time.time() - spawned
training_threads = set()


def cpu_of(ident):
    return time.clock_gettime(time.pthread_getcpuclockid(ident))


def compile_cpu():
    # CPU seconds so far of this process and of the warm-up's compile helpers (Linux: their /proc
    # entries; a helper outlives nothing, so rusage never counts it)
    total = time.process_time()
    for helper in warm_up.helpers():
        try:
            fields = open(f"/proc/{helper.process.pid}/stat").read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (AttributeError, OSError, IndexError, ValueError):
            pass
    return total


class Probe(NntermApp):
    _BASE_PATH = sys.modules[NntermApp.__module__].__file__    # its .tcss is found beside app.py, not here

    def on_ready(self):
        marks.setdefault("first_frame", time.time() - spawned)    # the reading screen's, where there was one
        marks["playground_frame"] = time.time() - spawned
        if trainer is not None:                   # a big CSV: the network on its rows drawn first, then play
            return
        self.press_play()

    def read_done(self, outcome):                 # a big CSV read in this app, behind its reading box
        marks["read"] = time.time() - spawned
        super().read_done(outcome)

    def press_play(self):
        marks["play"] = time.time() - spawned
        training = self.session.trainer
        train_epoch = training.train_epoch
        def watched_epoch():
            training_threads.add(threading.get_ident())
            return train_epoch()
        training.train_epoch = watched_epoch      # only to learn which thread trains
        self.session.play(1)                      # play, at once; waits for the kernels if need be

    def on_session_event(self, message):          # runs before NntermApp's own handler
        if isinstance(message.event, SnapshotReady) and message.event.snapshot is not None:
            marks.setdefault("network_drawn", time.time() - spawned)   # the first, shown by NntermApp's handler next
            read = "read" in marks and message.event.generation == self.session.generation
            if trainer is not None and read and "data_network" not in marks:   # the network on the read rows
                marks["data_network"] = time.time() - spawned
                self.call_later(self.press_play)
        elif isinstance(message.event, EpochsDone):
            if "first_epoch" not in marks:
                marks["first_epoch"], marks["first_epoch_cpu"] = time.time() - spawned, compile_cpu()
        elif isinstance(message.event, TrainingStopped) and "full_speed" not in marks:
            marks["full_speed"] = True
            self.call_later(self.full_speed)      # after NntermApp's own handler marks it idle

    def full_speed(self):
        self.session.play(10 ** 9)
        self.set_timer(%(settle)s, self.open_window)

    def open_window(self):
        self.window = (time.perf_counter(), time.process_time(), self.training_cpu(), self.session.trainer.epoch)
        self.set_timer(%(window)s, self.close_window)

    def training_cpu(self):
        # the live ones: the first run's thread (one epoch) has ended, and a dead thread has no clock
        return sum(cpu_of(t.ident) for t in threading.enumerate() if t.ident in training_threads)

    def close_window(self):
        wall0, cpu0, train0, epoch0 = self.window
        wall = time.perf_counter() - wall0
        ui_cpu = (time.process_time() - cpu0) - (self.training_cpu() - train0)
        marks.pop("full_speed")
        marks.update(seconds=wall, epochs=self.session.trainer.epoch - epoch0, ui_cpu_share=ui_cpu / wall,
                     training_cpu_share=(self.training_cpu() - train0) / wall,
                     repaint_stretch=self.playground.budget.stretch)
        self.session.pause()
        if %(every_group)s:                       # then wait (off the UI thread) for every screen's kernels
            threading.Thread(target=self.finish_when_every_group_is_ready, daemon=True).start()
            return
        self.finish()

    def finish_when_every_group_is_ready(self):
        warm_up.wait_for(warm_up.groups_to_compile()[-1])
        self.call_from_thread(self.finish)

    def finish(self):
        marks["groups_ready"] = ready
        with open(result_path, "w", encoding="utf-8") as out:
            json.dump(marks, out)
        self.exit(0)


Probe(preset, warm_up=warm_up, trainer=trainer, reading=reading).run()
"""


def drain(fd: int, tail: list) -> None:
    """Reads the terminal's output until the child closes it (a full pty would block the app),
    keeping the last few kilobytes for an error message."""
    try:
        while chunk := os.read(fd, 65536):
            tail[:] = [(b"".join(tail) + chunk)[-4096:]]
    except OSError:
        pass


def last_line(tail: list) -> str:
    """The last readable line the child wrote (a traceback's last line, say)."""
    import re
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(tail).decode("utf-8", "replace"))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def run_probe(window: float = WINDOW_SECONDS, settle: float = SETTLE_SECONDS, preset: str = "xor",
              cache_dir: str | None = None, every_group: bool = False, timeout: float = TIMEOUT,
              size: tuple[int, int] = TERMINAL) -> dict:
    """The child's marks; `every_group`: it also waits until every screen's kernels are loaded
    (groups_ready: seconds from the spawn to each warm-up group). `timeout`: seconds before the
    child is given up on (the tests pass a hang guard that no load reaches)."""
    import fcntl
    import struct
    import termios
    master, slave = os.openpty()
    cols, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor")
    if cache_dir is not None:
        env["NUMBA_CACHE_DIR"] = cache_dir
    with tempfile.TemporaryDirectory(prefix="nnterm-tui-probe-") as folder:
        path = os.path.join(folder, "result.json")
        spawned = time.time()
        script = PROBE % {"settle": settle, "window": window, "preset": preset, "every_group": every_group}
        child = subprocess.Popen([sys.executable, "-c", script, path, repr(spawned)], stdin=slave, stdout=slave,
                                 stderr=slave, env=env, start_new_session=True)
        os.close(slave)
        tail: list[bytes] = []
        reader = threading.Thread(target=drain, args=(master, tail), daemon=True)
        reader.start()
        try:
            child.wait(timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            return {"error": f"the TUI probe did not finish within {timeout:g} s"}
        finally:
            os.close(master)
        if not os.path.exists(path):
            reader.join(1.0)
            return {"error": f"the TUI probe exited with status {child.returncode} before measuring: {last_line(tail)}"}
        with open(path, encoding="utf-8") as result:
            return json.load(result)


def measure() -> dict:
    if find_spec("nnterm.tui.app") is None:
        return {"missing": "nnterm/tui/app.py does not exist yet, so there is no first frame to time"}
    if os.name != "posix":
        return {"missing": "the TUI probe needs a POSIX pseudo-terminal"}
    with tempfile.TemporaryDirectory(prefix="nnterm-cold-cache-") as empty:
        cold = run_probe(window=0.5, settle=0.1, cache_dir=empty, every_group=True)   # every kernel compiles meanwhile
    run_probe()                    # warms the kernel cache and the OS's file cache
    figures = run_probe()
    figures["cold"] = {k: cold[k] for k in ("first_frame", "first_epoch", "first_epoch_cpu", "groups_ready", "error")
                       if k in cold}
    heavier = run_probe(preset=HEAVIER)
    keep = ("ui_cpu_share", "epochs", "seconds", "repaint_stretch", "error")
    figures["heavier"] = {"preset": HEAVIER, **{k: heavier[k] for k in keep if k in heavier}}
    return figures


def main(argv: list[str]) -> int:
    """`python -m nnterm.bench.tui_probe PRESET [--cold]`: a big CSV's preset timed as `nnterm tui`
    opens it, at 160×48 and 80×24 — the first frame, the file read, the playground's frame, the
    network drawn (its first snapshot: on the header's stand-in, behind the reading box), the
    network on the read rows, and the first epoch played at once, in seconds from the spawn;
    `--cold`: on an empty kernel cache too. After each run pandas reads the same file
    (nnterm/bench/csv_read.py), so that the waits from the first frame are set beside
    `pandas.read_csv` at the same load."""
    preset, cold = argv[0], "--cold" in argv[1:]
    from nnterm.presets.loader import load_preset
    from nnterm.bench.csv_read import has_header, time_reader
    data = load_preset(preset).data
    header = (0 if has_header(data.path) else None) if data.kind == "csv" else None
    keep = ("first_frame", "read", "playground_frame", "network_drawn", "data_network", "play", "first_epoch", "error")
    print(f"{preset}: seconds from the spawn, load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores, "
          f"{time.strftime('%H:%M')}")
    for size in (TERMINAL, (80, 24)):
        runs = [("warm", None)]
        if cold:
            runs.append(("cold", tempfile.mkdtemp(prefix="nnterm-cold-cache-")))
        for cache, folder in runs:
            marks = run_probe(window=0.5, settle=0.1, preset=preset, cache_dir=folder, size=size)
            shown = "  ".join(f"{k} {marks[k]:.2f}" if k != "error" else f"error: {marks[k]}" for k in keep if k in marks)
            if data.kind == "csv" and "network_drawn" in marks:
                pandas = time_reader("pandas", data.path, header)
                wait = marks["network_drawn"] - marks["first_frame"]
                rows = marks.get("data_network", float("nan")) - marks["first_frame"]
                shown += (f"  | first frame → network {wait:.2f}, → on the read rows {rows:.2f}, "
                          f"pandas.read_csv {pandas['seconds']:.2f}"
                          if "seconds" in pandas else f"  | pandas {pandas['skipped']}")
            print(f"{size[0]}×{size[1]} {cache}: {shown}", flush=True)
            if folder:
                import shutil
                shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
