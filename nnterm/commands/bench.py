from nnterm.runtime.language import _, N_
HELP = N_("time training against PyTorch eager, JAX and NumPy (epochs/s, ratios), or start-up with --startup")
GRID_HELP = N_("time a grid of shapes instead (2-h-1 and 784-h-10, hidden 8 to 1024 at batch 64, batch 1 to 256 at "
               "hidden 128) against JAX and PyTorch, with GFLOP/s and the core's peak")

from nnterm.commands.options import finite_number

WORKLOAD_NAMES = ("playground", "digits", "mnist", "mnist-epoch")     # nnterm/bench/workloads.py defines them
DEFAULT_WORKLOADS = WORKLOAD_NAMES[:3]    # mnist-epoch (the real set's whole epoch, ~2 s) when asked for
TARGETS = {"playground": 30.0, "digits": 2.0, "mnist": 1.0, "mnist-epoch": 1.0}   # the minimum ratio against PyTorch eager we hold ourselves to
JAX_TARGETS = {"playground": 5.0, "digits": 2.0, "mnist": 1.3, "mnist-epoch": 1.0}  # and against a whole epoch jitted in JAX
REFERENCE_NAMES = ("torch", "jax", "numpy")


def add_arguments(parser) -> None:
    parser.add_argument("--workload", action="append", default=[], metavar="NAME",
                        help=_("a workload to time: {workloads} (repeatable or comma-separated; default: {defaults})").format(workloads=', '.join(WORKLOAD_NAMES), defaults=', '.join(DEFAULT_WORKLOADS)))
    parser.add_argument("--against", default=",".join(REFERENCE_NAMES), metavar="LIST",
                        help=_("references to time in the same run, comma-separated: torch, jax, numpy, or none "
                             "(default: torch,jax,numpy; torch and jax are skipped, saying why, when not installed)"))
    parser.add_argument("--json", action="store_true", help=_("one JSON object per workload instead of the table"))
    parser.add_argument("--runs", type=int, default=None, metavar="N", help=_("timed runs per contender; the median counts (default: 5)"))
    parser.add_argument("--seconds", type=finite_number, default=None, metavar="S", help=_("length of one timed run in seconds (default: 0.25)"))
    parser.add_argument("--backend", choices=("cpu", "cuda"), default="cpu",
                        help=_("cuda: time the cuda backend against the cpu backend and PyTorch (on CUDA when it has it) "
                             "on digits and on the MNIST shape at batch 64 and 256 (default: cpu)"))
    parser.add_argument("--startup", action="store_true",
                        help=_("time start-up instead: `nnterm --help`, cold and cached kernel loads, the TUI's first frame and drawing cost"))
    parser.add_argument("--grid", action="store_true", help=_(GRID_HELP))
    parser.add_argument("--csv", default=None, metavar="FILE",
                        help=_("time reading a CSV into float32 instead: nnterm beside pandas and numpy where installed "
                             "(wall and CPU seconds, peak memory, each in a fresh process)"))
    parser.add_argument("--serve", type=int, default=None, metavar="N",
                        help=_("open N browser tabs at once on `nnterm serve` and on a bare Textual app served the same "
                             "way: slowest first frame, memory per tab, leftovers, Ctrl+C (needs nnterm[serve])"))


def split_list(values: list[str]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def parse_choices(args):
    from nnterm.errors import NntermError
    workloads = split_list(args.workload) or list(DEFAULT_WORKLOADS)
    for name in workloads:
        if name not in WORKLOAD_NAMES:
            raise NntermError(_("--workload \"{name}\" is not one of {workloads}").format(name=name, workloads=", ".join(WORKLOAD_NAMES)))
    against = [] if args.against.strip() == "none" else split_list([args.against])
    for name in against:
        if name not in REFERENCE_NAMES:
            raise NntermError(_("--against \"{name}\" is not one of {references}, none").format(name=name, references=", ".join(REFERENCE_NAMES)))
    if args.runs is not None and args.runs < 1:
        raise NntermError(_("--runs {runs}: the number of timed runs must be at least 1").format(runs=args.runs))
    if args.seconds is not None and not args.seconds > 0:
        raise NntermError(_("--seconds {seconds:g}: a timed run must last more than 0 seconds").format(seconds=args.seconds))
    return list(dict.fromkeys(workloads)), against


def run(args) -> int:
    import sys

    from nnterm.runtime.blas_threads import single_thread
    early = single_thread()            # before numpy, scipy or torch load: BLAS reads it once
    from nnterm.runtime.compile_notice import announce_compiles
    announce_compiles()
    workloads, against = parse_choices(args)
    if early:
        print(f"nnterm bench: {', '.join(early)} loaded before the thread limits were set; "
              f"BLAS may use more than one thread", file=sys.stderr)
    if args.csv is not None:
        from nnterm.bench.csv_read import print_csv_bench
        return print_csv_bench(args.csv, as_json=args.json)
    if args.serve is not None:
        return serve_bench(args.serve)
    if args.startup:
        from nnterm.bench.startup import print_startup
        return print_startup(as_json=args.json)
    from nnterm.bench import report, timing
    from nnterm.bench.compare import bench_workload
    runs = args.runs or timing.RUNS
    seconds = args.seconds or timing.RUN_SECONDS
    if args.backend == "cuda":
        from nnterm.bench.gpu import print_gpu_bench
        return print_gpu_bench(split_list(args.workload), runs, seconds, args.json)
    if "jax" in against:
        from nnterm.bench.jax_ref import one_thread
        one_thread()                   # XLA_FLAGS, before anything imports jax
    if args.grid:
        from nnterm.bench.grid import print_grid
        return print_grid(against, runs, seconds, args.json)
    if not args.json:
        print(report.heading(runs, seconds), flush=True)
        print(report.table_head(), flush=True)
    results = []
    for name in workloads:
        result = bench_workload(name, against, runs, seconds, with_peak=True)
        results.append(result)
        if args.json:
            import json
            print(json.dumps(result.as_json()), flush=True)
        else:
            print(report.table_row(result, TARGETS.get(name), JAX_TARGETS.get(name)), flush=True)
    if not args.json:
        print(report.footnotes(results))
    return 0


def serve_bench(tabs: int) -> int:
    import importlib.util

    from nnterm.errors import NntermError
    if not 1 <= tabs <= 200:
        raise NntermError(_("--serve {tabs}: open from 1 to 200 tabs").format(tabs=tabs))
    if importlib.util.find_spec("textual_serve") is None:
        raise NntermError(_("--serve needs the textual-serve package; install it with pip install 'nnterm[serve]'"))
    from nnterm.bench.serve_tabs import print_serve_bench
    return print_serve_bench(tabs)
