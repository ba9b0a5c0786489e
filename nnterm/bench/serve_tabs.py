"""`nnterm bench --serve N`: N browser tabs opened at once on `nnterm serve`, beside a bare Textual
app served by textual-serve the same way (docs/design.md, "Serving a class").

Each server is started and given time to be ready, as a teacher starts it before the class
opens the link: the bare one until its page answers, nnterm's until its engine says it is warm
(every kernel part loaded, the playground rehearsed). Each server runs twice, in the order
ORDER; a row is the mean of its two runs (the worst, for leftovers and Ctrl+C) of: the slowest
tab's first frame (from the moment all N websockets are asked for to the first bytes that show
the app: the playground's epoch counter, the bare app's line), the memory per tab (PSS of every
process that serves the tabs — nnterm's engine, its tabs and the stubs; the bare server's app
processes — divided by N; the web server itself left out), the processes left 5 s after every
tab closed, and how long Ctrl+C took to stop the server.
"""
import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

WAIT_SECONDS = 600          # a hang guard: a class of tabs on a cold cache, on two busy cores
LEFTOVER_SECONDS = 5.0
# Other work on the machine comes and goes while the bench runs: run in this order, each server
# meets the same load on average, and the ratio is not one server's luck.
ORDER = ("nnterm", "bare", "bare", "nnterm")
BARE_LINE = "a bare Textual app"
BARE_APP = ("from textual.app import App\nfrom textual.widgets import Static\n"
            "class Bare(App):\n    def compose(self):\n        yield Static(" + repr(BARE_LINE) + ")\n"
            "Bare().run()\n")
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(argv: list[str], port: int, ready: bytes | None) -> subprocess.Popen:
    """The server, once its page answers and (nnterm) once its engine says it is warm — as a
    teacher starts the server before the class opens the link."""
    process = subprocess.Popen(argv, stdout=subprocess.PIPE if ready else subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, start_new_session=True)
    if ready:
        for line in process.stdout:
            if ready in line:
                break
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            if ready:                                  # keep reading its lines, so it never blocks on a full pipe
                import threading
                threading.Thread(target=process.stdout.read, daemon=True).start()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{' '.join(argv[:4])}… did not start")


def serving_pids(server: int) -> list[int]:
    """Every process under the web server (not the server itself): nnterm's engine, its tabs and
    compiler, the stubs; or the bare server's apps."""
    from nnterm.tui.serve.room import children_of
    found, todo = [], children_of(server)
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children_of(pid)
    return found


async def open_tabs(server: int, port: int, tabs: int, drawn: bytes) -> tuple[list[float], float]:
    """(each tab's first frame in seconds, memory per tab in MB once all have drawn)."""
    import aiohttp
    firsts: list[float | None] = [None] * tabs
    async with aiohttp.ClientSession() as session:
        start = time.monotonic()

        async def tab(i: int):
            ws = await session.ws_connect(f"http://127.0.0.1:{port}/ws?width=100&height=30")
            await ws.send_json(["resize", {"width": 100, "height": 30}])
            seen = b""
            async for message in ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen = (seen + ANSI.sub(b"", message.data))[-4096:]
                    if firsts[i] is None and drawn in seen:
                        firsts[i] = time.monotonic() - start
                        return ws
            return ws
        sockets = await asyncio.wait_for(asyncio.gather(*(tab(i) for i in range(tabs))), WAIT_SECONDS)
        await asyncio.sleep(1.0)                       # settled: what an open, idle class holds
        memory = memory_per_tab(server, tabs)
        for ws in sockets:
            await ws.close()
    return [f if f is not None else float("nan") for f in firsts], memory


def memory_per_tab(server: int, tabs: int) -> float:
    from nnterm.tui.serve.room import pss_mb
    return sum(pss_mb(pid) for pid in serving_pids(server)) / tabs


def run_one(argv: list[str], tabs: int, drawn: bytes) -> dict:
    port = free_port()
    bare = argv[-1] == "BARE"
    process = start([*argv[:-1], str(port)] if bare else [*argv, "--port", str(port)], port,
                    None if bare else b"the engine is warm")
    try:
        firsts, memory = asyncio.run(open_tabs(process.pid, port, tabs, drawn))
        deadline = time.monotonic() + LEFTOVER_SECONDS
        while time.monotonic() < deadline and leftovers(process.pid, argv):
            time.sleep(0.05)
        left = leftovers(process.pid, argv)
        stopped = time.monotonic()
        process.send_signal(signal.SIGINT)
        process.wait(timeout=WAIT_SECONDS)
        return {"slowest": max(firsts), "memory": memory, "leftovers": len(left),
                "stop": time.monotonic() - stopped}
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def leftovers(server: int, argv: list[str]) -> list[int]:
    """Processes serving a tab after every tab closed (nnterm's engine and compiler do not count:
    they serve the next tab)."""
    from nnterm.tui.serve.room import children_of
    pids = serving_pids(server)
    if argv[-1] == "BARE":
        return pids
    names = {pid: comm(pid) for pid in pids}
    engine = [pid for pid, name in names.items() if name in ("nnterm-engine", "nnterm-compile")]
    return [pid for pid in pids if pid not in engine and pid not in children_of(os.getpid())]


def comm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""


def print_serve_bench(tabs: int, preset: str = "xor") -> int:
    import shlex
    bare_command = shlex.join([sys.executable, "-I", "-c", BARE_APP])
    bare_server = ("import sys\nfrom textual_serve.server import Server\n"
                   f"Server({bare_command!r}, host='127.0.0.1', port=int(sys.argv[1])).serve()\n")
    argv = {"nnterm": ([sys.executable, "-m", "nnterm", "serve", preset], b"epoch"),
            "bare": ([sys.executable, "-c", bare_server, "BARE"], BARE_LINE.encode())}
    runs: dict[str, list[dict]] = {"nnterm": [], "bare": []}
    for name in ORDER:
        runs[name].append(run_one(argv[name][0], tabs, argv[name][1]))
    load = os.getloadavg()
    print(f"{tabs} tabs opened at once at 100×30 · {os.cpu_count()} CPUs · load average "
          f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f} · each server twice, in the order {', '.join(ORDER)}")
    print(f"{'':22} {'slowest first frame':>20} {'PSS per tab':>12} {'leftovers':>10} {'Ctrl+C':>8}   each run's slowest")
    rows = {name: combined(row) for name, row in runs.items()}
    for name, label in (("nnterm", "nnterm serve " + preset), ("bare", "bare Textual app")):
        row = rows[name]
        each = " ".join(f"{run['slowest']:.1f}s" for run in runs[name])
        print(f"{label:22} {row['slowest']:>19.1f}s {row['memory']:>9.0f} MB {row['leftovers']:>10} "
              f"{row['stop']:>7.2f}s   {each}")
    ours, bare = rows["nnterm"], rows["bare"]
    print(f"nnterm/bare: first frame ×{ours['slowest'] / bare['slowest']:.2f}, memory per tab "
          f"×{ours['memory'] / bare['memory']:.2f}")
    return 0


def combined(runs: list[dict]) -> dict:
    """The mean of the runs' slowest first frames and memory; the worst leftovers and Ctrl+C."""
    return {"slowest": sum(run["slowest"] for run in runs) / len(runs),
            "memory": sum(run["memory"] for run in runs) / len(runs),
            "leftovers": max(run["leftovers"] for run in runs), "stop": max(run["stop"] for run in runs)}
