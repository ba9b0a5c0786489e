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
import urllib.error
import urllib.request

import pytest

from nnterm.cli import main

START_SECONDS = 120          # generous: a cold start compiles or loads the kernels on 2 busy cores
WARM_SECONDS = 900           # a hang guard on the engine's warm-up: on an empty cache it compiles every kernel part


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
    assert main(["serve", "--max-tabs", "0", "--port", str(free_port())]) == 2
    assert "--max-tabs 0: give from 1 to 1000 tabs" in capsys.readouterr().err
    assert main(["serve", "--tab-memory", "10", "--port", str(free_port())]) == 2
    assert "--tab-memory 10: give from 64 to 1048576 MB per tab" in capsys.readouterr().err
    assert main(["serve", "--class-code", "x\x1b[2J", "--port", str(free_port())]) == 2
    err = capsys.readouterr().err
    assert "--class-code: give 4 to 32 letters and digits" in err and "\x1b" not in err
    assert main(["bench", "--serve", "0"]) == 2
    assert "--serve 0: open from 1 to 200 tabs" in capsys.readouterr().err


def children_of(pid: int) -> list[int]:
    """Live child processes of pid, from /proc (Linux)."""
    from nnterm.tui.serve.room import children_of as live_children
    return live_children(pid)


def named(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""


def tabs_of(server_pid: int) -> list[int]:
    """The tabs' app processes: the engine's children named nnterm-tab."""
    engines = [pid for pid in children_of(server_pid) if named(pid) == "nnterm-engine"]
    return [pid for engine in engines for pid in children_of(engine) if named(pid) == "nnterm-tab"]


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def start_server(tmp_path, *options, host="127.0.0.1", cwd=None, argv0=None):
    """`nnterm serve xor …` on a free port, in its own session so that only it gets the SIGINT;
    (process, port, log path) once it answers."""
    port = free_port()
    log_path = tmp_path / f"serve-{port}.log"
    log = open(log_path, "w")
    command = argv0 or [sys.executable, "-m", "nnterm"]
    process = subprocess.Popen([*command, "serve", "xor", "--set", "training.epochs=100000",
                                "--host", host, "--port", str(port), *options],
                               stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                               cwd=cwd)
    log.close()
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            urllib.request.urlopen(f"http://{host}:{port}/", timeout=5).read()
            break
        except urllib.error.HTTPError:                  # the page asking for the class code: it is up
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the server did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.2)
    return process, port, log_path


def end_server(process) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture
def server(tmp_path):
    """`nnterm serve xor` on a free 127.0.0.1 port: (process, port, the page)."""
    process, port, _ = start_server(tmp_path)
    page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read().decode()
    yield process, port, page
    end_server(process)


def stop(process) -> int:
    """Ctrl+C, as a teacher stops it (the timeout only guards against a hang)."""
    process.send_signal(signal.SIGINT)
    return process.wait(timeout=60)


def plain(chunks: list[bytes]) -> bytes:
    """What the app wrote to the terminal, without colours and cursor moves."""
    return re.sub(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]", b"", b"".join(chunks))


def screen_epoch(chunks: list[bytes]) -> int | None:
    """The last epoch counter ("epoch  12/100000") in what the app wrote to the terminal."""
    found = re.findall(rb"epoch\s+(\d+)/100000", plain(chunks))
    return int(found[-1]) if found else None


class Tab:
    """A browser tab as textual-serve's page drives it: open the websocket, size, focus; `chunks`
    collects what the app draws."""

    def __init__(self, ws):
        self.ws, self.chunks, self.closed = ws, [], False
        self.reader = asyncio.create_task(self.read())

    @classmethod
    async def open(cls, session, url, width=100, height=30, **kwargs):
        ws = await session.ws_connect(f"{url}?width={width}&height={height}", **kwargs)
        await ws.send_json(["resize", {"width": width, "height": height}])
        await ws.send_json(["focus"])
        return cls(ws)

    async def read(self):
        import aiohttp
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.chunks.append(message.data)
        self.closed = True

    async def until(self, what, why: str):
        deadline = time.monotonic() + START_SECONDS
        while not what():
            assert time.monotonic() < deadline, f"{why}: {plain(self.chunks)[-600:]!r}"
            await asyncio.sleep(0.2)

    async def drawn(self):
        await self.until(lambda: screen_epoch(self.chunks) is not None, "the tab never showed the playground")


