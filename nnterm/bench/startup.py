"""`nnterm bench --startup`: how long a person waits before anything happens.

Every figure is taken in a fresh child process, as a person launching nnterm would see it:
  - `nnterm --help` wall time (target < 0.3 s; no numba, no textual on that path);
  - the first `xor` epoch headless with a cold kernel cache (compilation) and a warm one, in
    wall time and in CPU seconds (the child's user + system time: on a machine others share,
    the wall time says how busy it was as much as how much work there was);
  - with nnterm/tui/app.py present: the TUI's first frame and first xor epoch, and its own
    drawing cost while training at full speed (see tui_probe.py), and, on an empty cache, each
    screen's key pressed at the first frame until its content is on (KEY_TO_CONTENT);
  - what the kernel warm-up compiles for every screen, in CPU seconds: its helper process alone
    (`python -m nnterm.warmup.kernel_warm_up`) given every part an app compiles, on an empty
    cache, part by part — and, beside it, what it compiled before the teaching screens ran as
    Python twins (every group).
"""
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HELP_TARGET = 0.3
HELP_RUNS = 5
COLD_EPOCH_TARGET = 6.0     # seconds from launch to the TUI's first xor epoch on an empty cache, two cores

# Runs in the child. Phases, each timed from the start: the engine's import (numba stays
# unloaded), numba's, the kernels the Trainer calls (loaded from the cache, or compiled), then
# a whole Trainer.train_epoch() — what is left there is Python (metrics and their imports).
FIRST_EPOCH = """
import json, time
start = time.perf_counter()
marks = {}
import numpy as np
from nnterm.presets.loader import load_preset
from nnterm.engine.trainer import Trainer, hyper_parameters
marks["engine_import"] = time.perf_counter() - start
import numba, nnterm.kernels.epoch
marks["numba_import"] = time.perf_counter() - start
trainer = Trainer(load_preset("xor"))
net, data, backend = trainer.network, trainer.data, trainer.backend
kept = trainer.state.copy(), trainer.step_count.copy(), net.params.copy()
order = np.arange(data.x_train.shape[0], dtype=np.int64)
backend.train_epoch(net, trainer.opt_code, trainer.state, trainer.step_count, hyper_parameters(trainer.preset, 0.0),
                    data.x_train, data.y_train, order, trainer.batch_size)
backend.evaluate_loss(net, data.x_val, data.y_val)
backend.predict(net, data.x_val)
trainer.state[:], trainer.step_count[:], net.params[:] = kept
marks["kernels_loaded"] = time.perf_counter() - start
trainer.train_epoch()
marks["first_epoch"] = time.perf_counter() - start
print(json.dumps(marks))
"""


# Runs in the child, on an empty cache, as `nnterm tui` (or `nnterm learn`, for "1") starts: the
# kernel warm-up, then the app (headless, 160×48); at its first frame one key, and the seconds
# until the screen it opens is on and its mount handled, with the UI thread's CPU seconds
# meanwhile (what the key cost it, whatever else the machine ran). argv: the key.
KEY_TO_CONTENT = """
import asyncio, importlib, json, os, sys, time
key = sys.argv[1]
from nnterm.runtime.blas_threads import one_thread_unless_set
one_thread_unless_set()
from nnterm.presets.loader import load_preset
from nnterm.lessons.validate import START_PRESET
from nnterm.warmup.kernel_warm_up import start_warm_up
preset = load_preset(START_PRESET if key == "1" else "xor")
warm_up = start_warm_up(preset)
from nnterm.tui.app import NntermApp
from nnterm.tui.teaching import SCREENS


async def main():
    app = NntermApp(preset, warm_up=warm_up, learn="" if key == "1" else None)
    if key == "1":
        from nnterm.tui.lessons.lesson_screen import LessonScreen as target
    else:
        module, _, name = SCREENS[key][1].partition(":")
        target = getattr(importlib.import_module(module), name)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        start, ui = time.perf_counter(), time.thread_time()
        app.simulate_key(key)
        while not isinstance(app.screen, target):
            await asyncio.sleep(0.005)
        await pilot.pause()
        print(json.dumps({"seconds": time.perf_counter() - start, "ui_cpu": time.thread_time() - ui}), flush=True)
        warm_up.stop(0)
        app.exit()
asyncio.run(main())
os._exit(0)                                       # the helpers end with this process; nothing to wait for
"""
SCREEN_KEYS = {"1": "lesson 1 (nnterm learn)", "i": "inspector", "l": "neuron lab", "g": "price game",
               "d": "descent race"}


