"""When the playground repaints what the training thread delivers: each part (the numbers, the
output view, the network view) at most once per its interval while training, stretched by the
paint budget (nnterm/tui/playground/paint_budget.py), and the latest state always reaching the
screen. A mixin of PlaygroundScreen (screen.py), which owns the parts and the state named here."""
import time

# While training, a part repaints at most once per this many seconds, times the paint budget's
# stretch: the output (the decision boundary) 10 times a second, the network (a heatmap per
# neuron, costlier to paint) 4 times, and the numbers 5 — faster than anyone reads them, and
# each is a frame of its own (see update_parts).
REPAINT_INTERVALS = {"numbers": 0.2, "output-view": 0.1, "network-view": 0.25}


class Repainting:
    """Needs: views, loss_chart, budget, latest_report, latest_snapshot, stale_parts,
    part_shown_at, part_timer, show_numbers, say_overfitting (screen.py)."""

    def show_epoch(self, message) -> None:
        """A delivery from the training thread: the chart takes every report; the numbers and
        views repaint when due (see REPAINT_INTERVALS and the paint budget)."""
        self.loss_chart.add(message.reports)
        self.loss_chart.stretch = self.budget.observe()
        self.latest_report = message.report
        self.stale_parts.add("numbers")
        if message.snapshot is not None:
            self.latest_snapshot = message.snapshot
            self.stale_parts.update(view.id for view in self.views)
        self.update_parts()

    def show_snapshot(self, snapshot) -> None:
        """Every view shows this snapshot now (after a rebuild, an edit, a step)."""
        self.latest_snapshot = snapshot
        self.stale_parts.update(view.id for view in self.views)
        self.update_parts(force=True)

    def parts_due(self) -> None:
        self.part_timer = None
        self.update_parts()

    def update_parts(self, force: bool = False) -> None:
        """Repaints each stale part whose interval has passed (all of them if `force`); a timer
        comes back for the rest, so the latest state always reaches the screen."""
        now, wait = time.monotonic(), None
        for name in sorted(self.stale_parts):
            due = self.part_shown_at.get(name, 0.0) + REPAINT_INTERVALS.get(name, 0.1) * self.budget.stretch - now
            if not (force or due <= 0):
                wait = due if wait is None else min(wait, due)
                continue
            if name == "numbers":
                # In the next frame, not this one: Textual repaints the bounding box of all that
                # changed in a frame, and the full-width status line with the output view spans
                # the whole screen, every control included; apart they are two small repaints.
                self.call_after_refresh(self.show_latest_numbers)
            elif self.latest_snapshot is not None:
                self.query_view(name).show(self.latest_snapshot)
            self.part_shown_at[name] = now
            self.stale_parts.discard(name)
        if wait is not None and self.part_timer is None:
            self.part_timer = self.set_timer(max(wait, 0.01), self.parts_due)   # a 0 s Timer divides by zero

    def show_latest_numbers(self) -> None:
        self.show_numbers(self.latest_report)
        self.say_overfitting()

    def query_view(self, name: str):
        return next(view for view in self.views if view.id == name)

    def forget_frames(self) -> None:
        """After a rebuild: a frame of the old network must not follow."""
        if self.part_timer is not None:
            self.part_timer.stop()
            self.part_timer = None
        self.latest_snapshot, self.stale_parts = None, set()
