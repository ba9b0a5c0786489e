from nnterm.runtime.language import _, N_, ngettext
from nnterm.commands.options import BACKEND_HELP, seed_number

HELP = N_("evaluate a weight file on a preset's test split: every metric, and a confusion matrix")

SPLITS = ("test", "val", "train")


def add_arguments(parser) -> None:
    parser.add_argument("preset", metavar="PRESET", nargs="?", default=None,
                        help=_("a bundled preset name or a .toml path (default: the preset stored in the weight file)"))
    parser.add_argument("--load", metavar="FILE", required=True, help=_("the weight file (.safetensors) to evaluate"))
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help=_("override a preset key, e.g. --set data.path=new.csv (repeatable)"))
    parser.add_argument("--seed", type=seed_number, default=None,
                        help=_("random seed of the data split (default: the one the weights were trained with, "
                             "so the test split is the one they never saw)"))
    parser.add_argument("--backend", default=None, help=_(BACKEND_HELP))
    parser.add_argument("--split", choices=SPLITS, default=None,
                        help=_("which split to evaluate (default: test, or validation, or training — the first that is not empty)"))
    parser.add_argument("--json", action="store_true", help=_("one JSON object instead of the text report"))


def load_eval_preset(args, weights):
    """The preset named (or the file's own), made to take every layer from the weight file."""
    from dataclasses import replace

    from nnterm.presets.loader import apply_override, load_preset, preset_from_dict
    if args.preset:
        preset = load_preset(args.preset, args.overrides)
    else:
        import tomllib
        raw = tomllib.loads(weights.preset_toml_text())
        keys = {apply_override(raw, item) for item in args.overrides}
        refuse_stored_path(raw, keys, args.load)
        preset = preset_from_dict(raw, _("{file} (its stored preset)").format(file=args.load), keys)
    return replace(preset, network=replace(preset.network, weights="", load_layers=0))


def refuse_stored_path(raw: dict, overridden: set, load: str) -> None:
    """A weight file is data: the path its stored preset reads is shown, never opened. A shared
    file could otherwise make nnterm read, and print figures from, any file the user can read."""
    from nnterm.errors import NntermError
    from nnterm.presets.loader import show
    data = raw.get("data") if isinstance(raw.get("data"), dict) else {}
    path = data.get("path", "")
    if (path or data.get("kind") == "csv") and "data.path" not in overridden:
        raise NntermError(_("{load}: its stored preset reads its data from the file {path}, and nnterm opens no path a weight file names; name the data yourself: --set data.path=PATH, or a preset, e.g. `nnterm eval PRESET --load {load}`").format(load=load, path=show(path)))


def pick_split(data, wanted: str | None):
    from nnterm.errors import NntermError
    arrays = {"test": (data.x_test, data.y_test), "val": (data.x_val, data.y_val), "train": (data.x_train, data.y_train)}
    if wanted is not None:
        if arrays[wanted][0].shape[0] == 0:
            raise NntermError(_("--split {wanted}: the preset keeps no {wanted} samples; choose another split").format(wanted=wanted))
        return wanted, *arrays[wanted]
    name = next(s for s in SPLITS if arrays[s][0].shape[0] > 0)
    return name, *arrays[name]


def run(args) -> int:
    from nnterm.runtime.visible import visible
    from nnterm.runtime.numbers import json_text

    from nnterm.engine.checkpoint import read_weights
    from nnterm.engine.evaluation import evaluate_outputs, scalar_metrics
    from nnterm.engine.trainer import Trainer
    weights = read_weights(args.load)
    preset = load_eval_preset(args, weights)
    trainer = Trainer(preset, seed=args.seed, backend=args.backend, weights=weights)
    data, net = trainer.data, trainer.network
    split, x, y = pick_split(data, args.split)
    loss = trainer.backend.evaluate_loss(net, x, y)
    outputs = data.in_target_units(trainer.backend.predict(net, x))     # regression: in the data's units
    metrics = evaluate_outputs(data.task, outputs, data.in_target_units(y), data.n_classes)
    class_names = data.class_names or weights.class_names
    if args.json:
        out = {"preset": preset.name, "weights": args.load, "epoch": weights.epoch, "seed": trainer.seed,
               "split": split, "samples": int(x.shape[0]), "loss": loss, **scalar_metrics(metrics)}
        if "confusion_matrix" in metrics:
            out["class_names"] = list(class_names)
            out["confusion_matrix"] = metrics["confusion_matrix"].tolist()
            out["per_class"] = {k: v.tolist() for k, v in metrics["per_class"].items()}
        print(json_text(out))
        return 0
    title = ngettext("{preset}: {split} split, {count} sample — weights {file} (epoch {epoch}, seed {seed})",
                     "{preset}: {split} split, {count} samples — weights {file} (epoch {epoch}, seed {seed})", x.shape[0]).format(
        preset=preset.name, split=split, count=x.shape[0], file=args.load, epoch=weights.epoch, seed=trainer.seed)
    if data.target_mean is not None:
        title += "\n" + _("(the loss is on standardised targets; the other figures are in the data's own units)")
    from nnterm.engine.evaluation import report_lines
    print(visible("\n".join(report_lines(title, loss, metrics, class_names)), keep_newlines=True))   # names are a file's
    return 0
