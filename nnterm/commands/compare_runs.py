"""`nnterm train PRESET --compare training.learning_rate=0.003,0.03,0.3`: the same setup trained
once per value, side by side — a table of how each ended (and its best validation epoch), JSON
lines with --json, and on a terminal a plotext chart of every run's validation loss.

Each run is the preset with `KEY=VALUE` added to the --set overrides, so a value is written as
--set takes it (TOML, bare words as strings) and refused with the same sentence.
"""
from nnterm.runtime.language import _
import json
import sys

from nnterm.errors import NntermError

RUN_COLOURS = ((8, 119, 189), (245, 147, 34), (80, 190, 110), (190, 110, 200), (220, 80, 80), (40, 170, 170))


def parse_compare(text: str) -> tuple[str, list[str]]:
    """"training.learning_rate=0.003,0.03,0.3" → ("training.learning_rate", ["0.003", "0.03", "0.3"])."""
    key, _equals, values = text.partition("=")
    items = [v.strip() for v in values.split(",") if v.strip()]
    if not key.strip() or len(items) < 2:
        raise NntermError(_("--compare {text}: expected KEY=VALUE,VALUE,… with at least two values, for example --compare training.learning_rate=0.003,0.03,0.3").format(text=text))
    return key.strip(), items


def compare(args) -> int:
    from nnterm.engine.generalisation import best_epoch
    from nnterm.engine.trainer import Trainer
    from nnterm.presets.loader import load_preset
    key, values = parse_compare(args.compare)
    presets = []
    for value in values:                           # every value checked before any run starts
        try:
            presets.append(load_preset(args.preset, [*args.overrides, f"{key}={value}"]))
        except NntermError as err:
            raise NntermError(str(err).replace("--set:", f"--compare {key}={value}:", 1)) from None
    runs = []
    for value, preset in zip(values, presets):
        trainer = Trainer(preset, seed=args.seed, backend=args.backend)
        reports = trainer.run(args.epochs or preset.training.epochs)
        epochs = [r.epoch for r in reports]
        train, val = [r.train_loss for r in reports], [r.val_loss for r in reports]
        best = best_epoch(epochs, train, val)
        last = trainer.history[-1] if trainer.history else None
        runs.append({"compare": key, "value": value, "epochs": trainer.epoch,
                     "final": last.as_dict() if last is not None else {},
                     "best_epoch": best.epoch if best else None, "best_val_loss": best.val_loss if best else None,
                     "stopped": next((r.reason for r in reports if r.stopped), ""),
                     "history": {"epoch": epochs, "train_loss": [r.as_dict()["train_loss"] for r in reports],
                                 "val_loss": [r.as_dict()["val_loss"] for r in reports]}})
    if args.json:
        for run in runs:
            print(json.dumps(run))
        return 0
    print(table(key, runs))
    if sys.stdout.isatty():
        print(chart(runs))
    return 0


def table(key: str, runs: list[dict]) -> str:
    metric = next((k for k in ("val_accuracy", "val_r2", "accuracy", "r2") if k in runs[0]["final"]), None)
    head = [key, _("epochs"), "train_loss", "val_loss", _("best val_loss (epoch)")] + ([metric] if metric else [])
    rows = []
    for run in runs:
        final = run["final"]
        best = f"{run['best_val_loss']:.4f} ({run['best_epoch']})" if run["best_epoch"] is not None else "—"
        cells = [run["value"], str(run["epochs"]), number(final.get("train_loss")), number(final.get("val_loss")), best]
        rows.append(cells + ([number(final.get(metric))] if metric else []))
    from nnterm.runtime.cells import pad, width
    widths = [max(width(row[i]) for row in [head] + rows) for i in range(len(head))]      # in cells, for Chinese headings
    lines = ["  ".join(pad(cell, w, ">" if i else "<") for i, (cell, w) in enumerate(zip(row, widths)))
             for row in [head] + rows]
    notes = [f"{run['value']}: {run['stopped']}" for run in runs if run["stopped"]]
    return "\n".join(lines + notes)


def number(value) -> str:
    return "—" if value is None else f"{value:.4f}"


def chart(runs: list[dict]) -> str:
    """Every run's validation loss against epoch, one colour each."""
    import shutil

    import plotext
    width, _height = shutil.get_terminal_size((100, 30))
    fig = plotext.figure
    fig.clear()
    fig.plot_size(min(width, 120), 20)
    fig.theme("simple")
    fig.legend(False)
    for i, run in enumerate(runs):
        points = [(e, v) for e, v in zip(run["history"]["epoch"], run["history"]["val_loss"]) if v is not None]
        if len(points) < 2:
            continue
        xs, ys = zip(*points)
        marker = plotext.marker("hd", plotext.pixel(RUN_COLOURS[i % len(RUN_COLOURS)]))
        fig.draw(fig.signal(list(map(float, xs)), list(ys), marker=marker).lines())
    last = max(max(run["history"]["epoch"], default=1) for run in runs)
    ticks = sorted({int(round(1 + (last - 1) * i / 6)) for i in range(7)})     # whole epochs
    fig.ruler(axis="x").ticks(ticks, [str(t) for t in ticks])
    legend = "   ".join(f"\x1b[38;2;{r};{g};{b}m━\x1b[0m {run['value']}"
                        for run, (r, g, b) in zip(runs, (RUN_COLOURS[i % len(RUN_COLOURS)] for i in range(len(runs)))))
    return "validation loss against epoch:  " + legend + "\n" + fig.build().string()
