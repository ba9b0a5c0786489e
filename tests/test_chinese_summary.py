"""The model summary in Chinese: its words translated, its columns lined up by terminal cells."""
from nnterm.engine.trainer import Trainer
from nnterm.presets.loader import load_preset
from nnterm.runtime.cells import width
from nnterm.runtime.language import use


def test_the_summary_speaks_chinese_and_its_rule_lines_are_as_wide_as_its_rows():
    use("zh")
    lines = Trainer(load_preset("keras-binary")).network.summary().splitlines()
    assert lines[2].startswith("层（类型）") and "输出形状" in lines[2] and lines[-3].startswith("参数总数：")
    rule = width(lines[1])
    table = [line for line in lines[2:-3] if not line.startswith(("━", "─"))]
    assert all(width(line) == rule - 4 for line in table)       # the last column is right-aligned 4 cells short
