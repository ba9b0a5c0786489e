"""Text a learner found cut at 80×24: the inspector's numbers ("0.40…"), and the footer without
i l g d L; and at 160×48 the footer's last key cut under the palette ("⏎▏^p palette"), without L.
(The overfitting sentence's best epoch: tests/tui/test_generalisation.py.)"""
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


async def test_the_footer_at_160x48_names_L_and_no_key_is_cut_under_the_palette():
    from textual.widgets._footer import FooterKey

    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "L Lessons" in shown and "d Descent race" in shown and "^p palette" in shown
        keys = list(app.screen.query(FooterKey))
        palette = next(key for key in keys if key.has_class("-command-palette"))
        for key in keys:
            if key is not palette:      # each key whole, left of the palette
                assert key.region.right <= palette.region.x, key.description
