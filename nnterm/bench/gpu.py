"""`nnterm bench --backend cuda`: the cuda backend's epochs per second against the cpu backend
and PyTorch (on CUDA when this torch has it, else on the CPU, and it says so), in one run.

The shapes: the `digits` workload, and the MNIST shape 784 → 128 → 10 on 10,000
samples at batch 64 and at batch 256. Every contender trains the same network on the same
arrays, with the same optimizer and batch size, through the same timing (timing.race).
"""
import time
from dataclasses import dataclass, replace

from nnterm.bench import timing
from nnterm.bench.workloads import WORKLOADS, Arrays, Workload, make_arrays, with_samples

RUNS = (("digits", None), ("mnist", 64), ("mnist", 256))     # (workload, batch size; None: its own)


@dataclass
class GpuResult:
    workload: str
    batch_size: int
    cuda_epochs_per_s: float
    cpu_epochs_per_s: float
    torch_epochs_per_s: float | None
    torch_device: str                 # "cuda", "cpu", or why there is no torch figure

    @property
    def vs_cpu(self) -> float:
        return self.cuda_epochs_per_s / self.cpu_epochs_per_s

    @property
    def vs_torch(self) -> float | None:
        return None if not self.torch_epochs_per_s else self.cuda_epochs_per_s / self.torch_epochs_per_s

    def as_json(self) -> dict:
        def rounded(value, digits=4):
            return None if value is None else round(value, digits)
        return {"workload": self.workload, "batch_size": self.batch_size, "backend": "cuda",
                "epochs_per_s": rounded(self.cuda_epochs_per_s), "cpu_epochs_per_s": rounded(self.cpu_epochs_per_s),
                "torch_epochs_per_s": rounded(self.torch_epochs_per_s), "torch_device": self.torch_device,
                "vs_cpu": rounded(self.vs_cpu, 3), "vs_torch": rounded(self.vs_torch, 3)}


def torch_device() -> str | None:
    """"cuda" or "cpu" for the PyTorch reference, or None when torch cannot be imported."""
    from nnterm.bench import torch_ref
    if torch_ref.available() is not None:
        return None
    import torch
    return "cuda" if torch.cuda.is_available() else "cpu"


def bench_gpu(workload: Workload, arrays: Arrays, runs: int = timing.RUNS,
              run_seconds: float = timing.RUN_SECONDS, seed: int = 0) -> GpuResult:
    from nnterm.bench import ours, torch_ref
    contenders = {"cuda": ours.epoch_runner(workload, arrays, seed, backend="cuda"),
                  "cpu": ours.epoch_runner(workload, arrays, seed, backend="cpu")}
    device = torch_device()
    if device is not None:
        contenders["torch"] = torch_ref.epoch_runner(workload, arrays, seed, device=device)
    rates = timing.race(contenders, runs, run_seconds, time.perf_counter)   # wall: the GPU's time is not ours
    return GpuResult(workload.name, workload.batch_size, rates["cuda"], rates["cpu"], rates.get("torch"),
                     device or "torch not installed")


def planned(names: list[str] | None = None, seed: int = 0):
    """(workload, arrays) for each of RUNS whose workload is in `names` (default: all), then any
    other named workload at its own batch size."""
    chosen = [(name, batch) for name, batch in RUNS if not names or name in names]
    chosen += [(name, None) for name in names or () if name not in dict(RUNS)]
    for name, batch in chosen:
        arrays = make_arrays(WORKLOADS[name], seed)
        workload = with_samples(WORKLOADS[name], arrays)
        yield (replace(workload, batch_size=batch) if batch else workload), arrays


def print_gpu_bench(names: list[str] | None, runs: int, seconds: float, as_json: bool) -> int:
    import json

    from nnterm.engine.cuda_backend import CudaBackend
    CudaBackend()                                 # no GPU: the one-sentence error, before any timing
    if not as_json:
        print(f"nnterm bench --backend cuda — epochs per second after warm-up, median of {runs} runs "
              f"of ≥{seconds:g} s", flush=True)
        print(f"{'workload':<10}{'batch':>6}{'cuda ep/s':>12}{'cpu ep/s':>12}{'PyTorch':>12}  {'device':<7}"
              f"{'vs cpu':>8}{'vs PyTorch':>12}", flush=True)
    for workload, arrays in planned(names):
        r = bench_gpu(workload, arrays, runs, seconds)
        if as_json:
            print(json.dumps(r.as_json()), flush=True)
            continue
        torch = "—" if r.torch_epochs_per_s is None else f"{r.torch_epochs_per_s:,.1f}"
        vs_torch = "—" if r.vs_torch is None else f"{r.vs_torch:.2f}×"
        print(f"{r.workload:<10}{r.batch_size:>6}{r.cuda_epochs_per_s:>12,.1f}{r.cpu_epochs_per_s:>12,.1f}"
              f"{torch:>12}  {r.torch_device:<7}{r.vs_cpu:>7.2f}×{vs_torch:>12}", flush=True)
    return 0
