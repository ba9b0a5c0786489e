"""Helpers for driving the playground in tests: wait for its threads, click like a person."""
import time

from textual.worker import WorkerState

from nnterm.tui.playground.status_line import StatusLine


HANG_GUARD = 600.0          # seconds: a wait for the app gives up only on a hang, never on a slow, loaded machine


async def until(pilot, condition, seconds: float = HANG_GUARD) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for the app: {list(pilot.app.workers)}"
        await pilot.pause(0.02)


async def settle(pilot, rounds: int = 3) -> None:
    """Lets every thread finish and every message it posted be handled."""
    for _ in range(rounds):
        await until(pilot, lambda: not any(w.state in (WorkerState.PENDING, WorkerState.RUNNING)
                                           for w in pilot.app.workers))
        await pilot.pause()


async def click(pilot, selector: str) -> None:
    """A button ignores a second press within its 0.2 s pressed look: click as a person would."""
    await pilot.pause(0.25)
    await pilot.click(selector)


def status_text(app) -> str:
    return app.screen.query_one(StatusLine).render().plain


async def press_now(pilot, key: str) -> None:
    """A key press without Pilot's wait for an idle CPU, which never comes while a training
    thread runs (Pilot would wait two full seconds per key)."""
    pilot.app.simulate_key(key)
    await pilot.pause()
