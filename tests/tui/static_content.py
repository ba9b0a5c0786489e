"""What a Static widget was given to show — a str, a rich Text or renderable, a Textual Content —
under every Textual the lower bound in pyproject.toml allows: Textual 3.2 calls it `renderable`,
later releases `content` (and no longer have `renderable`)."""
from textual.widgets import Static


def given(static: Static):
    return static.content if hasattr(type(static), "content") else static.renderable
