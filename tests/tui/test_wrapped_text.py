"""WrappedText: a Chinese paragraph on screen breaks between Hanzi and fills its lines, re-wraps on a
resize, keeps its styles; English is drawn exactly as a Static draws it."""
from rich.console import Group
from rich.text import Text
from textual.app import App
from textual.geometry import Region
from textual.widgets import Static

from nnterm.runtime.cells import NO_LINE_START, width
from nnterm.tui.widgets.wrapped_text import WrappedText

PRICE_GAME = ("主持人藏了一个价格 1688。你只能听到“低了”或者“高了”：1000 低了，2000 高了，1500 低了……"
              "每次把区间砍掉一半（二分法），就能一步步逼近。神经元先算 z = Σ w·x + b，再过激活函数。")
ENGLISH = ("The host hid a price. You only hear 'too low' or 'too high': 1000 too low, 2000 too high, "
           "1500 too low... halving the interval each time closes in on it; a neuron computes z = Σ w·x + b.")


class Shown(App):
    def __init__(self, content) -> None:
        super().__init__()
        self.content = content

    def compose(self):
        yield WrappedText(self.content, id="wrapped")
        yield Static(self.content, id="plain")


def lines_of(widget) -> list[str]:
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return [strip.text.rstrip() for strip in strips]


async def test_a_chinese_paragraph_fills_its_lines_and_rewraps_on_resize():
    app = Shown(Text(PRICE_GAME))
    async with app.run_test(size=(80, 24)) as pilot:
        for columns in (80, 44):
            await pilot.resize_terminal(columns, 24)
            await pilot.pause()
            lines = [line for line in lines_of(app.query_one("#wrapped")) if line]
            assert all(width(line) <= columns for line in lines)
            assert all(width(line) >= columns - 4 for line in lines[:-1])        # no line ends early
            assert not any(line[0] in NO_LINE_START for line in lines)
            assert any("z = Σ w·x + b" in line for line in lines)               # the formula in one piece
            assert "".join(lines).replace(" ", "") == PRICE_GAME.replace(" ", "")


async def test_styles_survive_the_wrapping():
    text = Text(PRICE_GAME)
    text.stylize("bold red", 0, 3)
    app = Shown(Group(text, Text("学习率", style="italic")))
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        widget = app.query_one("#wrapped")
        strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
        first = [segment for segment in strips[0] if segment.text.strip()][0]
        assert first.text == "主持人" and first.style.bold            # the bold span ends where it did
        assert any(segment.style and segment.style.italic and "学习率" in segment.text
                   for strip in strips for segment in strip)


async def test_english_is_drawn_exactly_as_a_static_draws_it():
    for content in (Text(ENGLISH), Group(Text(ENGLISH), Text(ENGLISH, style="dim")), ENGLISH):
        app = Shown(content)
        async with app.run_test(size=(50, 24)) as pilot:
            await pilot.pause()
            assert lines_of(app.query_one("#wrapped")) == lines_of(app.query_one("#plain"))
