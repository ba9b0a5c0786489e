HELP = "print a preset's network as a Keras-style table with parameter totals"


def add_arguments(parser) -> None:
    from nnterm.commands.options import add_preset_options
    add_preset_options(parser)


def run(args) -> int:
    from nnterm.commands.options import load_from_args
    from nnterm.engine.trainer import Trainer
    preset = load_from_args(args)
    trainer = Trainer(preset, seed=args.seed, backend=args.backend)
    print(f"{preset.name}: {preset.description}")
    print(trainer.network.summary())
    return 0
