"""Where the notice of what a step asks sits on the screen the step opened: at the top right.

Textual shows notices at the bottom right, where the playground's status line (its val figures, a
question's answer) and every teaching screen's footer are: at 80×24 the notice covered both. A
step's screen shows its notices from the top instead while the step has it open; the playground,
which outlives the step, gets its own placement back when the learner comes back.
"""
from textual.css.query import NoMatches
from textual.widgets._toast import ToastRack

TRIES = 5                    # refreshes to wait for a screen just pushed to mount its notice rack
MOVED = ("dock", "align_horizontal", "align_vertical", "margin")


def rack_of(screen) -> ToastRack | None:
    try:
        return screen.get_child_by_type(ToastRack)
    except NoMatches:
        return None


def notices_on_top(screen, tries: int = TRIES) -> None:
    """The screen's notices from its top right (once it has mounted its rack)."""
    rack = rack_of(screen)
    if rack is None:
        if tries:
            screen.app.call_after_refresh(notices_on_top, screen, tries - 1)
        return
    rack.styles.dock = "top"
    rack.styles.align = ("right", "top")
    rack.styles.margin = (0, 0, 0, 0)          # each notice keeps its own one-line margin: the top line stays


def notices_where_they_were(screen) -> None:
    """The screen's own placement of notices back (the playground, once the step is left)."""
    rack = rack_of(screen)
    if rack is None:
        return
    for rule in MOVED:
        rack.styles.inline.clear_rule(rule)
    rack.refresh(layout=True)
