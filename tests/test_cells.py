"""Text measured in terminal cells: a Hanzi is two cells, and nothing is cut mid-character."""
from hypothesis import given, strategies as st

from nnterm.runtime.cells import cut, fit, pad, width


def test_a_hanzi_takes_two_cells_and_a_combining_mark_none():
    assert width("权重") == 4 and width("w1") == 2 and width("e\u0301") == 1 and width("学习率 lr") == 9


def test_a_cut_never_splits_a_wide_character():
    assert cut("学习率很小", 6) == "学习…"        # 5 cells of Hanzi fit, the 6th would straddle the edge
    assert cut("学习率很小", 10) == "学习率很小"
    assert width(cut("a学习率", 4)) <= 4


def test_padding_counts_cells_so_columns_line_up():
    rows = [pad(name, 8) + "|" for name in ("loss", "损失函数", "学习率")]
    assert len({width(row) for row in rows}) == 1
    assert pad("权重", 6, ">") == "  权重" and pad("权重", 7, "^") == " 权重  "


@given(st.text(alphabet=st.sampled_from("ab权重\u0301 …"), max_size=30), st.integers(0, 20))
def test_fit_is_exactly_the_cells_asked_for(text, cells):
    fitted = fit(text, cells)
    assert width(fitted) == cells
