from nnterm.runtime.language import _, N_
HELP = N_("print a preset's network as a Keras-style table with parameter totals")


def add_arguments(parser) -> None:
    from nnterm.commands.options import add_preset_options
    add_preset_options(parser)
    parser.add_argument("--json", action="store_true", help=_("one JSON object (layers, parameter counts) instead of the table"))


def images_line(data) -> str:
    """What the inputs are when they are images: said, since a CSV's 784 columns become pictures."""
    rows, columns = data.image_shape
    return _("Inputs: {pixels} pixels, read as {rows} × {columns} images (j and u in the playground show them)").format(
        pixels=rows * columns, rows=rows, columns=columns)


def as_json(preset, net, data=None) -> dict:
    layers = [{"index": layer.index, "activation": layer.activation, "inputs": layer.fan_in, "units": layer.units,
               "params": layer.n_params, "trainable": layer.trainable} for layer in net.layers]
    return {"preset": preset.name, "description": preset.description, "inputs": net.n_inputs, "dtype": net.dtype.name,
            "layers": layers, "total_params": net.n_params, "trainable_params": net.n_trainable,
            "non_trainable_params": net.n_params - net.n_trainable, "bytes": net.n_params * net.dtype.itemsize,
            "image_shape": list(data.image_shape) if data is not None and data.image_shape else None}


def run(args) -> int:
    from nnterm.runtime.visible import visible
    from nnterm.commands.options import load_from_args
    from nnterm.engine.trainer import Trainer
    preset = load_from_args(args)
    trainer = Trainer(preset, seed=args.seed, backend=args.backend)
    if args.json:
        import json
        print(json.dumps(as_json(preset, trainer.network, trainer.data)))
        return 0
    print(visible(f"{preset.name}: {preset.described()}"))     # the preset's strings are a file's: shown escaped
    print(trainer.network.summary())
    if trainer.data.image_shape:
        print(images_line(trainer.data))
    return 0
