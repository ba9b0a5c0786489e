"""One workload, every contender, one result: the row `nnterm bench` prints."""
from dataclasses import dataclass

from nnterm.bench import timing
from nnterm.bench.workloads import WORKLOADS, make_arrays, with_samples

REFERENCES = ("torch", "jax", "numpy")
GFLOPS_WORKLOADS = ("mnist", "mnist-epoch")     # the ones big enough for GFLOP/s to mean something


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
    jax_epochs_per_s: float | None = None
    jax_missing: str | None = None        # why there is no JAX figure, when there is none
    peak_gflops: float | None = None      # one core's float32 peak (nnterm/bench/peak.py), where measured
    peak_how: str = ""                    # how that peak was computed, in words

    @property
    def vs_torch(self) -> float | None:
        return ratio(self.epochs_per_s, self.torch_epochs_per_s)

    @property
    def vs_jax(self) -> float | None:
        return ratio(self.epochs_per_s, self.jax_epochs_per_s)

    @property
    def vs_numpy(self) -> float | None:
        return ratio(self.epochs_per_s, self.numpy_epochs_per_s)

    @property
    def peak_fraction(self) -> float | None:
        return None if self.gflops is None or not self.peak_gflops else self.gflops / self.peak_gflops

    def as_json(self) -> dict:
        def rounded(value, digits=4):
            return None if value is None else round(value, digits)
        return {"workload": self.workload, "epochs_per_s": rounded(self.epochs_per_s),
                "torch_epochs_per_s": rounded(self.torch_epochs_per_s),
                "jax_epochs_per_s": rounded(self.jax_epochs_per_s),
                "numpy_epochs_per_s": rounded(self.numpy_epochs_per_s),
                "vs_torch": rounded(self.vs_torch, 3), "vs_jax": rounded(self.vs_jax, 3),
                "vs_numpy": rounded(self.vs_numpy, 3),
                "gflops": rounded(self.gflops, 3), "peak_fraction": rounded(self.peak_fraction, 3)}


def ratio(ours: float, theirs: float | None) -> float | None:
    return None if theirs is None or theirs <= 0 else ours / theirs


def bench_workload(name: str, against=REFERENCES, runs: int = timing.RUNS,
                   run_seconds: float = timing.RUN_SECONDS, seed: int = 0, with_peak: bool = False) -> Result:
    """One workload's row. `with_peak`: for a GFLOP/s workload, the core's float32 peak too, measured
    in turns with the runs (fma_peak.fma_contender), and the formula's at the scalar clock measured
    alongside (peak.clock_contender)."""
    from nnterm.bench import fma_peak, jax_ref, numpy_ref, ours, peak, torch_ref
    arrays = make_arrays(WORKLOADS[name], seed)
    workload = with_samples(WORKLOADS[name], arrays)
    contenders = {"ours": ours.epoch_runner(workload, arrays, seed)}
    torch_missing = torch_ref.available() if "torch" in against else "not asked for"
    if torch_missing is None:
        contenders["torch"] = torch_ref.epoch_runner(workload, arrays, seed)
    jax_missing = jax_ref.available() if "jax" in against else "not asked for"
    if jax_missing is None:
        contenders["jax"] = jax_ref.epoch_runner(workload, arrays, seed)
    if "numpy" in against:
        contenders["numpy"] = numpy_ref.epoch_runner(workload, arrays, seed)
    gflops_row = name in GFLOPS_WORKLOADS
    fma_missing = fma_peak.available()
    if with_peak and gflops_row:
        contenders["clock"], clock_ghz = peak.clock_contender()
        if fma_missing is None:
            contenders["fma"], fma_gflops = fma_peak.fma_contender()
    rates = timing.race(contenders, runs, run_seconds)
    gflops = workload.flops_per_epoch * rates["ours"] / 1e9 if gflops_row else None
    peak_gflops, peak_how = None, ""
    if "clock" in rates:
        formula, formula_how = peak.float32_peak(clock_ghz(rates["clock"]))
        peak_gflops, peak_how = formula, formula_how
        if "fma" in rates and formula is not None:
            peak_gflops = fma_gflops(rates["fma"])
            peak_how = (f"{peak_gflops:.0f} GFLOP/s as measured in turns with the timed runs (independent chains of "
                        f"fused multiply-adds, nothing else: nnterm/bench/fma_peak.py); the formula gives "
                        f"{formula_how}, of which it is {gflops / formula:.0%}")
    return Result(name, workload.about, arrays.source, rates["ours"], rates.get("torch"), rates.get("numpy"),
                  gflops, torch_missing, rates.get("jax"), jax_missing, peak_gflops, peak_how)
