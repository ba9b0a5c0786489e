"""The teaching engines' Python twins (nnterm/warmup/twins.py, run_small): every screen's numbers,
run as plain Python over NumPy scalars, are the compiled kernels' numbers bit for bit — so a
screen opened on an empty cache shows what it will show once its kernels are compiled."""
import hashlib
import pickle

import pytest

import nnterm
from nnterm.kernels import stepped
from nnterm.teach import trace
from nnterm.teach.descent import Race
from nnterm.teach.neuron_lab import SETUPS, Neuron
from nnterm.teach.price import FeatureRound, PriceRound
from nnterm.teach.rules import OPTIMIZER_NAMES
from nnterm.teach.surfaces import SURFACES
from nnterm.warmup import stepping, twins


def digest(*values) -> str:
    """Every number exactly (pickle keeps each float's and array's bits)."""
    return hashlib.sha256(pickle.dumps(values)).hexdigest()


def neuron_lab_numbers(name):
    neuron = Neuron(SETUPS[name])
    shape, soft = neuron.activation_shape(), neuron.softmax_shape()
    steps = [neuron.train_step() for _ in range(5)]
    return digest(neuron.outputs_by_activation(), shape.curves, shape.values, soft.curves, soft.values,
                  neuron.example_outputs(), neuron.is_dead(), neuron.loss(),
                  steps)


def price_numbers():
    round_ = PriceRound()
    machine = [round_.step_machines() for _ in range(12)]
    features = FeatureRound()
    taken = [features.step() for _ in range(20)]
    return digest([[s.as_dict() for s in turn] for turn in machine], taken,
                  features.predictions(), features.loss())


def race_numbers(surface):
    race = Race(SURFACES[surface], optimizers=OPTIMIZER_NAMES)
    race.step(60)
    return digest([(r.name, r.path, r.diverged) for r in race.racers])


def trace_numbers(sets):
    trainer = nnterm.Trainer(nnterm.load_preset("xor", sets), seed=5)
    trainer.run(2)
    step = trace.trace_step(trainer, [0, 3, 7])
    check = trace.gradient_check(step, 0, 0, 0)
    health = trace.unit_health(trainer.network, trainer.data.x_train, trainer.data.y_train)
    return digest(step, check, [(d.tolist(), s.tolist()) for d, s in health])


def both(compute, *args):
    with stepping.python_only():
        as_python = compute(*args)
    with stepping.compiled_only():
        compiled = compute(*args)
    return as_python, compiled


@pytest.mark.parametrize("name", list(SETUPS))
def test_the_neuron_lab_as_python_is_the_compiled_lab_bit_for_bit(name):
    as_python, compiled = both(neuron_lab_numbers, name)
    assert as_python == compiled


def test_the_price_game_as_python_is_the_compiled_game_bit_for_bit():
    as_python, compiled = both(price_numbers)
    assert as_python == compiled


@pytest.mark.parametrize("surface", list(SURFACES))
def test_the_descent_race_as_python_is_the_compiled_race_bit_for_bit(surface):
    as_python, compiled = both(race_numbers, surface)
    assert as_python == compiled


@pytest.mark.parametrize("sets", [[], ["training.optimizer=adam"], ["training.optimizer=adamw", "training.weight_decay=0.01"],
                                  ["training.optimizer=momentum", "training.l1=0.001", "training.l2=0.01",
                                   "training.clip_norm=0.5"],
                                  ["network.dtype=float64", "training.optimizer=rmsprop", "training.loss=mse"]])
def test_the_inspector_as_python_is_the_compiled_inspector_bit_for_bit(sets):
    """float32 included: the twin computes with Numba's types (float literals are float64, libm's expf)."""
    as_python, compiled = both(trace_numbers, sets)
    assert as_python == compiled


def test_a_python_twin_runs_every_kernel_as_python():
    from nnterm.kernels import activations, passes
    forward = twins.python_twin(passes.forward)
    assert twins.python_twin(passes.forward) is forward                      # made once
    assert forward.__globals__["dense_forward"] is twins.python_twin(passes.dense_forward)
    assert twins.python_twin(activations.activate).__globals__["activate_tanh"] is \
        twins.python_twin(activations.activate_tanh)


def test_a_call_too_big_for_python_runs_the_kernel(monkeypatch):
    """Past PYTHON_TWIN_WORK multiply-adds (rows × parameters) a small call goes the way any
    call goes: a wide network's trace is never minutes of Python."""
    import numpy as np
    ran = []

    def kernel(*args):
        ran.append(args)
    x, params = np.zeros((20, 3)), np.zeros(50)
    assert stepped.work((x, params)) == 20 * 50
    monkeypatch.setattr(stepped, "PYTHON_TWIN_WORK", 999)
    with stepping.python_only():
        stepped.run_small(kernel, x, params)
    assert len(ran) == 1


def test_a_passes_buffers_are_not_counted_as_its_parameters():
    """run_forward's zs and outs hold rows × units numbers: the work is rows × parameters."""
    import numpy as np
    rows, units, params = 350, 17, 97
    args = (np.ones(3, np.int64), np.ones(2, np.int64), np.zeros(2, np.int64), np.zeros(params),
            np.zeros((rows, 2)), np.zeros(rows * units), np.zeros(rows * units))
    assert stepped.work(args) == rows * params
