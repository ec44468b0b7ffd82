"""Every TUI test runs without the user's settings file (tui.toml): $XDG_CONFIG_HOME is an
empty directory of the test's own, so what a developer keeps in ~/.config changes no test."""
import pytest


@pytest.fixture(autouse=True)
def no_user_settings(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
