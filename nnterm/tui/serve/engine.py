"""The warm engine: one process that has imported nnterm, Textual and the playground, and loaded
the compiled kernels, and forks each browser tab's app from itself (docs/design.md, "Serving a
class"). A tab then pays neither for imports nor for kernels, and shares their pages with every
other tab (gc.freeze() before each fork keeps the collector from writing to them).

The engine is single-threaded, so that a fork never copies a lock another thread holds (Numba's
compiler lock above all). Its kernels come through the disk cache: a forked compiler child runs
the warm-up's helper (nnterm/warmup/kernel_warm_up.py) over every part, and as it says
`ready PART` the engine loads that part from the cache — milliseconds — between tab requests.
So on an empty cache the first tab is forked at once and draws while the kernels compile; a tab
forked before a part is loaded waits for the engine's word on a pipe and then loads it from the
cache itself (InheritedWarmUp), rather than compiling it again.

A tab is its own process: its crash, its hang or its memory (RLIMIT_AS: what it inherits plus
--tab-memory MB) end it alone. The stub's connection is the tab's lifeline: when the stub goes
(the tab closed, the server stopped) the engine kills the tab; when the tab ends the engine
tells the stub its status and closes the connection, so nothing lingers.
"""
import gc
import json
import os
import resource
import select
import signal
import socket
import sys
import tempfile
import time

from nnterm.runtime.language import _

REAP_SECONDS = 0.1        # the loop's longest sleep: how late an ended tab is noticed at most
STOP_SECONDS = 0.3        # what the engine gets to end its tabs itself when the server stops
PASSED_KEYS = ("COLUMNS", "ROWS", "TERM_PROGRAM", "TERM_PROGRAM_VERSION")   # plus TEXTUAL_*: the tab's size and driver
DRIVER = "nnterm.tui.served_app:ServedDriver"      # textual-serve's web driver, yielding once its tab has drawn


class EngineHandle:
    """The server's view of the engine: its pid and the socket a tab stub connects to."""

    def __init__(self, pid: int, folder: str) -> None:
        self.pid, self.folder = pid, folder
        self.path = os.path.join(folder, "engine")

    def ask_to_stop(self) -> None:
        """SIGTERM, without waiting: the engine ends its tabs while the web server closes its sockets."""
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass

    def stop(self) -> None:
        """SIGTERM: the engine kills every tab and exits. An engine busy loading kernels hears it
        only when the load returns, so after STOP_SECONDS it is killed — and its tabs and its
        compiler with it (each asked the kernel for SIGKILL when its parent dies). Then its
        socket folder goes."""
        import shutil
        import time
        try:
            os.kill(self.pid, signal.SIGTERM)
            deadline = time.monotonic() + STOP_SECONDS
            while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                if time.monotonic() > deadline:
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
                    break
                time.sleep(0.01)
        except (ProcessLookupError, ChildProcessError):
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


def start_engine(preset, tab_memory_mb: int) -> EngineHandle:
    """Forks the engine from the server process (before it starts any thread), so the engine runs
    exactly the nnterm the server runs, whatever the working folder holds."""
    folder = tempfile.mkdtemp(prefix="nnterm-serve-")        # 0700: only this user's stubs can connect
    handle = EngineHandle(0, folder)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(handle.path)
    listener.listen(128)                                     # tabs asked for while the engine imports wait here
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = Engine(listener, preset, tab_memory_mb << 20).run()
        finally:
            os._exit(code)
    listener.close()
    handle.pid = pid
    return handle


def all_parts() -> list[str]:
    from nnterm.warmup.kernel_warm_up import GROUPS, parts_of
    return [part for group in GROUPS for part in parts_of(group)]