def key_to_content() -> dict:
    """Each screen's key pressed at the app's first frame on an empty cache, each in a fresh
    process and cache: {screen: {seconds, ui_cpu} or {error}}."""
    figures = {}
    for key, screen in SCREEN_KEYS.items():
        folder = tempfile.mkdtemp(prefix="nnterm-bench-cache-")
        env = child_env(folder)
        env["NNTERM_HOME"] = tempfile.mkdtemp(prefix="nnterm-bench-home-")
        try:
            out = subprocess.run([sys.executable, "-c", KEY_TO_CONTENT, key], capture_output=True, text=True,
                                 env=env, timeout=600)
            if out.returncode == 0:
                figures[screen] = json.loads(out.stdout.strip().splitlines()[-1])
            else:
                figures[screen] = {"error": (out.stderr.strip().splitlines() or ["no output"])[-1]}
        except subprocess.TimeoutExpired:
            figures[screen] = {"error": "no screen within 600 s"}
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(env["NNTERM_HOME"], ignore_errors=True)
    return figures


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


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def first_epoch(cache_dir: str) -> dict:
    """The child's phase times (see FIRST_EPOCH), 'process', its whole wall time, and 'cpu', its
    CPU seconds (user + system, its own children included), with `cache_dir`."""
    start, cpu_start = time.perf_counter(), children_cpu()
    out = subprocess.run([sys.executable, "-c", FIRST_EPOCH], capture_output=True, text=True,
                         env=child_env(cache_dir))
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"the child exited with status {out.returncode}: {last}"}
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["process"] = time.perf_counter() - start
    figures["cpu"] = children_cpu() - cpu_start
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


def helper_cpu(parts: list[str], preset_text: str, cache_dir: str) -> dict:
    """The warm-up's helper compiling `parts` into `cache_dir`: CPU seconds (user + system) when
    each part was ready (Linux: from /proc), and in all (rusage, once it has exited)."""
    before = children_cpu()
    child = subprocess.Popen([sys.executable, "-m", "nnterm.warmup.kernel_warm_up", preset_text, *parts],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             env=child_env(cache_dir))
    child.stdin.write("\n")                     # no stand-in data: the helper builds the preset's own
    child.stdin.flush()
    by_part, failed = {}, []
    for line in child.stdout:                   # the helper says "ready PART" or "failed PART why"
        word, _, rest = line.strip().partition(" ")
        part = rest.partition(" ")[0]
        if word == "failed":
            failed.append(rest)
        try:
            fields = open(f"/proc/{child.pid}/stat").read().rsplit(")", 1)[1].split()
            by_part[part] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            pass
        if len(by_part) + len(failed) >= len(parts) or word not in ("ready", "failed"):
            break
    child.stdin.close()                         # the helper exits when its stdin closes
    child.wait()
    return {"cpu": children_cpu() - before, "by_part": by_part, "failed": failed}


