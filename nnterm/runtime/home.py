"""nnterm's own folder — saved presets, weights, lessons and progress, screenshots, histories
(docs/design.md, "Files"): $NNTERM_HOME when it is set, else the system's settings folder as
platformdirs knows it (~/.config/nnterm on Linux, honouring $XDG_CONFIG_HOME; ~/Library/Application
Support/nnterm on macOS; %LOCALAPPDATA%\\nnterm on Windows).

Earlier versions used $XDG_CONFIG_HOME/nnterm or ~/.config/nnterm on every system. Where that
folder exists and the system's does not, it stays nnterm's folder, so nothing a person saved
goes missing and nothing is moved behind their back; on Linux the two are the same folder."""
import os
from pathlib import Path

import platformdirs

APP = "nnterm"


def earlier_home() -> Path:
    """The folder every system used before platformdirs chose one."""
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / APP


def system_home() -> Path:
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def nnterm_home() -> Path:
    home = os.environ.get("NNTERM_HOME")
    if home:
        return Path(home)
    system, earlier = system_home(), earlier_home()
    if earlier != system and earlier.is_dir() and not system.exists():
        return earlier
    return system
