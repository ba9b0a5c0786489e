"""Where Numba keeps compiled kernels (`cache=True`), chosen before numba is imported.

Numba writes its cache next to the source (kernels/__pycache__) when it can. An install that
is read-only for the user (a system site-packages, a locked-down venv) cannot, so the cache
goes to the user's cache folder instead: $XDG_CACHE_HOME/nnterm/numba, else
~/.cache/nnterm/numba. A NUMBA_CACHE_DIR the user set always wins.
"""
import os


def user_cache_dir(environ=os.environ) -> str:
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "nnterm", "numba")


def choose_cache_dir(package_dir: str, environ=os.environ) -> str | None:
    """The folder to give NUMBA_CACHE_DIR, or None to let Numba cache beside the source."""
    if environ.get("NUMBA_CACHE_DIR"):
        return None
    in_tree = os.path.join(package_dir, "__pycache__")
    target = in_tree if os.path.isdir(in_tree) else package_dir
    if os.access(target, os.W_OK):
        return None
    return user_cache_dir(environ)


def use_writable_cache(package_dir: str) -> None:
    """Sets NUMBA_CACHE_DIR when the package folder is read-only. Numba reads it when it loads,
    which kernels/__init__.py defers to the first kernel call; should numba have been imported
    earlier by someone else, its own fallback (~/.cache/numba, also user-writable) applies."""
    folder = choose_cache_dir(package_dir)
    if folder is not None:
        os.environ["NUMBA_CACHE_DIR"] = folder


def holds_no_epoch_kernels(package_dir: str, environ=os.environ) -> bool:
    """Whether the cache folder holds no compiled kernel of the epoch module at all (a first start,
    or a fresh NUMBA_CACHE_DIR), told without importing Numba: its index files are named
    `epoch.<kernel>-<line>.py<version>.nbi`, beside the source or, under NUMBA_CACHE_DIR, in a
    folder per source folder. False when unsure: the caller then asks Numba."""
    root = environ.get("NUMBA_CACHE_DIR")
    folders = [root, *_subfolders(root)] if root else [os.path.join(package_dir, "__pycache__")]
    return not any(name.startswith("epoch.") and name.endswith(".nbi") for folder in folders for name in _names(folder))


def _names(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def _subfolders(folder: str) -> list[str]:
    return [os.path.join(folder, name) for name in _names(folder) if os.path.isdir(os.path.join(folder, name))]
