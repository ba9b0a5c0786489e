"""A lesson file is untrusted: however it spells a key it cannot make nnterm read another file,
build a network or a dataset past a lesson's size, train or play without bound, or name an
optimizer or activation that does not exist — each refused by `nnterm lessons --check` in one
sentence with exit status 2, before anything is read or built."""
import pytest

from nnterm.cli import main

SECRET = "top-secret-first-line"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "secret.csv").write_text(f"{SECRET},b\n1,2\n")


def checked(tmp_path, capsys, body: str) -> str:
    (tmp_path / "bad.toml").write_text('title = "x"\n[[step]]\nscreen = "playground"\ntext = "t"\n' + body)
    assert main(["lessons", "--check", "bad.toml"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("nnterm: lesson bad.toml, step 1: ") and "\n" not in err
    return err


TASK = '[step.check]\nname = "trained_epochs"\nepochs = 1\n'


@pytest.mark.parametrize("override", [
    'data.path=secret.csv',
    'data = {kind = "csv", path = "secret.csv", target = "b"}',
    'network = {weights = "secret.csv"}',
    'network = {weights_from = "secret.csv"}',
])
def test_no_spelling_of_a_file_key_reads_the_file(tmp_path, capsys, override):
    setup = f"[step.setup]\npreset = \"xor\"\nset = ['{override}']\n"
    err = checked(tmp_path, capsys, setup + TASK)
    assert "never makes nnterm read a file" in err and SECRET not in err


def test_a_network_past_a_lessons_size_is_refused_before_it_is_built(tmp_path, capsys):
    layers = 'network.layers=[{units = 4096, activation = "relu"}, {units = 4096, activation = "relu"}, ' \
             '{units = 1, activation = "sigmoid"}]'
    err = checked(tmp_path, capsys, f"[step.setup]\npreset = \"xor\"\nset = ['{layers}']\n" + TASK)
    assert "parameters; a lesson's has at most 100,000" in err


def test_a_dataset_past_a_lessons_size_is_refused(tmp_path, capsys):
    err = checked(tmp_path, capsys, "[step.setup]\npreset = \"xor\"\nset = ['data.samples=1000000']\n" + TASK)
    assert "a lesson uses at most 20,000" in err


@pytest.mark.parametrize("task, said", [
    ('name = "trained_epochs"\nepochs = 1000000000', '"epochs" must be 1 … 1000, not 1000000000'),
    ('name = "price_landed"\nguesses = 0', '"guesses" must be 1 … 200, not 0'),
    ('name = "optimizer_is"\noptimizer = "adma"', '"optimizer" must be one of'),
    ('name = "racer_reached"\noptimizer = "sgd"', '"optimizer" must be one of gd, momentum'),
])
def test_a_task_argument_out_of_its_table_or_range_is_one_sentence(tmp_path, capsys, task, said):
    assert said in checked(tmp_path, capsys, f"[step.check]\n{task}\n")


def test_a_parameter_count_never_builds_a_huge_network(tmp_path, capsys):
    err = checked(tmp_path, capsys, '[step.question]\nask = "n?"\nquantity = "params_for"\n'
                                    'sizes = [4096, 4096, 4096]\n')
    assert "widths of 1 … 1024" in err
