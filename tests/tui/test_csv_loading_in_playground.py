"""p on a preset with a big CSV: the playground reads it in a thread behind the reading screen
(what it reads, how far, Esc cancels) instead of freezing, takes the new network when it comes,
and on Esc keeps everything it had — the preset, the trainer, its epochs."""

import pytest

from nnterm.commands import reading_progress
from nnterm.data import csv_fast, csv_table
from nnterm.presets.loader import load_preset
from nnterm.tui import reading_screen
from nnterm.tui.app import NntermApp
from nnterm.tui.reading_screen import ReadingScreen

from .playground_pilot import settle, status_text, until
from .reading_gate import gated  # noqa: F401  (a fixture)


@pytest.fixture
def pixels_preset_file(tmp_path, monkeypatch):
    """A 16-pixel, 3-class CSV read in small chunks, counted as big; its preset as a TOML file."""
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    monkeypatch.setattr(reading_progress, "PROGRESS_FROM_BYTES", 0)
    monkeypatch.setattr(csv_table, "FAST_FROM_BYTES", 0)
    monkeypatch.setattr(csv_fast, "CHUNK_BYTES", 2048)
    monkeypatch.setattr(csv_fast, "_watchers", [reading_screen.watch_of_the_screen])
    data = tmp_path / "pixels.csv"
    data.write_text("label," + ",".join(f"p{i}" for i in range(16)) + "\n"
                    + "".join(f"{i % 3}," + ",".join(str((i * k) % 256) for k in range(16)) + "\n" for i in range(3000)))
    preset = tmp_path / "pixels.toml"
    preset.write_text(f'name = "pixels"\n[data]\nkind = "csv"\npath = "{data}"\ntarget = "label"\n'
                      '[network]\nlayers = [{units = 8, activation = "relu"}, {units = 3, activation = "softmax"}]\n')
    return str(preset)


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
