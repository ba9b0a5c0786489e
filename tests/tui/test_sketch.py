"""A network that is not drawn on a plane (a CSV's pixels, the digits) is on the screen before its
kernels are loaded: its weights from a sketch snapshot, the predictions view saying they come with
the kernels; the full snapshot follows once they are loaded."""
import html
import re

import pytest

from nnterm.presets.loader import load_preset
from nnterm.tui.app import NntermApp
from nnterm.warmup.kernel_warm_up import KernelWarmUp

from .playground_pilot import until


@pytest.fixture
def nnterm_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path / "home"))
    return tmp_path


def screen_text(app) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", app.export_screenshot())).replace("\xa0", " "))


async def test_the_network_is_drawn_before_its_kernels_are_loaded(nnterm_home):
    preset = load_preset("digits")
    warm_up = KernelWarmUp(preset, helper=False)              # never started: its kernels never load
    app = NntermApp(preset, seed=0, warm_up=warm_up)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: getattr(app.playground, "latest_snapshot", None) is not None)
        await pilot.pause(0.2)
        shown = app.playground.latest_snapshot
        assert shown.sketch and shown.confusion is None and shown.sizes == (64, *shown.sizes[1:])
        assert "the predictions come once the kernels are loaded…" in screen_text(app)
        assert not app.survived_errors
        warm_up.finish("playground", "")                        # as the warm-up says it is done
        await until(pilot, lambda: app.playground.latest_snapshot.confusion is not None)
        assert not app.playground.latest_snapshot.sketch and not app.survived_errors
