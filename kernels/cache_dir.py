"""Where Numba keeps compiled kernels (`cache=True`), chosen before numba is imported.

Numba writes its cache next to the source (kernels/__pycache__) when it can. An install that
is read-only for the user (a system site-packages, a locked-down venv) cannot, so the cache
goes to the user's cache folder instead: $XDG_CACHE_HOME/nnterm/numba, else
~/.cache/nnterm/numba. A NUMBA_CACHE_DIR the user set always wins.

Numba checks a cached kernel against its own source file only (its text's hash since Numba
0.60; its mtime and size before). A kernel's machine code also holds every leaf it calls from
other files: after an upgrade that changed dense.py but not epoch.py, the cached epoch kernels
would still run the old products. So the cache folder carries a fingerprint of all the
kernels' sources, and a folder whose fingerprint differs (or has none) loses its compiled
kernels before Numba reads any: they compile again, once.
"""
import hashlib
import os

FINGERPRINT_FILE = "nnterm-kernel-sources.sha256"


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


def kernels_cache_folder(package_dir: str, environ=os.environ) -> str:
    """The folder Numba keeps this package's compiled kernels in: beside the source, or under
    NUMBA_CACHE_DIR in a folder named as Numba names it (its get_suitable_cache_subpath:
    the folder's name and the SHA-1 of its absolute path)."""
    root = environ.get("NUMBA_CACHE_DIR")
    if not root:
        return os.path.join(package_dir, "__pycache__")
    source_dir = os.path.abspath(package_dir)
    hashed = hashlib.sha1(source_dir.encode()).hexdigest()
    return os.path.join(os.path.abspath(root), f"{os.path.basename(source_dir)}_{hashed}")


def sources_fingerprint(package_dir: str) -> str:
    """sha256 over every kernel module's name and text, in name order (well under a millisecond)."""
    digest = hashlib.sha256()
    for name in sorted(_names(package_dir)):
        if name.endswith(".py"):
            with open(os.path.join(package_dir, name), "rb") as source:
                digest.update(name.encode() + b"\0" + source.read() + b"\0")
    return digest.hexdigest()


def drop_stale_kernels(package_dir: str, environ=os.environ) -> bool:
    """Removes the compiled kernels (Numba's .nbi index and .nbc data files) from a cache folder
    whose fingerprint is not the sources' own, then writes the sources' fingerprint there.
    Returns whether anything was removed. A folder that cannot be read or written is left as it
    is: the kernels then compile in memory or load as Numba decides, as before."""
    folder = kernels_cache_folder(package_dir, environ)
    fingerprint = sources_fingerprint(package_dir)
    stamp = os.path.join(folder, FINGERPRINT_FILE)
    try:
        with open(stamp, encoding="ascii") as file:
            if file.read().strip() == fingerprint:
                return False
    except (OSError, UnicodeDecodeError):
        pass
    stale = [name for name in _names(folder) if name.endswith((".nbi", ".nbc"))]
    try:
        for name in stale:
            os.unlink(os.path.join(folder, name))
        os.makedirs(folder, exist_ok=True)
        temporary = f"{stamp}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="ascii") as file:
            file.write(fingerprint + "\n")
        os.replace(temporary, stamp)       # a second process never reads half a fingerprint
    except OSError:
        pass
    return bool(stale)


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
