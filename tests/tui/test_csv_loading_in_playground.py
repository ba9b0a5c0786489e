"""p on a preset with a big CSV: the playground reads it in a thread behind the reading screen
(what it reads, how far, Esc cancels) instead of freezing, takes the new network when it comes,
and on Esc keeps everything it had — the preset, the trainer, its epochs."""

import pytest

from nnterm.presets.loader import load_preset
from nnterm.tui.app import NntermApp
from nnterm.tui.reading_screen import ReadingScreen

from .playground_pilot import settle, status_text, until
from .reading_gate import gated, pixels_preset_file  # noqa: F401  (fixtures)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_the_csv_is_read_behind_the_reading_screen_and_its_network_taken_up(pixels_preset_file, gated, size):
    gate, shown = gated
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.playground.load_preset(pixels_preset_file)
        await until(pilot, shown.is_set)
        await pilot.pause(0.1)
        assert isinstance(app.screen, ReadingScreen)
        text = str(app.screen.query_one("#reading").render())
        assert "pixels.csv — " in text and " rows, " in text and "esc cancels" in text
        assert app.session.preset.name == "xor"                 # nothing taken until it is read
        gate.set()
        await until(pilot, lambda: app.session.preset.name == "pixels")
        await settle(pilot)
        assert app.screen is app.playground and app.session.trainer.data.n_inputs == 16
        assert "loaded preset pixels" in status_text(app)


async def test_esc_stops_the_reading_and_the_playground_keeps_what_it_had(pixels_preset_file, gated):
    gate, shown = gated
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        trainer = app.session.trainer
        app.playground.load_preset(pixels_preset_file)
        await until(pilot, shown.is_set)
        await pilot.press("escape")
        gate.set()
        await until(pilot, lambda: app.screen is app.playground)
        await settle(pilot)
        assert app.session.trainer is trainer and trainer.epoch == 1 and app.session.preset.name == "xor"
        text = status_text(app)
        assert "reading stopped" in text and "the playground is as it was" in text
