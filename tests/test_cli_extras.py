"""--version, --json on presets / summary / export, and shell completion."""
import importlib.metadata
import json
import shutil
import subprocess
import sys

import pytest

from nnterm.cli import main


def run_main(capsys, *argv):
    try:
        status = main(list(argv))
    except SystemExit as done:
        status = done.code
    out, err = capsys.readouterr()
    return status, out, err


def test_version_is_the_package_metadatas(capsys):
    status, out, _ = run_main(capsys, "--version")
    assert status == 0 and out == f"nnterm {importlib.metadata.version('nnterm')}\n"
    import nnterm
    assert nnterm.__version__ == importlib.metadata.version("nnterm")


def test_presets_json(capsys):
    status, out, _ = run_main(capsys, "presets", "--json")
    presets = {p["name"]: p for p in json.loads(out)["presets"]}
    assert status == 0 and presets["spiral"]["source"] == "bundled" and presets["spiral"]["description"]


def test_summary_json_has_the_tables_totals(capsys):
    status, out, _ = run_main(capsys, "summary", "keras-binary", "--json")
    summary = json.loads(out)
    assert status == 0 and summary["total_params"] == 4929 and summary["trainable_params"] == 4929
    assert [(l["units"], l["activation"], l["params"]) for l in summary["layers"]] == [(64, "relu", 704), (64, "relu", 4160),
                                                                                        (1, "sigmoid", 65)]


def test_export_json_says_what_was_written(tmp_path, capsys):
    weights = tmp_path / "xor.safetensors"
    assert run_main(capsys, "train", "xor", "--epochs", "1", "--quiet", "--save", str(weights))[0] == 0
    status, out, _ = run_main(capsys, "export", str(weights), "--output", str(tmp_path / "t.safetensors"), "--json")
    summary = json.loads(out)
    assert status == 0 and summary["format"] == "torch" and summary["sequential"].startswith("nn.Sequential(nn.Linear(2, 8)")


def test_help_loads_none_of_the_optional_or_heavy_packages():
    code = ("import sys\nfrom nnterm.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('shtab', 'onnx', 'textual_serve', 'textual', 'numpy', 'numba') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.skipif(not importlib.util.find_spec("shtab"), reason="shtab is not installed (pip install 'nnterm[completion]')")
@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash to run the completion script in")
def test_bash_completion_completes_commands_presets_and_choices(tmp_path, capsys):
    status, script, _ = run_main(capsys, "--completion", "bash")
    assert status == 0
    (tmp_path / "nnterm.bash").write_text(script)

    def complete(*words):
        line = " ".join(f'"{w}"' for w in words)
        run = subprocess.run(["bash", "-c", f'source {tmp_path / "nnterm.bash"}; COMP_WORDS=(nnterm {line}); '
                                            f'COMP_CWORD={len(words)}; _shtab_nnterm; printf "%s\\n" "${{COMPREPLY[@]}}"'],
                             capture_output=True, text=True, cwd=tmp_path, timeout=60)
        assert run.returncode == 0, run.stderr
        return run.stdout.split()

    assert complete("pre") == ["presets", "predict"]
    assert complete("train", "sp") == ["spiral", "spiral3"]
    assert complete("export", "m", "--format", "") == ["torch", "onnx", "npz"]
    status, script, _ = run_main(capsys, "--completion", "zsh")
    assert status == 0 and script.startswith("#compdef nnterm") and "spiral" in script


def test_completion_without_shtab_names_the_install(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "shtab", None)
    status, _, err = run_main(capsys, "--completion", "bash")
    assert status == 2 and err == "nnterm: --completion needs the shtab package; install it with pip install 'nnterm[completion]'\n"


def test_train_history_is_the_epochs_json_lines_as_csv(tmp_path, capsys):
    import csv
    history = tmp_path / "history.csv"
    status, out, _ = run_main(capsys, "train", "xor", "--epochs", "4", "--json", "--history", str(history))
    lines = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and lines[-1]["history"] == str(history)
    rows = list(csv.DictReader(history.open()))
    metrics = [k for k in lines[0] if k not in ("epoch", "train_loss", "val_loss", "seconds", "learning_rate")]
    assert metrics and list(rows[0]) == ["epoch", "loss", "val_loss", *metrics, "learning_rate", "seconds"]
    assert [float(r[metrics[0]]) for r in rows] == [line[metrics[0]] for line in lines[:-1]]
    assert [int(r["epoch"]) for r in rows] == [1, 2, 3, 4]
    assert [float(r["loss"]) for r in rows] == [line["train_loss"] for line in lines[:-1]]   # the progress line's "loss"
    assert [float(r["val_loss"]) for r in rows] == [line["val_loss"] for line in lines[:-1]]


def test_train_history_without_validation_leaves_the_cell_empty(tmp_path, capsys):
    history = tmp_path / "h.csv"
    status, _, _ = run_main(capsys, "train", "xor", "--epochs", "1", "--quiet", "--set", "data.train_fraction=1.0",
                            "--history", str(history))
    assert status == 0 and history.read_text().splitlines()[1].split(",")[2] == ""
    status, _, err = run_main(capsys, "train", "xor", "--history", str(tmp_path / "no" / "h.csv"))
    assert status == 2 and "the folder" in err and "does not exist" in err


def test_compare_refuses_history(tmp_path, capsys):
    status, _, err = run_main(capsys, "train", "xor", "--compare", "training.learning_rate=0.1,0.3",
                              "--history", str(tmp_path / "h.csv"))
    assert status == 2 and "--compare trains several runs: it takes no --save, --load or --history" in err
    assert not (tmp_path / "h.csv").exists()
