"""The TUI's start-up and drawing cost, measured headless in a child process.

Needs nnterm/tui/app.py (the shell); until it exists, measure() says so instead of a figure.
"""
from importlib.util import find_spec


def measure() -> dict:
    if find_spec("nnterm.tui.app") is None:
        return {"missing": "nnterm/tui/app.py does not exist yet, so there is no first frame to time"}
    return {"error": "the TUI exists but this probe does not know how to drive it yet"}
