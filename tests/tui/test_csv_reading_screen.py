"""A big CSV never leaves a blank screen: the reading screen draws at once, says what it reads and
how far (rows, MB) and that Esc cancels, and Esc stops the reading with nothing loaded. Checked at
80×24 and 160×48."""

import pytest

from nnterm.data import csv_fast, csv_table
from nnterm.engine.trainer import Trainer
from nnterm.presets.loader import preset_from_dict
from nnterm.session import background_read
from nnterm.tui.reading_screen import ReadingApp
from .reading_gate import gated  # noqa: F401  (a fixture)


def pixels_preset(tmp_path, rows=3000):
    path = tmp_path / "pixels.csv"
    path.write_text("label," + ",".join(f"p{i}" for i in range(16)) + "\n"
                    + "".join(f"{i % 3}," + ",".join(str((i * k) % 256) for k in range(16)) + "\n" for i in range(rows)))
    return preset_from_dict({"name": "pixels", "data": {"kind": "csv", "path": str(path), "target": "label"},
                             "network": {"layers": [{"units": 8, "activation": "relu"}, {"units": 3, "activation": "softmax"}]}})


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(csv_table, "FAST_FROM_BYTES", 0)
    monkeypatch.setattr(csv_fast, "CHUNK_BYTES", 2048)
    monkeypatch.setattr(csv_fast, "_watchers", [background_read.watch_of_the_read])


async def until(pilot, done, seconds=60):
    """Lets the app run until done() (a hang guard, not a timing)."""
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("the reading screen did not get there")


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_the_screen_says_what_it_reads_and_how_far_then_hands_over_the_trainer(tmp_path, small_chunks, gated, size):
    preset = pixels_preset(tmp_path)
    gate, shown = gated
    app = ReadingApp(preset)
    async with app.run_test(size=size) as pilot:
        await until(pilot, shown.is_set)
        await pilot.pause(0.1)
        text = str(app.screen.query_one("#reading").render())
        assert f"reading {preset.data.path} — " in text and " rows, 0 / 0 MB" in text and "esc cancels" in text
        region = app.screen.query_one("#reading").region                   # wrapped within the terminal, on screen
        assert region.width > 20 and region.right <= size[0] and 0 < region.y and region.bottom <= size[1]
        gate.set()
        await until(pilot, lambda: app.return_value is not None)
    assert isinstance(app.return_value, Trainer) and app.return_value.data.n_inputs == 16


async def test_esc_stops_the_reading_and_nothing_is_loaded(tmp_path, small_chunks, gated):
    preset = pixels_preset(tmp_path)
    gate, shown = gated
    app = ReadingApp(preset)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, shown.is_set)
        await pilot.press("escape")
        assert "stopping the reading" in str(app.screen.query_one("#reading").render())
        gate.set()
        await until(pilot, lambda: app.return_value is not None)
    assert isinstance(app.return_value, str)
    assert app.return_value.startswith(f"{preset.data.path}: reading stopped after ") and "nothing was loaded" in app.return_value
