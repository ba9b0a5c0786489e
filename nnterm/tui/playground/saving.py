"""Files the playground writes on a key: the screen as SVG, the loss history as CSV.

Each goes into the working folder — where the person started nnterm, and will look — or, when
that folder cannot be written (a read-only checkout, a classroom's shared folder), into
$NNTERM_HOME/screenshots or $NNTERM_HOME/history. A name is never reused: nnterm-PRESET-TIME,
with -2, -3, … when two land in the same second. Writes are atomic (nnterm/runtime/fileio.py).
"""
import errno
import os
import re
import time
from pathlib import Path

from nnterm.engine.history import history_csv
from nnterm.runtime.home import nnterm_home
from nnterm.runtime.fileio import atomic_write_text
from nnterm.runtime.visible import visible


def writable(folder: Path) -> bool:
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


def folder_for(kind: str) -> Path:
    """The working folder if it can be written, else $NNTERM_HOME/<kind> (made if need be)."""
    here = Path.cwd()
    if writable(here):
        return here
    folder = nnterm_home() / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        # mkdir says only "File exists" for a file where the folder should be: say which, and what to do.
        if folder.exists() and not folder.is_dir():
            raise OSError(errno.ENOTDIR, f"{visible(folder)} is a file, not a folder: move it away, or start nnterm "
                                         "in a folder you can write") from None
        raise OSError(err.errno, f"{visible(folder)} cannot be made ({err.strerror})") from None
    return folder


def free_path(folder: Path, preset_name: str, what: str, suffix: str) -> Path:
    """nnterm-spiral-20261201-204455.svg, or …-2.svg when that one exists."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", preset_name).strip("-.") or "preset"
    stem = f"nnterm-{name}{what}-{time.strftime('%Y%m%d-%H%M%S')}"
    path, n = folder / f"{stem}{suffix}", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}{suffix}"
    return path


def save_text(kind: str, preset_name: str, what: str, suffix: str, text: str) -> Path:
    """Writes `text` to a fresh file (see the module); returns where. OSError says why not."""
    path = free_path(folder_for(kind), preset_name, what, suffix)
    atomic_write_text(path, text)
    return path


def save_screen_svg(app, preset_name: str) -> Path:
    return save_text("screenshots", preset_name, "", ".svg", app.export_screenshot(title=f"nnterm · {preset_name}"))


def save_history_csv(trainer) -> Path:
    return save_text("history", trainer.preset.name, "-history", ".csv", history_csv(trainer.history))
