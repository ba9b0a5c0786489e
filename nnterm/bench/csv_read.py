"""`nnterm bench --csv FILE`: reading a CSV into float32, nnterm beside pandas and numpy.

Each reader runs in a fresh child process, so that its peak memory is its own: the child's
maximum resident set (its own getrusage) and its CPU seconds (user + system, from wait4) are the whole process's,
Python's start and the reader's imports included (the same start for each; numba's import is part
of nnterm's cost, pandas' of pandas'); the wall time is the child's own, from before the imports
to the float32 array. On a machine others share, the CPU seconds say how much work there was and
the wall time how busy the machine was too. pandas and numpy are references only, timed when
installed; nnterm never needs them to read a file. `nnterm-cold` is nnterm on an empty kernel
cache (a folder of its own): what a learner's first read costs.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

READERS = {
    "nnterm": ("nnterm.data.csv_table",
               "from nnterm.data.csv_table import read_csv\n"
               "x = read_csv(PATH, dtype='float32').inputs"),
    "nnterm-cold": ("nnterm.data.csv_table",
                    "from nnterm.data.csv_table import read_csv\n"
                    "x = read_csv(PATH, dtype='float32').inputs"),
    "pandas": ("pandas",
               "import pandas\n"
               "x = pandas.read_csv(PATH, header=HEADER).to_numpy(dtype='float32')"),
    "numpy": ("numpy",
              "import numpy\n"
              "x = numpy.loadtxt(PATH, delimiter=',', skiprows=1 if HEADER == 0 else 0, dtype='float32')"),
}
CHILD = """
import json, resource, time
start = time.perf_counter()
PATH, HEADER = {path!r}, {header!r}
{read}
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "shape": list(x.shape), "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


def installed(module: str) -> bool:
    from importlib.util import find_spec
    return find_spec(module.split(".")[0]) is not None


def time_reader(name: str, path: str, header) -> dict:
    """{reader, seconds, cpu_seconds, peak_mb, shape} from one child, or {reader, skipped: why}."""
    if name.endswith("-cold"):
        with tempfile.TemporaryDirectory(prefix="nnterm-cold-cache-") as empty:
            return time_child(name, path, header, dict(os.environ, NUMBA_CACHE_DIR=empty))
    return time_child(name, path, header, None)


def time_child(name: str, path: str, header, env) -> dict:
    module, read = READERS[name]
    if not installed(module):
        return {"reader": name, "skipped": f"{module} is not installed"}
    with tempfile.TemporaryFile("w+") as errors:          # a file, not a pipe: the child never blocks on it
        child = subprocess.Popen([sys.executable, "-c", CHILD.format(path=path, header=header, read=read)],
                                 stdout=subprocess.PIPE, stderr=errors, text=True, env=env)
        out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)           # the child's own rusage: its peak, its CPU
        child.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        err = errors.read()
    if child.returncode != 0:
        last = (err.strip().splitlines() or ["no message"])[-1]
        return {"reader": name, "skipped": f"failed: {last}"}
    result = json.loads(out.strip().splitlines()[-1])
    return {"reader": name, "seconds": result["seconds"], "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "peak_mb": result["peak_kb"] / 1024, "shape": result["shape"]}


def has_header(path: str) -> bool:
    """Whether the first row names the columns, as nnterm judges it, so pandas and numpy skip it alike."""
    from nnterm.data.csv_table import column_names
    return not all(name == str(i + 1) for i, name in enumerate(column_names(path, "--csv")))


def print_csv_bench(path: str, as_json: bool = False) -> int:
    from nnterm.data.csv_table import peek
    size, _ = peek(path, "--csv")
    header = 0 if has_header(path) else None
    loadavg = f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"
    results = [time_reader(name, path, header) for name in READERS]
    if as_json:
        print(json.dumps({"file": path, "megabytes": size / 1e6, "load": loadavg, "readers": results}))
        return 0
    print(f"reading {path} ({size / 1e6:.0f} MB) into float32; one fresh process per reader, load {loadavg} "
          f"on {os.cpu_count()} cores, {time.strftime('%H:%M')}")
    print(f"{'reader':<11} {'wall s':>8} {'CPU s':>8} {'peak MB':>9}  rows × columns")
    ours = results[0]
    for r in results:
        if "skipped" in r:
            print(f"{r['reader']:<11} skipped: {r['skipped']}")
            continue
        ratio = ""
        if r is not ours and "skipped" not in ours:
            ratio = (f"   {r['cpu_seconds'] / ours['cpu_seconds']:.1f}× nnterm's CPU, "
                     f"{r['peak_mb'] / ours['peak_mb']:.1f}× its peak")
        print(f"{r['reader']:<11} {r['seconds']:>8.2f} {r['cpu_seconds']:>8.2f} {r['peak_mb']:>9.0f}  "
              f"{' × '.join(map(str, r['shape']))}{ratio}")
    print("(CPU and peak are the whole child process: Python, the reader's imports and the array; "
          "nnterm's numbers are its inputs, the target column aside; nnterm-cold: on an empty kernel cache)")
    return 0
