"""`nnterm serve`: the playground in browser tabs, each its own app, all ended by Ctrl+C.

The server only ever listens on 127.0.0.1 here, on a port the system says is free."""
import asyncio
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

from nnterm.cli import main

START_SECONDS = 120          # generous: a cold start compiles or loads the kernels on 2 busy cores


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_without_textual_serve_one_sentence_names_the_install(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "textual_serve", None)
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    assert main(["serve", "spiral", "--port", str(free_port())]) == 2
    assert capsys.readouterr().err.strip() == ("nnterm: nnterm serve needs the textual-serve package; "
                                               "install it with pip install 'nnterm[serve]'")


needs_serve = pytest.mark.skipif(importlib.util.find_spec("textual_serve") is None,
                                 reason="textual-serve is not installed (pip install 'nnterm[serve]')")


@needs_serve
def test_a_taken_port_or_a_bad_host_is_one_sentence(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
        err = capsys.readouterr().err
        assert f"--port {port}: already in use on 127.0.0.1; stop what uses it or choose another" in err
    assert main(["serve", "--host", "no-such-host.invalid", "--port", str(free_port())]) == 2
    assert "--host no-such-host.invalid: not an address or a name this machine can resolve" in capsys.readouterr().err
    assert main(["serve", "--port", "70000"]) == 2
    assert "--port 70000: a TCP port is from 1 to 65535" in capsys.readouterr().err
    assert main(["serve", "spirall"]) == 2                      # the preset is checked before anything listens
    assert 'unknown preset "spirall"' in capsys.readouterr().err


def children_of(pid: int) -> list[int]:
    """Live child processes of pid, from /proc (Linux)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(entry))
    return out


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture
def server(tmp_path):
    """`nnterm serve xor` on a free 127.0.0.1 port, in its own session so that only it gets the SIGINT."""
    port = free_port()
    log = open(tmp_path / "serve.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "nnterm", "serve", "xor", "--set", "training.epochs=100000",
                                "--host", "127.0.0.1", "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            page = urllib.request.urlopen(url, timeout=5).read().decode()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the server did not start: {(tmp_path / 'serve.log').read_text()[-2000:]}")
            time.sleep(0.2)
    yield process, port, page
    if process.poll() is None:
        process.kill()
        process.wait()
    log.close()


def stop(process) -> int:
    """Ctrl+C, as a teacher stops it."""
    process.send_signal(signal.SIGINT)
    return process.wait(timeout=60)


def screen_epoch(chunks: list[bytes]) -> int | None:
    """The last epoch counter ("epoch  12/100000") in what the app wrote to the terminal."""
    plain = re.sub(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]", b"", b"".join(chunks))     # without colours and cursor moves
    found = re.findall(rb"epoch\s+(\d+)/100000", plain)
    return int(found[-1]) if found else None


@needs_serve
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="counts child processes through /proc (Linux)")
def test_each_tab_is_its_own_app_and_ctrl_c_ends_them_all(server):
    import aiohttp
    process, port, page = server
    assert "nnterm · xor" in page and f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page

    async def tabs():
        async with aiohttp.ClientSession() as session:
            sockets, screens = [], []
            for _ in range(2):                         # what a browser tab does: open, size, focus
                ws = await session.ws_connect(f"http://127.0.0.1:{port}/ws?width=100&height=30")
                await ws.send_json(["resize", {"width": 100, "height": 30}])
                await ws.send_json(["focus"])
                sockets.append(ws)
                screens.append([])

            async def read(ws, chunks):
                async for message in ws:
                    if message.type == aiohttp.WSMsgType.BINARY:
                        chunks.append(message.data)
            readers = [asyncio.create_task(read(ws, c)) for ws, c in zip(sockets, screens)]
            deadline = time.monotonic() + START_SECONDS
            while any(screen_epoch(c) is None for c in screens):
                assert time.monotonic() < deadline, "a tab never showed the playground"
                await asyncio.sleep(0.2)
            apps = children_of(process.pid)
            await sockets[0].send_json(["stdin", " "])  # space: train, in the first tab only
            while (screen_epoch(screens[0]) or 0) == 0:
                assert time.monotonic() < deadline, "space did not start training"
                await asyncio.sleep(0.2)
            return apps, screen_epoch(screens[1]), readers

    apps, other_tab, readers = asyncio.run(tabs())
    assert len(apps) == 2                               # one app process per tab
    assert other_tab == 0                               # the other tab's app did not train
    assert stop(process) == 0
    assert [pid for pid in apps if running(pid)] == []  # Ctrl+C ended every child


# --- a real browser ---------------------------------------------------------------------------

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)

# textual-serve's page keeps its xterm.js Terminal in a closure; this catches it as the page
# assigns `this.terminal = new Terminal(…)`, so the test can read the screen the user sees.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {configurable: true, set(value) {
  Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
  if (value && value.buffer && value.buffer.active) window.__nntermTerminal = value;
}});
"""
READ_SCREEN = """(() => {
  const t = window.__nntermTerminal;
  if (!t) return "";
  const b = t.buffer.active, rows = [];
  for (let y = 0; y < t.rows; y++) { const line = b.getLine(b.viewportY + y); rows.push(line ? line.translateToString(true) : ""); }
  return rows.join("\\n");
})()"""


class DevTools:
    """The Chrome DevTools protocol over its websocket: send a command, wait for its answer."""

    def __init__(self, ws):
        self.ws, self.next_id = ws, 0

    async def call(self, method: str, session: str | None = None, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        await self.ws.send_str(json.dumps(message))
        while True:
            reply = json.loads((await self.ws.receive()).data)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})


