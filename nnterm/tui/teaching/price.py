"""The price game (key `g`): a host hides the price of a vacuum cleaner; the host's bisection,
gradient descent on L = (guess − price)² and you race to it, side by side.

Every number comes from nnterm.teach.price (the engine's kernels); this screen shows them and
sends your guesses and the learning rate. `f` opens the feature round, where a linear neuron
learns price = w·x + b from a few vacuum cleaners.

Keys: type digits to guess (enter submits) · s all machines take a guess · p play / pause ·
[ / ] learning rate ÷2 / ×2 · l type a learning rate · v reveal the price · n new random price ·
r restart the round · f feature round · escape back.
"""
import plotext
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Static

from nnterm.runtime.language import N_, _, ngettext
from nnterm.runtime.numbers import exact
from nnterm.teach.price import (FEATURE_NAMES, FEATURE_UNITS, FeatureRound, PriceRound, RIGHT,
                                learning_rate_story, random_price)
from nnterm.tui.teaching.base import RATE_BINDINGS, TeachingScreen
from nnterm.tui.widgets.palette import BLUE, GREEN, ORANGE, hex_colour
from nnterm.tui.widgets.series import POINTS_PER_COLUMN, draw_series, whole_ticks
from nnterm.tui.widgets.wrapped_text import WrappedText

HOST_COLOUR = BLUE               # TensorFlow Playground's blue
GD_COLOUR = ORANGE               # and its orange
YOU_COLOUR = GREEN
PRICE_COLOUR = (150, 150, 150)
WEIGHT_COLOURS = (HOST_COLOUR, GD_COLOUR, YOU_COLOUR, (190, 110, 200))
TURN_SECONDS = 0.25               # one turn of the machines per tick while playing
FEATURE_STEPS_PER_TICK = 5
SHORT = 32                        # screens lower than this show the tables without the charts
NARROW = 34                       # a table this narrow says "low" / "high" for "too low" / "too high" (gd: no column)
TABLE_ROWS = 12                   # the newest guesses each player's table shows

# The host's answers (nnterm/teach/price.py's verdicts, and their short forms in a narrow panel),
# as words to show.
VERDICT_WORDS = (N_("right"), N_("too high"), N_("too low"), N_("high"), N_("low"))


