"""SVG snapshots of the main screen at the smallest supported size and a large one (fixed seed,
before training, so no timing is on screen). Update with `pytest --snapshot-update` after
checking the new picture by eye."""
import pytest

from nnterm.presets.loader import load_preset
from nnterm.tui.app import NntermApp

from .playground_pilot import settle


@pytest.fixture(autouse=True)
def nnterm_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_main_screen(snap_compare, size):
    app = NntermApp(load_preset("spiral"), seed=0)
    assert snap_compare(app, terminal_size=size, run_before=settle)


def test_too_small_terminal_says_so(snap_compare):
    app = NntermApp(load_preset("xor"), seed=0)
    assert snap_compare(app, terminal_size=(60, 20), run_before=settle)
