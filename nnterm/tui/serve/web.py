"""The web server of `nnterm serve`: textual-serve's page and websocket, with what a classroom
needs around them (docs/design.md, "Serving a class"):

- a class code on any address but loopback: a page or websocket without it gets a page asking
  for it (compared in constant time) and nothing starts;
- behind a proxy, X-Forwarded-Proto/Host: the page opens wss:// at the address the browser used;
- what a page may ask is clamped (its size, the number of tabs); a closed tab's process goes at
  once; a tab that fails says why in the browser, and the others go on;
- the page loads its font from the server (offline classrooms), not from a font service.
"""
import asyncio
import hmac
import io
import json
import re
from pathlib import Path

import aiohttp_jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from nnterm.tui.serve import MAX_TABS

WIDTH = (20, 400)           # the columns a page may ask for
HEIGHT = (8, 150)           # the rows
FONT_SIZE = (6, 48)
QUIT_SECONDS = 0.5          # what a closed tab's app gets to quit by itself before it is ended
STDERR_KEPT = 16 * 1024     # the end of a tab's stderr kept to say why it failed
COOKIE = "nnterm_class_code"
HOST = re.compile(r"^[A-Za-z0-9.\-]{1,253}(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?$")
ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f]")
TEMPLATES = Path(__file__).with_name("templates")
# Glyphs the app draws that common monospace fonts lack (DejaVu Sans Mono has no ⏸, and the
# bundled Roboto Mono none of these symbols): each is sent to the browser as a one-cell glyph
# every such font has, so no tab shows an empty box offline.
BROWSER_GLYPHS = {"⏸".encode(): "‖".encode()}


