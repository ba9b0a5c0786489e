"""The TUI survives anything (nnterm/tui/guard.py): a seeded monkey presses thousands of keys and
resizes the terminal down to 20×5 and back, across the playground, every extra screen (i, l, g,
d), the metrics panel (v), the dialogs (p, s, m, ?, w, W), explain (X) and the command palette.
It fails on any exception — one the guard caught too (the guard keeps a user's session alive;
the suite must still hear of the bug)."""
import asyncio
import random

import numpy as np
import pytest
from textual.events import Resize
from textual.geometry import Size

from nnterm.presets.loader import load_preset
from nnterm.tui.app import NntermApp
from nnterm.tui.playground.screen import PlaygroundScreen

from .playground_pilot import settle, status_text, until

KEYS = (["n", "r", "p", "s", "m", "y", "b", "i", "l", "g", "d", "v", "w", "W", "f", "k", "question_mark", "ctrl+p", "X",
         "space"] * 2
        + ["escape"] * 6 + ["enter", "tab", "shift+tab", "up", "down", "left", "right", "pageup", "pagedown",
                            "home", "end", "backspace", "delete", "minus", "full_stop", "plus"]
        + list("0123456789aehjkotuvwxz"))
SIZES = [(20, 5), (21, 6), (30, 8), (40, 12), (80, 24), (100, 30), (60, 5), (20, 40)]
PRESSES = 2000
BURST = 3                  # keys sent before the app is given a turn: a fast typist, and a faster test


@pytest.fixture(autouse=True)
def nnterm_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)             # e and h write a screenshot and the loss history here
    return tmp_path


def report(app) -> str:
    import traceback
    return "\n".join("".join(traceback.format_exception(e)) for e in app.survived_errors[:3])


@pytest.mark.slow                   # thousands of keys: minutes on two cores
async def test_a_monkey_cannot_end_the_session(monkeypatch):
    rng = random.Random("monkey")
    app = NntermApp(load_preset("xor", ["training.epochs=5"]), seed=0)
    quits = []
    monkeypatch.setattr(app, "action_quit", lambda: quits.append(1))   # the palette's "Quit" is a way out, not a crash
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for press in range(PRESSES):
            if press % 50 == 0:
                size = rng.choice(SIZES)
                app._driver._size = Size(*size)     # what Pilot.resize_terminal does, without its wait for idle
                app.post_message(Resize(Size(*size), Size(*size)))
            key = rng.choice(KEYS)
            if key == "escape" and len(app.screen_stack) == 1:
                key = rng.choice(["n", "y", "i"])
            app.simulate_key(key)
            if press % BURST:
                continue
            # The app gets a turn; every 30 keys it catches up on everything queued (Pilot.pause()
            # would wait for an idle CPU as well, which a training thread never gives).
            await asyncio.sleep(0.002)
            if press % 30 == 0:
                await pilot._wait_for_screen()
            assert not app.survived_errors, f"after {press} keys ({key}):\n{report(app)}"
            assert app.is_running and app.return_code is None, f"the app ended after {press} keys (the last: {key})"
        for _ in range(10):                               # back to the playground: it still works
            if isinstance(app.screen, PlaygroundScreen):
                break
            app.simulate_key("escape")
            await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert not app.survived_errors, report(app)


async def test_an_exception_in_a_handler_is_said_and_the_network_kept(monkeypatch):
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        before = app.session.trainer.network.params.copy()

        def broken(*_args):
            raise KeyError(0)

        monkeypatch.setattr(PlaygroundScreen, "action_summary", broken)
        await pilot.press("m")
        await pilot.pause()
        assert app.is_running and len(app.survived_errors) == 1
        assert "something went wrong inside the app (KeyError: 0)" in status_text(app)
        assert "network and settings are kept" in status_text(app)
        assert np.array_equal(app.session.trainer.network.params, before)
        epoch = app.session.trainer.epoch
        await pilot.press("n")                                # the screen still answers keys
        await until(pilot, lambda: app.session.trainer.epoch == epoch + 1)
        app.survived_errors.clear()
