import os
import sys
from pathlib import Path

import pytest

# Qt (the desktop client's tests) must never look for a screen on a test machine.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"


@pytest.fixture
def store_path(tmp_path):
    return tmp_path / "store.sqlite3"


@pytest.fixture
def store(store_path):
    from cardsender.store import open_store

    with open_store(store_path) as opened:
        yield opened


@pytest.fixture
def settings(tmp_path):
    """The desktop client's settings, in the test's folder (never the user's own)."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def preferences(settings):
    from cardsender.ui.preferences import Preferences

    return Preferences(settings)


@pytest.fixture
def write_file(tmp_path):
    """Write bytes or text (with an encoding) to a file in the test's folder."""

    def write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return write


@pytest.fixture
def cli(store_path, monkeypatch, tmp_path):
    """Run the real ``cardsender`` entry point in a child process against the test's store."""
    import subprocess

    monkeypatch.setenv("CARDSENDER_USER", "tester")

    def run(*args: str, db: bool = True) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "cardsender", *args]
        if db:
            command += ["--db", str(store_path)]
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "HOME": str(tmp_path / "home"),
               "XDG_DATA_HOME": str(tmp_path / "xdg-data")}
        return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)

    return run
