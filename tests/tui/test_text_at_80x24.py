"""Text a learner found cut at 80×24: the inspector's numbers ("0.40…"), and the footer without
i l g d L. (The overfitting sentence's best epoch: tests/tui/test_generalisation.py.)"""
import html
import re

import pytest

from nnterm.presets.loader import load_preset
from nnterm.runtime.numbers import num
from nnterm.tui.app import NntermApp

from .playground_pilot import settle, until


@pytest.fixture(autouse=True)
def nnterm_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)


def screen_text(app) -> str:
    """What the terminal shows, as text (the SVG screenshot without its markup)."""
    return html.unescape(re.sub(r"<[^>]+>", "", app.export_screenshot())).replace("\xa0", " ")


async def test_inspector_numbers_are_whole_at_80x24_not_cut_like_0_40():
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await until(pilot, lambda: type(app.screen).__name__ == "InspectorScreen")
        await settle(pilot)
        await until(pilot, lambda: app.screen.trace is not None)
        await pilot.pause()
        trace = app.screen.trace.layers[0]
        shown = screen_text(app)
        assert app.screen.has_class("narrow") and not re.search(r"\d…", shown)        # no number cut short
        assert num(float(trace.z[0, 0])) in shown and num(float(trace.a[0, 0])) in shown


async def test_the_footer_at_80x24_names_i_l_g_d_and_L():
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app)
        assert "i l g d L screens" in footer and "q Quit" in footer
