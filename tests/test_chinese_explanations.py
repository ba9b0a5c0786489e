"""The explanations of a traced step in Chinese: titles, words and the inspector's chain rule."""
import re

from nnterm.runtime.language import use
from nnterm.teach import explain
from nnterm.teach.trace import gradient_check, trace_step

from test_explain import small_trainer

HANZI = re.compile(r"[\u4e00-\u9fff]")


def traced():
    return trace_step(small_trainer(), [0, 1])


def test_a_unit_explained_in_chinese_names_both_symbols_in_one_chinese_title():
    trace = traced()
    use("zh")
    both = explain.combined(explain.weighted_sum(trace, 0, 1), explain.activation(trace, 0, 1))
    assert both.title.startswith("第 1 层第 2 个神经元的 z₂ 和 a₂")
    assert " of " not in both.title and HANZI.search(both.words)
    assert all("=" in f for f in both.filled)          # the arithmetic stays as it is


def test_a_weight_explained_in_chinese_names_its_gradient_and_its_step():
    trace = traced()
    use("zh")
    both = explain.combined(explain.gradient(trace, 1, 0, 0), explain.update(trace, 1, 0, 0, trace_preset()))
    assert both.title.startswith("∂L/∂w₁₁ 和 Δw₁₁，从第 1 层第 1 个神经元")
    assert "（链式法则：∂L/∂z · ∂z/∂w）" in both.formula[0]


def test_the_same_explanation_in_english_keeps_its_english_title():
    trace = traced()
    both = explain.combined(explain.weighted_sum(trace, 0, 1), explain.activation(trace, 0, 1))
    assert both.title.startswith("z₂ and a₂ of layer 1 unit 2, sample ")


def test_the_inspectors_chain_rule_and_gradient_check_speak_chinese():
    trace = traced()
    use("zh")
    lines = [text for _phase, text in trace.chain_rule(0, 0, 0).lines]
    assert lines[0].endswith("的权重。") and lines[1].startswith("前向：")
    assert any(text.startswith("梯度：") for text in lines)
    assert gradient_check(trace, 0, 0, 0).line().startswith("检验：")


def trace_preset():
    return small_trainer().preset
