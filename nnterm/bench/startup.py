"""`nnterm bench --startup`: how long a person waits before anything happens.

Every figure is taken in a fresh child process, as a person launching nnterm would see it:
  - `nnterm --help` wall time (target < 0.3 s; no numba, no textual on that path);
  - the first `xor` epoch headless with a cold kernel cache (compilation) and a warm one;
  - with nnterm/tui/app.py present: the TUI's first frame and first xor epoch, and its own
    drawing cost while training at full speed (see tui_probe.py).
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HELP_TARGET = 0.3
HELP_RUNS = 5

# Runs in the child: import the engine, build the xor trainer, train one epoch, print timings.
FIRST_EPOCH = """
import json, time
start = time.perf_counter()
import nnterm.kernels
imported = time.perf_counter()
from nnterm.preset_loader import load_preset
from nnterm.trainer import Trainer
trainer = Trainer(load_preset("xor"))
trainer.step()
done = time.perf_counter()
print(json.dumps({"import": imported - start, "first_epoch": done - start}))
"""


def help_command() -> list[str]:
    """The installed `nnterm` script beside this Python, else `python -m nnterm`."""
    script = Path(sys.executable).with_name("nnterm")
    return [str(script), "--help"] if script.exists() else [sys.executable, "-m", "nnterm", "--help"]


def wall(command: list[str], env=None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def help_seconds(runs: int = HELP_RUNS) -> float:
    command = help_command()
    wall(command)                       # the first run may page the interpreter in from disk
    return statistics.median(wall(command) for _ in range(runs))


def child_env(cache_dir: str) -> dict:
    env = dict(os.environ)
    env["NUMBA_CACHE_DIR"] = cache_dir
    return env


def first_epoch(cache_dir: str) -> dict:
    """{'import': s, 'first_epoch': s, 'process': s} for one child using `cache_dir`."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", FIRST_EPOCH], check=True, capture_output=True, text=True,
                         env=child_env(cache_dir))
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["process"] = time.perf_counter() - start
    return figures


def kernel_load() -> dict:
    """Cold (empty cache: every kernel compiles) and cached (the same folder, second time)."""
    folder = tempfile.mkdtemp(prefix="nnterm-bench-cache-")
    try:
        cold = first_epoch(folder)
        cached = first_epoch(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {"cold": cold, "cached": cached}


def measure() -> dict:
    from nnterm.bench import tui_probe
    figures = {"help_seconds": help_seconds(), "kernels": kernel_load()}
    figures["tui"] = tui_probe.measure()
    return figures


def print_startup(as_json: bool = False) -> int:
    figures = measure()
    if as_json:
        print(json.dumps(figures))
        return 0
    help_s = figures["help_seconds"]
    k = figures["kernels"]
    print("nnterm bench --startup — each figure from a fresh process")
    print(f"  nnterm --help              {help_s * 1000:7.0f} ms   {'✓' if help_s < HELP_TARGET else '✗'} target < {HELP_TARGET * 1000:.0f} ms")
    for label, key in (("cold cache (compiles)", "cold"), ("warm cache", "cached")):
        f = k[key]
        print(f"  first xor epoch, {label:<22} {f['first_epoch']:6.2f} s  (import {f['import']:.2f} s, "
              f"whole process {f['process']:.2f} s)")
    for line in tui_lines(figures["tui"]):
        print(line)
    return 0


def tui_lines(tui: dict) -> list[str]:
    if "missing" in tui:
        return [f"  TUI: {tui['missing']}"]
    lines = []
    if "first_frame" in tui:
        ok = "✓" if tui["first_frame"] < 1.0 else "✗"
        lines.append(f"  TUI first frame            {tui['first_frame']:6.2f} s  {ok} target < 1 s (warm cache)")
    if "first_epoch" in tui:
        ok = "✓" if tui["first_epoch"] < 1.5 else "✗"
        lines.append(f"  TUI first xor epoch        {tui['first_epoch']:6.2f} s  {ok} target < 1.5 s")
    if "ui_cpu_share" in tui:
        ok = "✓" if tui["ui_cpu_share"] <= 0.2 else "✗"
        lines.append(f"  TUI drawing while training {tui['ui_cpu_share'] * 100:5.1f} % of a core  {ok} target ≤ 20 % "
                     f"({tui['epochs']} epochs in {tui['seconds']:.1f} s)")
    if "error" in tui:
        lines.append(f"  TUI: {tui['error']}")
    return lines
