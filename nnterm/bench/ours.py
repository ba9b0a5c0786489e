"""Our epoch, timed through the path users get: a Trainer's network, state and backend.

One epoch here is exactly what Trainer.train_epoch() does for the training itself — a fresh
shuffle from the trainer's generator, then one compiled kernels.train_epoch call over the
trainer's flat buffers — without the validation pass and metrics that step() adds after it.
"""
import math

import numpy as np

from nnterm.bench.workloads import Arrays, Workload


def make_trainer(workload: Workload, arrays: Arrays, seed: int = 0, backend: str = "cpu"):
    from nnterm.data.dataset import Dataset
    from nnterm.presets.loader import preset_from_dict
    from nnterm.engine.trainer import Trainer
    preset = preset_from_dict({
        "name": f"bench-{workload.name}", "seed": seed,
        "network": {"layers": [{"units": u, "activation": a} for u, a in zip(workload.sizes[1:], workload.activations)],
                    "dtype": "float32"},
        "training": {"loss": workload.loss, "optimizer": workload.optimizer, "learning_rate": workload.learning_rate,
                     "batch_size": workload.batch_size, "backend": backend},
    }, label=f"bench workload {workload.name}")
    empty_x = arrays.x[:0]
    empty_y = arrays.y[:0]
    task = "binary" if arrays.y.shape[1] == 1 else "multiclass"
    data = Dataset(task, tuple(f"x{i + 1}" for i in range(arrays.x.shape[1])), max(2, arrays.y.shape[1]),
                   arrays.x, arrays.y, empty_x, empty_y, empty_x, empty_y,
                   np.zeros(arrays.x.shape[1]), np.ones(arrays.x.shape[1]))
    return Trainer(preset, seed=seed, data=data)


def epoch_runner(workload: Workload, arrays: Arrays, seed: int = 0, backend: str = "cpu"):
    """A no-argument function that trains one epoch (on `backend`) and returns its mean loss."""
    from nnterm.engine.trainer import hyper_parameters
    trainer = make_trainer(workload, arrays, seed, backend)
    net, data, backend = trainer.network, trainer.data, trainer.backend
    hp = hyper_parameters(trainer.preset, trainer.current_learning_rate())
    n = data.x_train.shape[0]
    opt_code, batch = trainer.opt_code, trainer.batch_size

    def epoch() -> float:
        order = trainer.shuffle_rng.permutation(n).astype(np.int64)
        loss = backend.train_epoch(net, opt_code, trainer.state, trainer.step_count, hp,
                                   data.x_train, data.y_train, order, batch)
        if not math.isfinite(loss):
            raise RuntimeError(f"the {workload.name} workload diverged; its timing would be meaningless")
        return loss
    return epoch
