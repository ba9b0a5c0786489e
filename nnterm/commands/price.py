from nnterm.runtime.language import _, N_
from nnterm.runtime.numbers import precise

HELP = N_("the price-guessing game: a host's bisection against gradient descent on L = (guess − price)² (text or --json)")

from nnterm.commands.options import seed_number

PLAYERS = ("both", "gd", "host")
STEPS_MAX = 100_000


def add_arguments(parser) -> None:
    parser.add_argument("--price", default="1688", metavar="P",
                        help=_('the hidden price, a number or "random" (a whole number from 100 to 3000; see --seed) '
                             "(default 1688)"))
    parser.add_argument("--start", type=float, default=1000.0, metavar="G", help=_("the first guess (default 1000)"))
    parser.add_argument("--lr", type=float, default=0.1, metavar="LR",
                        help=_("gradient descent's learning rate: below 0.5 it crawls, 0.5 lands in one step, "
                             "above 1 it diverges (default 0.1)"))
    parser.add_argument("--player", default="both", metavar="WHO",
                        help=_("who plays: gd (gradient descent), host (bisection) or both (default)"))
    parser.add_argument("--steps", type=int, default=100, metavar="N",
                        help=_("the most guesses each player makes (default 100)"))
    parser.add_argument("--seed", type=seed_number, default=None, help=_('seed for --price random'))
    parser.add_argument("--json", action="store_true",
                        help=_('one JSON object per guess {"step","player","guess","verdict","loss","gradient"}, '
                             "then a summary object"))


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """Right-aligned columns, two spaces apart, a rule under the header."""
    from nnterm.runtime.cells import pad, width
    widths = [max(width(r[i]) for r in [headers] + rows) for i in range(len(headers))]     # in cells, for Chinese headings
    line = lambda r: "  ".join(pad(c, w, ">") for c, w in zip(r, widths))
    return [line(headers), "  ".join("─" * w for w in widths)] + [line(r) for r in rows]


def parse_price(text: str, seed) -> float:
    from nnterm.teach.price import random_price
    from nnterm.errors import NntermError
    if text.strip().lower() == "random":
        return random_price(seed)
    try:
        return float(text)
    except ValueError:
        raise NntermError(_("--price {text}: expected a number such as 1688, or \"random\"").format(text=text)) from None


def run(args) -> int:
    from nnterm.runtime.numbers import json_text

    from nnterm.teach.price import PriceRound, learning_rate_story
    from nnterm.errors import NntermError
    if args.player not in PLAYERS:
        raise NntermError(_("--player {player}: not one of {players}").format(player=args.player, players=", ".join(PLAYERS)))
    if not 1 <= args.steps <= STEPS_MAX:
        raise NntermError(_("--steps {steps}: the number of guesses must be from 1 to {STEPS_MAX}").format(steps=args.steps, STEPS_MAX=STEPS_MAX))
    game = PriceRound(parse_price(args.price, args.seed), args.start, args.lr)
    players = [p for p in (game.host, game.gd) if args.player in ("both", p.name)]
    for _step in range(args.steps):
        if all(p.done for p in players):
            break
        for p in players:
            p.step()
    summary = {p.name: p.summary() for p in players}
    if args.json:
        for k in range(max(len(p.steps) for p in players)):
            for p in players:
                if k < len(p.steps):
                    print(json_text(p.steps[k].as_dict()))
        print(json_text({"summary": {
            "price": game.price, "start": game.start, "lr": game.lr,
            "players": {p.name: {"guesses": len(p.steps), "final_guess": p.steps[-1].guess, "outcome": p.outcome,
                                 "says": summary[p.name]} for p in players}}}))
        return 0
    print(_("The host hides the price: {price}. Everyone starts at {start}.").format(price=precise(game.price), start=precise(game.start)))
    if game.host in players:
        print("")
        print(_("host game (bisection): only \"too high\" / \"too low\" is known; widen the jump until the answer "
                "flips, then halve the bracket"))
        print("\n".join(table([_("step"), _("guess"), _("host says"), _("loss (g − p)²")],
                              [[str(s.step), precise(s.guess), s.verdict, precise(s.loss)] for s in game.host.steps])))
    if game.gd in players:
        print("")
        print(_("gradient descent, lr {lr}: loss L = (g − p)², gradient dL/dg = 2(g − p), update −lr·gradient").format(lr=precise(game.lr)))
        print(f"  {learning_rate_story(game.lr, game.start - game.price)}")
        print("\n".join(table([_("step"), _("guess"), _("host says"), _("loss (g − p)²"), _("gradient 2(g − p)"), _("update")],
                              [[str(s.step), precise(s.guess), s.verdict, precise(s.loss), precise(s.gradient),
                                "—" if s.verdict == "right" else precise(s.update)] for s in game.gd.steps])))
    print("")
    for p in players:
        print(summary[p.name] + ".")
    return 0
