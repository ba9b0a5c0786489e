"""What the kernel cache holds, told from its file names before Numba is imported: the warm-up
starts its compile helpers a second sooner on an empty cache (nnterm/warmup/kernel_warm_up.py)."""
import hashlib
import os

from nnterm.kernels.cache_dir import names_in


def holds_no_epoch_kernels(package_dir: str, environ=os.environ) -> bool:
    """Whether the cache folder holds no compiled kernel of the epoch module at all (a first start,
    or a fresh NUMBA_CACHE_DIR): its index files are named `epoch.<kernel>-<line>.py<version>.nbi`,
    beside the source or, under NUMBA_CACHE_DIR, in a folder per source folder. False when unsure:
    the caller then asks Numba."""
    root = environ.get("NUMBA_CACHE_DIR")
    if not root:
        folders = [os.path.join(package_dir, "__pycache__")]
    else:       # this install's own subfolder: another install's kernels are not this one's
        folders = [root, os.path.join(root, numba_subfolder(package_dir))]
    return not any(name.startswith("epoch.") and name.endswith(".nbi") for folder in folders for name in names_in(folder))


def numba_subfolder(package_dir: str) -> str:
    """The folder Numba gives a source folder's kernels under NUMBA_CACHE_DIR (its
    UserProvidedCacheLocator): the folder's name and the SHA-1 of its absolute path."""
    path = os.path.abspath(package_dir)
    return f"{os.path.basename(path)}_{hashlib.sha1(path.encode()).hexdigest()}"
