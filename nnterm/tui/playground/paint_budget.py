"""How often the playground may repaint while training: a share of one core, kept by feedback.

Each live part (the numbers, the output, the network, the loss chart) has a base repaint
interval. What a repaint costs depends on the terminal's size, the network and the machine, so
the intervals are not fixed: about once a second the budget compares the UI thread's CPU time
with the wall time that passed, and stretches every interval by the same factor when the share
is above TARGET_SHARE, or relaxes it back towards the base when there is room to spare.

    share   = Δ thread_time(UI) / Δ wall
    stretch ← clamp(stretch · min(share / TARGET_SHARE, MAX_STEP), 1, MAX_STRETCH)
                                                                         when share > TARGET_SHARE
    stretch ← max(1, stretch · RELAX)                                   when share < RELAX_BELOW · TARGET_SHARE

The first window of a run is not judged: it pays one-off costs (the first paints, plotext's
import) that say nothing about the cost of a second of training.

Measured on xor at full speed, 160×48, the 2-core machine of `nnterm bench --startup`: the
base intervals alone cost the UI 16–17 % of a core, 1.5× them 12–13 % (each over 3 s).
"""
import time

TARGET_SHARE = 0.12        # the target is ≤ 20 % of one core; aim well below: windows vary ±4 %
MAX_STRETCH = 8.0          # the slowest cadence: output 1.25/s, network and chart 0.5/s
MAX_STEP = 1.5             # at most this much stretch from one window: a noisy second moves it little
RELAX = 0.8
RELAX_BELOW = 0.6
WINDOW = 1.0               # seconds of training between two looks
GAP = 2.0                  # a longer pause between observations starts a fresh window


class PaintBudget:
    def __init__(self, clock=time.monotonic, cpu_clock=time.thread_time) -> None:
        self.clock, self.cpu_clock = clock, cpu_clock
        self.stretch = 1.0
        self.share = None              # the last window's measured share, for the curious
        self.window = None             # (wall, cpu) at the window's start
        self.judged = False            # whether this run's first window is over

    def observe(self) -> float:
        """Called on the UI thread whenever training delivers; returns the stretch to use."""
        now, cpu = self.clock(), self.cpu_clock()
        if self.window is None or now - self.window[0] > GAP:
            self.window, self.judged = (now, cpu), False
            return self.stretch
        wall = now - self.window[0]
        if wall < WINDOW:
            return self.stretch
        if not self.judged:
            self.window, self.judged = (now, cpu), True
            return self.stretch
        self.share = (cpu - self.window[1]) / wall
        if self.share > TARGET_SHARE:
            self.stretch = min(MAX_STRETCH, self.stretch * min(self.share / TARGET_SHARE, MAX_STEP))
        elif self.share < RELAX_BELOW * TARGET_SHARE:
            self.stretch = max(1.0, self.stretch * RELAX)
        self.window = (now, cpu)
        return self.stretch
