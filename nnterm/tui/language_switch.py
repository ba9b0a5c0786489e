"""Switching the language live (ctrl+l, or the palette's "Language: 中文 / English").

The app starts in the language the CLI chose (nnterm/runtime/language.py). A switch changes the
catalog, then every screen on the stack redraws its words: a widget or screen whose words were
set once (a Static's text, a Select's options, a border title) has a `retranslate()` that sets
them again; everything else translates in render() and only needs the refresh. The footers
translate their key descriptions when the bindings refresh (nnterm/tui/widgets/footer.py).
"""
from nnterm.runtime.language import LANGUAGES, current, use


def next_language() -> str:
    """The language after the one in use, in LANGUAGES' order (English ↔ 中文)."""
    codes = list(LANGUAGES)
    return codes[(codes.index(current()) + 1) % len(codes)]


def switch_language(app, code: str) -> None:
    """Speak `code` from now on, on every open screen at once."""
    use(code)
    for screen in list(app.screen_stack):
        for node in [screen, *screen.walk_children()]:
            retranslate = getattr(node, "retranslate", None)
            if callable(retranslate):
                node.call_next(retranslate)        # may be async (a panel recomposes its rows)
            node.refresh(layout=True)
    app.refresh_bindings()
