"""The descent race screen, driven with Pilot: play, pause and step a race, pick a surface, tune
one optimizer's learning rate and β, see divergence said, and the map draw each path."""
from rich.console import Console
from textual.app import App

from nnterm.runtime.numbers import axis_number, exact
from nnterm.teach.surfaces import SURFACES
from nnterm.tui.teaching.descent import PATH_COLOURS, DescentScreen, SurfaceMap

from .static_content import given


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
    console.print(given(screen.query_one(f"#{part}")))
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
    async with app.run_test(size=(122, 36)) as pilot:        # at 120, gd's whole straight path lies under the others'
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
        missing = [name for name, rgb in PATH_COLOURS.items() if "#{:02x}{:02x}{:02x}".format(*rgb) not in colours]
        assert not missing, missing
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


def pair(v) -> str:
    return f"({exact(v[0], 4)}, {exact(v[1], 4)})"


async def test_each_row_has_its_update_rule_with_the_state_its_kernel_keeps():
    app = Host("rosenbrock")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("s", "s", "s")
        rules = " ".join(text(screen, "descent-rules").split())
        for r in screen.race.racers:                   # every racer, in the table's order
            assert f"● {r.name} {' '.join(r.rule.split())}" in rules
            for name, value in r.state_values():
                assert f"{name} = {pair(value)}" in rules
            assert f"g = {pair(r.gradient)}" in rules
        adam = screen.race.racer("adam")
        m = (adam.state[0, 0], adam.state[0, 1])
        assert f"m = {pair(m)}" in rules and m != (0.0, 0.0)
        assert [rules.index(f"● {r.name} ") for r in screen.race.racers] == \
            sorted(rules.index(f"● {r.name} ") for r in screen.race.racers)


async def test_at_80x24_the_selected_racer_shows_its_rule_and_state():
    app = Host("rosenbrock")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("s", "s", "down")                # momentum
        await pilot.pause()
        selected = " ".join(text(screen, "descent-selected").split())
        momentum = screen.race.racer("momentum")
        assert "b = μ·b + g; Δw = −lr·b" in selected
        assert f"b = {pair(momentum.state_values()[0][1])}" in selected and "t = 2" in selected
        assert text(screen, "descent-rules").strip() == ""


async def test_the_surface_map_has_ticks_on_both_axes():
    app = Host("rosenbrock")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        widget = screen.query_one(SurfaceMap)
        console = Console(width=widget.content_size.width, file=open("/dev/null", "w"), record=True)
        console.print(widget.render())
        lines = console.export_text().splitlines()
        x0, x1, y0, y1 = screen.race.surface.extent
        assert lines[0].lstrip().startswith(axis_number(y1) + "┤")
        assert lines[len(lines) - 2].lstrip().startswith(axis_number(y0) + "┤")
        assert lines[-1].split() == [axis_number(x0), axis_number((x0 + x1) / 2), axis_number(x1)]
