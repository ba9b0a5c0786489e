"""Epochs per second after warm-up, the median of several runs.

The machine is shared and noisy, so the contenders take turns (round-robin): a burst of
load from elsewhere then slows one run of each rather than all runs of one, and the
medians stay comparable. Each timed run lasts at least `run_seconds`, so a fast epoch is
timed over many repetitions and the clock's resolution never matters.
"""
import statistics
import time

WARMUP_SECONDS = 0.15      # after the first epoch (which may compile or load kernels)
RUN_SECONDS = 0.25
RUNS = 5


def epoch_seconds(epoch) -> float:
    start = time.perf_counter()
    epoch()
    return max(time.perf_counter() - start, 1e-9)


def warm_up(epoch, seconds: float = WARMUP_SECONDS) -> float:
    """The first call (compilation, caches, allocator), then about `seconds` more of epochs.
    Returns the seconds one epoch takes once warm."""
    epoch()
    for _ in range(int(seconds / epoch_seconds(epoch))):
        epoch()
    return epoch_seconds(epoch)


def timed_run(epoch, count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        epoch()
    return count / (time.perf_counter() - start)


def race(contenders: dict, runs: int = RUNS, run_seconds: float = RUN_SECONDS) -> dict[str, float]:
    """{name: epoch function} → {name: median epochs per second}, taking turns run by run."""
    counts = {}
    for name, epoch in contenders.items():
        once = warm_up(epoch, min(WARMUP_SECONDS, run_seconds))
        counts[name] = max(1, int(run_seconds / once))
    rates = {name: [] for name in contenders}
    for _ in range(runs):
        for name, epoch in contenders.items():
            rates[name].append(timed_run(epoch, counts[name]))
    return {name: statistics.median(values) for name, values in rates.items()}
