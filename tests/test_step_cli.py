"""`nnterm step`: the trace as aligned text or JSON a lesson can replay; bad input is one sentence, exit 2."""
import json
import subprocess
import sys

import numpy as np
import pytest

from nnterm.cli import main
from nnterm.presets.loader import load_preset
from nnterm.engine.trainer import Trainer

F64 = ["--set", 'network.dtype="float64"', "--set", "data.samples=80"]


def step_json(capsys, *args):
    assert main(["step", "xor", *F64, "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_trace_matches_the_engine(capsys):
    out = step_json(capsys, "--sample", "7", "--weight", "2,3,4")
    trainer = Trainer(load_preset("xor", [F64[1], F64[3]]))
    x, y = trainer.data.x_train[[7]], trainer.data.y_train[[7]]
    loss, grads = trainer.network.loss_and_grads(x, y)
    assert out["batch"] == [7] and out["loss"] == pytest.approx(loss, rel=1e-12)
    assert len(out["layers"]) == 3
    for layer, (dw, db), net_layer in zip(out["layers"], grads, trainer.network.layers):
        assert {"z", "a", "delta", "grad_weight", "grad_bias", "update"} <= set(layer)
        np.testing.assert_allclose(layer["grad_weight"], dw, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(layer["grad_bias"], db, rtol=1e-12, atol=1e-15)
        # plain SGD: Δw = −lr·∂L/∂w
        np.testing.assert_allclose(layer["update"]["weight"], -0.03 * dw, rtol=1e-9, atol=1e-15)
        np.testing.assert_allclose(layer["weight"], net_layer.weight)
    np.testing.assert_allclose(out["output"], trainer.network.predict(x), rtol=1e-12)
    # every gradient in the JSON against central finite differences of the network's own loss
    net, h = trainer.network, 1e-6
    for layer, net_layer in zip(out["layers"], net.layers):
        for (source, target), analytic in np.ndenumerate(np.array(layer["grad_weight"])):
            w = net_layer.weight[source, target]
            net_layer.weight[source, target] = w + h
            up = net.loss_and_grads(x, y)[0]
            net_layer.weight[source, target] = w - h
            down = net.loss_and_grads(x, y)[0]
            net_layer.weight[source, target] = w
            numeric = (up - down) / (2 * h)
            assert abs(analytic - numeric) <= 1e-6 * max(abs(analytic), abs(numeric)) + 1e-10
    assert out["chain_rule"]["weight"] == "w₃₄"
    assert out["chain_rule"]["gradient"] == pytest.approx(grads[1][0][2, 3])
    assert out["gradient_check"]["relative_error"] < 1e-6


def test_phase_filters_the_numbers(capsys):
    forward = step_json(capsys, "--phase", "forward")
    assert {"z", "a"} <= set(forward["layers"][0]) and "delta" not in forward["layers"][0]
    backward = step_json(capsys, "--phase", "backward")
    assert {"delta", "grad_weight", "grad_bias"} <= set(backward["layers"][0]) and "z" not in backward["layers"][0]
    update = step_json(capsys, "--phase", "update", "--epochs", "2", "--set", 'training.optimizer="adam"')
    assert "update" in update["layers"][0] and set(update["layers"][0]["state"]) == {"m", "v"}
    assert update["epoch"] == 2 and update["step"] == 2 * 6 + 1         # 56 training rows in batches of 10


def test_text_report_is_aligned_tables(capsys):
    assert main(["step", "xor", *F64, "--sample", "0"]) == 0
    text = capsys.readouterr().out
    assert "forward · layer 1 (tanh, 2 → 8)" in text and "backward · layer 3" in text and "update · layer 2" in text
    lines = text.splitlines()
    header = lines.index(next(line for line in lines if line.startswith("unit") and "z" in line))
    assert len({len(line) for line in lines[header:header + 10]}) == 1          # columns line up
    assert "∂L/∂w₁₁ = δ₁ · x₁ = (" in text and "check: nudge it by" in text


def test_the_chinese_report_is_chinese_and_its_tables_line_up_by_cells(capsys):
    from nnterm.runtime.cells import width
    assert main(["--lang", "zh", "step", "xor", *F64, "--sample", "0"]) == 0
    text = capsys.readouterr().out
    assert "前向传播 · 第 1 层（tanh，2 → 8）" in text and "优化器第 1 步" in text and "forward" not in text
    lines = text.splitlines()
    header = lines.index(next(line for line in lines if line.lstrip().startswith("神经元") and "z" in line))
    assert len({width(line) for line in lines[header:header + 10]}) == 1        # a Hanzi is two cells


@pytest.mark.parametrize("args,message", [
    (["--sample", "999"], "--sample 999: the training set of xor has 350 samples, numbered 0 … 349"),
    (["--sample", "-1"], "--sample -1: the training set of xor has 350 samples"),
    (["--phase", "sideways"], "--phase sideways: not one of all, forward, backward, update"),
    (["--epochs", "-3"], "--epochs -3: the number of epochs to train first must be 0 or more"),
    (["--weight", "9,1,1"], "layer 9 does not exist; the network has layers 1 … 3"),
    (["--weight", "a,b"], "--weight a,b: expected three whole numbers L,J,K"),
])
def test_bad_input_is_one_sentence_exit_2(capsys, args, message):
    assert main(["step", "xor", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_as_a_user_runs_it():
    run = subprocess.run([sys.executable, "-m", "nnterm", "step", "xor", "--sample", "400"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip() == "nnterm: --sample 400: the training set of xor has 350 samples, numbered 0 … 349"


def test_a_unit_silent_on_one_sample_is_inactive_there_not_dead(capsys):
    """Dead means never active on the training set; on one sample a ReLU at z ≤ 0 is only inactive."""
    assert main(["step", "moons", "--sample", "0", "--phase", "forward"]) == 0
    text = capsys.readouterr().out
    assert "inactive on this sample" in text and "dead" not in text      # the fresh network has no dead unit
    assert "after 0 epochs" in text


def test_the_text_writes_one_minus_sign_throughout(capsys):
    """Tables and the chain rule's sentences alike: −0.25, never a mix of − and -."""
    import re
    assert main(["step", "xor", *F64, "--sample", "0"]) == 0
    text = capsys.readouterr().out
    assert re.search(r"−\d", text) and not re.search(r"-\d", text)
