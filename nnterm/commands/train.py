HELP = "train a preset headless: a progress line per epoch, or JSON lines with --json"


def add_arguments(parser) -> None:
    from nnterm.commands.options import add_preset_options
    add_preset_options(parser, epochs=True)
    parser.add_argument("--json", action="store_true", help="one JSON object per epoch, then one with \"final\": true")
    parser.add_argument("--quiet", action="store_true", help="print only the final line")


def progress_line(report, budget: int) -> str:
    parts = [f"Epoch {report.epoch:>{len(str(budget))}}/{budget}", f"loss {report.train_loss:.4f}",
             f"val_loss {report.val_loss:.4f}"]
    parts += [f"{name} {value:.4f}" for name, value in report.metrics.items()]
    parts.append(f"{report.seconds * 1000:.2f} ms")
    return " - ".join(parts)


def final_summary(trainer, reports, seconds: float) -> dict:
    last = trainer.history[-1] if trainer.history else None
    out = {"final": True, "preset": trainer.preset.name, "epochs": trainer.epoch, "seconds": round(seconds, 6)}
    if last is not None:
        out.update({k: v for k, v in last.as_dict().items() if k not in ("epoch", "seconds", "stopped", "reason")})
    stop = next((r for r in reports if r.stopped), None)
    if stop is not None:
        out.update({"stopped": True, "reason": stop.reason})
    return out


def run(args) -> int:
    import json
    import time

    from nnterm.commands.options import load_from_args
    from nnterm.errors import NntermError
    from nnterm.trainer import Trainer
    if args.epochs is not None and args.epochs < 1:
        raise NntermError(f"--epochs {args.epochs}: the number of epochs must be at least 1")
    preset = load_from_args(args)
    trainer = Trainer(preset, seed=args.seed, backend=args.backend)
    budget = args.epochs or preset.training.epochs
    start = time.perf_counter()

    def show(report):
        if args.json:
            print(json.dumps(report.as_dict()), flush=True)
        elif not args.quiet and not report.stopped:
            print(progress_line(report, budget), flush=True)

    reports = trainer.run(budget, on_epoch=show)
    summary = final_summary(trainer, reports, time.perf_counter() - start)
    if args.json:
        print(json.dumps(summary))
        return 0
    if summary.get("stopped"):
        print(summary["reason"])
    metrics = ", ".join(f"{k} {v:.4f}" for k, v in summary.items()
                        if k not in ("final", "preset", "epochs", "seconds", "stopped", "reason", "learning_rate") and isinstance(v, float))
    print(f"{preset.name}: {summary['epochs']} epochs in {summary['seconds']:.2f} s — {metrics}")
    return 0