def gone(pids, seconds=START_SECONDS) -> list[int]:
    """The pids still running after waiting up to `seconds` (a hang guard, not a speed test)."""
    deadline = time.monotonic() + seconds
    while any(running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [p for p in pids if running(p)]


@needs_serve
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="counts child processes through /proc (Linux)")
def test_each_tab_is_its_own_app_forked_from_one_engine_and_ctrl_c_ends_them_all(server):
    import aiohttp
    process, port, page = server
    assert "nnterm · xor" in page and f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
    assert "fonts.googleapis" not in page and "fonts/RobotoMono" in page      # the font comes from this server

    async def tabs():
        async with aiohttp.ClientSession() as session:
            tabs = [await Tab.open(session, f"http://127.0.0.1:{port}/ws") for _ in range(2)]
            for tab in tabs:
                await tab.drawn()
            apps = tabs_of(process.pid)
            await tabs[0].ws.send_json(["stdin", " "])  # space: train, in the first tab only
            await tabs[0].until(lambda: (screen_epoch(tabs[0].chunks) or 0) > 0, "space did not start training")
            return apps, screen_epoch(tabs[1].chunks)

    apps, other_tab = asyncio.run(tabs())
    assert len(apps) == 2                               # one app process per tab, each forked by the engine
    assert other_tab == 0                               # the other tab's app did not train
    everything = [*children_of(process.pid), *apps]
    assert stop(process) == 0
    assert gone(everything) == []                       # Ctrl+C ended every tab, the engine and the stubs


@needs_serve
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="counts child processes through /proc (Linux)")
def test_a_closed_tab_or_a_vanished_browser_leaves_no_process(server):
    import aiohttp
    process, port, _ = server

    async def close_both():
        async with aiohttp.ClientSession() as session:
            tab = await Tab.open(session, f"http://127.0.0.1:{port}/ws")
            await tab.drawn()
            first = tabs_of(process.pid)
            await tab.ws.close()                         # a tab closed as a browser closes it
        vanished = aiohttp.ClientSession()
        tab = await Tab.open(vanished, f"http://127.0.0.1:{port}/ws")
        await tab.drawn()
        second = [pid for pid in tabs_of(process.pid) if pid not in first]
        vanished.connector._close()                      # the browser's machine went away: no close frame
        tab.reader.cancel()
        return first, second

    first, second = asyncio.run(close_both())
    assert len(first) == 1 and len(second) == 1
    assert gone(first + second) == []
    assert tabs_of(process.pid) == []


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


# --- who gets in, and from where ---------------------------------------------------------------

def class_code_of(log_path) -> str:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        found = re.search(r"the class code is ([a-z0-9]+)", log_path.read_text())
        if found:
            return found.group(1)
        time.sleep(0.1)
    pytest.fail(f"no class code printed: {log_path.read_text()}")


@needs_serve
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="counts child processes through /proc (Linux)")
def test_off_loopback_only_the_class_code_opens_a_tab(tmp_path):
    import aiohttp
    host = "127.0.0.2"                                    # not 127.0.0.1: served as to a room, with a code
    process, port, log_path = start_server(tmp_path, host=host)
    try:
        code = class_code_of(log_path)
        assert f"http://127.0.0.2:{port}/?code={code}" in log_path.read_text()
        url = f"http://{host}:{port}"

        async def visit():                                # a browser keeps cookies for an address too
            async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
                async with session.get(f"{url}/") as asked:
                    assert asked.status == 401
                    assert "Type the class code your teacher gives you" in await asked.text()
                async with session.get(f"{url}/?code=wrong123") as wrong:
                    assert wrong.status == 401 and "That is not this class's code" in await wrong.text()
                refused = await session.get(f"{url}/ws?width=80&height=24",
                                            headers={"Upgrade": "websocket", "Connection": "Upgrade",
                                                     "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
                                                     "Sec-WebSocket-Version": "13"})
                assert refused.status == 403
                assert tabs_of(process.pid) == []         # nothing started for the refused websocket
                async with session.get(f"{url}/?code={code.upper()}") as page:   # read aloud: any case
                    assert page.status == 200 and f'data-session-websocket-url="ws://{host}:{port}/ws"' in await page.text()
                tab = await Tab.open(session, f"{url}/ws")   # the page's cookie carries the code
                await tab.drawn()
                return len(tabs_of(process.pid))

        assert asyncio.run(visit()) == 1
    finally:
        end_server(process)


@needs_serve
def test_loopback_asks_no_code(server):
    process, port, page = server
    assert "class code" not in page


@needs_serve
def test_behind_a_proxy_the_page_opens_wss_at_the_browsers_address(server):
    _, port, _ = server
    request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={
        "X-Forwarded-Proto": "https", "X-Forwarded-Host": "class.example.org"})
    page = urllib.request.urlopen(request, timeout=10).read().decode()
    assert 'data-session-websocket-url="wss://class.example.org/ws"' in page
    assert "https://class.example.org/static/js/textual.js" in page
    forged = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={
        "X-Forwarded-Proto": "gopher", "X-Forwarded-Host": 'x"><script>alert(1)</script>'})
    page = urllib.request.urlopen(forged, timeout=10).read().decode()
    assert "<script>alert" not in page and f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page


