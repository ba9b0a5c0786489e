"""No teaching screen waits for a compiler: with the app's own kernel warm-up, pressed at once,
each key opens its screen itself — never the "compiling…" screen — because the teaching
engines run on the kernels' Python twins until their kernels are compiled
(nnterm/warmup/kernel_warm_up.py, TWIN_GROUPS; tests/test_python_twins.py for the numbers)."""
import importlib

import pytest

from nnterm.presets.loader import load_preset
from nnterm.tui.app import NntermApp
from nnterm.tui.teaching import SCREENS
from nnterm.tui.teaching.compiling import CompilingScreen
from nnterm.warmup.kernel_warm_up import KernelWarmUp

from .playground_pilot import press_now, settle, until


@pytest.fixture
def nnterm_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path / "home"))
    return tmp_path


@pytest.mark.parametrize("key", sorted(SCREENS))
async def test_each_teaching_screen_opens_at_once(nnterm_home, key):
    preset = load_preset("xor")
    warm_up = KernelWarmUp(preset, helper=False).start()   # as `nnterm tui` starts it
    module, _, name = SCREENS[key][1].partition(":")
    screen_class = getattr(importlib.import_module(module), name)
    app = NntermApp(preset, seed=0, warm_up=warm_up)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_now(pilot, key)
        assert not isinstance(app.screen, CompilingScreen)
        await until(pilot, lambda: isinstance(app.screen, screen_class))
        await settle(pilot)
        assert app.screen.query("*")                          # it has drawn its content
    warm_up.stop(0)