class Engine:
    def __init__(self, listener: socket.socket, preset, tab_memory: int) -> None:
        self.listener, self.preset, self.tab_memory = listener, preset, tab_memory
        self.parent = os.getppid()
        self.tabs: dict[int, socket.socket] = {}            # tab pid → its stub's connection
        self.notices: dict[int, int] = {}                   # tab pid → the pipe it hears "ready PART" on
        self.said: list[str] = []                           # the lines every tab forked from now on needs
        self.loaded: set[str] = set()
        self.compiler_out: int | None = None
        self.compiler_pid = 0
        self.compiler_in = -1
        self.pending = b""
        self.heard: list[tuple[str, str]] = []              # the compiler's words not yet acted on
        self.stopping = False
        self.started = time.monotonic()

    # --- set-up ---
    def run(self) -> int:
        os.setsid()                                          # Ctrl+C reaches the server only; it ends us
        name_this_process(b"nnterm-engine")
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, self.on_sigterm)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        one_arena_per_thread_at_most()
        os.environ.update(textual_serve_environment())      # Textual reads its settings once, at import
        self.start_compiler()
        import_the_playground()
        self.listener.setblocking(False)
        try:
            self.loop()
        finally:
            self.end_everything()
        return 0

    def on_sigterm(self, *_) -> None:
        self.stopping = True

    def start_compiler(self) -> None:
        """The warm-up's helper, forked (not exec'd: the same nnterm), compiling every part into
        the disk cache; `ready PART` on its stdout, and it exits when its stdin closes. Its first
        line on stdin is the warm-up's stand-in data (nnterm/warmup/stand_in.py): empty here."""
        from nnterm.presets.writer import preset_to_toml
        text = preset_to_toml(self.preset)
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                name_this_process(b"nnterm-compile")
                die_with_parent()
                os.dup2(to_child, 0)
                os.dup2(from_child, 1)
                for fd in (to_child, from_parent, to_parent, from_child):
                    os.close(fd)
                self.listener.close()
                from nnterm.warmup.kernel_warm_up import helper_main
                helper_main([text, *all_parts()])
                sys.stdout.flush()
            finally:
                os._exit(0)
        os.close(to_child)
        os.close(from_child)
        os.write(from_parent, b"\n")                        # no stand-in data: it builds the preset's own
        self.compiler_pid, self.compiler_out, self.compiler_in = pid, to_parent, from_parent

    # --- the loop ---
    def loop(self) -> None:
        while not self.stopping and os.getppid() == self.parent:
            watched = [self.listener, *self.tabs.values()] + ([self.compiler_out] if self.compiler_out else [])
            try:
                readable, _, _ = select.select(watched, [], [], REAP_SECONDS)
            except InterruptedError:
                readable = []
            for source in readable:
                if source is self.listener:
                    while self.accept():                     # every tab waiting, before any kernel load
                        pass
                elif source == self.compiler_out:
                    self.hear_compiler()
                else:
                    self.stub_gone(source)
            self.reap()
            if self.heard and not readable_now(self.listener):
                self.load_next()

    def accept(self) -> bool:
        """Forks the tab a stub asks for; False when none is waiting."""
        try:
            conn, _ = self.listener.accept()
        except (BlockingIOError, InterruptedError):
            return False
        except OSError:
            return False
        try:
            conn.setblocking(True)
            message, fds, flags, _ = socket.recv_fds(conn, 1 << 16, 3)
        except OSError:
            conn.close()
            return True
        if len(fds) != 3 or flags & socket.MSG_TRUNC or flags & socket.MSG_CTRUNC:
            for fd in fds:
                os.close(fd)
            conn.close()
            return True
        try:
            environment = {k: str(v) for k, v in json.loads(message).items()
                           if k in PASSED_KEYS or k.startswith("TEXTUAL_")}
        except (ValueError, AttributeError):
            environment = {}
        notice_read, notice_write = os.pipe()
        gc.freeze()                                          # shared pages stay shared: the collector leaves them
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.close(notice_write)
                code = self.become_tab(fds, environment, notice_read, conn.dup())
            finally:
                os._exit(code)
        for fd in (*fds, notice_read):
            os.close(fd)
        self.tabs[pid] = conn
        try:
            os.set_blocking(notice_write, False)
            os.write(notice_write, "".join(self.said).encode())
        except OSError:
            pass
        self.notices[pid] = notice_write
        return True

    def hear_compiler(self) -> None:
        """A line from the compiler: load the part it compiled, then tell every tab."""
        try:
            data = os.read(self.compiler_out, 4096)
        except OSError:
            data = b""
        if not data:
            os.close(self.compiler_out)
            self.compiler_out = None
            self.heard.append(("gone", ""))
            return
        self.pending += data
        while b"\n" in self.pending:
            line, self.pending = self.pending.split(b"\n", 1)
            word, _, rest = line.decode(errors="replace").partition(" ")
            if word in ("ready", "failed"):
                self.heard.append((word, rest.partition(" ")[0]))

    def load_next(self) -> None:
        """One part the compiler finished, loaded here (tab requests come first: one per loop)."""
        word, part = self.heard.pop(0)
        if word == "gone":                                   # what is left, tabs compile themselves
            self.tell_tabs("gone\n")
            rehearsed = self.rehearse()
            warm = (_("nnterm: the engine is warm: {loaded} of {parts} kernel parts loaded, the playground rehearsed "
                      "({seconds} s); new tabs inherit them") if rehearsed else
                    _("nnterm: the engine is warm: {loaded} of {parts} kernel parts loaded ({seconds} s); new tabs inherit them"))
            print(warm.format(loaded=len(self.loaded), parts=len(all_parts()),
                              seconds=f"{time.monotonic() - self.started:.0f}"), flush=True)
        elif word == "ready" and self.load(part):
            self.tell_tabs(f"ready {part}\n")
        else:
            self.tell_tabs(f"failed {part}\n")

    def load(self, part: str) -> bool:
        from nnterm.warmup.kernel_warm_up import run_step, steps_of
        from nnterm.warmup.stepping import allow_stepping
        try:
            with allow_stepping():
                for step in steps_of(part):
                    run_step(step, self.preset)
        except Exception:
            return False
        self.loaded.add(part)
        return True

    def rehearse(self) -> bool:
        """Once every kernel is loaded: the playground run once here, headless, so that each tab
        forked from now on finds what its first frame needs already imported and cached
        (nnterm/tui/served_app.py). Not with a kernel missing: the rehearsal would compile it."""
        if self.loaded != set(all_parts()):
            return False
        from nnterm.tui.serve.tab_warm_up import InheritedWarmUp
        from nnterm.tui.served_app import rehearse
        try:
            single = rehearse(self.preset, InheritedWarmUp(self.preset, set(self.loaded), -1).start())
        except Exception as err:                             # tabs draw without it, as before
            print(_("nnterm: the playground's rehearsal failed ({error}); tabs start cold").format(
                error=f"{err.__class__.__name__}: {err}"), flush=True)
            return False
        if not single:
            print(_("nnterm: a thread of the playground's rehearsal is still running; tabs forked meanwhile may "
                    "wait on a lock it held"), flush=True)
        gc.collect()
        gc.freeze()
        return True

    def tell_tabs(self, line: str) -> None:
        self.said.append(line)
        for fd in self.notices.values():
            try:
                os.write(fd, line.encode())
            except OSError:                                  # a tab that ended or stopped listening
                pass

    def stub_gone(self, conn: socket.socket) -> None:
        """The stub's end closed (its tab closed, the server stopped it): the tab goes too."""
        for pid, tab_conn in self.tabs.items():
            if tab_conn is conn:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                return

    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid == self.compiler_pid:
                self.compiler_pid = 0
                continue
            conn = self.tabs.pop(pid, None)
            notice = self.notices.pop(pid, None)
            if notice is not None:
                os.close(notice)
            if conn is not None:
                said = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit {os.waitstatus_to_exitcode(status)}"
                try:
                    conn.send(said.encode())
                except OSError:
                    pass
                conn.close()

    def end_everything(self) -> None:
        for pid in [*self.tabs, *([self.compiler_pid] if self.compiler_pid else [])]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in list(self.tabs):
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        self.reap()
        for conn in self.tabs.values():
            conn.close()

    # --- in the forked tab ---
    def become_tab(self, fds: list[int], environment: dict, notices: int, lifeline: socket.socket) -> int:
        """Runs the playground on the stub's stdin/stdout/stderr; returns its exit status."""
        name_this_process(b"nnterm-tab")
        die_with_parent()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        watch_the_stub(lifeline)
        for fd in [self.listener.fileno(), *(c.fileno() for c in self.tabs.values()), *self.notices.values(),
                   *([self.compiler_out] if self.compiler_out else []), self.compiler_in]:
            try:
                os.close(fd)
            except OSError:
                pass
        for number, fd in enumerate(fds):
            os.dup2(fd, number)
            os.close(fd)
        os.environ.update(environment)
        try:
            limit_memory(self.tab_memory)
            from nnterm.tui.serve.tab_warm_up import InheritedWarmUp
            from nnterm.tui.app import run_app
            warm_up = InheritedWarmUp(self.preset, set(self.loaded), notices).start()
            code = run_app(self.preset, warm_up)
        except MemoryError:
            print(_("nnterm: this tab ran past its memory budget ({megabytes} MB: --tab-memory)").format(
                megabytes=self.tab_memory >> 20), file=sys.stderr)
            code = 1
        except BaseException as err:                         # the stub's stderr: the browser shows it
            print(_("nnterm: this tab's app failed: {error}").format(error=f"{err.__class__.__name__}: {err}")[:300],
                  file=sys.stderr)
            code = 1
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        return code


