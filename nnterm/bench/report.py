"""The printed table of `nnterm bench`: figures, ratios against our targets, the machine."""
import os
import platform

from nnterm.bench.compare import Result
from nnterm.bench.timing import CLOCK

COLUMNS = (("workload", 11), ("ours ep/s", 11), ("PyTorch", 11), ("JAX", 10), ("NumPy", 10), ("vs PyTorch", 16),
           ("vs JAX", 14), ("vs NumPy", 9), ("GFLOP/s", 8))


def machine() -> str:
    """CPU model and core count, as lscpu would name them."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), model)
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} logical cores"


def numba_blas() -> str:
    """The BLAS Numba's np.dot calls (scipy's) and the kernels it chose for this CPU: OpenBLAS
    takes a CPU it does not know for an older one (Zen 5 as Haswell: AVX2, not AVX-512), and
    OPENBLAS_CORETYPE, read when it loads, overrides that."""
    try:
        import scipy.linalg.cython_blas  # noqa: F401
        from threadpoolctl import threadpool_info
        info = next(i for i in threadpool_info() if i["user_api"] == "blas" and "/scipy" in os.path.dirname(i["filepath"]))
    except Exception:
        return "unknown"
    kernels = f", {info['architecture']} kernels" if info.get("architecture") else ""
    return f"{info['internal_api']} {info.get('version') or ''}{kernels}".replace(" ,", ",")


def heading(runs: int, seconds: float) -> str:
    return (f"nnterm bench — epochs per second after warm-up, {CLOCK}, median of {runs} runs of ≥{seconds:g} s, "
            f"one thread asked of each (JAX 0.10 runs GEMMs on two anyway: CPU time counts both)\nmachine: {machine()}; BLAS (scipy's, which Numba calls): {numba_blas()}")


def cells(values) -> str:
    return "".join(f"{v:<{w}}" if i == 0 else f"{v:>{w}}" for i, (v, (_, w)) in enumerate(zip(values, COLUMNS)))


def table_head() -> str:
    return cells([name for name, _ in COLUMNS])


def rate(value: float | None, missing: str = "—") -> str:
    return missing if value is None else f"{value:,.1f}"


def versus(value: float | None, target: float | None = None) -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}×"
    if target is not None:
        text += f" {'✓' if value >= target else '✗'}≥{target:g}"
    return text


def table_row(result: Result, target: float | None, jax_target: float | None = None) -> str:
    torch = rate(result.torch_epochs_per_s, "n/a" if result.torch_missing else "—")
    jax = rate(result.jax_epochs_per_s, "n/a" if result.jax_missing else "—")
    return cells([result.workload, rate(result.epochs_per_s), torch, jax, rate(result.numpy_epochs_per_s),
                  versus(result.vs_torch, target), versus(result.vs_jax, jax_target), versus(result.vs_numpy),
                  "—" if result.gflops is None else f"{result.gflops:.1f}"])


def footnotes(results: list[Result]) -> str:
    lines = []
    for r in results:
        lines.append(f"  {r.workload}: {r.about}; data: {r.data}")
    for name, missing in (("PyTorch", "torch_missing"), ("JAX", "jax_missing")):
        why = next((getattr(r, missing) for r in results if getattr(r, missing)), None)
        if why:
            lines.append(f"  {name}: {why}")
    lines.append("  JAX: the whole epoch in one jax.jit-compiled lax.scan over the minibatches, one thread")
    for r in results:
        if r.peak_fraction is not None:
            lines.append(f"  {r.workload}: {r.gflops:.1f} GFLOP/s is {r.peak_fraction:.0%} of one core's float32 peak, "
                         f"{r.peak_how}")
    lines.append("  ✓/✗: our target ratio against PyTorch eager and against JAX, met or not, in this run")
    return "\n".join(lines)
