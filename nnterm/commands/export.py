HELP = "convert a weight file for other tools: PyTorch nn.Sequential names and layout, or plain .npz"


def add_arguments(parser) -> None:
    parser.add_argument("weights", metavar="FILE", help="a weight file saved by `nnterm train --save`")
    parser.add_argument("--format", dest="fmt", choices=("torch", "npz"), default="torch",
                        help="torch: safetensors with nn.Sequential names, Linear weights as [out, in] (default); "
                             "npz: nnterm's own names and layout in a NumPy archive")
    parser.add_argument("--output", metavar="FILE", required=True, help="where to write the export")


def run(args) -> int:
    from pathlib import Path

    from nnterm.engine.checkpoint import check_writable, export_weights, read_weights
    from nnterm.errors import NntermError
    if Path(args.output).resolve() == Path(args.weights).resolve():
        raise NntermError(f"--output {args.output}: that is the weight file itself; write the export to another file")
    check_writable(args.output, "--output")
    weights = read_weights(args.weights)
    modules = export_weights(weights, args.fmt, args.output)
    print(f"wrote {args.output} ({args.fmt}) from {args.weights}")
    if args.fmt == "torch":
        print("load it into:  nn.Sequential(" + ", ".join(modules) + ")")
        print("with:          model.load_state_dict(safetensors.torch.load_file(" + repr(args.output) + "))")
        print("inputs:        standardise them first, (x - scaler_mean) / scaler_std, from the export's metadata")
        if "target_mean" in weights.metadata:
            print("outputs:       standardised targets; y = output * target_std + target_mean, from the metadata")
    return 0
