"""Where Numba keeps compiled kernels (`cache=True`), chosen before the kernels are decorated.

In a checkout (kernels/ beside pyproject.toml: an editable install, or the tests run from the
source) Numba writes its cache next to the source, kernels/__pycache__, which git ignores. An
installed copy (a wheel in site-packages) caches in the user's cache folder instead,
$XDG_CACHE_HOME/nnterm/numba, else ~/.cache/nnterm/numba: pip uninstalls only the files it
installed, so a cache beside an installed copy would be left behind as a folder nnterm/kernels
with no __init__.py, and Python would import that leftover as the package (a namespace package
shadows an editable install's finder) — `pip install .`, `nnterm`, then the README's
`pip install -e '.[test]'` would give a CLI whose kernels have no attributes. A checkout the user
cannot write goes to the user's cache folder too; an installed copy whose user folder cannot be
made (a service with no writable home) caches beside itself as before, rather than compile at
every start. A NUMBA_CACHE_DIR the user set always wins. An installed copy that caches in the
user's folder also removes, at its start, what an older nnterm had cached beside it.

Numba checks a cached kernel against its own source file only (its text's hash since Numba
0.60; its mtime and size before). A kernel's machine code also holds every leaf it calls from
other files: after an upgrade that changed dense.py but not epoch.py, the cached epoch kernels
would still run the old products. So the cache folder keeps a copy of the sources its kernels
were compiled from (all of them, about 80 KB, compared byte for byte: no hash needed), and a
folder whose copy differs (or has none) loses its compiled kernels before Numba reads one from
it (kernels/jit.py asks at the first load from each folder): they compile again, once.
"""
import os

SOURCES_FILE = "nnterm-kernel-sources.txt"


def user_cache_dir(environ=os.environ) -> str:
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "nnterm", "numba")


def in_checkout(package_dir: str) -> bool:
    """Whether the kernels are a source checkout's (the repository keeps kernels/ at its top,
    beside pyproject.toml), not an installed copy inside the nnterm package."""
    return os.path.isfile(os.path.join(os.path.dirname(os.path.abspath(package_dir)), "pyproject.toml"))


def choose_cache_dir(package_dir: str, environ=os.environ) -> str | None:
    """The folder to give NUMBA_CACHE_DIR, or None to let Numba cache beside the source."""
    if environ.get("NUMBA_CACHE_DIR"):
        return None
    if not in_checkout(package_dir) and usable(user_cache_dir(environ)):
        return user_cache_dir(environ)
    in_tree = os.path.join(package_dir, "__pycache__")
    target = in_tree if os.path.isdir(in_tree) else package_dir
    if os.access(target, os.W_OK):
        return None
    return user_cache_dir(environ)


def usable(folder: str) -> bool:
    """Whether the folder exists, or can be made, and can be written."""
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def use_writable_cache(package_dir: str) -> None:
    """Sets NUMBA_CACHE_DIR for an installed copy or a read-only checkout. Numba reads it when it
    loads and again at each compile, but picks a kernel's cache folder when the kernel is
    decorated, and should numba have been loaded before this (nnterm's compile notice loads it
    before the kernels) it has not seen the folder yet: kernels/jit.py, which every kernel is
    decorated through, reads Numba's configuration again. It is the process's setting: a program
    that uses nnterm as a library and caches its own kernels finds them in the same folder."""
    folder = choose_cache_dir(package_dir)
    if folder is not None:
        if not in_checkout(package_dir):
            remove_cache_beside(package_dir)
        os.environ["NUMBA_CACHE_DIR"] = folder


def remove_cache_beside(package_dir: str) -> None:
    """Removes the compiled kernels an older nnterm cached beside this installed copy, so that
    `pip uninstall` (and a later editable install) finds only the files pip put there. Only
    Numba's files and the sources copy go; a folder that cannot be written is left as it is."""
    folder = os.path.join(package_dir, "__pycache__")
    for name in names_in(folder):
        if name.endswith((".nbi", ".nbc")) or name == SOURCES_FILE:
            try:
                os.unlink(os.path.join(folder, name))
            except OSError:
                return


def sources_of(source_dir: str) -> bytes:
    """Every module's name and text in the folder, in name order: what its kernels were compiled from."""
    parts = []
    for name in sorted(names_in(source_dir)):
        if name.endswith(".py"):
            with open(os.path.join(source_dir, name), "rb") as source:
                parts.append(name.encode() + b"\0" + source.read() + b"\0")
    return b"".join(parts)


def drop_stale_kernels(cache_folder: str, source_dir: str) -> bool:
    """Removes the compiled kernels (Numba's .nbi index and .nbc data files) from `cache_folder`
    when the sources they were compiled from are not `source_dir`'s as they are now, then keeps a
    copy of those. Returns whether anything was removed. A folder that cannot be read or written
    is left as it is: the kernels then compile in memory or load as Numba decides, as before."""
    sources = sources_of(source_dir)
    kept = os.path.join(cache_folder, SOURCES_FILE)
    try:
        with open(kept, "rb") as file:
            if file.read() == sources:
                return False
    except OSError:
        pass
    stale = [name for name in names_in(cache_folder) if name.endswith((".nbi", ".nbc"))]
    try:
        for name in stale:
            os.unlink(os.path.join(cache_folder, name))
        os.makedirs(cache_folder, exist_ok=True)
        temporary = f"{kept}.{os.getpid()}.tmp"
        with open(temporary, "wb") as file:
            file.write(sources)
        os.replace(temporary, kept)        # a second process never reads half a copy
    except OSError:
        pass
    return bool(stale)


def names_in(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []

