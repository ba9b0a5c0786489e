"""A Static whose Chinese wraps like Chinese, at whatever width it is drawn.

Textual and Rich wrap text only at whitespace, and Chinese has no spaces between words: a Chinese
paragraph broke only around its numbers and Latin words (lines ending half empty) and its formulas
split at their inner spaces. WrappedText breaks the text where `nnterm.runtime.cells.wrap` does
(between Hanzi, never before closing punctuation, a formula kept whole where it fits), keeping
every Rich style, and does it again at each width it is drawn at, so a resize re-wraps it.

Content with no wide character is drawn exactly as a Static draws it, so English never changes.
"""
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual.widgets import Static

from nnterm.runtime.cells import char_width, line_spans


def has_wide_characters(content) -> bool:
    """Whether `content` (a str, a Rich Text, or a Group of them) holds a Hanzi or other wide
    character anywhere."""
    if isinstance(content, Group):
        return any(has_wide_characters(part) for part in content.renderables)
    text = content.plain if isinstance(content, Text) else content if isinstance(content, str) else ""
    return any(char_width(char) == 2 for char in text)


def wrapped(text: Text, cells: int) -> Text:
    """`text` with its line breaks where `wrap` puts them at `cells` cells, every style kept."""
    out = text.blank_copy()
    for i, (start, end) in enumerate(line_spans(text.plain, cells)):
        if i:
            out.append("\n")
        out.append_text(text[start:end])
    return out


class CellWrapped:
    """A Rich renderable: `renderable` with each Text in it (in Groups too) wrapped by cells at the
    width it is drawn at; a Text that asks not to wrap, tables and the rest are drawn as they are."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.rewrapped(self.renderable, options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)

    @classmethod
    def rewrapped(cls, renderable: RenderableType, cells: int) -> RenderableType:
        if isinstance(renderable, Group):
            return Group(*(cls.rewrapped(part, cells) for part in renderable.renderables), fit=renderable.fit)
        if isinstance(renderable, Text) and not renderable.no_wrap and has_wide_characters(renderable):
            return wrapped(renderable, cells)
        return renderable


class WrappedText(Static):
    """A Static for learner-facing paragraphs: Chinese wraps between Hanzi at the widget's width.
    Takes what a Static takes; a str is read as markup (or plain text with markup=False)."""

    def render(self):
        content = self.content if hasattr(self, "content") else self.renderable   # Textual 3.2 calls it renderable
        if not has_wide_characters(content):
            return super().render()
        if isinstance(content, str):
            content = Text.from_markup(content) if getattr(self, "_render_markup", True) else Text(content)
        return CellWrapped(content)
