"""What each browser tab of `nnterm serve` costs: memory and CPU of its app process (Linux, /proc).

    python tests/measure_serve_tabs.py --tabs 4 [--preset spiral]

Starts `nnterm serve` on a free 127.0.0.1 port, opens TABS websocket sessions as browser tabs do
(textual-serve starts one app process for each), waits for them to settle, then prints for each
app its resident memory (RSS) and proportional share (PSS: shared libraries divided among the
processes that map them), its CPU share idle, then while every tab trains; and the server's own.
Ctrl+C of the server at the end, as a teacher stops it. Not a test: figures for the README.
"""
import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from test_serve import children_of as children     # run from tests/: the same /proc walk the test uses


def memory_mb(pid: int) -> tuple[int, int]:
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))
    with open(f"/proc/{pid}/smaps_rollup") as f:
        pss = next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
    return round(rss / 1024), round(pss / 1024)


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_percent(pids: list[int], seconds: float) -> list[int]:
    before, start = [cpu_seconds(p) for p in pids], time.monotonic()
    time.sleep(seconds)
    wall = time.monotonic() - start
    return [round(100 * (cpu_seconds(p) - b) / wall) for p, b in zip(pids, before)]


async def measure(port: int, server: int, tabs: int) -> None:
    import aiohttp
    async with aiohttp.ClientSession() as session:
        sockets = []
        for _ in range(tabs):
            ws = await session.ws_connect(f"http://127.0.0.1:{port}/ws?width=160&height=48")
            await ws.send_json(["resize", {"width": 160, "height": 48}])
            await ws.send_json(["focus"])

            async def drain(ws=ws):
                async for _ in ws:
                    pass
            sockets.append((ws, asyncio.create_task(drain())))
        await asyncio.sleep(15)                         # start-up, kernel load, first frames
        apps = children(server)
        print(f"{tabs} tab(s) at 160×48; machine: {os.cpu_count()} CPUs, load average "
              + " ".join(f"{x:.1f}" for x in os.getloadavg()))
        print(f"server            RSS/PSS MB {memory_mb(server)}")
        print(f"apps idle         RSS/PSS MB {[memory_mb(p) for p in apps]}")
        print(f"apps idle         CPU %      {await asyncio.to_thread(cpu_percent, apps, 5)}")
        for ws, _ in sockets:
            await ws.send_json(["stdin", " "])          # space: every tab trains
        await asyncio.sleep(3)
        print(f"apps training     CPU %      {await asyncio.to_thread(cpu_percent, apps, 10)}")
        print(f"apps training     RSS/PSS MB {[memory_mb(p) for p in apps]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tabs", type=int, default=1)
    parser.add_argument("--preset", default="spiral")
    args = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "nnterm", "serve", args.preset, "--set", "training.epochs=1000000",
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        asyncio.run(measure(port, server.pid, args.tabs))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
