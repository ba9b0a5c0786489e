"""The playground's share line (c), screenshot (e) and loss history (h), at 80×24 and 160×48."""
import csv

import pytest

from nnterm.presets.loader import load_preset
from nnterm.presets.share import share_line
from nnterm.tui.app import NntermApp
from nnterm.tui.dialogs.share_dialog import ShareDialog
from nnterm.tui.playground import saving

from .playground_pilot import settle, status_text

SIZES = [(80, 24), (160, 48)]


@pytest.fixture(autouse=True)
def folders(tmp_path, monkeypatch):
    """The working folder and $NNTERM_HOME are fresh ones, never the user's."""
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("NNTERM_HOME", str(home))
    return work, home


@pytest.mark.parametrize("size", SIZES)
async def test_c_shows_the_line_that_rebuilds_the_setup_and_copies_it(size):
    preset = load_preset("spiral", ["training.learning_rate=0.03"])
    app = NntermApp(preset, seed=0)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ShareDialog)
        line = "nnterm spiral --set training.learning_rate=0.03"
        assert app.screen.line == line == share_line(app.session.preset)
        assert app.clipboard == line                                  # sent over OSC 52 as well
        shown = app.screen.query_one("#share-line")
        assert shown.render().plain == line                          # whole, wrapped if need be
        box = app.screen.query_one("#share").region
        assert box.right <= size[0] and box.bottom <= size[1]         # the dialog fits the terminal
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ShareDialog)
        assert app.playground.status.message == f"share: {line}"


@pytest.mark.parametrize("size", SIZES)
async def test_e_saves_the_screen_in_the_working_folder(size, folders):
    work, _ = folders
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        files = sorted(work.glob("nnterm-xor-*.svg"))
        assert len(files) == 1 and files[0].read_text().lstrip().startswith("<svg")
        assert "saved the screen to" in status_text(app)
        app.deliver_screenshot()                     # Textual's own "Screenshot" command lands here too
        await pilot.pause()
        assert len(list(work.glob("nnterm-xor-*.svg"))) == 2          # a second name, nothing overwritten


async def test_e_falls_back_to_nnterm_home_when_the_folder_is_read_only(folders, monkeypatch):
    work, home = folders
    monkeypatch.setattr(saving, "writable", lambda folder: folder != work)
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert list(work.iterdir()) == []
        files = list((home / "screenshots").glob("nnterm-xor-*.svg"))
        assert len(files) == 1
        assert str(home / "screenshots") in app.playground.status.message


@pytest.mark.parametrize("size", SIZES)
async def test_h_saves_the_loss_history_as_csv(size, folders):
    work, _ = folders
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert "no epochs yet" in app.playground.status.message and list(work.iterdir()) == []
        for _ in range(3):
            await pilot.press("n")
            await settle(pilot)
        await pilot.press("h")
        await pilot.pause()
        files = list(work.glob("nnterm-xor-history-*.csv"))
        assert len(files) == 1
        rows = list(csv.DictReader(files[0].open()))
        assert [int(r["epoch"]) for r in rows] == [1, 2, 3]
        assert list(rows[0])[:3] == ["epoch", "loss", "val_loss"]      # as the status line names them
        assert [float(r["loss"]) for r in rows] == [r.train_loss for r in app.session.trainer.history]
        assert "saved the loss history (3 epochs)" in app.playground.status.message


async def test_the_palette_offers_all_three(folders):
    from nnterm.tui.commands import PresetCommands
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        names = [text for text, _, _ in PresetCommands(app.screen).commands()]
        assert {"Share: the command line that rebuilds this setup", "Save the screen as SVG",
                "Save the loss history as CSV"} <= set(names)


async def test_e_in_a_browser_tab_is_a_download(folders, monkeypatch):
    """Under nnterm serve the app runs on the server: the screenshot goes to the browser instead."""
    work, _ = folders
    delivered = []
    monkeypatch.setattr(NntermApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(NntermApp, "deliver_text", lambda self, text, **kw: delivered.append((text.read(), kw)))
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert list(work.iterdir()) == []                          # nothing written on the server
        (svg, options), = delivered
        assert svg.lstrip().startswith("<svg") and options["save_filename"] == "nnterm-xor.svg"
        assert options["mime_type"] == "image/svg+xml"
        assert "sent to the browser" in app.playground.status.message