def nice_of_threads(pid: int) -> set[int]:
    """The nice value of each thread of pid (/proc/PID/task/TID/stat, field 19)."""
    found = set()
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                found.add(int(f.read().rsplit(")", 1)[1].split()[16]))
        except OSError:                                 # a thread that ended meanwhile
            pass
    return found


@needs_serve
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads threads and priorities through /proc (Linux)")
def test_tabs_fork_from_a_rehearsed_single_threaded_engine_and_a_drawn_tab_yields(tmp_path):
    """The engine runs the playground once before it forks tabs (so each tab's first frame finds
    it imported and cached), ends every thread of that rehearsal (a fork copies no lock another
    thread holds), and a tab that has drawn lowers its priority under the tabs still drawing —
    and still trains."""
    import aiohttp

    from nnterm.tui.served_app import DRAWN_NICE
    process, port, log_path = start_server(tmp_path)
    deadline = time.monotonic() + WARM_SECONDS
    while "the engine is warm" not in log_path.read_text():
        assert time.monotonic() < deadline and process.poll() is None, log_path.read_text()[-2000:]
        time.sleep(0.2)
    (engine,) = [pid for pid in children_of(process.pid) if named(pid) == "nnterm-engine"]

    async def draw_and_train():
        async with aiohttp.ClientSession() as session:
            tab = await Tab.open(session, f"http://127.0.0.1:{port}/ws")
            await tab.drawn()
            (app,) = tabs_of(process.pid)
            await tab.until(lambda: nice_of_threads(app) == {DRAWN_NICE}, "the drawn tab kept its priority")
            await tab.ws.send_json(["stdin", " "])
            await tab.until(lambda: (screen_epoch(tab.chunks) or 0) > 0, "the drawn tab did not train")
            return nice_of_threads(app)
    try:
        assert "the playground rehearsed" in log_path.read_text()
        assert len(os.listdir(f"/proc/{engine}/task")) == 1          # single-threaded as it forks
        assert asyncio.run(draw_and_train()) == {DRAWN_NICE}           # the training thread inherits it
        assert nice_of_threads(engine) == {0}                          # the engine forks the next tab at full priority
    finally:
        end_server(process)


# --- what a page may ask, and a tab that fails ----------------------------------------------------

@needs_serve
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="counts child processes through /proc (Linux)")
def test_one_tab_crashing_says_why_in_its_browser_while_the_others_draw(server):
    import aiohttp
    process, port, _ = server

    async def crash_one():
        async with aiohttp.ClientSession() as session:
            first = await Tab.open(session, f"http://127.0.0.1:{port}/ws")
            await first.drawn()
            (victim,) = tabs_of(process.pid)
            second = await Tab.open(session, f"http://127.0.0.1:{port}/ws")
            await second.drawn()
            os.kill(victim, signal.SIGSEGV)             # a crash in one tab's app
            await first.until(lambda: b"This tab stopped" in plain(first.chunks), "the crashed tab said nothing")
            await second.ws.send_json(["stdin", " "])
            await second.until(lambda: (screen_epoch(second.chunks) or 0) > 0, "the other tab stopped training")
            return plain(first.chunks), first.closed, len(tabs_of(process.pid))

    said, closed, left = asyncio.run(crash_one())
    assert b"This tab stopped: this tab's app was ended by SIGSEGV" in said
    assert b"Reload this page for a fresh playground" in said and not closed   # left open to be read
    assert left == 1


@needs_serve
def test_a_tab_past_its_memory_budget_stops_alone_and_says_so(tmp_path):
    import aiohttp
    wide = 'network.layers=[{units=4096,activation="tanh"},{units=4096,activation="tanh"},{units=1,activation="sigmoid"}]'
    process, port, _ = start_server(tmp_path, "--tab-memory", "200", "--set", wide)    # ~0.5 GB to train

    async def starve():
        async with aiohttp.ClientSession() as session:
            tab = await Tab.open(session, f"http://127.0.0.1:{port}/ws")
            await tab.until(lambda: b"This tab stopped" in plain(tab.chunks), "the starved tab said nothing")
            return plain(tab.chunks)
    try:
        said = asyncio.run(starve())
        assert b"This tab stopped: this tab ran past its memory budget (200 MB: --tab-memory)" in said
        assert process.poll() is None                    # the server goes on
    finally:
        end_server(process)


