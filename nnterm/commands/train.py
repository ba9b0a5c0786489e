from nnterm.runtime.language import _, N_, ngettext

HELP = N_("train a preset headless: a progress bar on a terminal, else a progress line per epoch, or JSON lines with --json")
DIVERGED_EXIT = 3                 # distinct from 2 (bad input): the input was fine, the training was not
EPILOG = N_("exit status: 0 trained; 2 bad input (one sentence on stderr, nothing trained or overwritten); "
            "{diverged} training diverged — the loss grew past 100 times the loss it started from, or a weight "
            "became NaN, infinite or larger than 1e6 — and the best recent weights were kept (and saved with --save)")


def epilog() -> str:
    """The exit statuses, in the language in use."""
    return _(EPILOG).format(diverged=DIVERGED_EXIT)


def add_arguments(parser) -> None:
    from nnterm.commands.options import add_preset_options
    parser.epilog = epilog()
    add_preset_options(parser, epochs=True)
    parser.add_argument("--json", action="store_true", help=_("one JSON object per epoch, then one with \"final\": true"))
    parser.add_argument("--quiet", action="store_true", help=_("print only the final line"))
    parser.add_argument("--save", metavar="FILE", default=None,
                        help=_("after training, write the weights, scaler and training state to FILE (.safetensors)"))
    parser.add_argument("--load", metavar="FILE", default=None,
                        help=_("start from the weights in FILE: resume when FILE was saved by this same setup, "
                             "else fine-tune from its weights"))
    parser.add_argument("--history", metavar="FILE", default=None,
                        help=_("after training, write the loss history to FILE as CSV: a row per epoch "
                             "(losses, metrics, learning rate)"))
    parser.add_argument("--freeze", metavar="LAYERS", default=None,
                        help=_("layers not to train, by index from 0, e.g. --freeze 0 or --freeze 0,1"))
    parser.add_argument("--compare", metavar="KEY=V1,V2,…", default=None,
                        help=_("train once per value and compare the runs, e.g. --compare training.learning_rate=0.003,0.03,0.3"))


def epoch_figures(report) -> str:
    """`loss 0.1234 - val_loss 0.2345 - val_accuracy 0.9500`: the progress line's and the bar's figures."""
    from nnterm.runtime.numbers import figure
    parts = [f"loss {figure(report.train_loss)}", f"val_loss {figure(report.val_loss)}"]
    parts += [f"{name} {figure(value)}" for name, value in report.metrics.items()]
    return " - ".join(parts)


def progress_line(report, budget: int) -> str:
    """One epoch, as Keras prints it: `Epoch 3/10 - loss … - val_loss … - 0.31 ms/epoch`."""
    return _("Epoch {epoch}/{budget} - {figures} - {milliseconds:.2f} ms/epoch").format(
        epoch=f"{report.epoch:>{len(str(budget))}}", budget=budget, figures=epoch_figures(report),
        milliseconds=report.seconds * 1000)


def freeze_layers(preset, text: str):
    """--freeze 0,1 → the preset with those layers marked trainable = false (so a saved file says so)."""
    from dataclasses import replace

    from nnterm.errors import NntermError
    layers = list(preset.network.layers)
    try:
        picked = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        picked = None
    if not picked or picked[0] < 0 or picked[-1] >= len(layers):
        raise NntermError(_("--freeze {text}: give layer indices from 0 to {last}, separated by commas, e.g. --freeze 0").format(text=text, last=len(layers) - 1))
    if len(picked) == len(layers):
        raise NntermError(_("--freeze {text}: that freezes every layer, so nothing would train; leave at least one out").format(text=text))
    for i in picked:
        layers[i] = replace(layers[i], trainable=False)
    return replace(preset, network=replace(preset.network, layers=tuple(layers)))


def test_summary(trainer) -> dict:
    """Loss and the per-epoch metrics on the test split (empty when the preset keeps none)."""
    from nnterm.engine.evaluation import epoch_metrics
    data, net = trainer.data, trainer.network
    if data.x_test.shape[0] == 0:
        return {}
    out = {"test_loss": trainer.backend.evaluate_loss(net, data.x_test, data.y_test)}
    outputs = data.in_target_units(trainer.backend.predict(net, data.x_test))
    metrics = epoch_metrics(data.task, outputs, data.in_target_units(data.y_test))
    out.update({f"test_{k}": v for k, v in metrics.items()})
    return out


def final_summary(trainer, reports, seconds: float) -> dict:
    last = trainer.history[-1] if trainer.history else None
    out = {"final": True, "preset": trainer.preset.name, "epochs": trainer.epoch, "seconds": round(seconds, 6)}
    if last is not None:
        out.update({k: v for k, v in last.as_dict().items() if k not in ("epoch", "seconds", "stopped", "reason")})
    stop = next((r for r in reports if r.stopped), None)
    if stop is not None:
        out.update({"stopped": True, "reason": stop.reason})
        if stop.diverged:
            out["diverged"] = True
    out.update(test_summary(trainer))
    return out


