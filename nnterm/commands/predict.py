from nnterm.runtime.language import _, N_, ngettext
HELP = N_("predict new rows from a CSV with a weight file: values in the data's units, or class probabilities")


def add_arguments(parser) -> None:
    parser.add_argument("preset", metavar="PRESET", nargs="?", default=None,
                        help=_("a bundled preset name or a .toml path whose network the weights fit "
                             "(default: the preset stored in the weight file)"))
    parser.add_argument("--load", metavar="FILE", required=True, help=_("the weight file (.safetensors) to predict with"))
    parser.add_argument("--input", metavar="ROWS.csv", required=True,
                        help=_("the rows to predict: a CSV whose header names the columns the network was trained on "
                             "(x1, x2 for the playground's 2-D sets); other columns are ignored"))
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help=_("one JSON object instead of CSV on standard output"))
    out.add_argument("--output", metavar="FILE", default=None, help=_("write the CSV to FILE (atomically) instead of standard output"))


def prediction_table(model, raw, lines) -> tuple[list[str], list[list]]:
    """(header, rows): the file's row number, the inputs, then the prediction columns."""
    from nnterm.engine.metrics import predicted_classes
    outputs = model.outputs(raw)
    head = ["row", *model.input_columns]
    body = [[line, *map(float, values)] for line, values in zip(lines, raw)]
    if model.task == "regression":
        head += list(model.target_names)
        for row, values in zip(body, outputs):
            row += [float(v) for v in values]
        return head, body
    label = "p" if model.output_activation in ("sigmoid", "softmax") else "score"   # probabilities, or raw outputs
    head += [f"{label}({name})" for name in model.class_names] + ["prediction"]
    for row, scores, k in zip(body, model.class_scores(outputs), predicted_classes(outputs)):
        row += [float(v) for v in scores] + [model.class_names[k]]
    return head, body


def as_csv(head, body) -> str:
    import csv
    import io
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(head)
    # repr: the shortest text that reads back as the same float, so nothing is rounded away
    writer.writerows([[repr(v) if isinstance(v, float) else v for v in row] for row in body])
    return buffer.getvalue()


def as_json(model, args, head, body) -> dict:
    n_in = 1 + len(model.input_columns)
    out = {"weights": args.load, "input": args.input, "task": model.task, "columns": list(model.input_columns)}
    rows = []
    for row in body:
        item = {"row": row[0], "inputs": dict(zip(head[1:n_in], row[1:n_in]))}
        if model.task == "regression":
            item["values"] = dict(zip(head[n_in:], row[n_in:]))
        else:
            item["prediction"] = row[-1]
            item["scores" if head[n_in].startswith("score") else "probabilities"] = dict(zip(model.class_names, row[n_in:-1]))
        rows.append(item)
    if model.task != "regression":
        out["class_names"] = list(model.class_names)
    out["predictions"] = rows
    return out


def run(args) -> int:
    import json
    import sys
    from pathlib import Path

    from nnterm.engine.checkpoint import check_writable, read_weights
    from nnterm.data.csv_table import read_inputs
    from nnterm.engine.inference import load_model
    from nnterm.errors import NntermError
    if args.output is not None:
        for other, what in ((args.input, _("the rows to predict")), (args.load, _("the weight file"))):
            if Path(args.output).resolve() == Path(other).resolve():
                raise NntermError(_("--output {output}: that is {what}; write the predictions to another file").format(output=args.output, what=what))
        check_writable(args.output, "--output")
    weights = read_weights(args.load)
    preset = None
    if args.preset is not None:
        from nnterm.presets.loader import load_preset
        preset = load_preset(args.preset)
    model = load_model(weights, preset)
    raw, lines = read_inputs(args.input, model.input_columns)
    head, body = prediction_table(model, raw, lines)
    if args.json:
        print(json.dumps(as_json(model, args, head, body)))
    elif args.output is not None:
        from nnterm.runtime.fileio import atomic_write_text
        atomic_write_text(args.output, as_csv(head, body))
        print(ngettext("wrote {count} prediction to {file}", "wrote {count} predictions to {file}", len(body))
              .format(count=len(body), file=args.output), file=sys.stderr)
    else:
        from nnterm.runtime.visible import visible
        sys.stdout.write(visible(as_csv(head, body), keep_newlines=True))   # to a terminal: a header's escapes shown, not run
    return 0