def clamp(value, low: int, high: int, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return min(max(number, low), high)


def public_address(request) -> tuple[str, str]:
    """(scheme, host) the browser used: a proxy's X-Forwarded-Proto/Host, else the request's own.
    Either lands in the page, so each must look like a scheme or a host, or it is not used."""
    scheme = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    if scheme not in ("http", "https"):
        scheme = request.scheme if request.scheme in ("http", "https") else "http"
    for host in (request.headers.get("X-Forwarded-Host", "").split(",")[0].strip(), request.host or ""):
        if HOST.match(host):
            return scheme, host
    return scheme, "127.0.0.1"


class TabService(AppService):
    """One tab's app (through its stub and the engine). It keeps the end of the app's stderr, and
    when the app ends other than by quitting, it writes why into the tab and leaves the tab open
    so that it can be read."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.closing = False
        self.stderr = io.BytesIO()

    async def on_data(self, payload: bytes) -> None:
        for glyph, instead in BROWSER_GLYPHS.items():
            payload = payload.replace(glyph, instead)
        await self.remote_write_bytes(payload)

    async def on_meta(self, data: bytes) -> None:
        if json.loads(data).get("type") == "exit":        # the app quit: its status decides what the tab shows
            return
        await super().on_meta(data)

    async def run(self) -> None:
        process = self._process
        stderr_task = asyncio.create_task(self.read_stderr(process.stderr))
        try:
            for _ in range(10):                            # Textual's prelude: then packets
                line = await process.stdout.readline()
                if not line or line == b"__GANGLION__\n":
                    break
            while True:
                kind = await process.stdout.readexactly(1)
                size = int.from_bytes(await process.stdout.readexactly(4), "big")
                payload = await process.stdout.readexactly(size)
                if kind == b"D":
                    await self.on_data(payload)
                elif kind == b"M":
                    await self.on_meta(payload)
                elif kind == b"P":
                    await self.on_packed(payload)
        except (asyncio.IncompleteReadError, ConnectionResetError, asyncio.CancelledError, ValueError):
            pass
        finally:
            code = await process.wait()
            await stderr_task
        if self.closing:
            return
        if code == 0:
            await self.remote_close()
        else:
            await self.say_why(code)

    async def read_stderr(self, stderr) -> None:
        while data := await stderr.read(4096):
            self.stderr.write(data)
            if self.stderr.tell() > 2 * STDERR_KEPT:
                kept = self.stderr.getvalue()[-STDERR_KEPT:]
                self.stderr = io.BytesIO()
                self.stderr.write(kept)

    def why(self, code: int) -> str:
        lines = [ANSI.sub("", line).strip() for line in self.stderr.getvalue().decode("utf-8", "replace").splitlines()]
        lines = [line for line in lines if line]
        said = next((line for line in reversed(lines) if line.startswith("nnterm: ")), None)
        if said is not None:
            return said[len("nnterm: "):]
        return (lines[-1] if lines else f"its app ended with status {code}")[:300]

    async def say_why(self, code: int) -> None:
        text = (f"\x1b[?1049l\x1b[0m\x1b[2J\x1b[H\x1b[1;31mThis tab stopped: {self.why(code)}\x1b[0m\r\n\r\n"
                "The other tabs go on. Reload this page for a fresh playground.\r\n")
        try:
            await self.remote_write_bytes(text.encode())
        except Exception:                                  # the browser went too
            pass

    async def end(self) -> None:
        """The tab closed (or the server stops): quit, and after QUIT_SECONDS end the stub — the
        engine then kills the app, whatever it was doing."""
        self.closing = True
        process = self._process
        if process is None:
            return
        if process.returncode is None:
            await self.send_meta({"type": "quit"})
            try:
                await asyncio.wait_for(asyncio.shield(process.wait()), QUIT_SECONDS)
            except asyncio.TimeoutError:
                try:
                    process.kill()
                except ProcessLookupError:
                    pass
        if self._task is not None:
            await self._task
            self._task = None


class ClassroomServer(Server):
    def __init__(self, command: str, *, host: str, port: int, title: str, code: str | None,
                 max_tabs: int = MAX_TABS, room=None, on_stop=None) -> None:
        import textual_serve
        super().__init__(command, host=host, port=port, title=title,
                         statics_path=Path(textual_serve.__file__).with_name("static"), templates_path=TEMPLATES)
        self.code, self.max_tabs, self.room = code, max_tabs, room
        self.on_stop = on_stop                                # called as the server begins to stop
        self.tabs: set[TabService] = set()
        self.sockets: set[web.WebSocketResponse] = set()
        self.stopping = False

    # --- who gets in ---
    def let_in(self, request) -> bool:
        if self.code is None:
            return True
        given = request.cookies.get(COOKIE, "") or request.query.get("code", "")
        return hmac.compare_digest(given.strip().lower().encode(), self.code.encode())

    def code_page(self, wrong: bool) -> web.Response:
        html = aiohttp_jinja2.get_env(self.web_app).get_template("class_code.html").render(title=self.title, wrong=wrong)
        return web.Response(text=html, content_type="text/html", status=401)

    async def handle_index(self, request):
        if not self.let_in(request):
            return self.code_page(wrong="code" in request.query)
        scheme, host = public_address(request)
        context = {
            "font_size": clamp(request.query.get("fontsize"), *FONT_SIZE, 16),
            "app_websocket_url": f"{'wss' if scheme == 'https' else 'ws'}://{host}/ws",
            "config": {"static": {"url": f"{scheme}://{host}/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        if self.code is not None and request.cookies.get(COOKIE) != self.code:
            response.set_cookie(COOKIE, self.code, httponly=True, samesite="Strict", secure=scheme == "https")
        return response

    async def handle_download(self, request):
        if not self.let_in(request):
            return self.code_page(wrong=False)
        return await super().handle_download(request)

    # --- a tab ---
    async def handle_websocket(self, request):
        if not self.let_in(request) or self.stopping:
            return web.Response(text="nnterm: this class's code is needed (open the page's address first)\n",
                                status=403)
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=1 << 16)
        await websocket.prepare(request)
        self.sockets.add(websocket)
        try:
            if len(self.tabs) >= self.max_tabs:
                await websocket.send_bytes(f"\x1b[1;31mThis server already has {self.max_tabs} tabs open, its most "
                                           "(--max-tabs). Close one, or ask your teacher.\x1b[0m\r\n".encode())
                async for _ in websocket:                     # nothing starts: the page shows the sentence
                    pass
                return websocket
            await self.run_tab(request, websocket)
        finally:
            self.sockets.discard(websocket)
        return websocket

    async def run_tab(self, request, websocket) -> None:
        width = clamp(request.query.get("width"), *WIDTH, 80)
        height = clamp(request.query.get("height"), *HEIGHT, 24)
        tab = TabService(self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                         close=websocket.close, download_manager=self.download_manager)
        self.tabs.add(tab)
        self.report()
        try:
            await tab.start(width, height)
            await self.follow(websocket, tab)
        except Exception:                                     # a browser that went mid-way: the tab ends below
            pass
        finally:
            self.tabs.discard(tab)
            await tab.end()
            self.report()

    async def follow(self, websocket, tab: TabService) -> None:
        """The browser's messages to the tab; anything malformed is ignored, sizes are clamped."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                kind, data = envelope[0], (envelope[1] if len(envelope) > 1 else None)
            except (ValueError, TypeError, KeyError, IndexError):
                continue
            if kind == "stdin" and isinstance(data, str):
                await tab.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                await tab.set_terminal_size(clamp(data.get("width"), *WIDTH, 80), clamp(data.get("height"), *HEIGHT, 24))
            elif kind == "ping" and isinstance(data, str):
                await websocket.send_json(["pong", data[:64]])
            elif kind == "blur":
                await tab.blur()
            elif kind == "focus":
                await tab.focus()

    def report(self) -> None:
        if self.room is not None:
            try:
                self.room.update(len(self.tabs))
            except Exception:                                 # /proc unreadable: the tabs matter more
                pass

    # --- the server ---
    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        self.web_app = app
        return app

    async def on_startup(self, app) -> None:
        pass                                                  # the command prints its own lines

    async def on_shutdown(self, app) -> None:
        """Every tab ends now (its stub is killed; the engine kills its app), every socket closes."""
        self.stopping = True
        if self.on_stop is not None:                          # the engine's tabs end alongside, not after
            self.on_stop()
        tabs = list(self.tabs)
        for tab in tabs:
            tab.closing = True
            if tab._process is not None and tab._process.returncode is None:
                try:
                    tab._process.kill()
                except ProcessLookupError:
                    pass
        await asyncio.gather(*(socket.close() for socket in list(self.sockets)), return_exceptions=True)

    def serve(self, debug: bool = False) -> None:
        import signal
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        loop.add_signal_handler(signal.SIGINT, self.request_exit)
        loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop,
                    print=lambda *args: None, shutdown_timeout=0.5, access_log=None)
