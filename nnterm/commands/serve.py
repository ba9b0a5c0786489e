from nnterm.runtime.language import _, N_
HELP = N_("serve the playground to web browsers (textual-serve): each tab its own app, forked from one "
        "warm engine; off this machine, only browsers given the class code get in")

INSTALL = "pip install 'nnterm[serve]'"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
CODE_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"      # no 0/o, 1/l/i: read aloud and typed by a class
CODE_LENGTH = 8                                         # 31⁸ ≈ 8.5·10¹¹ codes


def add_arguments(parser) -> None:
    from nnterm.tui.serve import MAX_TABS, TAB_MEMORY_MB
    parser.add_argument("preset", metavar="PRESET", nargs="?", default="xor",
                        help=_("the preset every tab opens on: a bundled name or a .toml path (default: xor)"))
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help=_("override a preset key (repeatable)"))
    parser.add_argument("--host", default="127.0.0.1",
                        help=_("the address to listen on (default 127.0.0.1: this machine only; "
                             "0.0.0.0 lets the room's browsers in, with the class code it prints)"))
    parser.add_argument("--port", type=int, default=8000, help=_("the TCP port (default 8000)"))
    parser.add_argument("--class-code", metavar="CODE", default=None,
                        help=_("the class code (off this machine; default: a random one, printed): give several "
                             "servers behind one proxy the same code"))
    parser.add_argument("--max-tabs", type=int, default=MAX_TABS, metavar="N",
                        help=_("the most tabs open at once (default {MAX_TABS}); one more is told so and nothing starts").format(MAX_TABS=MAX_TABS))
    parser.add_argument("--tab-memory", type=int, default=TAB_MEMORY_MB, metavar="MB",
                        help=_("the memory each tab may take beyond the shared engine (default {TAB_MEMORY_MB} MB); past it that tab alone stops, and says so").format(TAB_MEMORY_MB=TAB_MEMORY_MB))


def check_bindable(host: str, port: int) -> None:
    """Binds (host, port) once, as the server will, so a taken port or a foreign address is one
    sentence now rather than a traceback from inside the web server."""
    import errno
    import socket

    from nnterm.errors import NntermError
    if not 1 <= port <= 65535:
        raise NntermError(_("--port {port}: a TCP port is from 1 to 65535").format(port=port))
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise NntermError(_("--host {host}: not an address or a name this machine can resolve").format(host=host)) from None
    for family, kind, proto, _name, address in addresses:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as aiohttp's server does
            try:
                probe.bind(address)
            except OSError as err:
                if err.errno == errno.EADDRINUSE:
                    raise NntermError(_("--port {port}: already in use on {host}; stop what uses it or choose another, e.g. --port {free_port}").format(port=port, host=host, free_port=port + 1 if port < 65535 else 8000)) from None
                if err.errno == errno.EACCES:
                    raise NntermError(_("--port {port}: not allowed for this user (ports below 1024 need root); choose one from 1024, e.g. --port 8000").format(port=port)) from None
                raise NntermError(_("--host {host}: cannot listen there ({strerror}); give an address of this machine, e.g. 127.0.0.1 or 0.0.0.0").format(host=host, strerror=err.strerror)) from None


def tab_command(engine) -> str:
    """The shell command textual-serve runs for each tab: the stub, with -I so that it never reads
    the working folder, and -S (no site: it needs the standard library alone, and starts in
    two thirds of the time), handing the tab to the engine (nnterm/tui/serve/tab_stub.py)."""
    import shlex
    import sys
    from pathlib import Path

    import nnterm.tui.serve
    stub = Path(nnterm.tui.serve.__file__).with_name("tab_stub.py")
    return "exec " + shlex.join([sys.executable, "-I", "-S", str(stub), engine.path])


def class_code() -> str:
    import secrets
    return "".join(secrets.choice(CODE_LETTERS) for _letter in range(CODE_LENGTH))


def outward_address() -> str | None:
    """This machine's address on its network, as the room would type it; None when offline.
    (A UDP socket 'connected' to a documentation address sends nothing: the system just picks
    the interface it would use.)"""
    import socket
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            return probe.getsockname()[0]
    except OSError:
        return None


def checked_limits(args) -> None:
    from nnterm.errors import NntermError
    code = args.class_code
    if code is not None and not (4 <= len(code) <= 32 and all(c in CODE_LETTERS for c in code.lower())):
        raise NntermError(_("--class-code: give 4 to 32 letters and digits from {CODE_LETTERS}").format(CODE_LETTERS=CODE_LETTERS))
    if not 1 <= args.max_tabs <= 1000:
        raise NntermError(_("--max-tabs {max_tabs}: give from 1 to 1000 tabs").format(max_tabs=args.max_tabs))
    if not 64 <= args.tab_memory <= 1 << 20:
        raise NntermError(_("--tab-memory {tab_memory}: give from 64 to 1048576 MB per tab").format(tab_memory=args.tab_memory))


def run(args) -> int:
    from nnterm.errors import NntermError
    from nnterm.presets.loader import load_preset
    preset = load_preset(args.preset, args.overrides)       # a bad preset is refused here, not in every tab
    checked_limits(args)
    import importlib.util
    if importlib.util.find_spec("textual_serve") is None:       # the optional extra, looked for, not imported here
        raise NntermError(_("nnterm serve needs the textual-serve package; install it with {INSTALL}").format(INSTALL=INSTALL)) from None
    check_bindable(args.host, args.port)
    from nnterm.tui.serve.engine import start_engine
    from nnterm.tui.serve.room import Room
    from nnterm.tui.serve.web import ClassroomServer
    code = None if args.host in LOOPBACK else (args.class_code or class_code()).lower()
    shown = f"[{args.host}]" if ":" in args.host else args.host
    if code is None:
        print(_("nnterm: serving {preset} on {address} — each browser tab runs its own playground; "
                "Ctrl+C stops the server and every tab").format(preset=preset.name, address=f"http://{shown}:{args.port}"), flush=True)
    else:
        where = outward_address() if args.host in ("0.0.0.0", "::") else shown
        where = where or _("THIS-COMPUTER'S-ADDRESS")
        print(_("nnterm: serving {preset} to the room: {address}").format(
            preset=preset.name, address=f"http://{where}:{args.port}/?code={code}"), flush=True)
        print(_("nnterm: the class code is {code}: a browser without it gets a page asking for it. "
                "Ctrl+C stops the server and every tab").format(code=code), flush=True)
    engine = start_engine(preset, args.tab_memory)           # forked before the web server starts a thread
    try:
        server = ClassroomServer(tab_command(engine), host=args.host, port=args.port, title=f"nnterm · {preset.name}",
                                 code=code, max_tabs=args.max_tabs, on_stop=engine.ask_to_stop,
                                 room=Room(engine.pid, args.max_tabs, lambda line: print(line, flush=True)))
        server.serve()
    except OSError as err:                  # taken between check_bindable and the server's own bind
        raise NntermError(_("--port {port}: cannot listen on {host} ({reason})").format(port=args.port, host=args.host, reason=err.strerror or err)) from None
    finally:
        engine.stop()
    # Every tab, the engine and its socket folder are gone: what is left is Python's teardown of
    # what the server imported (aiohttp, Textual, NumPy), which on a busy machine takes longer than
    # all the rest of Ctrl+C. The output is flushed and the process ends.
    from nnterm.warmup.quitting import leave_now
    leave_now(0)
    return 0