@needs_serve
def test_a_huge_size_is_clamped_and_a_tab_past_max_tabs_starts_nothing(tmp_path):
    import aiohttp
    process, port, _ = start_server(tmp_path, "--max-tabs", "1")

    async def ask_too_much():
        async with aiohttp.ClientSession() as session:
            big = await Tab.open(session, f"http://127.0.0.1:{port}/ws", width=3000, height=3000)
            await big.ws.send_json(["resize", {"width": 10 ** 9, "height": "lots"}])
            await big.ws.send_str("not json")            # ignored, as is anything malformed
            await big.ws.send_json({"stdin": 1})
            await big.drawn()
            extra = await Tab.open(session, f"http://127.0.0.1:{port}/ws")
            await extra.until(lambda: b"already has 1 tabs open" in plain(extra.chunks), "the extra tab was not told")
            rows = [int(r) for r in re.findall(rb"\x1b\[(\d+);\d+H", b"".join(big.chunks))]
            columns = [int(c) for c in re.findall(rb"\x1b\[\d+;(\d+)H", b"".join(big.chunks))]
            return max(rows), max(columns), len(tabs_of(process.pid))
    try:
        rows, columns, tabs = asyncio.run(ask_too_much())
        assert rows <= 150 and columns <= 400            # drawn at most 400×150, whatever the page asked
        assert tabs == 1
    finally:
        end_server(process)


@needs_serve
def test_tabs_work_when_the_server_is_started_from_a_folder_holding_another_nnterm(tmp_path):
    """As from a source checkout whose nnterm/ is not what was installed: each tab still runs the
    installed nnterm (the per-tab command is `python -I`, and the engine is the server's own)."""
    import aiohttp
    script = shutil.which("nnterm", path=os.path.dirname(sys.executable))
    if script is None:
        pytest.skip("no nnterm script beside this interpreter (pip install -e .)")
    decoy = tmp_path / "checkout"
    (decoy / "nnterm").mkdir(parents=True)
    (decoy / "nnterm" / "__init__.py").write_text("raise ImportError('the checkout, not the installed nnterm')\n")
    process, port, _ = start_server(tmp_path, cwd=decoy, argv0=[script])

    async def open_one():
        async with aiohttp.ClientSession() as session:
            tab = await Tab.open(session, f"http://127.0.0.1:{port}/ws")
            await tab.drawn()
    try:
        asyncio.run(open_one())
    finally:
        end_server(process)


# --- several servers behind one nginx ------------------------------------------------------------

NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)

# The lines the README gives for a class bigger than one machine, around two local servers.
NGINX_CONF = """
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy; fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;
    upstream nnterm {{
        ip_hash;
        server 127.0.0.1:{first};
        server 127.0.0.1:{second};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://nnterm;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $http_host;
            proxy_read_timeout 1h;
        }}
    }}
}}
"""


@needs_serve
@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (Debian: apt-get install nginx; .ci/run installs it)")
def test_two_servers_behind_a_real_nginx_serve_tabs_at_the_proxys_address(tmp_path):
    import aiohttp
    servers = [start_server(tmp_path) for _ in range(2)]
    port = free_port()
    (tmp_path / "nginx.conf").write_text(NGINX_CONF.format(folder=tmp_path, first=servers[0][1],
                                                           second=servers[1][1], port=port))
    proxy = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
                break
            except OSError:
                if proxy.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"nginx did not start: {proxy.stderr.read().decode()[-1000:]}")
                time.sleep(0.2)
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page     # the proxy's address

        async def through_nginx():
            async with aiohttp.ClientSession() as session:
                tabs = [await Tab.open(session, f"http://127.0.0.1:{port}/ws") for _ in range(2)]
                for tab in tabs:
                    await tab.drawn()
                await tabs[0].ws.send_json(["stdin", " "])
                await tabs[0].until(lambda: (screen_epoch(tabs[0].chunks) or 0) > 0, "space did not train")
                return [len(tabs_of(process.pid)) for process, _, _ in servers]

        counts = asyncio.run(through_nginx())
        assert sorted(counts) == [0, 2]                   # one browser: both its tabs on one server (ip_hash)
    finally:
        os.killpg(proxy.pid, signal.SIGKILL)
        proxy.wait()
        for process, _, _ in servers:
            end_server(process)


@needs_serve
def test_a_browser_tab_speaks_of_the_browser_and_draws_only_glyphs_common_fonts_have(server):
    import aiohttp
    _, port, _ = server

    async def share():
        async with aiohttp.ClientSession() as session:
            tab = await Tab.open(session, f"http://127.0.0.1:{port}/ws")
            await tab.drawn()
            await tab.until(lambda: b"paused" in plain(tab.chunks), "the tab never said paused")
            await tab.ws.send_json(["stdin", "c"])       # the share dialog
            await tab.until(lambda: b"this line opens the same playground" in plain(tab.chunks), "no share dialog")
            return b"".join(tab.chunks)

    drawn = asyncio.run(share())
    assert "⏸".encode() not in drawn and "‖ paused".encode() in plain([drawn])
    words = plain([drawn])
    assert b"In a terminal where nnterm is installed" in words and b"Pasted into a terminal" not in words
    assert b"where this browser allows it" in words
