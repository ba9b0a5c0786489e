"""`nnterm bench --grid`: our epoch against JAX and PyTorch eager over a grid of shapes, not
three points — the hidden width from 8 to 1024 at batch 64, and the batch from 1 to 256 at
width 128, on a 2-input network and on the MNIST shape:

    2-h-1      tanh, sigmoid + bce, sgd lr 0.03, on xor points
    784-h-10   relu, softmax + cce, sgd lr 0.01 (0.05 diverges at batch 1), on synthetic pixels

Each point is one `timing.race` (by process CPU time, round-robin) of the contenders on the
same network, weights, data and batch size, as `nnterm bench` races its workloads. GFLOP/s
counts the dense products only (Workload.flops_per_epoch), read against one core's peak.
"""
from dataclasses import dataclass

import numpy as np

from nnterm.bench import timing
from nnterm.bench.compare import ratio
from nnterm.bench.workloads import Arrays, Workload, standardised, teacher_classes

WIDTHS = (8, 32, 128, 512, 1024)        # at batch 64
BATCHES = (1, 10, 256)                  # at width 128
SAMPLES = {2: 1024, 784: 2048}          # an epoch's rows: long enough to time, short enough for 16 points
REFERENCES = ("jax", "torch")


def grid_points() -> list[tuple[int, int, int]]:
    """(inputs, hidden, batch) in the printed order: the widths at batch 64, then the batches at 128."""
    return [(inputs, hidden, 64) for inputs in SAMPLES for hidden in WIDTHS] + \
        [(inputs, 128, batch) for inputs in SAMPLES for batch in BATCHES]


def point_name(inputs: int, hidden: int, batch: int) -> str:
    return f"{inputs}-{hidden}/{batch}"


def point_workload(inputs: int, hidden: int, batch: int, samples: int | None = None) -> Workload:
    n = samples or SAMPLES[inputs]
    name = f"grid-{inputs}-{hidden}-b{batch}"
    if inputs == 2:
        return Workload(name, (2, hidden, 1), ("tanh", "sigmoid"), "bce", "sgd", 0.03, batch, n,
                        f"2→{hidden} tanh→1 sigmoid+bce, sgd lr 0.03, batch {batch}, {n} xor samples")
    return Workload(name, (inputs, hidden, 10), ("relu", "softmax"), "cce", "sgd", 0.01, batch, n,
                    f"{inputs}→{hidden} relu→10 softmax+cce, sgd lr 0.01, batch {batch}, {n} synthetic samples")


def point_arrays(workload: Workload, seed: int = 0) -> Arrays:
    rng = np.random.default_rng(seed)
    n, inputs = workload.samples, workload.sizes[0]
    if inputs == 2:
        from nnterm.data.synthetic import xor
        points, labels = xor(n, 0.0, rng)
        return Arrays(standardised(points), labels.reshape(-1, 1).astype(np.float32), f"xor, {n} samples")
    x, y = teacher_classes(n, inputs, workload.sizes[-1], rng, 0.0, 1.0)
    return Arrays(standardised(x), y, f"synthetic pixels, {n} samples")


@dataclass
class GridResult:
    point: str
    epochs_per_s: float
    jax_epochs_per_s: float | None
    torch_epochs_per_s: float | None
    gflops: float

    @property
    def vs_jax(self) -> float | None:
        return ratio(self.epochs_per_s, self.jax_epochs_per_s)

    @property
    def vs_torch(self) -> float | None:
        return ratio(self.epochs_per_s, self.torch_epochs_per_s)

    def as_json(self, peak: float | None) -> dict:
        def rounded(value, digits=3):
            return None if value is None else round(value, digits)
        return {"point": self.point, "epochs_per_s": rounded(self.epochs_per_s), "jax_epochs_per_s":
                rounded(self.jax_epochs_per_s), "torch_epochs_per_s": rounded(self.torch_epochs_per_s),
                "vs_jax": rounded(self.vs_jax), "vs_torch": rounded(self.vs_torch), "gflops": rounded(self.gflops),
                "peak_fraction": rounded(self.gflops / peak) if peak else None}


