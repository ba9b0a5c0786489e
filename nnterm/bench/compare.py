"""One workload, every contender, one result: the row `nnterm bench` prints."""
from dataclasses import dataclass

from nnterm.bench import timing
from nnterm.bench.workloads import WORKLOADS, make_arrays, with_samples

REFERENCES = ("torch", "numpy")
GFLOPS_WORKLOADS = ("mnist",)     # the one big enough for GFLOP/s to mean something


@dataclass
class Result:
    workload: str
    about: str
    data: str
    epochs_per_s: float
    torch_epochs_per_s: float | None
    numpy_epochs_per_s: float | None
    gflops: float | None
    torch_missing: str | None = None      # why there is no torch figure, when there is none

    @property
    def vs_torch(self) -> float | None:
        return ratio(self.epochs_per_s, self.torch_epochs_per_s)

    @property
    def vs_numpy(self) -> float | None:
        return ratio(self.epochs_per_s, self.numpy_epochs_per_s)

    def as_json(self) -> dict:
        def rounded(value, digits=4):
            return None if value is None else round(value, digits)
        return {"workload": self.workload, "epochs_per_s": rounded(self.epochs_per_s),
                "torch_epochs_per_s": rounded(self.torch_epochs_per_s),
                "numpy_epochs_per_s": rounded(self.numpy_epochs_per_s),
                "vs_torch": rounded(self.vs_torch, 3), "vs_numpy": rounded(self.vs_numpy, 3),
                "gflops": rounded(self.gflops, 3)}


def ratio(ours: float, theirs: float | None) -> float | None:
    return None if theirs is None or theirs <= 0 else ours / theirs


def bench_workload(name: str, against=REFERENCES, runs: int = timing.RUNS,
                   run_seconds: float = timing.RUN_SECONDS, seed: int = 0) -> Result:
    from nnterm.bench import numpy_ref, ours, torch_ref
    arrays = make_arrays(WORKLOADS[name], seed)
    workload = with_samples(WORKLOADS[name], arrays)
    contenders = {"ours": ours.epoch_runner(workload, arrays, seed)}
    torch_missing = torch_ref.available() if "torch" in against else "not asked for"
    if torch_missing is None:
        contenders["torch"] = torch_ref.epoch_runner(workload, arrays, seed)
    if "numpy" in against:
        contenders["numpy"] = numpy_ref.epoch_runner(workload, arrays, seed)
    rates = timing.race(contenders, runs, run_seconds)
    gflops = workload.flops_per_epoch * rates["ours"] / 1e9 if name in GFLOPS_WORKLOADS else None
    return Result(name, workload.about, arrays.source, rates["ours"], rates.get("torch"), rates.get("numpy"),
                  gflops, torch_missing)
