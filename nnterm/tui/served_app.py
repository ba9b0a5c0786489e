"""The playground as `nnterm serve`'s engine prepares it for the tabs it forks (docs/design.md,
"Serving a class"): imported once, rehearsed once, and drawn by a web driver that lets the tabs
still opening draw first."""
import os
import threading

from textual.drivers.web_driver import WebDriver

DRAWN_NICE = 10             # a drawn tab's priority (nice), under a tab still drawing (0): weight 110 to 1024
REHEARSAL_SIZE = (80, 24)   # textual-serve's default size: what a page asks before it knows its own
REHEARSAL_SECONDS = 60.0    # a hang guard on the rehearsal: its snapshot and warm-up threads end in well under one


def import_for_serving() -> None:
    import textual.drivers.web_driver  # noqa: F401

    import nnterm.tui.app  # noqa: F401


class ServedDriver(WebDriver):
    """Textual's web driver, which lowers its tab's priority once the tab's first frame is written.

    Thirty tabs opened at once all want the CPU; a tab that has drawn then lays itself out again
    (Textual resizes its screen once more per Resize it queued before the frame) and draws its
    first snapshot — as much work again as its first frame. At a lower priority that work waits
    for the tabs still drawing, so the slowest first frame comes sooner, and nothing is lost: a
    drawn tab trains as fast as before once the others have drawn (with autogroups, nice only
    weighs the class's tabs against each other)."""

    def start_application_mode(self) -> None:
        self.first_frame_pending = True
        super().start_application_mode()

    def write(self, data: str) -> None:
        super().write(data)
        if getattr(self, "first_frame_pending", False) and len(data) >= self._app.size.area:
            self.first_frame_pending = False                # a full update: every cell at least once
            yield_to_tabs_still_drawing()


def yield_to_tabs_still_drawing() -> None:
    """nice DRAWN_NICE for every thread of this tab (Linux keeps a nice per thread; those started
    later inherit it from their starter)."""
    try:
        threads = [int(tid) for tid in os.listdir("/proc/self/task")]
    except OSError:
        threads = [0]
    for tid in threads:
        try:
            os.setpriority(os.PRIO_PROCESS, tid, max(DRAWN_NICE, os.getpriority(os.PRIO_PROCESS, tid)))
        except OSError:                                     # a thread that ended meanwhile
            pass


def rehearse(preset, warm_up) -> bool:
    """The playground run once, headless, to its first snapshot, in the engine before it forks a
    tab: the modules Textual imports on first use, and the caches its first layouts and renders
    fill, are then every forked tab's from the start, instead of work each tab does before its
    first frame. `warm_up` must have every kernel loaded (nothing may compile here). Every
    thread the rehearsal started has ended when it returns True — the engine forks only while it
    is single-threaded."""
    import time

    from nnterm.tui.app import NntermApp
    app = NntermApp(preset, warm_up=warm_up)

    async def until_the_first_snapshot(pilot) -> None:
        deadline = time.monotonic() + REHEARSAL_SECONDS
        while time.monotonic() < deadline and not (app.session.kernels_ready and helpers_ended()):
            await pilot.pause(0.02)
        await pilot.pause()                                 # the snapshot's message, shown
        app.exit()

    try:
        app.run(headless=True, size=REHEARSAL_SIZE, auto_pilot=until_the_first_snapshot)
    finally:
        warm_up.stop(REHEARSAL_SECONDS)
        for thread in threading.enumerate():
            if thread is not threading.current_thread():
                thread.join(REHEARSAL_SECONDS)
    return threading.active_count() == 1


def helpers_ended() -> bool:
    """No thread but the UI's and the warm-up's (which waits for kernels to compile, and is stopped)."""
    return all(thread is threading.main_thread() or thread.name == "nnterm-kernel-warm-up"
               for thread in threading.enumerate())
