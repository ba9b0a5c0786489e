"""The price game screen, driven with Pilot: type guesses and hear "too high" / "too low", change
the learning rate and read what it does, watch divergence said in words, the feature round."""
from rich.console import Console
from rich.text import Text
from textual import events
from textual.app import App

from nnterm.tui.teaching.price import FeatureRoundScreen, PriceScreen, StepChart

from .static_content import given


class Host(App):
    """A bare app that opens the game, as the playground does with `g`."""

    def __init__(self):
        super().__init__()
        self.closed = False

    def on_mount(self) -> None:
        self.push_screen(PriceScreen(None), callback=lambda _: setattr(self, "closed", True))


def text(screen, part: str) -> str:
    console = Console(width=200, record=True, file=open("/dev/null", "w"))
    console.print(given(screen.query_one(f"#{part}")))
    return console.export_text()


async def type_number(pilot, number: str, *, key: str | None = None) -> None:
    await pilot.press(*([key] if key else []), *number, "enter")
    await pilot.pause()


async def test_typing_guesses_plays_a_round():
    app = Host()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert "hidden" in text(screen, "price-header")
        await type_number(pilot, "1500")
        assert [s.guess for s in screen.game.you.steps] == [1500]
        assert "1500 — too low." in text(screen, "price-header")
        # the host and gradient descent took their turn too: both start at 1000, "too low"
        assert "1000" in text(screen, "price-host") and "too low" in text(screen, "price-host")
        assert len(screen.game.gd.steps) == 1
        await type_number(pilot, "1800")
        assert "1800 — too high." in text(screen, "price-header")
        await type_number(pilot, "1688")
        header = text(screen, "price-header")
        assert "right! You found it in 3 guesses" in header and "1688" in header.split("\n")[0]
        you = text(screen, "price-you")
        assert "too low" in you and "too high" in you and "right" in you and "found it" in you
        chart = screen.query_one("#price-guess-chart", StepChart)
        assert [label for label, *_ in chart.series] == ["host", "gradient descent", "you", "price"]
        assert "1" in chart.render().plain                 # plotext drew axes with step numbers
        await pilot.press("escape")
        await pilot.pause()
        assert app.closed


async def test_learning_rate_changes_live_and_the_screen_says_what_it_does():
    app = Host()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert "lr 0.1 crawls towards the price" in text(screen, "price-header")
        for _ in range(4):
            await pilot.press("s")
        assert len(screen.game.gd.steps) == 4
        await type_number(pilot, "0.5", key="l")
        assert screen.game.lr == 0.5
        assert "lands in one step" in text(screen, "price-header")
        assert len(screen.game.gd.steps) == 2 and screen.game.gd.done     # replayed: landed on guess 2
        await pilot.press("left_square_bracket")
        assert screen.game.lr == 0.25 and "closes in quickly" in text(screen, "price-header")
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert screen.game.lr == 0.0625 and "crawls" in text(screen, "price-header")
        await type_number(pilot, "0.8", key="l")
        assert "oscillates around the price" in text(screen, "price-header")
        await pilot.press("right_square_bracket")
        assert screen.game.lr == 1.6 and "diverges" in text(screen, "price-header")
        for _ in range(12):
            await pilot.press("s")
        await pilot.pause()
        assert screen.game.gd.diverged
        gd = text(screen, "price-gd")
        assert "diverged" in gd and "inf" not in gd.lower() and "nan" not in gd.lower()
        await type_number(pilot, "x", key="l")
        assert '"x" is not a number' in text(screen, "price-header")
        await type_number(pilot, "-1", key="l")
        assert "must be a finite number > 0" in text(screen, "price-header") and screen.game.lr == 1.6


async def test_play_and_a_typed_hidden_price():
    app = Host()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        screen = app.screen
        await type_number(pilot, "1200", key="t")
        assert screen.game.price == 1200 and "hidden" in text(screen, "price-header")
        await type_number(pilot, "0.5", key="l")
        await pilot.press("p")
        for _ in range(40):
            await pilot.pause(0.1)
            if not screen.playing:
                break
        assert not screen.playing and screen.game.host.done and screen.game.gd.done
        assert "lands on 1200" in text(screen, "price-gd")
        await pilot.press("v")
        assert "1200" in text(screen, "price-header").split("\n")[0]