class StepChart(Widget):
    """Series against step, drawn by plotext into this widget (text → rich Text.from_ansi)."""

    DEFAULT_CSS = "StepChart { border: round $primary 50%; }"

    def __init__(self, title: str, log_scale: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.title = title
        self.log_scale = log_scale
        self.series: list[tuple[str, list, list, tuple]] = []   # (label, steps, values, rgb)

    def show(self, series) -> None:
        self.series = list(series)
        self.border_title = self.title + "  " + "  ".join(
            f"[{hex_colour(rgb)}]━[/] {label}" for label, xs, _, rgb in self.series if len(xs))
        self.refresh()

    def render(self) -> Text:
        width, height = self.content_size
        drawable = [s for s in self.series if len(s[1])]
        if not drawable:
            return Text(_("the guesses appear here, step by step"), style="dim", justify="center")
        if width < 16 or height < 5:
            return Text("")
        return Text.from_ansi(self.plot(width, height, drawable), no_wrap=True)

    def plot(self, width: int, height: int, drawable) -> str:
        fig = plotext.figure
        fig.clear()
        fig.plot_size(width, height)
        fig.theme("simple")
        fig.legend(False)
        most = max(2, POINTS_PER_COLUMN * width)
        for _, steps, values, rgb in drawable:
            draw_series(fig, steps, values, rgb, self.log_scale, most)
        if self.log_scale:
            fig.ruler(axis="y").scale("log")
        first = int(min(min(xs) for _, xs, _, _ in drawable))
        last = int(max(max(xs) for _, xs, _, _ in drawable))
        ticks = whole_ticks(first, last, max(2, width // 10))       # plotext alone labels steps 1.33, 1.67
        fig.ruler(axis="x").ticks(ticks, [str(t) for t in ticks])
        return fig.build().string()


class PriceScreen(TeachingScreen):
    """The price game. It plays its own round: the playground's network is not changed."""

    PREFIX = "price"
    KEYS = N_("type digits to guess · s machines guess · p play/pause · [ ] lr ÷2 ×2 · l type lr · v reveal · "
            "t type a hidden price · n random price · r restart · f feature round · esc back")
    PLAY_SECONDS = TURN_SECONDS
    NUMBER_EXAMPLE = "1500"
    TERMS = ("loss", "mse", "gradient", "learning rate", "step", "gd")
    THOUSANDS = True

    BINDINGS = [
        Binding("s", "step", "machines guess"),
        Binding("p", "play", "play / pause"),
        *RATE_BINDINGS,
        Binding("l", "edit('lr')", "type lr"),
        Binding("t", "edit('price')", "type a hidden price"),
        Binding("v", "reveal", "reveal price"),
        Binding("n", "new_price", "random price"),
        Binding("r", "restart", "restart"),
        Binding("f", "features", "feature round"),
    ]

    DEFAULT_CSS = """
    PriceScreen #price-players { height: 1fr; }
    PriceScreen .price-player { width: 5fr; height: 100%; padding: 0 1; border: round $primary 50%; }
    PriceScreen #price-gd { width: 8fr; }
    PriceScreen #price-charts { height: 1fr; min-height: 10; }
    PriceScreen.short #price-charts { display: none; }
    PriceScreen StepChart { width: 1fr; }
    """

    def __init__(self, session=None, price: float | None = None, start: float | None = None, lr: float | None = None):
        super().__init__(session)          # the playground's session; the game never trains it
        kwargs = {k: v for k, v in (("price", price), ("start", start), ("lr", lr)) if v is not None}
        self.game = PriceRound(**kwargs)
        self.revealed = False
        self.message = _("Type a guess and press enter; the host answers, then the host and gradient descent guess too.")

    def body(self):
        with Horizontal(id="price-players"):
            for name in ("host", "gd", "you"):
                yield WrappedText(id=f"price-{name}", classes="price-player")
        with Horizontal(id="price-charts"):
            yield StepChart(_("guess"), id="price-guess-chart")
            yield StepChart(_("loss (g − p)², log"), log_scale=True, id="price-loss-chart")

    # --- typing numbers ------------------------------------------------------------------------
    def on_key(self, event) -> None:
        """A digit (or a minus sign) starts typing a guess, so playing is just typing numbers."""
        if not self.editor.is_open and event.character and event.character in "0123456789-.":
            event.stop()
            event.prevent_default()        # this key is typed already: not again by the frame's on_key
            self.open_editor("guess", event.character)

    def on_paste(self, event) -> None:
        """A pasted number starts a guess too (a paste reaches the screen while no editor is open)."""
        if not self.editor.is_open and event.text.strip()[:1] in tuple("0123456789-.−"):
            event.stop()
            self.open_editor("guess", event.text.strip())

    def open_editor(self, what: str, text: str = "") -> None:
        self.editor.open(what, {
            "guess": _("your guess, then enter (escape to cancel)"),
            "lr": _("learning rate (now {rate}), then enter — 0.5 lands in one step").format(rate=exact(self.game.lr)),
            "price": _("a new hidden price, then enter (it stays hidden)"),
        }[what], text, password=what == "price")

    def typed(self, what: str, value: float) -> None:
        if what == "guess":
            self.play_turn(value)
        elif what == "lr":
            self.set_learning_rate(value)
        elif what == "price":
            self.new_round(value, _("A new hidden price is set; start guessing."))

    # --- the game --------------------------------------------------------------------------------
    def play_turn(self, value: float) -> None:
        mine = self.game.play_turn(value)[0]
        if mine.verdict == RIGHT:
            self.revealed = True
            self.message = ngettext("{guess} — right! You found it in {count} guess (the host's bisection needed {host}).",
                                    "{guess} — right! You found it in {count} guesses (the host's bisection needed {host}).",
                                    mine.step).format(guess=exact(value), count=mine.step,
                                                      host=self.machine_steps(self.game.host))
        else:
            self.message = _("{guess} — {verdict}.").format(guess=exact(value), verdict=_(mine.verdict))

    @staticmethod
    def machine_steps(player) -> str:
        return _("{count} so far").format(count=len(player.steps)) if not player.done else str(len(player.steps))

    def set_learning_rate(self, lr: float) -> None:
        self.game.set_learning_rate(lr)
        self.message = _("learning rate {rate}: gradient descent replays its guesses from the start.").format(rate=exact(self.game.lr))

    def new_round(self, price: float, message: str) -> None:
        self.game = PriceRound(price, self.game.start, self.game.lr)
        self.revealed = False
        self.message = message

    def tick(self) -> None:
        if all(p.done for p in self.game.machines):
            self.stop_playing()
        else:
            self.game.step_machines()
        self.redraw()

    # --- actions -----------------------------------------------------------------------------------
    def action_step(self) -> None:
        self.game.step_machines()
        self.redraw()

    def action_play(self) -> None:
        self.message = (_("playing: the host and gradient descent guess, one turn at a time.") if self.toggle_playing()
                        else _("paused."))
        self.redraw()

    def scale_rate(self, factor: float) -> None:
        self.set_learning_rate(self.game.lr * factor)

    def action_edit(self, what: str) -> None:
        self.open_editor(what)

    def action_reveal(self) -> None:
        self.revealed = not self.revealed
        self.redraw()

    def action_new_price(self) -> None:
        self.new_round(random_price(None), _("A new random price between 100 and 3000 is hidden; start guessing."))
        self.redraw()

    def action_restart(self) -> None:
        self.new_round(self.game.price, _("The same price, a fresh round."))
        self.redraw()

    def action_features(self) -> None:
        self.stop_playing()
        self.app.push_screen(FeatureRoundScreen())

    # --- drawing -------------------------------------------------------------------------------------
    def draw(self) -> None:
        self.query_one("#price-host", Static).update(self.player_panel(self.game.host))
        self.query_one("#price-gd", Static).update(self.player_panel(self.game.gd))
        self.query_one("#price-you", Static).update(self.player_panel(self.game.you))
        players = ((self.game.host, _("host"), HOST_COLOUR), (self.game.gd, _("gradient descent"), GD_COLOUR),
                   (self.game.you, _("you"), YOU_COLOUR))
        guesses = [(label, [s.step for s in p.steps], [s.guess for s in p.steps], rgb) for p, label, rgb in players]
        if self.revealed and any(p.steps for p, *_rest in players):
            last = max(len(p.steps) for p, *_rest in players)
            guesses.append((_("price"), [1, max(last, 2)], [self.game.price] * 2, PRICE_COLOUR))
        self.query_one("#price-guess-chart", StepChart).show(guesses)
        self.query_one("#price-loss-chart", StepChart).show(
            [(label, [s.step for s in p.steps], [s.loss for s in p.steps], rgb) for p, label, rgb in players])

    def header(self) -> Group:
        price = exact(self.game.price) if self.revealed else _("hidden (v reveals it)")
        return Group(
            Text.assemble((_("The price game"), "bold"), " — " + _("the host hides the price of a vacuum cleaner: {price}. "
                                                                    "Everyone starts at {start}.").format(
                price=price, start=exact(self.game.start))),
            Text(_("Gradient descent minimises L = (g − p)²: gradient dL/dg = 2(g − p), update −lr·gradient, "
                   "so each step multiplies the error g − p by 1 − 2·lr."), style="dim"),
            Text.assemble((_("learning rate") + " ", "bold"), (learning_rate_story(self.game.lr, self.game.start - self.game.price),
                                                      "bold " + hex_colour(GD_COLOUR))),
            Text(self.message, style="italic"),
        )

    def on_resize(self, event) -> None:
        # Below SHORT rows the tables take the charts' place: the guesses and the host's answers
        # are the game, and at 80×24 both would leave each table its header alone.
        self.set_class(event.size.height < SHORT, "short")
        self.redraw()                      # how many guesses each table holds depends on its height

    def rows_that_fit(self, name: str, title: str, status: str) -> int:
        """The newest guesses that fit in a player's panel as drawn now, under its title, the
        table's header and the status line (at 80×24 a panel holds three or four)."""
        size = self.query_one(f"#price-{name}", Static).content_size
        if size.height <= 0 or size.width <= 0:
            return TABLE_ROWS
        # Counted as the panel wraps them, word by word: a count by characters came out a line
        # short at 80×24, and the last line of the verdict ("… in 6 guesses") fell off the panel.
        wrapped = sum(len(Text(line).wrap(self.app.console, size.width)) for line in (title, status))
        return max(1, min(TABLE_ROWS, size.height - wrapped - 1))

    def player_panel(self, player) -> Group:
        gd = player is self.game.gd
        colour = hex_colour({"host": HOST_COLOUR, "gd": GD_COLOUR, "you": YOU_COLOUR}[player.name])
        title = {"host": _("host game — bisection"), "gd": _("gradient descent — lr {rate}").format(rate=exact(self.game.lr)),
                 "you": _("you — type a guess")}[player.name]
        table = Table(box=None, padding=(0, 1), pad_edge=False, show_edge=False, header_style="bold")
        table.add_column("#", justify="right")
        table.add_column(_("guess"), justify="right")
        narrow = self.query_one(f"#price-{player.name}", Static).content_size.width < NARROW
        says = not (gd and narrow)         # gd's own verdicts are the host's on its guesses: the step matters more
        if says:
            table.add_column(_("says") if narrow else _("host says"))
        if gd:
            table.add_column("2(g − p)", justify="right")
            table.add_column(_("update"), justify="right")
        if player is self.game.gd and self.game.gd.diverged:
            status = Text(self.game.gd.summary(), style="bold red")
        elif player is self.game.you:
            status = Text(_("found it!") if player.done else ngettext("{count} guess", "{count} guesses", len(player.steps)).format(
                count=len(player.steps)), style="dim")
        else:
            status = Text(player.summary() if player.steps else _("waiting for the first turn"), style="dim")
        for s in player.steps[-self.rows_that_fit(player.name, title, status.plain):]:
            said = _(s.verdict.removeprefix("too ") if narrow else s.verdict)
            row = [str(s.step), exact(s.guess)] + ([Text(said, style="bold green" if s.verdict == RIGHT else "")] if says else [])
            if gd:
                row += [exact(s.gradient), "—" if s.verdict == RIGHT else exact(s.update)]
            table.add_row(*row)
        return Group(Text(title, style=f"bold {colour}"), table, status)


class FeatureRoundScreen(TeachingScreen):
    """The feature round: a linear neuron learns price = w·x + b from a few vacuum cleaners."""

    PREFIX = "features"
    KEYS = N_("s one step · p play/pause · [ ] lr ÷2 ×2 · r reset · esc back")
    TERMS = ("weight", "bias", "weighted sum", "linear", "loss", "mse", "gradient", "learning rate", "step")
    EDITOR = False
    PLAY_SECONDS = TURN_SECONDS / 2

    BINDINGS = [
        Binding("s", "step", "one step"),
        Binding("p", "play", "play / pause"),
        *RATE_BINDINGS,
        Binding("r", "reset", "reset"),
    ]

    DEFAULT_CSS = """
    FeatureRoundScreen #features-tables { height: auto; }
    FeatureRoundScreen #features-weights, FeatureRoundScreen #features-examples { width: 1fr; padding: 0 1; }
    FeatureRoundScreen #features-charts { height: 1fr; min-height: 10; }
    FeatureRoundScreen StepChart { width: 1fr; }
    """

    def __init__(self):
        super().__init__()
        self.round = FeatureRound()

    def body(self):
        with Horizontal(id="features-tables"):
            yield Static(id="features-weights")
            yield Static(id="features-examples")
        with Horizontal(id="features-charts"):
            yield StepChart(_("each weight against step"), id="features-weight-chart")
            yield StepChart(_("loss, log"), log_scale=True, id="features-loss-chart")

    def tick(self) -> None:
        for _ in range(FEATURE_STEPS_PER_TICK):
            if self.round.step() is None:
                self.stop_playing()
                break
        self.redraw()

    def action_step(self) -> None:
        self.round.step()
        self.redraw()

    def action_play(self) -> None:
        self.toggle_playing()

    def scale_rate(self, factor: float) -> None:
        self.round.set_learning_rate(self.round.lr * factor)
        self.message = ""

    def action_reset(self) -> None:
        lr = self.round.lr
        self.round = FeatureRound(lr)
        self.redraw()

    def header(self) -> Group:
        r = self.round
        parts = [
            Text.assemble((_("The feature round"), "bold"),
                          " — " + _("now the price depends on the vacuum cleaner: power, mass and brand. A linear neuron "
                                    "learns price = w·x + b from six examples, each weight by the same descent as the guess: "
                                    "w ← w − lr·∂L/∂w, with L the mean of (w·x + b − price)².")),
            Text.assemble((_("learning rate") + " ", "bold"), f"{exact(r.lr)} · ", r.summary(),
                          style="bold red" if r.diverged else ""),
        ]
        if self.message:                   # a learning rate refused
            parts.append(Text(self.message, style="bold"))
        return Group(*parts)

    def draw(self) -> None:
        r = self.round
        last = r.steps[-1] if r.steps else None
        weights = Table(box=None, padding=(0, 1), header_style="bold", title=_("weights"), title_justify="left")
        for col, justify in (("", "left"), (_("value"), "right"), (_("∂L/∂w (last step)"), "right"), (_("measured in"), "left")):
            weights.add_column(col, justify=justify)
        for i, (name, unit) in enumerate(zip(FEATURE_NAMES, FEATURE_UNITS)):
            weights.add_row(f"w {_(name)}", exact(r.weights[i]), exact(last.gradients[i]) if last else "—", _(unit))
        weights.add_row("b", exact(r.bias), exact(last.bias_gradient) if last else "—", "€")
        examples = Table(box=None, padding=(0, 1), header_style="bold", title=_("examples"), title_justify="left")
        examples.add_column(_("vacuum"))
        for name in (_("price"), "w·x + b"):
            examples.add_column(name, justify="right")
        for label, price, predicted in r.predictions():
            examples.add_row(_(label), exact(price), exact(round(predicted, 2)))
        self.query_one("#features-weights", Static).update(weights)
        self.query_one("#features-examples", Static).update(examples)
        steps = [s.step for s in r.steps]
        series = [(f"w {_(name)}", steps, [s.weights[i] for s in r.steps], WEIGHT_COLOURS[i])
                  for i, name in enumerate(FEATURE_NAMES)]
        series.append(("b", steps, [s.bias for s in r.steps], WEIGHT_COLOURS[3]))
        self.query_one("#features-weight-chart", StepChart).show(series)
        self.query_one("#features-loss-chart", StepChart).show([(_("loss"), steps, [s.loss for s in r.steps], GD_COLOUR)])
