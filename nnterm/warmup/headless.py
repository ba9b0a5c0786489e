"""A headless command's first epochs on an empty cache: Python twins while a helper compiles.

`nnterm train xor --epochs 1` on an empty cache used to compile the fused epoch and the
evaluation kernels before its first epoch (about 10 CPU-seconds). The network is small, so its
epochs can run as the kernels' Python twins (nnterm/warmup/twins.py: the same numbers bit for bit;
an xor epoch is about 0.35 CPU-seconds as Python) while the warm-up's helper process
(nnterm/warmup/kernel_warm_up.py) compiles the fused kernels into the cache on the other core;
once it has said so, the next call loads them from the cache and runs compiled. With a cache
that already holds the fused epoch, or a network too big for Python, nothing changes: the
kernels load (or compile) as before. The helper exits when the command does.
"""
from contextlib import contextmanager

PARTS = ("evaluation", "training")          # the fused kernels a training run calls (kernel_warm_up.PARTS)


@contextmanager
def compiled_meanwhile(trainer):
    """Trains as Python twins until the helper has compiled the fused kernels, on an empty cache."""
    from nnterm.kernels import epoch, stepped
    from nnterm.kernels.jit import has_cache_entry
    net, data = trainer.network, trainer.data
    small = data.x_train.shape[0] * net.n_params <= stepped.PYTHON_TWIN_WORK
    if not small or "cuda" in trainer.backend.name or has_cache_entry(epoch.epoch_kernel(net.loss_code, trainer.opt_code)):
        yield
        return
    from nnterm.presets.writer import preset_to_toml
    from nnterm.warmup.kernel_warm_up import Helper
    from nnterm.warmup.stand_in import to_line
    from nnterm.warmup.stepping import python_twins_until
    try:
        helper = Helper(list(PARTS), preset_to_toml(trainer.preset), to_line(data))
    except OSError:                                  # no interpreter to start: compile here, as before
        yield
        return

    def ready() -> bool:
        return helper.finished or all(helper.said.get(part) is not None for part in PARTS)
    try:
        with python_twins_until(ready):
            yield
    finally:
        helper.stop()