def compile_cpu(preset_name: str = "xor") -> dict:
    """What an app's warm-up compiles for every screen ("now"), and every group ("all groups",
    as before the teaching screens ran as Python twins), each on an empty cache."""
    from nnterm.presets.loader import load_preset
    from nnterm.presets.writer import preset_to_toml
    from nnterm.warmup.kernel_warm_up import GROUPS, KernelWarmUp, parts_of
    preset = load_preset(preset_name)
    figures = {}
    for label, twins in (("now", True), ("all groups", False)):
        groups = KernelWarmUp(preset, twins=twins).groups_to_compile()
        parts = [part for group in groups for part in parts_of(group)]
        folder = tempfile.mkdtemp(prefix="nnterm-bench-cache-")
        try:
            figures[label] = helper_cpu(parts, preset_to_toml(preset), folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        figures[label]["groups"] = list(groups)
    figures["every_group"] = list(GROUPS)
    return figures


def measure() -> dict:
    from nnterm.bench import tui_probe
    figures = {"help_seconds": help_seconds(), "kernels": kernel_load(), "compile": compile_cpu()}
    figures["tui"] = tui_probe.measure()
    figures["keys"] = key_to_content()
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
    print(f"  first xor epoch, headless    engine   +numba  +kernels  +first step   whole process   CPU     "
          f"(load average {os.getloadavg()[0]:.1f})")
    for label, key in (("cold cache (compiles)", "cold"), ("warm cache", "cached")):
        f = k[key]
        if "error" in f:
            print(f"    {label:<25} {f['error']}")
            continue
        print(f"    {label:<25} {f['engine_import']:6.2f} s {f['numba_import']:6.2f} s {f['kernels_loaded']:7.2f} s "
              f"{f['first_epoch']:9.2f} s {f['process']:12.2f} s {f['cpu']:6.2f} s")
    print("    (each time from the child's start; the first step adds what Trainer.train_epoch() imports and runs)")
    for line in compile_lines(figures["compile"]):
        print(line)
    for line in tui_lines(figures["tui"]):
        print(line)
    for line in key_lines(figures["keys"]):
        print(line)
    return 0


def key_lines(keys: dict) -> list[str]:
    lines = [f"  empty cache, a screen's key pressed at the first frame → its content, 160×48 "
             f"(load average {os.getloadavg()[0]:.1f}; ✓ ≤ {SCREEN_TARGET:.0f} s on a quiet machine):"]
    for screen, f in keys.items():
        if "error" in f:
            lines.append(f"    {screen:<24} {f['error']}")
            continue
        ok = "✓" if f["seconds"] <= SCREEN_TARGET else "✗"
        lines.append(f"    {screen:<24} {f['seconds']:5.2f} s  {ok}   UI thread {f['ui_cpu']:.2f} CPU-s")
    return lines


COMPILE_TARGET = 25.0      # CPU seconds for every screen's kernels on an empty cache


def compile_lines(compile_figures: dict) -> list[str]:
    lines = []
    for label in ("now", "all groups"):
        f = compile_figures.get(label)
        if not f:
            continue
        mark = ("✓" if f["cpu"] <= COMPILE_TARGET else "✗") + f" target ≤ {COMPILE_TARGET:.0f} CPU-s" if label == "now" else ""
        lines.append(f"  warm-up compile, empty cache, {label:<10} {f['cpu']:6.1f} CPU-s  {mark}  ({', '.join(f['groups'])})")
        if f["by_part"]:
            last, parts = 0.0, []
            for part, seconds in f["by_part"].items():
                parts.append(f"{part} {seconds - last:.1f}")
                last = seconds
            lines.append(f"    by part, CPU-s: {', '.join(parts)}")
        for failure in f["failed"]:
            lines.append(f"    failed: {failure}")
    return lines


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
    cold = tui.get("cold", {})
    if "first_frame" in cold:
        lines.append(f"  TUI first frame, empty cache {cold['first_frame']:4.2f} s  while every kernel compiles")
    if "first_epoch" in cold:
        ok = "✓" if cold["first_epoch"] <= COLD_EPOCH_TARGET else "✗"
        lines.append(f"  TUI first xor epoch, empty cache {cold['first_epoch']:5.2f} s  {ok} target ≤ {COLD_EPOCH_TARGET:.0f} s "
                     f"({cold.get('first_epoch_cpu', float('nan')):.1f} CPU-seconds, the compile helper's included; "
                     f"the first epochs run as stepped twins)")
    if cold.get("groups_ready"):
        ready = cold["groups_ready"]
        lines.append("  TUI empty cache, each group's kernels ready (a teaching screen's group is ready at once: "
                     "its Python twins need nothing compiled): "
                     + ", ".join(f"{group} {seconds:.1f} s" for group, seconds in ready.items()))
    if "error" in cold:
        lines.append(f"  TUI empty cache: {cold['error']}")
    for label, figures in (("xor", tui), (tui.get("heavier", {}).get("preset"), tui.get("heavier", {}))):
        if "ui_cpu_share" in figures:
            ok = "✓" if figures["ui_cpu_share"] <= 0.2 else "✗"
            lines.append(f"  TUI drawing, {label:<7} {figures['ui_cpu_share'] * 100:5.1f} % of a core  {ok} target ≤ 20 % "
                         f"({figures['epochs']} epochs in {figures['seconds']:.1f} s; repaints stretched "
                         f"{figures['repaint_stretch']:.2f}× by the paint budget)")
        elif "error" in figures and figures is not tui:
            lines.append(f"  TUI drawing, {label}: {figures['error']}")
    if "error" in tui:
        lines.append(f"  TUI: {tui['error']}")
    return lines


SCREEN_TARGET = 1.0        # seconds from a screen's key to its content on an empty cache, quiet machine
