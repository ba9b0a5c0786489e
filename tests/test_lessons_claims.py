"""Lessons that say only what the screen beside them shows: every claim of the bundled track holds
(`nnterm lessons --audit`), a false claim fails naming lesson, step and claim, numbers in a text
are live, and each thing a learner met is a test named after it."""
import subprocess
import sys

import numpy as np
import pytest

from nnterm.lessons import quantities
from nnterm.lessons.audit import audit, audit_lesson
from nnterm.lessons.format import LessonError, lesson_from_text
from nnterm.lessons.runner import LessonRun, answer_text
from nnterm.lessons.track import bundled_lessons, load_track
from nnterm.lessons.validate import fresh_session
from nnterm.teach.glossary import TERMS


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)


def run_of(key: str, step: int) -> LessonRun:
    track = load_track()
    lesson = track.find(key)
    run = LessonRun(lesson, fresh_session(), track.position(lesson))
    run.start(step - 1)
    return run


def test_the_audit_holds_every_claim_of_the_bundled_track():
    results, total = audit(load_track().lessons)
    failures = [failure for result in results for failure in result.failures]
    assert failures == []
    claims = sum(r.claims for r in results)
    assert claims > 100 and total.startswith(f"{len(bundled_lessons())} lessons: {claims} of {claims} claims held, ")
    assert all(r.claims for r in results), "every lesson makes at least one checked claim"


LYING = '''
title = "A lesson that lies"
[[step]]
screen = "descent"
text = "On the valley, at the race's own learning rates, momentum arrives at step {m}, before gradient descent."
[step.values]
m = {quantity = "racer_reached_at", optimizer = "momentum", digits = 0}
[[step.claim]]
kind = "reaches_first"
first = "momentum"
second = "gd"
[step.setup]
surface = "valley"
[step.question]
ask = "At which step?"
quantity = "racer_reached_at"
optimizer = "momentum"
tolerance = 0.5
'''


