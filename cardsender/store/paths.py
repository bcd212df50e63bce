"""Where the store lives: --db PATH, else $CARDSENDER_DB, else the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from cardsender import APP_NAME

ENV_VAR = "CARDSENDER_DB"
FILE_NAME = "cardsender.sqlite3"


def default_db_path() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / FILE_NAME


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    return default_db_path()
