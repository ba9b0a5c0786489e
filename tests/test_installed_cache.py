"""An installed nnterm keeps its compiled kernels out of site-packages, so that uninstalling it
leaves nothing behind: the README's two commands, `pip install . && nnterm` and then
`pip install -e '.[test]'`, once left the Numba cache of the first as a folder nnterm/kernels
without __init__.py, which Python then imported instead of the editable install's kernels."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow                   # builds and installs a wheel of the checkout
def test_an_installed_copy_caches_its_kernels_in_the_users_folder_not_beside_itself(tmp_path):
    site = tmp_path / "site"
    build = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
                            str(ROOT)], capture_output=True, text=True, timeout=600)
    if build.returncode != 0:
        pytest.skip(f"the checkout could not be built into a wheel here: {build.stderr[-300:]}")
    # What an older nnterm cached beside itself goes at the next start; the bytecode stays.
    beside = site / "nnterm" / "kernels" / "__pycache__"
    beside.mkdir(exist_ok=True)
    for name in ("dense.dense_forward-54.py311.nbi", "dense.dense_forward-54.py311.1.nbc",
                 "nnterm-kernel-sources.txt", "kept.cpython-311.pyc"):
        (beside / name).write_bytes(b"")
    # numba first, as the CLI's compile notice loads it before the kernels
    script = ("import numba, numpy as np, nnterm.kernels as kernels\n"
              "from nnterm.kernels.activations import activation_array\n"
              "activation_array(2, np.zeros((2, 2)))\n"
              "print(kernels.__file__)\n")
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env.update(PYTHONPATH=str(site), XDG_CACHE_HOME=str(tmp_path / "cache"))
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                         cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(site / "nnterm" / "kernels" / "__init__.py")     # the installed copy ran
    assert any(p.suffix == ".nbi" for p in (tmp_path / "cache" / "nnterm" / "numba").rglob("*"))
    assert not [p for p in site.rglob("*") if p.suffix in (".nbi", ".nbc")]
    assert not (beside / "nnterm-kernel-sources.txt").exists() and (beside / "kept.cpython-311.pyc").exists()


def test_a_folder_left_by_an_earlier_install_is_named_in_one_sentence_not_a_traceback(tmp_path):
    # What pip left of an older wheel: nnterm/kernels/__pycache__ with Numba's files, no __init__.py.
    left = tmp_path / "site"
    (left / "nnterm" / "kernels" / "__pycache__").mkdir(parents=True)
    (left / "nnterm" / "kernels" / "__pycache__" / "dense.dense_forward-54.py311.nbi").write_bytes(b"")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(left)
    probe = subprocess.run([sys.executable, "-c", "import nnterm; print(nnterm.__file__)"], capture_output=True,
                           text=True, env=env, cwd=tmp_path, timeout=60)
    if probe.stdout.strip() != "None":
        pytest.skip("nnterm is on sys.path as a folder here (not an editable install's finder): nothing is hidden")
    run = subprocess.run([sys.executable, "-m", "nnterm", "train", "xor", "--epochs", "1"], capture_output=True,
                         text=True, env=env, cwd=tmp_path, timeout=60)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip() == (f"nnterm: {left / 'nnterm'} is left over from an earlier install and hides this "
                                  "one; delete that folder and run nnterm again")
    run = subprocess.run([sys.executable, "-m", "nnterm", "--lang", "zh", "summary", "xor"], capture_output=True,
                         text=True, env=env, cwd=tmp_path, timeout=60)
    assert run.returncode == 2 and "以前安装 nnterm 时残留的文件夹" in run.stderr and str(left / "nnterm") in run.stderr