def test_a_false_claim_fails_the_audit_naming_lesson_step_and_claim(tmp_path):
    path = tmp_path / "lies.toml"
    path.write_text(LYING, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "nnterm", "lessons", "--audit", str(path)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stdout + done.stderr
    assert (f'failed: lesson {path}, step 1: the claim "momentum reaches the minimum before gd" does not hold: '
            "momentum not yet, gd at step 56") in done.stdout
    assert "1 lesson: 0 of 1 claim held" in done.stdout and "Traceback" not in done.stderr


@pytest.mark.parametrize("text, values, said", [
    ("z is {z}.", "", 'says {z}, which is not one of the step\'s values'),
    ("no number here.", 'z = {quantity = "neuron_sum"}', '"values.z" is neither said in the text'),
    ("z is {z}.", 'z = {quantity = "neuron_sum", digits = 9}', '"digits" must be 0 … 6, not 9'),
    ("z is {z}.", 'z = {quantity = "neuron_sum", term = "L2"}', 'needs "quantity" (a live number) or "term"'),
    ("L2: {l2}.", 'l2 = {term = "L3"}', '"term" must be one of'),
])
def test_a_value_a_text_says_must_be_declared_and_used(text, values, said):
    source = f'title = "t"\n[[step]]\nscreen = "neuron_lab"\ntext = "{text}"\n[step.values]\n{values}\n' \
             '[step.question]\nask = "z?"\nquantity = "neuron_sum"\n'
    with pytest.raises(LessonError) as err:
        lesson_from_text(source, "t", "t.toml")
    assert said in str(err.value) and str(err.value).startswith("lesson t.toml, step 1: ")


def test_a_claim_must_name_one_of_the_steps_values():
    source = ('title = "t"\n[[step]]\nscreen = "neuron_lab"\ntext = "z is {z}."\n[step.values]\n'
              'z = {quantity = "neuron_sum"}\n[[step.claim]]\nkind = "below"\nvalue = "y"\nnumber = 1\n'
              '[step.question]\nask = "z?"\nquantity = "neuron_sum"\n')
    with pytest.raises(LessonError, match=r'"value" must name one of the step\'s values \(z\), not "y"'):
        lesson_from_text(source, "t", "t.toml")


def test_momentum_builds_speed_only_where_the_race_shows_it_arriving_first():
    run = run_of("optimizers", 2)
    assert quantities.compute(run, "racer_reached_at", {"optimizer": "momentum"}) < \
        quantities.compute(run, "racer_reached_at", {"optimizer": "gd"})
    text = run.text()
    assert "momentum reaches the minimum at step 83" in text and "{" not in text
    run = run_of("optimizers", 3)                                     # the race's own rates: gd first, and said
    assert "gradient descent reaches the minimum at step 56, momentum at step 83" in run.text()


def test_the_l2_penalty_is_the_kernels_half_lambda_sum_of_squares_everywhere():
    run = run_of("regularisation", 2)
    net = run.session.trainer.network
    squares = sum(float((layer.weight.astype(np.float64) ** 2).sum()) for layer in net.layers)
    lam = run.session.trainer.preset.training.l2
    assert quantities.compute(run, "penalty", {}) == pytest.approx(lam / 2 * squares, rel=1e-5)
    assert run.answer(repr(lam / 2 * squares)).right and not run.answer(repr(lam * squares)).right
    first = run_of("regularisation", 1).text()
    assert TERMS["L2"] in first and "(l2/2)·Σw²" in first and "λ·Σ w²" not in first


def test_the_l2_task_is_not_met_by_one_epoch_and_proves_l2_beats_the_run_without():
    run = run_of("regularisation", 3)
    run.session.set_regularization("l2", 0.03)
    run.session.reset()
    run.session.trainer.run(1)
    assert not run.check().right                                       # one epoch proves nothing
    assert run.show_me().right
    without = run.compared[0][1][-1]
    assert run.session.trainer.history[-1].val_loss < without.val_loss and run.session.trainer.epoch >= without.epoch


def test_the_training_loss_the_judge_says_is_the_status_lines():
    run = run_of("loss", 3)
    status_line = f"{run.session.trainer.history[-1].train_loss:.4f}"    # what the status line prints
    verdict = run.answer(status_line)
    assert verdict.right and f"the network says {status_line[:5]}" in verdict.said


def test_exactly_2_is_not_above_2_for_the_bias_task():
    run = run_of("bias", 3)
    run.neuron.set_bias(2.0)
    assert not run.check().right
    run.neuron.set_bias(2.01)
    assert run.check().right


def test_the_bias_task_is_not_done_by_a_neuron_whose_inputs_are_no_longer_0():
    """s twice in the lab brought back a neuron with inputs that are not 0; + on its bias then
    passed 2, and the step said done although only the bias was to do it."""
    run = run_of("bias", 3)
    run.neuron.set_input(1, 3.0)
    run.neuron.set_bias(2.5)
    assert run.neuron.output() > 2 and not run.check().right
    run.neuron.set_input(1, 0.0)
    assert run.check().right
    run.neuron.set_input(1, 3.0)
    assert run.show_me().right and not run.neuron.inputs.any()


def test_show_me_says_it_was_shown_not_that_you_did_it():
    run = run_of("neuron", 3)
    verdict = run.show_me()
    assert verdict.right and verdict.said.startswith("shown:") and "you did it" not in verdict.said


def test_the_price_step_says_the_guess_now_not_a_typed_1000():
    run = run_of("learning-rate", 1)
    for _ in range(3):
        run.price.step_machines()                                       # s in the game, three times
    run.skip()
    run.next()
    guess = run.price.gd.steps[-1].guess
    assert guess != 1000 and f"from g = {answer_text(guess)}, its latest guess" in run.text()
    assert "1000" not in run.text()
    assert "1000" not in run.text(run.step.hints[0])


def test_the_price_steps_g_is_the_last_guess_in_gradient_descents_table_and_next_is_one_step_on():
    """After eight guesses the table's last row says 1543.72: the text's g is that, not the ninth
    guess (1572.6) the player holds but has not shown; the next guess is one update from g."""
    run = run_of("learning-rate", 1)
    for _ in range(8):
        run.price.step_machines()
    run.skip()
    run.next()
    table = run.price.gd.steps
    g, p, lr = table[-1].guess, run.price.price, run.price.lr
    assert f"from g = {answer_text(g)}," in run.text() and dict(run.shown())["g, its latest guess"] == answer_text(g)
    assert run.answer(repr(g - lr * 2 * (g - p))).right
    fresh = run_of("learning-rate", 2)                                 # before any guess: g is the start
    assert "from g = 1000," in fresh.text()
    assert fresh.answer(repr(1000 - 0.1 * 2 * (1000 - 1688))).right


def test_the_neuron_step_never_says_below_8_beside_an_output_above_8():
    run = run_of("neuron", 3)
    run.show_me()                                                       # the output is above 8 now
    output = run.neuron.output()
    assert output > 8 and answer_text(output) in run.text() and "below 8" not in run.text()


def test_the_inspector_sample_is_named_as_the_inspector_numbers_it():
    for key in ("forward", "loss", "backprop", "update"):
        for step in load_track().find(key).steps:
            assert "sample 1" not in step.text and "sample 1" not in (step.question.ask if step.question else "")


def test_the_f1_example_has_precision_unlike_recall():
    run = run_of("metrics", 2)
    p, r = (quantities.compute(run, name, {}) for name in ("precision", "recall"))
    assert abs(p - r) > 0.1


def test_the_weight_files_lesson_saves_reloads_freezes_and_fine_tunes_for_real(tmp_path):
    result = audit_lesson(load_track().find("fine-tuning"))
    assert result.failures == [] and result.tasks == 4
    saved = list((tmp_path / "home" / "weights").glob("*.safetensors"))
    assert [p.name for p in saved] == ["lesson-fine-tuning.safetensors"]


def test_minibatch_full_batch_and_sgd_are_trained_side_by_side():
    run = run_of("batches", 3)
    assert [label for label, _ in run.compared] == ["full batch", "batch 10", "SGD"]
    assert all(len(reports) == 30 for _, reports in run.compared)
    full, mini, sgd = (reports[-1].train_loss for _, reports in run.compared)
    assert sgd < full and mini < full


def test_a_step_teaches_the_neuron_presets_weighted_sum():
    run = run_of("neuron", 4)
    assert run.session.preset.name == "neuron" and "y = w₁·x₁ + w₂·x₂ + b" in run.text()
    x1, x2, w1, w2, b = (float(v.replace("−", "-")) for _, v in run.shown())
    assert run.answer(repr(w1 * x1 + w2 * x2 + b)).right


def test_the_audit_command_prints_each_lesson_and_the_total():
    done = subprocess.run([sys.executable, "-m", "nnterm", "lessons", "--audit"], capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert lines[-1].startswith(f"{len(bundled_lessons())} lessons: ") and " claims held, " in lines[-1]
    assert sum(1 for line in lines if line.endswith(" · ok")) == len(bundled_lessons())


def test_the_readme_example_lesson_passes_the_audit(tmp_path):
    from pathlib import Path
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index('```toml\ntitle = "Sigmoid saturates"') + len("```toml\n")
    lesson = lesson_from_text(readme[start:readme.index("```", start)], "sigmoid", "sigmoid.toml")
    result = audit_lesson(lesson)
    assert result.failures == [] and result.claims == 1 and result.held == 1


def test_after_W_reloads_the_saved_epoch_the_status_lines_numbers_are_that_epochs():
    """The status line and the loss chart read the history: epochs trained past the file are gone."""
    run = run_of("fine-tuning", 2)
    assert run.show_me().right                                          # saved at epoch 3
    path, epoch = run.session.weights_saved
    saved = run.session.trainer.history[-1]
    run.session.train_now(2)
    assert not run.session.load_weights(path).error
    history = run.session.trainer.history
    assert run.session.trainer.epoch == epoch and history[-1].epoch == epoch
    assert history[-1].train_loss == saved.train_loss
