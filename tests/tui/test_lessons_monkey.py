"""Fast keys never end `nnterm learn` (nnterm/tui/guard.py): a seeded monkey over the track, the
lesson screen, the teaching screens a step opens, the explain picker and the playground — letter
keys, digits, escape storms at key-repeat speed, "3 escape L escape" over and over, and resizes
down to 1×1 and back — and the app is still running with the learner's network, on a screen that
answers. Several seeds; about 30 s in the suite, longer with NNTERM_LONG_MONKEY=1.

A key meant for a screen that is no longer on top is dropped, never acted on by the screen
under it: the monkey fails on any exception the guard had to catch, too."""
import asyncio
import os
import random

import pytest
from textual.events import Resize
from textual.geometry import Size

from nnterm.presets.loader import load_preset
from nnterm.tui.app import NntermApp
from nnterm.tui.lessons.track_screen import TrackScreen

from .playground_pilot import settle, until

LONG = os.environ.get("NNTERM_LONG_MONKEY") == "1"
SEEDS = ["lessons-1", "lessons-2", "lessons-3"] + (["lessons-4", "lessons-5", "lessons-6", "lessons-7"] if LONG else [])
PRESSES = 6000 if LONG else 300
KEYS = (["escape"] * 8 + list("ocmhsnb") * 2 + ["X", "question_mark", "L", "enter", "space", "tab", "up", "down",
                                                  "left", "right", "pageup", "pagedown"]
        + list("0123456789aeikptvwxyz") + ["minus", "full_stop", "backspace"])
# "3 escape L escape" at key-repeat speed: open a lesson, leave it, come back, leave again.
STORMS = [["3", "escape", "L", "escape"], ["escape"] * 12, ["o", "escape", "o", "escape", "X", "escape", "escape"],
          ["1", "o", "escape", "escape", "L", "L", "escape"]]
SIZES = [(1, 1), (2, 1), (5, 3), (20, 5), (40, 12), (80, 24), (160, 48), (12, 40)]


@pytest.fixture(autouse=True)
def nnterm_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def report(app) -> str:
    import traceback
    return "\n".join("".join(traceback.format_exception(e)) for e in app.survived_errors[:3])


@pytest.mark.parametrize("seed", SEEDS)
async def test_fast_keys_and_tiny_terminals_never_end_nnterm_learn(seed, monkeypatch):
    rng = random.Random(seed)
    app = NntermApp(load_preset("xor"), seed=0, learn="")
    quits = []
    monkeypatch.setattr(app, "action_quit", lambda: quits.append(1))    # the palette's "Quit" is a way out, not a crash
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TrackScreen))
        network = app.session.trainer.network
        press = 0
        while press < PRESSES:
            if press % 40 == 0:
                size = Size(*rng.choice(SIZES))
                app._driver._size = size              # what Pilot.resize_terminal does, without its wait for idle
                app.post_message(Resize(size, size))
            keys = rng.choice(STORMS) if rng.random() < 0.08 else [rng.choice(KEYS)]
            for key in keys:
                app.simulate_key(key)
                press += 1
            await asyncio.sleep(0.001 if rng.random() < 0.7 else 0.015)    # key-repeat speed, sometimes a beat
            if press % 50 < len(keys):
                await pilot._wait_for_screen()
            assert not app.survived_errors, f"seed {seed}, after {press} keys:\n{report(app)}"
            assert app.is_running and app.return_code is None, f"seed {seed}: the app ended after {press} keys"
            assert app.screen_stack, f"seed {seed}: no screen left after {press} keys"
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert app.session.trainer.network is network or app.session.trainer is not None
        for _ in range(12):                                  # escapes lead back to the playground, which answers
            if app.screen is app.playground:
                break
            await pilot.press("escape")
            await settle(pilot)
        assert app.screen is app.playground, f"seed {seed}: escape does not lead back (on {app.screen!r})"
        assert not app.survived_errors, report(app)
