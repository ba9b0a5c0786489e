"""The descent race: surfaces' gradients against finite differences, each optimizer stepped by the
engine's own rule, the Rosenbrock result Distill describes, reproducible JSON, divergence caught,
and bad input as one sentence with exit 2."""
import json

import numpy as np
import pytest

from nnterm.cli import main
from nnterm.teach.descent import OPTIMIZER_NAMES, Race
from nnterm.teach.surfaces import SURFACES, get_surface, surface_grid
from nnterm.errors import NntermError


@pytest.mark.parametrize("name", list(SURFACES))
def test_gradients_match_central_differences(name):
    s = SURFACES[name]
    rng = np.random.default_rng(0)
    x0, x1, y0, y1 = s.extent
    h = 1e-6
    for x, y in zip(rng.uniform(x0, x1, 5), rng.uniform(y0, y1, 5)):
        gx, gy = s.gradient(x, y)
        assert gx == pytest.approx((s.value(x + h, y) - s.value(x - h, y)) / (2 * h), rel=1e-5, abs=1e-5)
        assert gy == pytest.approx((s.value(x, y + h) - s.value(x, y - h)) / (2 * h), rel=1e-5, abs=1e-5)


@pytest.mark.parametrize("name", list(SURFACES))
def test_minimum_is_where_the_surface_says(name):
    s = SURFACES[name]
    assert s.value(*s.minimum) == pytest.approx(s.minimum_value, abs=1e-12)
    assert np.allclose(s.gradient(*s.minimum), 0.0, atol=1e-9)
    _, _, f = surface_grid(s, 41, 41)
    assert f.min() >= s.minimum_value - 1e-12


def test_gd_and_momentum_steps_are_the_textbook_rules():
    s = get_surface("valley")
    race = Race(s, ["gd", "momentum", "nesterov"], {"gd": 0.01, "momentum": 0.01, "nesterov": 0.01})
    race.step(2)
    p0 = np.array(s.start)
    grad = lambda p: np.array(s.gradient(*p))
    # gd: θ ← θ − lr·∇f
    p1 = p0 - 0.01 * grad(p0)
    np.testing.assert_allclose(race.racer("gd").path[2], p1 - 0.01 * grad(p1), rtol=1e-14)
    # momentum (torch.optim.SGD): b ← μb + g; θ ← θ − lr·b      nesterov: θ ← θ − lr·(g + μb)
    for name, nesterov in (("momentum", False), ("nesterov", True)):
        p, b = p0.copy(), np.zeros(2)
        for _ in range(2):
            g = grad(p)
            b = 0.9 * b + g
            p = p - 0.01 * (g + 0.9 * b if nesterov else b)
        np.testing.assert_allclose(race.racer(name).path[2], p, rtol=1e-14)


