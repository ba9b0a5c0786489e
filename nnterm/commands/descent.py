from nnterm.runtime.language import _, N_, ngettext
from nnterm.runtime.numbers import precise

HELP = N_("the descent race: gd, momentum, nesterov, rmsprop, adagrad and adam down a 2-D loss surface (text or --json)")

STEPS_MAX = 100_000


def add_arguments(parser) -> None:
    parser.add_argument("--surface", default="rosenbrock", metavar="NAME",
                        help=_("bowl, valley, rosenbrock, saddle, beale, local_minima or distance (default rosenbrock)"))
    parser.add_argument("--optimizers", default="gd,momentum,nesterov,rmsprop,adagrad,adam", metavar="LIST",
                        help=_("comma-separated optimizers to race (default: all six)"))
    parser.add_argument("--steps", type=int, default=None, metavar="N",
                        help=_("steps each optimizer takes (default: the surface's, e.g. 1000 on rosenbrock)"))
    parser.add_argument("--start", default=None, metavar="X,Y", help=_("the common starting point (default: the surface's)"))
    parser.add_argument("--lr", dest="lrs", action="append", default=[], metavar="NAME=LR",
                        help=_("learning rate of one optimizer, e.g. --lr adam=0.02 (repeatable; default: the surface's)"))
    parser.add_argument("--beta", dest="betas", action="append", default=[], metavar="NAME=B",
                        help=_("momentum μ (momentum, nesterov), α (rmsprop) or β1 (adam), e.g. --beta momentum=0.95 "
                             "(repeatable; default PyTorch's 0.9, 0.99, 0.9)"))
    parser.add_argument("--json", action="store_true",
                        help=_('one JSON object per optimizer per step {"step","optimizer","x","y","loss"}, '
                             "then a summary object"))


def fmt(value: float) -> str:
    """4 significant digits with an ASCII minus, so the tables paste into other tools."""
    return precise(value, 4)


def parse_pairs(option: str, items: list[str]) -> dict[str, float]:
    from nnterm.errors import NntermError
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise NntermError(_("{option} {item}: expected NAME=NUMBER, for example {option} adam=0.02").format(option=option, item=item))
    return out


def parse_start(text: str | None):
    from nnterm.errors import NntermError
    if text is None:
        return None
    try:
        x, y = (float(v) for v in text.split(","))
    except ValueError:
        raise NntermError(_("--start {text}: expected two numbers X,Y, for example --start -1.2,1").format(text=text)) from None
    return x, y


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """The first column left-aligned (names), the others right-aligned (numbers)."""
    from nnterm.runtime.cells import pad, width
    widths = [max(width(r[i]) for r in [headers] + rows) for i in range(len(headers))]     # in cells: a Chinese heading is two per Hanzi
    line = lambda r: "  ".join(pad(c, w, "<" if i == 0 else ">") for i, (c, w) in enumerate(zip(r, widths)))
    return [line(headers), "  ".join("─" * w for w in widths)] + [line(r) for r in rows]


def run(args) -> int:
    from nnterm.runtime.numbers import json_text

    from nnterm.teach.descent import Race, parse_optimizers
    from nnterm.teach.surfaces import get_surface
    from nnterm.errors import NntermError
    surface = get_surface(args.surface)
    names = parse_optimizers(args.optimizers)
    steps = surface.steps if args.steps is None else args.steps
    if not 1 <= steps <= STEPS_MAX:
        raise NntermError(_("--steps {steps}: the number of steps must be from 1 to {STEPS_MAX}").format(steps=steps, STEPS_MAX=STEPS_MAX))
    race = Race(surface, names, parse_pairs("--lr", args.lrs), parse_pairs("--beta", args.betas),
                parse_start(args.start))
    race.step(steps)
    results = race.results()
    if args.json:
        for k in range(steps + 1):
            for r in race.racers:
                if k < len(r.path):
                    x, y = r.path[k]
                    print(json_text({"step": k, "optimizer": r.name, "x": x, "y": y, "loss": r.losses[k]}))
        print(json_text({"summary": {"surface": surface.name, "steps": steps, "start": list(race.racers[0].start),
                                      "tolerance": surface.tolerance,
                                      "optimizers": [res.as_dict() for res in results]}}))
        return 0
    start = race.racers[0].start
    print(_("{surface}: {formula}; minimum {minimum} at ({x}, {y})").format(
        surface=surface.title, formula=surface.formula, minimum=fmt(surface.minimum_value), x=fmt(surface.minimum[0]), y=fmt(surface.minimum[1])))
    print(ngettext("{count} optimizer from ({x}, {y}), {steps} steps each; \"reached\" = loss within {tolerance:g} of the minimum",
                   "{count} optimizers from ({x}, {y}), {steps} steps each; \"reached\" = loss within {tolerance:g} of the minimum",
                   len(names)).format(count=len(names), x=fmt(start[0]), y=fmt(start[1]), steps=steps, tolerance=surface.tolerance))
    print("")
    rows = [[res.optimizer, f"{res.lr:g}", f"{res.beta_name} {res.beta:g}" if res.beta_name else "—",
             _("diverged at {step}").format(step=res.steps) if res.diverged else
             str(res.reached_at) if res.reached_at is not None else _("not reached"), fmt(res.final_loss),
             f"({fmt(res.x)}, {fmt(res.y)})"] for res in results]
    print("\n".join(table([_("optimizer"), "lr", "β", _("steps to minimum"), _("final loss"), _("final point")], rows)))
    for res in results:
        if res.diverged:
            print(res.diverged + ".")
    finite = [res for res in results if not res.diverged]
    if finite:
        best = min(finite, key=lambda res: res.final_loss)
        print("\n" + ngettext("lowest loss after {count} step: {optimizer} ({loss})", "lowest loss after {count} steps: {optimizer} ({loss})",
                              steps).format(count=steps, optimizer=best.optimizer, loss=fmt(best.final_loss)))
    return 0
