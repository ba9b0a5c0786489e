"""A smoke test of what each runtime dependency does for nnterm, run by .ci/lowest-versions in a
venv holding the lowest versions pyproject.toml declares: kernels (numba, numpy), a weight file
(safetensors), a saved preset (tomli-w), the metrics (scipy), and the app with its loss chart
(textual, plotext). Exits non-zero, with the traceback, on the first thing that fails."""
import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def nnterm(*args: str) -> str:
    run = subprocess.run([sys.executable, "-m", "nnterm", *args], capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        sys.exit(f"nnterm {' '.join(args)} exited {run.returncode}:\n{run.stdout}\n{run.stderr}")
    return run.stdout


async def playground(home: Path) -> None:
    from nnterm.presets.loader import load_preset
    from nnterm.tui.app import NntermApp
    from nnterm.tui.playground.loss_chart import LossChart
    app = NntermApp(load_preset("xor", ["training.epochs=3"]), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):                     # an older Textual may hand the pilot over before the screen composes
            if app.screen.query(LossChart):
                break
            await pilot.pause(0.1)
        chart = app.screen.query_one(LossChart)
        for _ in range(600):                     # n steps an epoch once the kernels are warm (a first compile: a minute)
            await pilot.press("n")
            await pilot.pause(0.3)
            if len(chart.epochs) >= 2:
                break
        assert chart.epochs, "the loss chart has no epochs"
        for key in ("ctrl+p", "pageup", "pagedown", "escape", "i", "escape", "s", "escape"):
            await pilot.press(key)
            await pilot.pause(0.3)
        assert chart.plot(60, 12).strip(), "plotext drew nothing"
        assert not app.survived_errors, app.survived_errors


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.environ["NNTERM_HOME"] = folder
        weights = str(Path(folder) / "xor.safetensors")
        nnterm("presets")
        nnterm("train", "xor", "--epochs", "3", "--save", weights)
        nnterm("eval", "--load", weights, "--json")
        nnterm("export", weights, "--output", str(Path(folder) / "torch.safetensors"))
        nnterm("summary", "digits")
        from nnterm.presets.loader import load_preset
        from nnterm.presets.writer import save_preset
        from dataclasses import replace
        save_preset(replace(load_preset("xor"), description='two\nlines "quoted"'), Path(folder) / "x.toml")
        assert load_preset(str(Path(folder) / "x.toml")).description == 'two\nlines "quoted"'
        asyncio.run(playground(Path(folder)))
    print("smoke test passed")


if __name__ == "__main__":
    main()
