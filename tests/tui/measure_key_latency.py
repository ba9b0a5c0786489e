"""Measures how fast the playground answers a key — while the kernels compile and while it
trains spiral — as the time from a key arriving (App.simulate_key) to the playground's action
running. A measurement, not a test (pytest does not collect it):

    python tests/tui/measure_key_latency.py                          # warm kernel cache
    NUMBA_CACHE_DIR=$(mktemp -d) python tests/tui/measure_key_latency.py   # a cold compile
"""
import asyncio
import os
import statistics
import tempfile
import time

os.environ.setdefault("NNTERM_HOME", tempfile.mkdtemp())

from nnterm.presets.loader import load_preset  # noqa: E402
from nnterm.tui.playground import screen as playground  # noqa: E402
from nnterm.tui.app import NntermApp  # noqa: E402

handled: list[float] = []
log_scale = playground.PlaygroundScreen.action_log_scale


def timed_log_scale(self) -> None:
    handled.append(time.perf_counter())
    log_scale(self)


playground.PlaygroundScreen.action_log_scale = timed_log_scale


async def press(app) -> float:
    """Milliseconds from key to action for one press of y (the loss chart's log toggle)."""
    handled.clear()
    start = time.perf_counter()
    app.simulate_key("y")
    while not handled:
        await asyncio.sleep(0.001)
    await asyncio.sleep(0.1)
    return (handled[0] - start) * 1000


def summary(ms: list[float]) -> str:
    ms = sorted(ms)
    return (f"{len(ms)} keys: median {statistics.median(ms):.0f} ms, 95th {ms[int(0.95 * len(ms))]:.0f} ms, "
            f"max {ms[-1]:.0f} ms, over 100 ms: {sum(m > 100 for m in ms)}")


async def main() -> None:
    app = NntermApp(load_preset("spiral", ["training.epochs=100000"]), seed=0)
    async with app.run_test(size=(120, 36)):
        start = time.perf_counter()
        await asyncio.sleep(0.3)
        compiling = []
        while not app.session.kernels_ready and len(compiling) < 400:
            compiling.append(await press(app))
        while not app.session.kernels_ready:
            await asyncio.sleep(0.05)
        print(f"kernel warm-up: {time.perf_counter() - start:.1f} s; keys meanwhile: {summary(compiling) if compiling else 'none'}")
        app.simulate_key("space")
        await asyncio.sleep(1)
        training = [await press(app) for _ in range(40)]
        print(f"while training spiral ({app.session.trainer.epoch} epochs so far): {summary(training)}")
        start = time.perf_counter()
        app.simulate_key("space")
        while app.session.training:
            await asyncio.sleep(0.001)
        print(f"space to paused: {(time.perf_counter() - start) * 1000:.0f} ms")


if __name__ == "__main__":
    asyncio.run(main())
