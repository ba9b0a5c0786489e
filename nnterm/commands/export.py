from nnterm.runtime.language import _, N_, ngettext
HELP = N_("convert a weight file for other tools: PyTorch nn.Sequential names and layout, ONNX, or plain .npz")

FORMATS = ("torch", "onnx", "npz")
ONNX_INSTALL = "pip install 'nnterm[onnx]'"


def add_arguments(parser) -> None:
    parser.add_argument("weights", metavar="FILE", help=_("a weight file saved by `nnterm train --save`"))
    parser.add_argument("--format", dest="fmt", choices=FORMATS, default="torch",
                        help=_("torch: safetensors with nn.Sequential names, Linear weights as [out, in] (default); "
                             "onnx: the whole model, input scaling included, as an ONNX graph (needs the onnx extra); "
                             "npz: nnterm's own names and layout in a NumPy archive"))
    parser.add_argument("--output", metavar="FILE", required=True, help=_("where to write the export"))
    parser.add_argument("--json", action="store_true", help=_("one JSON object saying what was written, instead of the text"))


def export_onnx(weights, output: str) -> dict:
    """Writes the ONNX graph (atomically); returns what a user needs to run it."""
    from nnterm.errors import NntermError
    try:
        from nnterm.engine import onnx_export
    except ImportError:
        raise NntermError(_("--format onnx needs the onnx package; install it with {ONNX_INSTALL}").format(ONNX_INSTALL=ONNX_INSTALL)) from None
    from nnterm.engine.inference import load_model
    from nnterm.runtime.fileio import atomic_write_bytes
    model = load_model(weights)
    atomic_write_bytes(output, onnx_export.onnx_bytes(model))
    return {"opset": onnx_export.OPSET, "input_name": onnx_export.INPUT, "input_columns": list(model.input_columns),
            "output_name": onnx_export.OUTPUT, "output_meaning": onnx_export.output_meaning(model)}


def input_note(model) -> str:
    """What the first Linear takes, column by column: `x1, x2, x1², sin x1 (4 columns, in this
    order; each computed from the point (x1, x2); input_features in the metadata)`."""
    from nnterm.data.features import LABELS
    from nnterm.engine.inference import POINT_COLUMNS
    features = model.feature_names
    planar = tuple(model.input_columns) == POINT_COLUMNS     # a 2-D set's features, not a CSV's column names
    shown = ", ".join(LABELS[name] if planar else name for name in features)
    if model.from_points:
        note = ngettext("{columns} ({count} column, in this order; each computed from the point (x1, x2); input_features in the metadata)",
                        "{columns} ({count} columns, in this order; each computed from the point (x1, x2); input_features in the metadata)",
                        len(features))
    else:
        note = ngettext("{columns} ({count} column, in this order; input_features in the metadata)",
                        "{columns} ({count} columns, in this order; input_features in the metadata)", len(features))
    return note.format(columns=shown, count=len(features))


def run(args) -> int:
    import json
    import os

    from nnterm.engine.checkpoint import export_weights, read_weights
    from nnterm.errors import NntermError
    from nnterm.runtime.paths import check_output_path
    # The output's rule first: a link that loops is its sentence. os.path.realpath (not strict)
    # never raises, where Path.resolve raises RuntimeError on a loop.
    check_output_path(args.output, "--output")
    if os.path.realpath(args.output) == os.path.realpath(args.weights):
        raise NntermError(_("--output {output}: that is the weight file itself; write the export to another file").format(output=args.output))
    weights = read_weights(args.weights)
    summary = {"source": args.weights, "output": args.output, "format": args.fmt}
    if args.fmt == "onnx":
        summary.update(export_onnx(weights, args.output))
    else:
        from nnterm.engine.inference import load_model
        model = load_model(weights) if args.fmt == "torch" else None   # validates the feature names it will carry
        modules = export_weights(weights, args.fmt, args.output, model.feature_names if model else ())
        if args.fmt == "torch":
            summary["sequential"] = "nn.Sequential(" + ", ".join(modules) + ")"
            summary["input_features"] = list(model.feature_names)
            note = input_note(model)
            summary["standardise_inputs"] = True
            summary["standardised_targets"] = "target_mean" in weights.metadata
    if args.json:
        print(json.dumps(summary))
        return 0
    print(_("wrote {output} ({format}) from {weights}").format(output=args.output, format=args.fmt, weights=args.weights))
    if args.fmt == "onnx":
        print(_("opset {opset}; input \"{input}\": float32 rows of {columns}; output \"{output}\": {meaning}").format(
            opset=summary["opset"], input=summary["input_name"], columns=", ".join(summary["input_columns"]),
            output=summary["output_name"], meaning=summary["output_meaning"]))
        print(_("the input scaling is in the graph: give it rows as they are in your data"))
    if args.fmt == "torch":
        from nnterm.runtime.cells import pad, width
        labels = {"load": _("load it into:"), "with": _("with:"), "inputs": _("inputs:"), "outputs": _("outputs:")}
        column = max(width(label) for label in labels.values()) + 2       # the values line up after the labels
        print(pad(labels["load"], column) + summary["sequential"])
        print(pad(labels["with"], column) + f"model.load_state_dict(safetensors.torch.load_file({args.output!r}))")
        print(pad(labels["inputs"], column) + note)
        print(" " * column + _("standardise them first, (x - scaler_mean) / scaler_std, from the export's metadata"))
        if summary["standardised_targets"]:
            print(pad(labels["outputs"], column) + _("standardised targets; y = output * target_std + target_mean, from the metadata"))
    return 0
