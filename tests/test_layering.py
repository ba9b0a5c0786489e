"""DESIGN.md §1: kernels import only numpy/numba (and the stdlib's math); the engine never imports textual."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KERNEL_ALLOWED = {"numpy", "numba", "math", "os", "typing", "functools", "dataclasses", "enum", "__future__"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_kernels_import_only_numpy_and_numba():
    for path in (ROOT / "kernels").rglob("*.py"):
        extra = imported_roots(path) - KERNEL_ALLOWED
        assert not extra, f"{path.relative_to(ROOT)} imports {sorted(extra)}"


def test_engine_never_imports_textual():
    for path in (ROOT / "nnterm").rglob("*.py"):
        if "tui" in path.relative_to(ROOT / "nnterm").parts:
            continue
        roots = imported_roots(path)
        assert "textual" not in roots and "rich" not in roots, f"{path.relative_to(ROOT)} imports the UI toolkit"
