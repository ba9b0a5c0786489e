"""nnterm — a terminal neural-network sandbox.

    import nnterm
    preset = nnterm.load_preset("xor")
    trainer = nnterm.Trainer(preset, seed=0)
    report = trainer.train_epoch()

Names are imported lazily so that `nnterm --help` never waits for numba.
"""

__all__ = ["load_preset", "Trainer", "EpochReport", "Network", "Preset", "NntermError"]

_WHERE = {"load_preset": "nnterm.presets.loader", "Trainer": "nnterm.engine.trainer", "EpochReport": "nnterm.engine.trainer",
          "Network": "nnterm.engine.network", "Preset": "nnterm.presets.spec", "NntermError": "nnterm.errors"}


def package_version() -> str:
    """The installed distribution's version (pyproject.toml's, through the package metadata)."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("nnterm")
    except PackageNotFoundError:
        return "unknown (not installed; pip install -e . gives it its metadata)"


def __getattr__(name):
    if name == "__version__":
        return package_version()
    if name in _WHERE:
        import importlib
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'nnterm' has no attribute {name!r}")
