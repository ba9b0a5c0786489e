"""Epochs per second after warm-up, by process CPU time, the median of several runs.

The clock is the process's CPU time (time.process_time: every thread of this process, user and
system), not the wall clock. Each contender is meant to have one core, but JAX 0.10 runs its
GEMMs on two threads whatever XLA_FLAGS says: by the wall it would get two cores to our one,
by CPU time it pays for both. On a shared machine CPU time also leaves out the time another
process held the core. CLOCK = the words the printouts use for it.

The contenders take turns (round-robin): a burst of load from elsewhere then slows one run of
each rather than all runs of one, and the medians stay comparable. Each timed run lasts at least
`run_seconds`, so a fast epoch is timed over many repetitions and the clock's resolution never
matters.
"""
import statistics
import time

WARMUP_SECONDS = 0.15      # after the first epoch (which may compile or load kernels)
RUN_SECONDS = 0.25
RUNS = 5
CLOCK = "by process CPU time"


def epoch_seconds(epoch, clock=time.process_time) -> float:
    start = clock()
    epoch()
    return max(clock() - start, 1e-9)


def warm_up(epoch, seconds: float = WARMUP_SECONDS, clock=time.process_time) -> float:
    """The first call (compilation, caches, allocator), then about `seconds` more of epochs.
    Returns the seconds one epoch takes once warm."""
    epoch()
    for _ in range(int(seconds / epoch_seconds(epoch, clock))):
        epoch()
    return epoch_seconds(epoch, clock)


def timed_run(epoch, count: int, clock=time.process_time) -> float:
    start = clock()
    for _ in range(count):
        epoch()
    return count / max(clock() - start, 1e-9)


def race(contenders: dict, runs: int = RUNS, run_seconds: float = RUN_SECONDS,
         clock=time.process_time) -> dict[str, float]:
    """{name: epoch function} → {name: median epochs per second of `clock`}, taking turns run by run.
    The GPU bench passes the wall clock (time.perf_counter): a GPU's work is not this process's CPU time."""
    counts = {}
    for name, epoch in contenders.items():
        once = warm_up(epoch, min(WARMUP_SECONDS, run_seconds), clock)
        counts[name] = max(1, int(run_seconds / once))
    rates = {name: [] for name in contenders}
    for _ in range(runs):
        for name, epoch in contenders.items():
            rates[name].append(timed_run(epoch, counts[name], clock))
    return {name: statistics.median(values) for name, values in rates.items()}
