"""The descent race (key `d`): gd, momentum, nesterov, rmsprop, adagrad and adam start from the
same point of a two-parameter loss surface and step together, each path in its own colour.

The surface and the paths are surface_map.py's widget; every number comes from
nnterm.teach.descent (the engine's own optimizer kernel steps each racer), and the rules are
written as nnterm/teach/rules.py writes them; this screen lays them out and sends keys.

Keys: space / p play or pause · s one step · e to the end of the race · r reset · ↑/↓ pick an optimizer · [ / ] its
learning rate ÷2 / ×2 · l type its learning rate · b type its β · 1–7 or n pick the surface ·
escape back.
"""
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from nnterm.runtime.language import N_, _
from nnterm.runtime.numbers import exact, short
from nnterm.teach.descent import Race
from nnterm.teach.surfaces import SURFACES, Surface
from nnterm.tui.teaching.base import RATE_BINDINGS, TeachingScreen
from nnterm.tui.teaching.surface_map import PATH_COLOURS, SurfaceMap
from nnterm.tui.widgets.palette import hex_colour
from nnterm.tui.widgets.wrapped_text import WrappedText

TICK_SECONDS = 0.05
TICKS_PER_RACE = 200         # a race of the surface's default length plays in about 10 s


def surface_story(surface: Surface) -> str:
    """What the surface is like, with its formula, in the language in use."""
    return _(surface.story).format(formula=surface.formula)