def start_chromium(profile: str):
    browser = subprocess.Popen([CHROMIUM, "--headless=new", "--no-sandbox", "--no-first-run", "--no-default-browser-check",
                                "--disable-extensions", "--enable-unsafe-swiftshader", "--window-size=1280,900",
                                f"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1",
                                "--remote-debugging-port=0", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + START_SECONDS
    for line in browser.stderr:                       # "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/…"
        found = re.search(rb"DevTools listening on (ws://\S+)", line)
        if found:
            return browser, found.group(1).decode()
        if time.monotonic() > deadline:
            break
    os.killpg(browser.pid, signal.SIGKILL)
    browser.wait()
    pytest.fail("headless Chromium did not start its DevTools endpoint")


@needs_serve
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium to drive (Debian: apt-get install chromium)")
def test_headless_chromium_presses_space_and_the_epoch_counter_moves(server):
    import aiohttp
    process, port, _ = server

    async def drive(endpoint):
        async with aiohttp.ClientSession() as http:
            async with http.ws_connect(endpoint, max_msg_size=0) as ws:
                tools = DevTools(ws)
                target = (await tools.call("Target.createTarget", url="about:blank"))["targetId"]
                page = (await tools.call("Target.attachToTarget", targetId=target, flatten=True))["sessionId"]
                await tools.call("Page.enable", page)
                await tools.call("Page.addScriptToEvaluateOnNewDocument", page, source=CATCH_TERMINAL)
                await tools.call("Page.navigate", page, url=f"http://127.0.0.1:{port}/")

                async def screen() -> str:
                    result = await tools.call("Runtime.evaluate", page, expression=READ_SCREEN, returnByValue=True)
                    return result["result"].get("value", "")

                async def epoch():
                    found = re.search(r"epoch\s+(\d+)/100000", await screen())
                    return int(found.group(1)) if found else None

                deadline = time.monotonic() + START_SECONDS
                while await epoch() is None:
                    assert time.monotonic() < deadline, f"the playground never appeared: {await screen()!r}"
                    await asyncio.sleep(0.3)
                before = await epoch()
                await tools.call("Runtime.evaluate", page, expression="window.__nntermTerminal.focus()")
                for kind in ("keyDown", "keyUp"):
                    await tools.call("Input.dispatchKeyEvent", page, type=kind, key=" ", code="Space",
                                     windowsVirtualKeyCode=32, **({"text": " "} if kind == "keyDown" else {}))
                while (await epoch()) == before:
                    assert time.monotonic() < deadline, f"space did not start training: {await screen()!r}"
                    await asyncio.sleep(0.3)
                return before, await epoch()

    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        browser, endpoint = start_chromium(profile)
        try:
            before, after = asyncio.run(drive(endpoint))
        finally:
            os.killpg(browser.pid, signal.SIGKILL)      # the browser and its renderers: the group it leads
            browser.wait()
    assert before == 0 and after > before
    assert stop(process) == 0
