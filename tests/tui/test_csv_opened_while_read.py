"""`nnterm tui` on a big CSV opens the playground at once, its network drawn from the preset
(the seed and the layer sizes alone draw the weights), the file read behind a box over it that
says what it reads, how far, and that Esc cancels; the read trainer then takes over with the
very weights shown. Esc ends the app with its sentence and exit status 2, nothing loaded.
Checked at 80×24 and 160×48."""

import numpy as np
import pytest

from nnterm.commands.early_warm_up import read_while_warming_up
from nnterm.presets.loader import load_preset
from nnterm.tui.app import NntermApp
from nnterm.tui.playground.about_panel import AboutPanel
from nnterm.tui.reading_screen import ReadingScreen

from .playground_pilot import settle, status_text, until
from .reading_gate import gated, pixels_preset_file  # noqa: F401  (fixtures)


def opened_as_nnterm_tui_opens_it(preset_file):
    preset = load_preset(preset_file)
    trainer, warm_up, reading = read_while_warming_up(preset)     # as nnterm/commands/tui.py
    assert reading is not None and not reading.finished.is_set() and len(trainer.data.x_train) < 16
    return NntermApp(preset, warm_up=warm_up, trainer=trainer, reading=reading), reading


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_the_network_is_drawn_while_the_file_is_read_then_takes_its_rows(pixels_preset_file, gated, size):
    gate, shown = gated
    app, reading = opened_as_nnterm_tui_opens_it(pixels_preset_file)
    async with app.run_test(size=size) as pilot:
        await until(pilot, shown.is_set)
        await until(pilot, lambda: app.playground.latest_snapshot is not None)
        await pilot.pause(0.1)
        assert isinstance(app.screen, ReadingScreen)                # the box, over the playground
        text = str(app.screen.query_one("#reading").render())
        assert "pixels.csv — " in text and " rows, " in text and "esc cancels" in text
        box = app.screen.query_one("#reading").region
        assert box.right <= size[0] and box.bottom <= size[1]
        assert app.playground.latest_snapshot.sizes == (16, 8, 3)
        assert "reading " in str(app.playground.query_one(AboutPanel).render())   # no stand-in row counts
        assert app.held_for_the_read is None
        shown_weights = app.session.trainer.network.params.copy()
        await pilot.press("space", "n")                              # the box holds the keys: nothing trains
        assert app.session.trainer.epoch == 0 and not app.session.training
        gate.set()
        await until(pilot, lambda: app.session.reading is None)
        await settle(pilot)
        assert reading.finished.is_set() and app.screen is app.playground
        assert len(app.session.trainer.data.x_train) + len(app.session.trainer.data.x_val) == 3000
        assert np.array_equal(app.session.trainer.network.params, shown_weights)   # the network shown is the one trained
        assert "read " in status_text(app) and "3,000 rows" in status_text(app)
        assert "2100 train · 900 validation" in str(app.playground.query_one(AboutPanel).render())
        await pilot.press("n")                                       # now the keys are the playground's
        await until(pilot, lambda: app.session.trainer.epoch == 1)


async def test_esc_ends_the_app_with_the_sentence_and_nothing_loaded(pixels_preset_file, gated):
    gate, shown = gated
    app, reading = opened_as_nnterm_tui_opens_it(pixels_preset_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")                  # before the box is up: held, then the box's
        await until(pilot, lambda: isinstance(app.screen, ReadingScreen))
        gate.set()
        await until(pilot, lambda: app.reading_stopped is not None)
    assert app.return_code == 2
    assert "pixels.csv: reading stopped after " in app.reading_stopped and "nothing was loaded" in app.reading_stopped