def test_rosenbrock_momentum_and_adam_beat_gd(capsys):
    assert main(["descent", "--surface", "rosenbrock", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out.splitlines()[-1])["summary"]
    final = {r["optimizer"]: r["final_loss"] for r in summary["optimizers"]}
    assert summary["steps"] == 1000
    assert final["momentum"] < final["gd"] and final["adam"] < final["gd"]
    assert main(["descent", "--surface", "rosenbrock"]) == 0
    out = capsys.readouterr().out
    assert "steps to minimum" in out and "final loss" in out and "lowest loss after 1000 steps: momentum" in out


def test_json_paths_are_reproducible_bit_for_bit(capsys):
    args = ["descent", "--surface", "beale", "--steps", "50", "--json"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args) == 0
    assert capsys.readouterr().out == first
    lines = [json.loads(line) for line in first.splitlines()[:-1]]
    assert len(lines) == 51 * len(OPTIMIZER_NAMES)
    assert {tuple(line) for line in lines} == {("step", "optimizer", "x", "y", "loss")}
    assert lines[0] == {"step": 0, "optimizer": "gd", "x": 1.0, "y": 1.5, "loss": SURFACES["beale"].value(1.0, 1.5)}


def test_steps_to_minimum_are_counted():
    race = Race(get_surface("bowl"), ["gd"])
    race.step(100)
    gd = race.racer("gd")
    # lr 0.1 on x² + y²: each step multiplies the position by 0.8
    k = gd.reached_at
    assert k is not None and gd.losses[k] <= 1e-4 < gd.losses[k - 1]
    assert gd.losses[k] == pytest.approx(0.64 ** k * gd.losses[0])


def test_divergence_of_one_optimizer_is_caught_and_said(capsys):
    race = Race(get_surface("rosenbrock"), ["gd", "adam"], {"gd": 0.1})
    race.step(200)
    gd = race.racer("gd")
    assert gd.diverged and "diverged" in gd.diverged and "too high" in gd.diverged
    assert np.isfinite(gd.path).all() and np.isfinite(gd.losses).all()
    assert race.racer("adam").t == 200 and not race.racer("adam").diverged
    assert main(["descent", "--surface", "rosenbrock", "--lr", "gd=0.1", "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "inf" not in " ".join(lines).lower() and "nan" not in " ".join(lines).lower()
    summary = json.loads(lines[-1])["summary"]
    assert summary["optimizers"][0]["diverged"].startswith("gd diverged at step")
    assert main(["descent", "--surface", "rosenbrock", "--lr", "gd=0.1", "--optimizers", "gd,adam"]) == 0
    out = capsys.readouterr().out
    assert "diverged at 5" in out and "gd diverged at step 5" in out and "lowest loss after 1000 steps: adam" in out


def test_live_changes_of_learning_rate_and_beta():
    race = Race(get_surface("valley"), ["momentum"])
    r = race.racer("momentum")
    r.set_learning_rate(0.02)
    r.set_beta(0.5)
    assert r.hp[0] == 0.02 and r.beta == 0.5
    with pytest.raises(NntermError):
        r.set_beta(1.0)
    with pytest.raises(NntermError):
        Race(get_surface("valley"), ["gd"]).racer("gd").set_beta(0.9)


@pytest.mark.parametrize("args, words", [
    (["--surface", "moon"], 'surface "moon"'),
    (["--optimizers", "gd,lion"], 'optimizer "lion"'),
    (["--optimizers", "gd,gd"], "only once"),
    (["--lr", "gd=-1"], "learning rate -1 for gd"),
    (["--lr", "adam"], "--lr adam"),
    (["--lr", "adam=0.1", "--optimizers", "gd"], 'optimizer "adam" is not in this race'),
    (["--beta", "gd=0.5"], "gd has no β"),
    (["--beta", "momentum=1.5"], "μ = 1.5 for momentum"),
    (["--steps", "0"], "--steps 0"),
    (["--start", "1"], "--start 1"),
    (["--start", "1e300,1e300"], "the loss there is not a finite number"),
])
def test_bad_input_is_one_sentence_and_exit_2(capsys, args, words):
    assert main(["descent", *args]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1


def test_each_racer_names_its_rule_and_shows_the_state_the_kernel_keeps():
    from nnterm.teach.rules import RULES
    race = Race(SURFACES["bowl"])
    race.step(3)
    assert all(r.rule_key in RULES for r in race.racers)
    momentum, adam, gd = race.racer("momentum"), race.racer("adam"), race.racer("gd")
    assert momentum.rule == "b = μ·b + g;  Δw = −lr·b" and gd.rule == "Δw = −lr·g" and gd.state_values() == []
    (name, v), = momentum.state_values()
    assert name == "b" and v == (momentum.state[0, 0], momentum.state[0, 1]) and v != (0.0, 0.0)
    # the velocity is what the rule says it is: w moved by −lr·b on the last step
    before = np.array(momentum.path[-2])
    np.testing.assert_allclose(np.array(momentum.position), before - momentum.lr * np.array(v), rtol=1e-12)
    assert [n for n, _ in adam.state_values()] == ["m", "v"]
    gx, gy = gd.surface.gradient(*gd.path[-2])
    assert gd.gradient == (gx, gy)