def save_finished_run(path: str, trainer) -> None:
    """Saves to `path`; if that fails now (the disk filled, something appeared at the path), the
    weights go to a file in the system's temporary folder and the sentence says where: a finished
    run is never lost to its path."""
    import os
    import tempfile

    from nnterm.engine.checkpoint import save_weights
    from nnterm.errors import NntermError
    try:
        save_weights(path, trainer)
        return
    except (OSError, NntermError) as err:
        why = str(err) if isinstance(err, NntermError) else f"{path}: {err.strerror or err}"
    fd, rescue = tempfile.mkstemp(prefix=f"nnterm-{trainer.preset.name[:40]}-", suffix=".safetensors")
    os.close(fd)
    save_weights(rescue, trainer)
    raise NntermError(_("--save failed ({why}); the trained weights of epoch {epoch} were saved to {rescue} instead").format(why=why, epoch=trainer.epoch, rescue=rescue))


def run(args) -> int:
    from nnterm.runtime.visible import visible
    import sys
    import time
    from pathlib import Path

    from nnterm.commands.options import load_from_args
    from nnterm.runtime.numbers import figure, json_text
    from nnterm.errors import NntermError
    from nnterm.engine.trainer import Trainer
    from nnterm.engine.checkpoint import read_weights
    from nnterm.runtime.paths import check_output_path
    if args.epochs is not None and args.epochs < 1:
        raise NntermError(_("--epochs {epochs}: the number of epochs must be at least 1").format(epochs=args.epochs))
    if args.compare is not None:
        if args.save or args.load or args.history:
            raise NntermError(_("--compare trains several runs: it takes no --save, --load or --history "
                              "(--json gives each run's loss history)"))
        from nnterm.commands.compare_runs import compare
        return compare(args)
    if args.save is not None:
        check_output_path(args.save, "--save")         # before training, not after: a run is never lost to its path
    if args.history is not None:
        check_output_path(args.history, "--history")
        if args.save and Path(args.history).resolve() == Path(args.save).resolve():
            raise NntermError(_("--history {history}: that is the --save file too; give the history its own file").format(history=args.history))
    preset = load_from_args(args)
    if args.freeze is not None:
        preset = freeze_layers(preset, args.freeze)
    weights = read_weights(args.load) if args.load else None
    trainer = Trainer(preset, seed=args.seed, backend=args.backend, weights=weights)
    if weights is not None:
        if trainer.restore(weights):
            note = _("resuming {file} at epoch {epoch} (same setup: optimizer state and shuffling restored)")
        else:
            note = _("starting from the weights in {file} (another setup, so epochs and optimizer state start afresh)")
        print(note.format(file=args.load, epoch=trainer.epoch), file=sys.stderr)
    budget = trainer.epoch + (args.epochs or preset.training.epochs)
    start = time.perf_counter()
    # A terminal gets a bar that redraws in place; a pipe, a file or --json a line per epoch.
    bar = None
    if not args.json and not args.quiet and sys.stdout.isatty():
        from nnterm.tui.train_progress import TrainingBar
        bar = TrainingBar(trainer.epoch, budget, sys.stdout)

    def show(report):
        if args.json:
            print(json_text(report.as_dict()), flush=True)
        elif bar is not None:
            bar.epoch(report.epoch, lambda: epoch_figures(report), last=report.stopped or report.epoch == budget)
        elif not args.quiet and not report.stopped:
            print(progress_line(report, budget), flush=True)

    from nnterm.warmup.headless import compiled_meanwhile
    with compiled_meanwhile(trainer):             # an empty cache: Python twins while a helper compiles
        if bar is None:
            reports = trainer.run(budget - trainer.epoch, on_epoch=show)
        else:
            with bar:
                reports = trainer.run(budget - trainer.epoch, on_epoch=show)
        summary = final_summary(trainer, reports, time.perf_counter() - start)
    if args.save is not None:
        save_finished_run(args.save, trainer)
        summary["saved"] = args.save
        if not args.json:
            print(_("saved the weights of epoch {epoch} to {file}").format(epoch=trainer.epoch, file=args.save))
    if args.history:
        from nnterm.engine.history import history_csv
        from nnterm.runtime.fileio import atomic_write_text
        atomic_write_text(args.history, history_csv(trainer.history))
        summary["history"] = args.history
        if not args.json:
            print(ngettext("wrote the loss history of {count} epoch to {file}", "wrote the loss history of {count} epochs to {file}",
                           len(trainer.history)).format(count=len(trainer.history), file=args.history))
    status = DIVERGED_EXIT if summary.get("diverged") else 0
    if args.json:
        print(json_text(summary))
        return status
    if summary.get("stopped"):
        print(summary["reason"])
    metrics = ", ".join(f"{'loss' if k == 'train_loss' else k} {figure(v)}" for k, v in summary.items()
                        if k not in ("final", "preset", "epochs", "seconds", "stopped", "reason", "learning_rate", "saved", "history")
                        and isinstance(v, float))
    print(ngettext("{preset}: {count} epoch in {seconds:.2f} s — {metrics}", "{preset}: {count} epochs in {seconds:.2f} s — {metrics}",
                   summary["epochs"]).format(preset=visible(preset.name), count=summary["epochs"], seconds=summary["seconds"],
                                             metrics=metrics or _("no epoch finished")))
    if status:
        print(_("nnterm: training diverged; kept the weights of epoch {epoch} (exit status {code})").format(
            epoch=trainer.epoch, code=DIVERGED_EXIT), file=sys.stderr)
    return status
