"""One core's float32 peak, for the GFLOP/s of `nnterm bench` to be read against.

    peak = FMA units × float32 lanes × 2 flops (a multiply and an add) × clock

Lanes come from the CPU flags (/proc/cpuinfo): 16 with AVX-512, 8 with AVX2+FMA, else 4.
FMA units: 2, the number of FMA pipes in x86 server cores since Intel's Skylake-SP and in
AMD's Zen 5 (cpu family 26); Zen 4 (family 25 with AVX-512) has two 256-bit pipes and runs
512-bit FMAs in halves, so it counts as one unit of 16 lanes. The clock is the higher of the
one the system reports (the highest "cpu MHz" in /proc/cpuinfo or cpufreq's maximum; a virtual
machine often reports none) and the one measured: a chain of dependent one-cycle integer
operations, three per iteration, over 0.2 s of this process's CPU time (a moment the core was
lent elsewhere does not count). A reported frequency is the nominal one, and a core boosts above
it: on the Zen 4 of the README's figures /proc/cpuinfo says 2.60 GHz and the chain runs at
3.62–3.66 GHz; numpy's OpenBLAS multiplied 256×784 by 784×128 matrices at 98–99 GFLOP/s on
one core, where the nominal clock gives a peak of 83.

A shared host's clock moves while it is measured: on the Intel Xeon of the README's later figures
the chain ran at 2.9 GHz one minute and 3.9 the next. So `nnterm bench` runs the chain as one more
contender of its race (clock_contender), taking turns with the timed runs, and reads a workload's
GFLOP/s against the peak at the clock of those same minutes.
"""
import os
import time

FMA_UNITS = 2
CHAIN_OPS = 3                 # shift, add, xor per iteration of chain(): one cycle each, each waiting for the last
CHAIN_SECONDS = 0.2


def cpu_fields() -> dict[str, str]:
    """The first core's /proc/cpuinfo fields (empty off Linux)."""
    fields: dict[str, str] = {}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if not line.strip():
                    break
                key, _, value = line.partition(":")
                fields[key.strip()] = value.strip()
    except OSError:
        pass
    return fields


def fma_units(fields: dict[str, str], flags: set[str]) -> int:
    zen4 = fields.get("vendor_id") == "AuthenticAMD" and fields.get("cpu family") == "25" and "avx512f" in flags
    return 1 if zen4 else FMA_UNITS


def float32_lanes(flags: set[str]) -> tuple[int, str]:
    if "avx512f" in flags:
        return 16, "AVX-512"
    if "avx2" in flags and "fma" in flags:
        return 8, "AVX2+FMA"
    return 4, "SSE"


def reported_ghz() -> float | None:
    mhz = []
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            mhz = [float(line.partition(":")[2]) for line in info if line.startswith("cpu MHz")]
    except (OSError, ValueError):
        pass
    try:
        with open("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", encoding="utf-8") as f:
            mhz.append(int(f.read()) / 1000)
    except (OSError, ValueError):
        pass
    return max(mhz) / 1000 if mhz else None


def compiled_chain():
    from numba import njit

    @njit(cache=False)
    def chain(n, x):
        for i in range(n):
            x = (x + (x >> 3)) ^ i          # three dependent integer operations: three cycles
        return x

    chain(1000, 1)                          # compile
    return chain


def measured_ghz() -> float:
    chain = compiled_chain()
    n = 1_000_000
    while True:
        start = time.process_time()
        chain(n, 1)
        seconds = time.process_time() - start
        if seconds >= CHAIN_SECONDS:
            return CHAIN_OPS * n / seconds / 1e9
        n *= 4


CLOCK_TURN = 10_000_000       # chain iterations a turn: 30 million cycles, about 10 ms


def clock_contender():
    """(turn, ghz): a no-argument function that runs the chain once, as a contender of
    timing.race, and the clock in GHz that a rate of `per_second` turns means."""
    chain = compiled_chain()

    def turn() -> None:
        chain(CLOCK_TURN, 1)
    return turn, lambda per_second: CHAIN_OPS * CLOCK_TURN * per_second / 1e9


def float32_peak(ghz_in_turns: float | None = None) -> tuple[float | None, str]:
    """(GFLOP/s, how it was computed) for one core; (None, why) off x86-64 Linux. `ghz_in_turns`:
    the clock the chain ran at in turns with the runs being read (clock_contender), else measured now."""
    fields = cpu_fields()
    flags = set(fields.get("flags", "").split())
    if not flags or os.uname().machine not in ("x86_64", "AMD64"):
        return None, "no x86-64 CPU flags to compute a peak from"
    lanes, isa = float32_lanes(flags)
    units = fma_units(fields, flags)
    reported = reported_ghz()
    measured = ghz_in_turns if ghz_in_turns is not None else measured_ghz()
    when = "measured in turns with the timed runs" if ghz_in_turns is not None else "measured"
    ghz, how = (reported, "reported") if reported is not None and reported >= measured else \
        (measured, when if reported is None else f"{when}; {reported:.2f} reported")
    peak = units * lanes * 2 * ghz
    return peak, (f"{units} FMA units × {lanes} float32 lanes ({isa}) × 2 flops × {ghz:.2f} GHz ({how}) "
                  f"= {peak:.0f} GFLOP/s")
