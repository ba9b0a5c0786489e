"""nnterm's own folder (nnterm/runtime/home.py): NNTERM_HOME wins; else the system's settings
folder from platformdirs; a folder an earlier version filled is still used where the system's
folder is elsewhere and not there yet — nothing a person saved goes missing."""
from pathlib import Path

import pytest

from nnterm.runtime import home


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """A system whose settings folder is not ~/.config (macOS, Windows): platformdirs says where."""
    monkeypatch.delenv("NNTERM_HOME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    system = tmp_path / "Library" / "Application Support" / "nnterm"
    monkeypatch.setattr(home.platformdirs, "user_config_dir", lambda app, appauthor=None: str(system))
    return tmp_path


def test_nnterm_home_overrides_everything(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path / "mine"))
    assert home.nnterm_home() == tmp_path / "mine"


def test_on_linux_the_folder_is_xdg_config_home_as_before(tmp_path, monkeypatch):
    monkeypatch.delenv("NNTERM_HOME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    if not home.system_home().is_relative_to(tmp_path):
        pytest.skip("platformdirs puts the settings folder outside XDG_CONFIG_HOME on this system")
    assert home.nnterm_home() == tmp_path / "nnterm" == home.earlier_home()


def test_the_system_folder_from_platformdirs_on_a_fresh_machine(elsewhere):
    assert home.nnterm_home() == elsewhere / "Library" / "Application Support" / "nnterm"


def test_an_earlier_versions_folder_is_kept_until_the_system_folder_exists(elsewhere):
    earlier = elsewhere / "config" / "nnterm"
    (earlier / "presets").mkdir(parents=True)
    (earlier / "presets" / "mine.toml").write_text('name = "mine"\n')
    assert home.nnterm_home() == earlier
    from nnterm.presets.loader import user_names
    assert "mine" in user_names()                               # the presets saved before are still offered
    system = elsewhere / "Library" / "Application Support" / "nnterm"
    system.mkdir(parents=True)
    assert home.nnterm_home() == system


def test_the_presets_loader_and_the_weights_folder_use_the_same_home(elsewhere):
    from nnterm.engine.checkpoint import weights_folder
    from nnterm.presets.loader import user_preset_dir
    assert user_preset_dir() == home.nnterm_home() / "presets"
    assert weights_folder() == home.nnterm_home() / "weights"