def readable_now(source) -> bool:
    return bool(select.select([source], [], [], 0)[0])


def textual_serve_environment() -> dict[str, str]:
    """What textual-serve sets for every app it starts (its web driver, colours, frame rate): here
    before the engine imports Textual, which reads them once (textual.constants). The tab's own
    size (COLUMNS, ROWS) is read at its start, from what its stub handed over."""
    from types import SimpleNamespace

    from textual_serve.app_service import AppService
    wanted = AppService._build_environment(SimpleNamespace(debug=False))
    wanted["TEXTUAL_DRIVER"] = DRIVER
    return {key: value for key, value in wanted.items() if key.startswith("TEXTUAL") or key.startswith("TERM_PROGRAM")}


def import_the_playground() -> None:
    """What every tab needs imported: the kernels, Textual's web driver, the app and its screens."""
    import nnterm.kernels  # noqa: F401
    import nnterm.warmup.kernel_warm_up  # noqa: F401
    from nnterm.tui.served_app import import_for_serving
    import_for_serving()
    gc.collect()
    gc.freeze()


def watch_the_stub(lifeline: socket.socket) -> None:
    """The tab ends itself the moment its stub's end closes, without waiting for the engine,
    which may be loading a kernel part."""
    import threading

    def watch() -> None:
        try:
            lifeline.recv(1)
        except OSError:
            pass
        os.kill(os.getpid(), signal.SIGKILL)
    threading.Thread(target=watch, name="nnterm-tab-lifeline", daemon=True).start()