class DescentScreen(TeachingScreen):
    """The descent race. It races on its own surfaces: the playground's network is not changed."""

    PREFIX = "descent"
    KEYS = N_("space play/pause · s step · e to the end · r reset · ↑/↓ optimizer · [ ] lr ÷2 ×2 · l type lr · b type β · "
            "1–7 / n surface · esc back")
    PLAY_SECONDS = TICK_SECONDS
    NUMBER_EXAMPLE = "0.01"

    BINDINGS = [
        Binding("space,p", "play", "play / pause"),
        Binding("s", "step", "one step"),
        Binding("e", "to_end", "to the end"),
        Binding("r", "reset", "reset"),
        Binding("up", "select(-1)", "optimizer ↑"),
        Binding("down", "select(1)", "optimizer ↓"),
        *RATE_BINDINGS,
        Binding("l", "edit('lr')", "type lr"),
        Binding("b", "edit('beta')", "type β"),
        Binding("n", "next_surface", "next surface"),
    ] + [Binding(str(i + 1), f"surface({i})", show=False) for i in range(len(SURFACES))]

    DEFAULT_CSS = """
    DescentScreen #descent-body { height: 1fr; }
    DescentScreen SurfaceMap { width: 3fr; }
    DescentScreen #descent-side { width: 2fr; min-width: 50; padding: 0 1; }
    """

    def __init__(self, session=None, surface: str = "rosenbrock"):
        super().__init__(session)          # the playground's session; the race never trains it
        self.race = Race(SURFACES[surface])
        self.selected = 0
        self.play_until = 0
        self.message = _("space plays the race; ↑/↓ picks an optimizer to tune.")

    def body(self):
        with Horizontal(id="descent-body"):
            yield SurfaceMap(id="descent-map")
            with Vertical(id="descent-side"):
                yield Static(id="descent-table")
                yield WrappedText(id="descent-selected")
                yield Static(id="descent-rules")

    @property
    def racer(self):
        return self.race.racers[self.selected]

    # --- the race ------------------------------------------------------------------------------
    def steps_per_tick(self) -> int:
        return max(1, self.race.surface.steps // TICKS_PER_RACE)

    def finished(self) -> bool:
        return all(r.diverged or r.reached_at is not None for r in self.race.racers)

    def tick(self) -> None:
        self.race.step(min(self.steps_per_tick(), self.play_until - self.race.steps))
        if self.race.steps >= self.play_until or self.finished():
            self.pause(f"paused at step {self.race.steps}" + (": every optimizer has arrived or diverged"
                                                              if self.finished() else ""))
        self.redraw()

    def pause(self, message: str) -> None:
        self.stop_playing()
        self.message = message

    def restart(self, race: Race, message: str) -> None:
        if self.playing:
            self.pause("")
        self.race = race
        self.selected = min(self.selected, len(race.racers) - 1)
        self.message = message
        self.redraw()

    # --- actions ---------------------------------------------------------------------------------
    def action_play(self) -> None:
        if self.playing:
            self.pause(f"paused at step {self.race.steps}")
        else:
            length = self.race.surface.steps
            self.play_until = (self.race.steps // length + 1) * length
            self.start_playing()
            self.message = _("racing to step {step}…").format(step=self.play_until)
        self.redraw()

    def action_step(self) -> None:
        self.race.step()
        self.redraw()

    def action_to_end(self) -> None:
        """The rest of this race's length at once, without the animation."""
        length = self.race.surface.steps
        end = (self.race.steps // length + 1) * length
        self.race.step(end - self.race.steps)
        self.message = _("at step {step}.").format(step=self.race.steps)
        self.redraw()

    def action_reset(self) -> None:
        if self.playing:
            self.pause("")
        self.race.reset()
        self.message = _("back at the start.")
        self.redraw()

    def action_select(self, delta: int) -> None:
        self.selected = (self.selected + delta) % len(self.race.racers)
        self.redraw()

    def scale_rate(self, factor: float) -> None:
        self.set_value("lr", self.racer.lr * factor)

    def action_surface(self, index: int) -> None:
        name = list(SURFACES)[index]
        self.restart(self.rebuilt(SURFACES[name]), _("{surface}: each optimizer at this surface's default learning rate.")
                     .format(surface=_(SURFACES[name].title)))

    def action_next_surface(self) -> None:
        names = list(SURFACES)
        self.action_surface((names.index(self.race.surface.name) + 1) % len(names))

    def rebuilt(self, surface: Surface) -> Race:
        """A fresh race on `surface` with the same optimizers and their β (lr: the surface's)."""
        betas = {r.name: r.beta for r in self.race.racers if r.beta_name}
        return Race(surface, [r.name for r in self.race.racers], betas=betas)

    # --- typing values -----------------------------------------------------------------------------
    def action_edit(self, what: str) -> None:
        racer = self.racer
        if what == "beta" and racer.beta_name is None:
            self.message = _("{optimizer} has no β to set (momentum, nesterov, rmsprop and adam do)").format(optimizer=racer.name)
            self.redraw()
            return
        current = racer.lr if what == "lr" else racer.beta
        label = "learning rate" if what == "lr" else racer.beta_name
        self.editor.open(what, f"{label} of {racer.name} (now {short(current)}), then enter (escape to cancel)")

    def typed(self, what: str, value: float) -> None:
        self.set_value(what, value)

    def set_value(self, what: str, value: float) -> None:
        """The selected racer's learning rate or β; a refused value raises NntermError (said in the header)."""
        racer = self.racer
        if what == "lr":
            racer.set_learning_rate(value)
        else:
            racer.set_beta(value)
        name = _("learning rate") if what == "lr" else racer.beta_name
        self.message = _("{optimizer}: {name} {value} from the next step on (r restarts the race from the start)").format(
            optimizer=racer.name, name=name, value=short(value))

    # --- drawing -------------------------------------------------------------------------------------
    def header(self) -> Group:
        surface = self.race.surface
        pick = "  ".join(f"[b]{i + 1}[/b] {_(s.title)}" if s is surface else f"{i + 1} {_(s.title)}"
                         for i, s in enumerate(SURFACES.values()))
        return Group(
            Text.assemble((_("The descent race"), "bold"), " — " + _(
                "{count} optimizers from ({x}, {y}), one step each at a time, by the engine's own update rules.").format(
                count=len(self.race.racers), x=exact(self.race.racers[0].start[0]), y=exact(self.race.racers[0].start[1]))),
            Text(surface_story(surface), style="dim"),
            Text.from_markup(_("surfaces: {surfaces}").format(surfaces=pick)),
            Text(self.message, style="italic"),
        )

    def draw(self) -> None:
        self.query_one("#descent-map", SurfaceMap).show(self.race)
        self.query_one("#descent-table", Static).update(self.results_table())
        self.query_one("#descent-selected", Static).update(self.selected_panel())
        self.query_one("#descent-rules", Static).update(self.rules_panel())

    def rules_every_racer(self) -> bool:
        """Whether the column is tall enough for every racer's rule (else the selected racer's only)."""
        return self.query_one("#descent-side").size.height >= 3 * len(self.race.racers) + 12

    def rule_lines(self, racer) -> list[Text]:
        """A racer's update rule and the live state its kernel keeps (velocity, s, m, v), with the
        gradient it last stepped on."""
        pair = lambda v: f"({exact(v[0], 4)}, {exact(v[1], 4)})"
        state = [f"{name} = {pair(value)}" for name, value in racer.state_values()]
        colour = hex_colour(PATH_COLOURS[racer.name])
        return [Text.assemble((f"● {racer.name} ", f"bold {colour}"), racer.rule),
                Text("   " + "  ".join(state + [f"g = {pair(racer.gradient)}", f"t = {racer.t}"]), style="dim")]

    def rules_panel(self) -> Group:
        """Every racer's rule and state, in the table's order and colours, where there is room."""
        if not self.rules_every_racer():
            return Group()
        lines = [Text(""), Text(_("update rules · live state"), style="bold")]
        for r in self.race.racers:
            lines += self.rule_lines(r)
        return Group(*lines)

    def results_table(self) -> Table:
        surface = self.race.surface
        table = Table(box=None, padding=(0, 1), pad_edge=False, header_style="bold",      # no edge pad: "reached" whole at 80 columns
                      title=_("step {step} · reached = loss within {tolerance} of the minimum {minimum}").format(
                          step=self.race.steps, tolerance=short(surface.tolerance), minimum=exact(surface.minimum_value)),
                      title_justify="left")
        for col, justify in (("", "left"), (_("optimizer"), "left"), ("lr", "right"), ("β", "right"),
                             (_("loss"), "right"), (_("reached"), "right")):
            table.add_column(col, justify=justify, no_wrap=True)     # a racer's name on one line, beside its numbers
        for i, r in enumerate(self.race.racers):
            colour = hex_colour(PATH_COLOURS[r.name])
            reached = (_("diverged") if r.diverged else
                       str(r.reached_at) if r.reached_at is not None else "—")
            table.add_row(Text("▶" if i == self.selected else " "), Text(f"● {r.name}", style=f"bold {colour}"),
                          short(r.lr), f"{r.beta_name} {short(r.beta)}" if r.beta_name else "—",
                          exact(r.loss, 3), Text(reached, style="bold red" if r.diverged else ""))
        return table

    def selected_panel(self) -> Group:
        r = self.racer
        x, y = r.position
        parts = [Text(""), Text.assemble((_("selected:") + " ", "bold"), (r.name, f"bold {hex_colour(PATH_COLOURS[r.name])}"),
                                         " " + _("at ({x}, {y}), step {step}, {status}").format(
                                             x=exact(x, 4), y=exact(y, 4), step=r.t, status=r.status))]
        if r.diverged:
            parts.append(Text(r.diverged, style="bold red"))
        if not self.rules_every_racer():           # no room for every rule: the selected racer's, here
            parts += self.rule_lines(r)
        return Group(*parts)

    # --- what X explains (nnterm/tui/teaching/explainables.py) ----------------------------------
    def explainables(self) -> list:
        from nnterm.tui.teaching.explainables import descent_items
        return descent_items(self)

    def explained_terms(self) -> tuple:
        from nnterm.tui.teaching.explainables import DESCENT_TERMS
        return DESCENT_TERMS
