"""The README's test command runs everything that can run here, at true lower bounds: the test
extra brings the optional packages whose tests would otherwise skip, pytest-asyncio's loop
scope is set (no warning), the suite runs on every core with the slow tests apart, and
.ci/lowest-versions pins the test tools too. No test bounds the app by elapsed time."""
import re
import runpy
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
lowest_pins = runpy.run_path(str(ROOT / ".ci" / "lowest_pins.py"))["lowest_pins"]


def test_the_test_extra_brings_what_the_suite_would_otherwise_skip():
    names = {re.split(r"[=<>!~ ]", pin)[0] for pin in lowest_pins(ROOT / "pyproject.toml")}
    assert {"onnx", "onnxruntime", "textual-serve", "shtab", "pytest-xdist", "pytest-asyncio"} <= names


def test_pytest_asyncio_is_told_its_loop_scope_and_the_floor_knows_the_setting():
    settings = PYPROJECT["tool"]["pytest"]["ini_options"]
    assert settings["asyncio_mode"] == "auto" and settings["asyncio_default_fixture_loop_scope"] == "function"
    pins = lowest_pins(ROOT / "pyproject.toml")
    assert "pytest-asyncio==0.24" in pins and "pytest==8.2" in pins     # 0.24 reads the setting; it needs pytest 8.2


def test_the_suite_runs_in_parallel_with_the_slow_tests_apart():
    settings = PYPROJECT["tool"]["pytest"]["ini_options"]
    assert "-n auto --dist loadfile" in settings["addopts"] and "-m 'not slow'" in settings["addopts"]
    assert any(marker.startswith("slow:") for marker in settings["markers"])
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest -m slow" in ci and ci.rstrip().endswith("pip install -e '.[test]' && python -m pytest")


def test_the_lowest_versions_run_the_suite_less_only_the_screenshots():
    """Not a smoke test: the whole fast part of the suite holds at the lower bounds, bar the
    screenshot comparisons (their references are the newest Textual's styles), and CI runs it."""
    lowest = (ROOT / ".ci" / "lowest-versions").read_text(encoding="utf-8")
    assert lowest.rstrip().endswith("python -m pytest -m 'not slow and not snapshot'")
    assert ".ci/lowest-versions" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "scipy==1.11.1" in lowest_pins(ROOT / "pyproject.toml")          # 1.11.0 is yanked


def test_no_test_bounds_the_app_by_elapsed_time():
    """A busy machine makes anything slow: a test waits for a state, with a hang guard."""
    bounded = re.compile(r"assert .*(monotonic|perf_counter|time)\(\) - \w+ <")
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for path in (ROOT / "tests").rglob("test_*.py")
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if bounded.search(line)]
    assert not offenders, offenders