def limit_memory(budget: int) -> None:
    """RLIMIT_AS = the address space the tab inherits + its budget: past it, an allocation fails
    (a MemoryError) in this tab alone."""
    with open("/proc/self/status") as f:
        size = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize"))
    resource.setrlimit(resource.RLIMIT_AS, (size + budget, size + budget))


def one_arena_per_thread_at_most() -> None:
    """glibc reserves a 64 MB malloc arena per thread, which RLIMIT_AS counts: two arenas keep a
    tab's budget for what it really allocates."""
    import ctypes
    import ctypes.util
    try:
        ctypes.CDLL(ctypes.util.find_library("c")).mallopt(-8, 2)     # M_ARENA_MAX
    except (OSError, AttributeError, TypeError):
        pass


def die_with_parent() -> None:
    """SIGKILL from the kernel when the engine ends, however it ends (PR_SET_PDEATHSIG)."""
    import ctypes
    import ctypes.util
    try:
        ctypes.CDLL(ctypes.util.find_library("c")).prctl(1, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError, TypeError):
        pass


def name_this_process(name: bytes) -> None:
    """What ps and top show for the process (and what the tests count tabs by)."""
    import ctypes
    import ctypes.util
    try:
        ctypes.CDLL(ctypes.util.find_library("c")).prctl(15, ctypes.c_char_p(name), 0, 0, 0)   # PR_SET_NAME
    except (OSError, AttributeError, TypeError):
        pass