async def test_feature_round_shows_each_weight_descending():
    app = Host()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        rounds = app.screen
        assert isinstance(rounds, FeatureRoundScreen)
        for _ in range(5):
            await pilot.press("s")
        losses = [s.loss for s in rounds.round.steps]
        assert len(losses) == 5 and all(b < a for a, b in zip(losses, losses[1:]))
        weights = text(rounds, "features-weights")
        assert all(f"w {name}" in weights for name in ("power", "mass", "brand"))
        chart = rounds.query_one("#features-weight-chart", StepChart)
        assert [label for label, *_ in chart.series] == ["w power", "w mass", "w brand", "b"]
        assert "the show's vacuum" in text(rounds, "features-examples")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PriceScreen)


async def test_g_and_d_open_from_the_playground_and_escape_returns():
    from nnterm.presets.loader import load_preset
    from nnterm.tui.app import NntermApp
    from nnterm.tui.teaching.descent import DescentScreen
    app = NntermApp(load_preset("xor"), seed=1)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        home = type(app.screen)
        for key, screen_class in (("g", PriceScreen), ("d", DescentScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen_class)
            await pilot.press("escape")
            await pilot.pause()
            assert type(app.screen) is home


async def test_a_guess_typed_in_one_burst_or_pasted_is_read_whole():
    """A terminal delivers "1500⏎" typed fast (or pasted) as keys queued at once, before the
    editor the first digit opens has taken the focus: every digit must still reach it."""
    app = Host()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        screen = app.screen
        for key in (*"1500", "enter"):                 # all queued before any is handled, as a burst is
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        assert [s.guess for s in screen.game.you.steps] == [1500]
        app.post_message(events.Paste("1800"))
        await pilot.pause()
        await pilot.press("enter")
        assert [s.guess for s in screen.game.you.steps] == [1500, 1800]
        assert "1800 — too high." in text(screen, "price-header")


def test_the_step_axis_labels_whole_steps_only():
    """Three guesses: plotext alone would label steps 1.33 and 2.67, which never happen."""
    import re
    chart = StepChart("guess")
    chart.series = [("you", [1, 2, 3], [1000.0, 1500.0, 1700.0], (80, 190, 110))]
    axis = Text.from_ansi(chart.plot(60, 10, chart.series)).plain.splitlines()[-1]
    assert axis.split() == ["1", "2", "3"] and not re.search(r"\d\.\d", axis)


async def test_negative_numbers_carry_the_same_minus_as_the_text_around_them():
    import re
    app = Host()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("s")                            # gradient descent guesses below the price: 2(g − p) < 0
        gd = text(screen, "price-gd")
        assert screen.game.gd.steps[0].gradient < 0 and "2(g − p)" in gd
        assert re.search(r"−\d", gd) and not re.search(r"-\d", gd)


async def test_at_80x24_the_tables_show_the_newest_guesses_in_the_charts_place():
    """The smallest terminal shows the game — each player's guesses and the host's answers — and
    leaves the charts for taller screens; each table keeps its newest guesses that fit."""
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        for _ in range(9):
            await pilot.press("s")
        await pilot.pause()
        assert screen.has_class("short") and not screen.query_one("#price-charts").display
        host, gd = text(screen, "price-host"), text(screen, "price-gd")
        assert "1687.5" in host and "right" in host and "low" in host       # all six bisection guesses
        newest = screen.game.gd.steps[-1]
        assert f"{newest.step} " in gd and "2(g − p)" in gd
    tall = Host()
    async with tall.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert not tall.screen.has_class("short") and tall.screen.query_one("#price-charts").display


async def test_at_80x24_the_hosts_verdict_keeps_its_last_words_in_6_guesses():
    """Each panel holds what it is given at its own width: the newest guesses give way, never the
    end of the verdict under them."""
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.game.price = 1688                       # the lesson's price: the host lands in 6
        for _ in range(12):
            await pilot.press("s")
        await pilot.pause()
        for name in ("host", "gd"):
            panel = screen.query_one(f"#price-{name}")
            console = Console(width=panel.content_size.width, record=True, file=open("/dev/null", "w"))
            console.print(given(panel))
            lines = console.export_text().rstrip("\n").split("\n")
            assert len(lines) <= panel.content_size.height, (name, lines)
        host = text(screen, "price-host")
        assert "in 6 guesses" in " ".join(host.split())
