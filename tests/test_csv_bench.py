"""`nnterm bench --csv FILE` prints nnterm's reading (with its kernel cache, and on an empty one) beside pandas and numpy (each said skipped when
not installed), with no timing asserted: the figures are the benchmark's, not the test's."""
from nnterm.cli import main


def test_bench_csv_prints_a_row_per_reader(tmp_path, capsys):
    path = tmp_path / "pixels.csv"
    path.write_text("label,a,b\n" + "".join(f"{i % 3},{i},{i * 2}\n" for i in range(300)))
    assert main(["bench", "--csv", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"reading {path} (0 MB) into float32") and "peak MB" in out[1]
    rows = {line.split()[0]: line for line in out[2:6]}
    assert set(rows) == {"nnterm", "nnterm-cold", "pandas", "numpy"}
    assert rows["nnterm"].endswith("300 × 2") and "300 × 2" in rows["nnterm-cold"] and "300 × 3" in rows["numpy"]
    assert "skipped" in rows["pandas"] or "nnterm's CPU" in rows["pandas"]


def test_bench_csv_on_a_missing_file_is_one_sentence(tmp_path, capsys):
    assert main(["bench", "--csv", str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv: no such CSV file" in capsys.readouterr().err
