"""The ladder of docs/design.md ("The layers"): kernels ← runtime ← presets ← data ← engine ←
teach ← warmup ← session ← lessons ← CLI and TUI. Nothing imports upward, deferred imports included; no import
cycles; kernels import only numpy and numba (and the stdlib); only the TUI imports textual; the
package root holds only its face."""
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KERNEL_ALLOWED = {"numpy", "numba", "math", "os", "typing", "functools", "dataclasses", "enum", "__future__"}
# Each rung, lowest first; a module may import its own rung and those below it.
LADDER = ("kernels", "runtime", "presets", "data", "engine", "teach", "warmup", "session", "lessons", "interface")
INTERFACE = {"commands", "bench", "tui", "cli", "__main__"}      # the CLI and the TUI, the top rung
SHARED = {"nnterm", "nnterm.errors"}        # the package face (lazy names) and the error type: anyone
ROOT_MODULES_AT_MOST = 8


def module_files() -> dict[str, Path]:
    """Dotted name → file, for every module of the installed package (kernels/ is nnterm.kernels)."""
    out = {}
    for base, package in ((ROOT / "nnterm", "nnterm"), (ROOT / "kernels", "nnterm.kernels"),
                          (ROOT / "presets", "nnterm.presets.bundled")):
        for path in base.rglob("*.py"):
            parts = list(path.relative_to(base).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join([package, *parts])] = path
    return out


MODULES = module_files()


def imports_of(name: str, path: Path) -> set[str]:
    """Every nnterm module `name` imports, at the top or inside a function, resolved to a module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:        # `import a.b.c` names a.b.c; a name inside a module: its module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}


def rung(name: str) -> int:
    parts = name.split(".")
    if len(parts) == 1:
        return len(LADDER)                                 # the package face: above everything
    top = parts[1]
    if top == "kernels":
        return 0
    if top in INTERFACE:
        return LADDER.index("interface")
    return LADDER.index(top)


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_every_module_sits_on_a_rung():
    for name in MODULES:
        parts = name.split(".")
        assert len(parts) == 1 or parts[1] in set(LADDER) | INTERFACE | {"errors"}, f"{name} is on no rung of the ladder"


def test_nothing_imports_upward():
    upward = [f"{name} (rung {LADDER[rung(name)] if rung(name) < len(LADDER) else 'face'}) imports {target} "
              f"(rung {LADDER[rung(target)]})"
              for name, targets in GRAPH.items() if name not in SHARED
              for target in targets if target not in SHARED and rung(target) > rung(name)]
    assert not upward, "\n".join(upward)


def test_no_import_cycles():
    """Deferred imports count: a cycle hidden inside a function is still a cycle."""
    state, cycles = {}, []

    def visit(name, path):
        state[name] = "open"
        for target in sorted(GRAPH[name] - SHARED):
            if state.get(target) == "open":
                cycles.append(" → ".join(path[path.index(target):] + [target]))
            elif target not in state:
                visit(target, path + [target])
        state[name] = "done"

    for name in sorted(MODULES):
        if name not in state and name not in SHARED:
            visit(name, [name])
    assert not cycles, "\n".join(cycles)


def test_the_package_root_holds_only_its_face():
    modules = sorted(p.name for p in (ROOT / "nnterm").glob("*.py"))
    assert len(modules) <= ROOT_MODULES_AT_MOST, modules


def test_kernels_import_only_numpy_and_numba():
    for path in (ROOT / "kernels").rglob("*.py"):
        extra = imported_roots(path) - KERNEL_ALLOWED
        assert not extra, f"{path.relative_to(ROOT)} imports {sorted(extra)}"


def test_only_the_tui_imports_textual():
    for name, path in MODULES.items():
        if name.startswith("nnterm.tui"):
            continue
        roots = imported_roots(path)
        assert "textual" not in roots and "rich" not in roots, f"{path.relative_to(ROOT)} imports the UI toolkit"


def test_the_checker_sees_deferred_and_relative_imports(tmp_path):
    path = tmp_path / "probe.py"
    path.write_text("def f():\n    from nnterm.session.session import Session\n    from . import trainer\n")
    found = imports_of("nnterm.engine.probe", path)
    assert found == {"nnterm.session.session", "nnterm.engine.trainer"}
    assert rung("nnterm.session.session") > rung("nnterm.engine.probe")


def test_reading_a_lesson_file_loads_no_compiler():
    """`nnterm lessons` lists the track from the lesson format alone: no Numba, no engine."""
    probe = ("import sys, nnterm.lessons.format, nnterm.lessons.track; "
             "print(sorted(m for m in sys.modules if m == 'numba' or m.startswith('nnterm.engine')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stdout


# docs/design.md, "Who drives the trainer": the trainer's mutators, called only by the engine
# (which defines them) and the session (which owns the playground's trainer). A command that
# builds a Trainer of its own, for one headless run, owns it and may drive it: named here.
TRAINER_MUTATORS = {"train_epoch", "run", "reset", "start_fresh", "restore", "retune", "set_weight", "set_trainable",
                    "use_backend"}
MAY_DRIVE = {"engine", "session"}
OWN_THEIR_TRAINER = {
    "nnterm.commands.train": "`nnterm train` builds its trainer, runs and saves it",
    "nnterm.commands.step": "`nnterm step --epochs` builds its trainer to trace a step after N epochs",
    "nnterm.commands.compare_runs": "`nnterm compare` builds one trainer per setup",
}


def trainer_mutations(path: Path) -> list[str]:
    """`….trainer.reset()`, `trainer.run(…)`, `trainer.train_epoch` handed on as a callable: every
    use of a mutator on something named a trainer, called or not."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in TRAINER_MUTATORS:
            receiver = ast.unparse(node.value)
            if receiver.rsplit(".", 1)[-1].lower().endswith("trainer"):
                found.append(f"{receiver}.{node.attr} (line {node.lineno})")
    return found


def test_only_the_engine_and_the_session_drive_the_trainer():
    outside = [f"{name}: {use}" for name, path in MODULES.items()
               if len(name.split(".")) > 1 and name.split(".")[1] not in MAY_DRIVE and name not in OWN_THEIR_TRAINER
               for use in trainer_mutations(path)]
    assert not outside, "train through the session's verbs (Session.train_now), not the trainer:\n" + "\n".join(outside)


def test_the_driver_check_sees_a_lesson_training_behind_the_sessions_back(tmp_path):
    path = tmp_path / "probe.py"
    path.write_text("def f(run):\n    run.session.trainer.run(5)\n    go = run.session.trainer.train_epoch\n"
                    "    run.race.reset()\n")
    assert sorted(trainer_mutations(path)) == ["run.session.trainer.run (line 2)", "run.session.trainer.train_epoch (line 3)"]
