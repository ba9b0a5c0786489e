"""The price-guessing game: the host's bisection, gradient descent on L = (g − p)², typed guesses,
the feature round, and `nnterm price` (text, --json, bad input as one sentence with exit 2)."""
import json
import math

import numpy as np
import pytest

from nnterm.cli import main
from nnterm.teach.price import (DEFAULT_PRICE, SHOW_VACUUM, TRUE_BIAS, TRUE_WEIGHTS, VACUUMS, FeatureRound,
                                PriceRound, learning_rate_story, random_price)
from nnterm.errors import NntermError


def run_json(capsys, *args):
    assert main(["price", "--json", *args]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return lines[:-1], lines[-1]["summary"]


def test_defaults_reach_the_price_and_the_host_says_too_low_at_1000(capsys):
    assert main(["price"]) == 0
    out = capsys.readouterr().out
    host_rows = out.split("host game")[1].split("gradient descent")[0].splitlines()
    assert any(row.split()[:4] == ["1", "1000", "too", "low"] for row in host_rows)
    steps, summary = run_json(capsys)
    for who in ("host", "gd"):
        assert summary["players"][who]["outcome"] == "right"
        assert abs(summary["players"][who]["final_guess"] - 1688) <= 1
    assert "lands on" in out and "inf" not in out.lower()


def test_json_objects_have_the_documented_fields(capsys):
    steps, summary = run_json(capsys)
    assert {tuple(s) for s in steps} == {("step", "player", "guess", "verdict", "loss", "gradient")}
    host = [s for s in steps if s["player"] == "host"]
    assert [s["guess"] for s in host[:2]] == [1000, 2000]
    assert [s["verdict"] for s in host[:2]] == ["too low", "too high"]
    assert all(s["gradient"] is None for s in host)
    assert summary["price"] == 1688 and summary["lr"] == 0.1


def test_gradient_descent_follows_the_formula(capsys):
    lr, price = 0.1, 1688.0
    steps, _ = run_json(capsys, "--player", "gd", "--steps", "10")
    assert all(s["player"] == "gd" for s in steps) and len(steps) == 10
    for this, following in zip(steps, steps[1:]):
        g = this["guess"]
        assert this["loss"] == pytest.approx((g - price) ** 2, rel=1e-12)        # L = (g − p)²
        assert this["gradient"] == pytest.approx(2 * (g - price), rel=1e-12)     # dL/dg = 2(g − p)
        assert following["guess"] == pytest.approx(g - lr * this["gradient"], rel=1e-12)


def test_learning_rate_half_lands_in_one_step():
    game = PriceRound(lr=0.5)
    game.gd.step()
    game.gd.step()
    assert [s.verdict for s in game.gd.steps] == ["too low", "right"]
    assert game.gd.steps[1].guess == pytest.approx(DEFAULT_PRICE)
    assert game.gd.done and game.gd.step() is None


def errors_of(lr, n):
    game = PriceRound(lr=lr)
    for _ in range(n):
        game.gd.step()
    return [s.guess - DEFAULT_PRICE for s in game.gd.steps], game


def test_learning_rate_above_one_oscillates_with_growing_amplitude():
    errors, game = errors_of(1.1, 12)
    assert all(a * b < 0 for a, b in zip(errors, errors[1:]))            # alternates around the price
    assert all(abs(b) > abs(a) for a, b in zip(errors, errors[1:]))      # and the swing grows
    assert abs(errors[-1] / errors[-2]) == pytest.approx(1.2)            # ×|1 − 2·lr| per step


def test_learning_rate_below_one_oscillates_and_lands():
    errors, game = errors_of(0.8, 40)
    assert errors[0] < 0 < errors[1] and abs(errors[1]) < abs(errors[0])
    assert game.gd.outcome == "right"


def test_divergence_is_said_in_words_without_infinities(capsys):
    assert main(["price", "--lr", "1.1"]) == 0
    out = capsys.readouterr().out
    assert "diverged" in out and "inf" not in out.lower() and "nan" not in out.lower()
    steps, summary = run_json(capsys, "--lr", "1.1", "--player", "gd", "--steps", "100000")
    assert summary["players"]["gd"]["outcome"] == "diverged"
    assert all(math.isfinite(s["guess"]) and math.isfinite(s["loss"]) for s in steps)
    # a rate so large that one step would overflow is still caught
    steps, summary = run_json(capsys, "--lr", "1e300", "--player", "gd")
    assert summary["players"]["gd"]["outcome"] == "diverged"
    assert all(math.isfinite(s["guess"]) for s in steps)


def test_host_bisection_widens_then_halves():
    game = PriceRound(price=5000, start=1000)
    while not game.host.done:
        game.host.step()
    guesses = [s.guess for s in game.host.steps]
    assert guesses[:4] == [1000, 2000, 4000, 8000]          # widen: jumps of 1000, 2000, 4000
    assert guesses[4] == 6000                               # then halve the bracket [4000, 8000]
    assert abs(guesses[-1] - 5000) <= 0.5
    low = PriceRound(price=-300, start=1000)
    for _ in range(40):
        low.host.step()
    assert low.host.done and low.host.steps[1].guess == 0


def test_typed_guesses_are_answered():
    game = PriceRound()
    answers = [game.play_turn(g)[0].verdict for g in (1500, 1800, 1688)]
    assert answers == ["too low", "too high", "right"]
    assert len(game.host.steps) == 3 and len(game.gd.steps) == 3
    with pytest.raises(NntermError):
        game.play_turn(1700)
    with pytest.raises(NntermError):
        PriceRound().play_turn(float("nan"))


def test_changing_the_learning_rate_replays_gradient_descent():
    game = PriceRound()
    for _ in range(3):
        game.step_machines()
    game.set_learning_rate(0.5)
    assert len(game.gd.steps) == 2 and game.gd.done       # at 0.5 the second guess is the price
    with pytest.raises(NntermError):
        game.set_learning_rate(0.0)


def test_the_story_names_what_the_learning_rate_does():
    assert "crawls" in learning_rate_story(0.01) and "crawls" in learning_rate_story(0.1)
    assert "closes in quickly" in learning_rate_story(0.3)
    assert "one step" in learning_rate_story(0.5)
    assert "oscillates" in learning_rate_story(0.8)
    assert "oscillates for ever" in learning_rate_story(1.0)
    assert "diverges" in learning_rate_story(1.5)


def test_random_price_is_reproducible(capsys):
    assert random_price(3) == random_price(3)
    assert 100 <= random_price(3) <= 3000
    _, summary = run_json(capsys, "--price", "random", "--seed", "3")
    assert summary["price"] == random_price(3)


def test_feature_round_learns_the_weights():
    game = FeatureRound()
    x = np.array([e.inputs for e in VACUUMS])
    y = np.array([e.target for e in VACUUMS])
    first = game.step()
    # ∂L/∂wᵢ = (2/N) Σ (w·x + b − y)·xᵢ at w = 0, b = 0
    np.testing.assert_allclose(first.gradients, 2 / len(y) * (-y) @ x, rtol=1e-12)
    assert first.bias_gradient == pytest.approx(2 / len(y) * (-y).sum())
    losses = [first.loss] + [game.step().loss for _ in range(399)]
    assert all(b < a for a, b in zip(losses, losses[1:]))
    np.testing.assert_allclose(game.weights, TRUE_WEIGHTS, atol=0.5)
    assert game.bias == pytest.approx(TRUE_BIAS, abs=0.5)
    assert abs(game.predictions()[-1][2] - SHOW_VACUUM.target) < 1


def test_feature_round_divergence_is_caught():
    game = FeatureRound(lr=2.0)
    for _ in range(200):
        game.step()
    assert game.diverged and "diverged" in game.summary()
    assert np.isfinite(game.weights).all()


@pytest.mark.parametrize("args, words", [
    (["--price", "abc"], "--price abc"),
    (["--player", "bob"], "--player bob"),
    (["--steps", "0"], "--steps 0"),
    (["--lr", "-1"], "learning rate -1"),
    (["--lr", "nan"], "learning rate nan"),
    (["--start", "inf"], "starting guess inf"),
    (["--price", "1e300"], "price 1e+300: must be a number between -1e+12 and 1e+12"),
])
def test_bad_input_is_one_sentence_and_exit_2(capsys, args, words):
    assert main(["price", *args]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1


def test_one_guess_is_one_guess():
    from nnterm.teach.price import GradientDescentPlayer, HostPlayer
    host, gd = HostPlayer(1688.0, 1000.0), GradientDescentPlayer(1688.0, 1000.0, 0.1)
    host.step()
    gd.step()
    assert host.summary().endswith("after 1 guess") and "after 1 guess," in gd.summary()
    host.step()
    assert host.summary().endswith("after 2 guesses")
