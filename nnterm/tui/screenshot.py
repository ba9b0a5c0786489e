"""Renders the playground to an SVG file, headless, for the README:

    python -m nnterm.tui.screenshot docs/playground.svg --preset spiral --epochs 400 --size 120x36
    python -m nnterm.tui.screenshot light.svg --theme textual-light     # to check a theme by eye

It runs the real app (Textual's headless test driver), trains through the real training thread,
waits for the views to show the last epoch, and saves Textual's SVG screenshot.
"""
import argparse
import asyncio
import time

from textual.worker import WorkerState

from nnterm.presets.loader import load_preset

SETTLE_SECONDS = 60.0


async def idle(app) -> None:
    """Until no thread runs (the session's and Textual's workers) and every message has been handled."""
    deadline = time.monotonic() + SETTLE_SECONDS
    session = app.session
    for _ in range(3):
        while (not session.kernels_ready or session.training or not session.idle.is_set()
               or any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers)):
            if time.monotonic() > deadline:
                raise TimeoutError("the app did not settle")
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)                   # view repaint intervals and the chart's redraw


async def render(out: str, preset_name: str, epochs: int, size: tuple[int, int], seed: int,
                 theme: str | None = None) -> None:
    from nnterm.tui.app import NntermApp
    app = NntermApp(load_preset(preset_name), seed=seed)
    async with app.run_test(size=size) as pilot:
        if theme:
            app.theme = theme
        await idle(app)
        if epochs:
            app.playground.start(epochs)
            await idle(app)
        await pilot.pause()
        app.save_screenshot(out)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Save an SVG screenshot of the playground.")
    parser.add_argument("out", help="the .svg file to write")
    parser.add_argument("--preset", default="spiral")
    parser.add_argument("--epochs", type=int, default=400, help="train this many epochs first")
    parser.add_argument("--size", default="120x36", help="terminal COLUMNSxROWS")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--theme", default=None, help="a Textual theme, e.g. textual-light (default: the app's)")
    args = parser.parse_args(argv)
    columns, rows = (int(n) for n in args.size.lower().split("x"))
    asyncio.run(render(args.out, args.preset, args.epochs, (columns, rows), args.seed, args.theme))


if __name__ == "__main__":
    main()