def bench_point(inputs: int, hidden: int, batch: int, against=REFERENCES, runs: int = timing.RUNS,
                run_seconds: float = timing.RUN_SECONDS, samples: int | None = None, seed: int = 0) -> GridResult:
    from nnterm.bench import jax_ref, ours, torch_ref
    workload = point_workload(inputs, hidden, batch, samples)
    arrays = point_arrays(workload, seed)
    contenders = {"ours": ours.epoch_runner(workload, arrays, seed)}
    if "jax" in against and jax_ref.available() is None:
        contenders["jax"] = jax_ref.epoch_runner(workload, arrays, seed)
    if "torch" in against and torch_ref.available() is None:
        contenders["torch"] = torch_ref.epoch_runner(workload, arrays, seed)
    rates = timing.race(contenders, runs, run_seconds)
    return GridResult(point_name(inputs, hidden, batch), rates["ours"], rates.get("jax"), rates.get("torch"),
                      workload.flops_per_epoch * rates["ours"] / 1e9)


COLUMNS = (("inputs-hidden/batch", 20), ("nnterm ep/s", 12), ("JAX ep/s", 11), ("PyTorch ep/s", 13),
           ("nnterm/JAX", 11), ("nnterm/PyTorch", 15), ("GFLOP/s", 9), ("of peak", 8))


def cells(values) -> str:
    return "".join(f"{v:<{w}}" if i == 0 else f"{v:>{w}}" for i, (v, (_, w)) in enumerate(zip(values, COLUMNS)))


def table_row(result: GridResult, peak: float | None) -> str:
    def rate(value):
        return "—" if value is None else f"{value:,.1f}"

    def times(value):
        return "—" if value is None else f"{value:.2f}×"
    return cells([result.point, rate(result.epochs_per_s), rate(result.jax_epochs_per_s),
                  rate(result.torch_epochs_per_s), times(result.vs_jax), times(result.vs_torch),
                  f"{result.gflops:.1f}", f"{result.gflops / peak:.0%}" if peak else "—"])


def print_grid(against, runs: int, run_seconds: float, as_json: bool = False, points=None,
               samples: int | None = None) -> int:
    import json

    from nnterm.bench import jax_ref, torch_ref
    from nnterm.bench.peak import float32_peak
    from nnterm.bench.report import machine, numba_blas
    peak, peak_how = float32_peak()
    if not as_json:
        print(f"nnterm bench --grid — epochs per second after warm-up, {timing.CLOCK}, median of {runs} runs "
              f"of ≥{run_seconds:g} s, one thread asked of each\nmachine: {machine()}; BLAS: {numba_blas()}")
        print(cells([name for name, _ in COLUMNS]), flush=True)
    results = []
    for inputs, hidden, batch in points or grid_points():
        result = bench_point(inputs, hidden, batch, against, runs, run_seconds, samples)
        results.append(result)
        print(json.dumps(result.as_json(peak)) if as_json else table_row(result, peak), flush=True)
    if not as_json:
        print(f"  2-h: 2→h tanh→1 sigmoid+bce, sgd, {SAMPLES[2]} xor samples; 784-h: 784→h relu→10 softmax+cce, "
              f"sgd, {SAMPLES[784]} synthetic samples")
        print("  JAX: the whole epoch in one jax.jit-compiled lax.scan; PyTorch: eager")
        for name, why in (("JAX", "jax" in against and jax_ref.available()),
                          ("PyTorch", "torch" in against and torch_ref.available())):
            if why:
                print(f"  {name}: {why}")
        print(f"  GFLOP/s: the dense products only; peak: {peak_how}")
        behind = [r.point for r in results if r.vs_jax is not None and r.vs_jax < 1.0]
        if any(r.vs_jax is not None for r in results):
            print(f"  behind JAX at {len(behind)} of {len(results)} points" + (f": {', '.join(behind)}" if behind else ""))
    return 0
