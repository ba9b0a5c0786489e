"""A kernel cache that cannot be used never stops a kernel: an unreadable entry is recompiled
(and replaced), a write that fails keeps the kernel in memory, no cache folder at all compiles
in memory — each said in one line, never a traceback. A tiny kernel stands in for the real
ones, so each case compiles in a fraction of a second."""
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import sys
from nnterm.kernels.jit import kernel, on_cache_problem
on_cache_problem(lambda sentence: print("problem:", sentence, file=sys.stderr))

@kernel
def plus_one(x):
    return x + 1

print(plus_one(41))
"""


# In the child itself, before anything is written: a write past the limit then fails (EFBIG),
# as on a full disk, instead of killing the process (SIGXFSZ).
SMALL_FILES = """
import resource, signal
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
"""


def run(folder: Path, cache: Path, limit_bytes: int | None = None):
    script = folder / "tiny_kernel.py"
    text = (SMALL_FILES.format(limit=limit_bytes) if limit_bytes else "") + SCRIPT
    # Written once: Numba 0.59 stamps its cache with the source file's mtime (later releases hash
    # its text), so a rewrite would make every entry stale, a silent recompile before the damaged
    # file is ever read.
    if not script.exists() or script.read_text(encoding="utf-8") != text:
        script.write_text(text, encoding="utf-8")
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, NUMBA_CACHE_DIR=str(cache)))


def problems(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("problem:")]


def test_an_unreadable_cache_entry_is_recompiled_said_once_and_replaced(tmp_path):
    cache = tmp_path / "cache"
    first = run(tmp_path, cache)
    assert first.returncode == 0 and first.stdout.strip() == "42" and problems(first) == []
    (index,) = cache.rglob("*.nbi")
    index.write_bytes(b"garbage")                          # a garbled index
    second = run(tmp_path, cache)
    assert second.returncode == 0 and second.stdout.strip() == "42", second.stderr
    assert "Traceback" not in second.stderr
    assert len(problems(second)) == 1 and "unreadable entries; recompiling them" in problems(second)[0]
    third = run(tmp_path, cache)                           # healed: loaded, nothing to say
    assert third.returncode == 0 and third.stdout.strip() == "42" and problems(third) == []


def test_a_truncated_data_file_is_recompiled(tmp_path):
    cache = tmp_path / "cache"
    run(tmp_path, cache)
    (data,) = cache.rglob("*.nbc")
    data.write_bytes(data.read_bytes()[:40])
    again = run(tmp_path, cache)
    assert again.returncode == 0 and again.stdout.strip() == "42" and "Traceback" not in again.stderr
    assert len(problems(again)) == 1


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="no file-size limit to stand in for a full disk")
def test_a_cache_that_cannot_be_written_keeps_the_kernel_in_memory(tmp_path):
    result = run(tmp_path, tmp_path / "cache", limit_bytes=256)
    assert result.returncode == 0 and result.stdout.strip() == "42", result.stderr
    assert "Traceback" not in result.stderr
    (problem,) = problems(result)
    assert "cannot write the kernel cache" in problem and "the next one compiles again" in problem


def test_no_cache_folder_at_all_compiles_in_memory(monkeypatch):
    from numba.core import caching

    from nnterm.kernels import jit
    monkeypatch.setattr(caching.CacheImpl, "_locator_classes", [])   # Numba finds no folder it may write
    monkeypatch.setattr(jit, "cache_problems", [])
    said = []
    monkeypatch.setattr(jit, "_listeners", [said.append])

    @jit.kernel
    def plus_two(x):
        return x + 2
    assert plus_two(40) == 42
    assert len(said) == 1 and "no folder can hold the kernel cache" in said[0]


def test_a_cache_with_no_epoch_kernel_is_told_by_its_file_names(tmp_path):
    """The warm-up starts its compile helpers before Numba is imported when the cache is empty."""
    from nnterm.warmup.cache_contents import holds_no_epoch_kernels, numba_subfolder
    root, package = tmp_path / "cache", tmp_path / "kernels"
    (root / numba_subfolder(str(package))).mkdir(parents=True)
    (package / "__pycache__").mkdir(parents=True)
    (package / "__pycache__" / "epoch.cpython-311.pyc").write_bytes(b"")      # Python's, not Numba's
    assert holds_no_epoch_kernels(str(package), {"NUMBA_CACHE_DIR": str(root)})
    assert holds_no_epoch_kernels(str(package), {})
    (root / numba_subfolder(str(package)) / "epoch.train_epoch_bce_sgd-61.py311.nbi").write_bytes(b"")
    (package / "__pycache__" / "epoch.gather_row-32.py311.nbi").write_bytes(b"")
    assert not holds_no_epoch_kernels(str(package), {"NUMBA_CACHE_DIR": str(root)})
    assert not holds_no_epoch_kernels(str(package), {})


LEAF = """
from nnterm.kernels.jit import kernel

@kernel
def leaf(x):
    return x + {step}
"""

CALLER = """
from leaf import leaf
from nnterm.kernels.jit import kernel

@kernel
def caller(x):
    return leaf(x) * 10
"""

RUN_CALLER = """
import sys
sys.path.insert(0, sys.argv[1])
from caller import caller
print(caller(4))
"""


def test_a_kernel_whose_leaf_changed_in_another_file_compiles_again(tmp_path):
    """Numba checks a cached kernel against its own file only; the machine code of caller() also
    holds leaf(), so after an upgrade that edits leaf.py alone it would still add 1."""
    package, cache = tmp_path / "package", tmp_path / "cache"
    package.mkdir()
    (package / "caller.py").write_text(CALLER, encoding="utf-8")
    (tmp_path / "run.py").write_text(RUN_CALLER, encoding="utf-8")

    def run_caller():
        result = subprocess.run([sys.executable, str(tmp_path / "run.py"), str(package)], capture_output=True,
                                text=True, timeout=120, env=dict(os.environ, NUMBA_CACHE_DIR=str(cache)))
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    (package / "leaf.py").write_text(LEAF.format(step=1), encoding="utf-8")
    assert run_caller() == "50"
    assert run_caller() == "50"                                     # loaded, not compiled again
    (package / "leaf.py").write_text(LEAF.format(step=2), encoding="utf-8")
    assert run_caller() == "60"


def test_a_folder_with_its_kernels_own_sources_keeps_them(tmp_path):
    from nnterm.kernels.cache_dir import SOURCES_FILE, drop_stale_kernels
    package, folder = tmp_path / "kernels", tmp_path / "kernels" / "__pycache__"
    folder.mkdir(parents=True)
    (package / "dense.py").write_text("x = 1\n", encoding="utf-8")
    (folder / "dense.forward-3.py311.nbi").write_bytes(b"index")
    (folder / "dense.cpython-311.pyc").write_bytes(b"python's own")
    assert drop_stale_kernels(str(folder), str(package))               # no copy of the sources yet: dropped
    assert sorted(p.name for p in folder.iterdir()) == ["dense.cpython-311.pyc", SOURCES_FILE]
    (folder / "dense.forward-3.py311.nbi").write_bytes(b"index")
    assert not drop_stale_kernels(str(folder), str(package))           # the same sources: kept
    assert (folder / "dense.forward-3.py311.nbi").exists()
    (package / "dense.py").write_text("x = 2\n", encoding="utf-8")
    assert drop_stale_kernels(str(folder), str(package))
    assert not (folder / "dense.forward-3.py311.nbi").exists()
