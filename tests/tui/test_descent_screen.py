"""The descent race screen, driven with Pilot: play, pause and step a race, pick a surface, tune
one optimizer's learning rate and β, see divergence said, and the map draw each path."""
from rich.console import Console
from textual.app import App

from nnterm.teach.surfaces import SURFACES
from nnterm.tui.teaching.descent import PATH_COLOURS, DescentScreen, SurfaceMap


class Host(App):
    """A bare app that opens the race, as the playground does with `d`."""

    def __init__(self, surface="bowl"):
        super().__init__()
        self.surface = surface
        self.closed = False

    def on_mount(self) -> None:
        self.push_screen(DescentScreen(None, self.surface), callback=lambda _: setattr(self, "closed", True))


def text(screen, part: str) -> str:
    console = Console(width=200, record=True, file=open("/dev/null", "w"))
    console.print(screen.query_one(f"#{part}").content)
    return console.export_text()


def map_colours(screen) -> set:
    """Every colour the surface map paints, foreground and background."""
    widget = screen.query_one(SurfaceMap)
    console = Console(width=widget.content_size.width, file=open("/dev/null", "w"))
    out = set()
    for segment in console.render(widget.render()):
        if segment.style is not None:
            for colour in (segment.style.color, segment.style.bgcolor):
                if colour is not None:
                    out.add(colour.get_truecolor().hex)
    return out


async def test_a_race_plays_pauses_steps_and_resets():
    app = Host("bowl")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("space")
        assert screen.playing
        await pilot.pause(0.5)
        await pilot.press("space")
        assert not screen.playing and screen.race.steps > 0
        paused_at = screen.race.steps
        await pilot.pause(0.2)
        assert screen.race.steps == paused_at
        await pilot.press("e")                              # the rest of the bowl's 100-step race at once
        assert screen.race.steps == 100
        table = text(screen, "descent-table")
        assert all(name in table for name in ("gd", "momentum", "nesterov", "rmsprop", "adagrad", "adam"))
        gd_row = next(line for line in table.splitlines() if "gd" in line)
        assert gd_row.split()[-1] == str(screen.race.racer("gd").reached_at) == "25"
        steps = screen.race.steps
        await pilot.press("s")
        assert screen.race.steps == steps + 1
        colours = map_colours(screen)
        assert all("#{:02x}{:02x}{:02x}".format(*rgb) in colours for rgb in PATH_COLOURS.values())
        await pilot.press("r")
        assert screen.race.steps == 0
        await pilot.press("escape")
        await pilot.pause()
        assert app.closed


async def test_surface_picker_and_tuning_one_optimizer():
    app = Host("bowl")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("3")
        assert screen.race.surface.name == "rosenbrock"
        assert "banana" in text(screen, "descent-header")
        await pilot.press("n")
        assert screen.race.surface.name == list(SURFACES)[3]
        await pilot.press("3", "down")                    # momentum
        assert screen.racer.name == "momentum"
        await pilot.press("l", *"0.002", "enter")
        assert screen.racer.lr == 0.002
        await pilot.press("left_square_bracket")
        assert screen.racer.lr == 0.001
        await pilot.press("b", *"0.5", "enter")
        assert screen.racer.beta == 0.5 and "μ 0.5" in text(screen, "descent-table")
        await pilot.press("b", *"1.5", "enter")
        assert screen.racer.beta == 0.5 and "must be at least 0 and below 1" in text(screen, "descent-header")
        await pilot.press("up", "b")
        assert "gd has no β" in text(screen, "descent-header")
        await pilot.press("l", *"0.1", "enter")             # far too high for Rosenbrock
        for _ in range(6):
            await pilot.press("s")
        assert screen.racer.diverged
        assert "diverged" in text(screen, "descent-table") and "too high" in text(screen, "descent-selected")
