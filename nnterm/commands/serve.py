HELP = ("serve the playground to web browsers (textual-serve): each tab runs its own app; "
        "for a classroom on a trusted network, with no authentication")

INSTALL = "pip install 'nnterm[serve]'"
STOP_SECONDS = 3.0          # what an app gets to quit by itself once the server stops, before SIGKILL


def add_arguments(parser) -> None:
    parser.add_argument("preset", metavar="PRESET", nargs="?", default="xor",
                        help="the preset every tab opens on: a bundled name or a .toml path (default: xor)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="override a preset key (repeatable)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to listen on (default 127.0.0.1: this machine only; "
                             "0.0.0.0 lets the room's browsers in — no password protects it)")
    parser.add_argument("--port", type=int, default=8000, help="the TCP port (default 8000)")


def check_bindable(host: str, port: int) -> None:
    """Binds (host, port) once, as the server will, so a taken port or a foreign address is one
    sentence now rather than a traceback from inside the web server."""
    import errno
    import socket

    from nnterm.errors import NntermError
    if not 1 <= port <= 65535:
        raise NntermError(f"--port {port}: a TCP port is from 1 to 65535")
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise NntermError(f"--host {host}: not an address or a name this machine can resolve") from None
    for family, kind, proto, _, address in addresses:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as aiohttp's server does
            try:
                probe.bind(address)
            except OSError as err:
                if err.errno == errno.EADDRINUSE:
                    raise NntermError(f"--port {port}: already in use on {host}; stop what uses it or choose another, "
                                      f"e.g. --port {port + 1 if port < 65535 else 8000}") from None
                if err.errno == errno.EACCES:
                    raise NntermError(f"--port {port}: not allowed for this user (ports below 1024 need root); "
                                      "choose one from 1024, e.g. --port 8000") from None
                raise NntermError(f"--host {host}: cannot listen there ({err.strerror}); give an address of this "
                                  "machine, e.g. 127.0.0.1 or 0.0.0.0") from None


def app_command(args) -> str:
    """The shell command textual-serve runs for each tab; `exec` makes the app the process it
    holds, so stopping it stops the app and not a shell in between."""
    import shlex
    import sys
    argv = [sys.executable, "-m", "nnterm", "tui", args.preset]
    for item in args.overrides:
        argv += ["--set", item]
    return "exec " + shlex.join(argv)


def tracked(app_service_class, services: set):
    """textual-serve's AppService (one per tab), noting each one it starts, with its process."""
    class TrackedAppService(app_service_class):
        async def start(self, *args, **kwargs):
            services.add(self)
            return await super().start(*args, **kwargs)
    return TrackedAppService


def classroom_server(server_class, services: set):
    """textual-serve's Server, (1) writing into each page the address that browser used
    (textual-serve writes http://HOST:PORT, which with --host 0.0.0.0 no browser could open), and
    (2) closing every tab when it stops: aiohttp then waits for open websockets, which a tab
    never closes by itself (Ctrl+C took ~18 s with two tabs open)."""
    class ClassroomServer(server_class):
        async def handle_index(self, request):
            self.public_url = f"{request.scheme}://{request.host}"   # read synchronously by the page template
            return await super().handle_index(request)

        async def on_shutdown(self, app):
            import asyncio
            await super().on_shutdown(app)
            for service in list(services):
                try:
                    await service.remote_close()       # the tab shows "Session ended"; its app is told to quit
                except Exception:                      # a tab that already went: nothing to close
                    pass
            processes = [s._process for s in services if s._process is not None and s._process.returncode is None]
            try:                                       # while the event loop still runs, which reaps them
                await asyncio.wait_for(asyncio.gather(*(p.wait() for p in processes)), STOP_SECONDS)
            except asyncio.TimeoutError:
                for process in processes:
                    if process.returncode is None:
                        process.kill()
                await asyncio.gather(*(p.wait() for p in processes))
    return ClassroomServer


def end_children(services: set) -> None:
    """Each app is asked to quit as its tab closes, and on_shutdown waits for them; one still
    running once the server has stopped (it failed before on_shutdown) is ended here: SIGTERM,
    then SIGKILL after STOP_SECONDS."""
    import os
    import signal
    import time
    processes = [s._process for s in services if s._process is not None]
    alive = lambda: [p for p in processes if p.returncode is None and pid_running(p.pid)]
    for process in alive():
        try:
            os.kill(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + STOP_SECONDS
    while alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    for process in alive():
        try:
            os.kill(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def pid_running(pid: int) -> bool:
    """Whether our child `pid` still runs (reaping it if it has ended)."""
    import os
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False
    return done == 0


def run(args) -> int:
    from nnterm.errors import NntermError
    from nnterm.presets.loader import load_preset
    preset = load_preset(args.preset, args.overrides)       # a bad preset is refused here, not in every tab
    import importlib
    try:                                     # textual-serve (the optional extra), not Textual itself
        serving = importlib.import_module("textual_serve.server")
    except ImportError:
        raise NntermError(f"nnterm serve needs the textual-serve package; install it with {INSTALL}") from None
    check_bindable(args.host, args.port)
    services = set()
    serving.AppService = tracked(serving.AppService, services)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"nnterm: serving {preset.name} on http://{shown}:{args.port} — each browser tab runs its own playground; "
          "Ctrl+C stops the server and every tab's app", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"nnterm: browsers on the network open http://THIS-COMPUTER'S-ADDRESS:{args.port}; anyone who can reach "
              "it can use the playground (there is no password)", flush=True)
    server = classroom_server(serving.Server, services)(app_command(args), host=args.host, port=args.port,
                                                        title=f"nnterm · {preset.name}")
    try:
        server.serve()
    except OSError as err:                  # taken between check_bindable and the server's own bind
        raise NntermError(f"--port {args.port}: cannot listen on {args.host} ({err.strerror or err})") from None
    finally:
        end_children(services)
    return 0
