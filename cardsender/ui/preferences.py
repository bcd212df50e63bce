"""The rep's own preferences on this desktop (QSettings). What the whole team shares (the
sender's company and return address, each rep's signature) lives in the store instead."""

from __future__ import annotations

import json

from PySide6.QtCore import QByteArray, QSettings

from cardsender.environment import home_region

REP_NAME = "rep/name"                  # the rep's name as the call logs write it ("me")
DEFAULT_TEMPLATE = "compose/default_template"
SPELL_LANGUAGE = "compose/spell_language"
WATCHED_FOLDER = "import/watched_folder"
WATCHED_IMPORTED = "import/watched_imported"  # files the watched folder took in: name|size|mtime
STORE_PATH = "store/path"              # used when neither --db nor $CARDSENDER_DB names one
MY_CARDS_ALL_REPS = "my_cards/all_reps"
MY_CARDS_STATE = "my_cards/state"      # the state tab shown last
MY_CARDS_GEOMETRY = "my_cards/geometry"
MY_CARDS_HEADER = "my_cards/header"
SETTINGS_GEOMETRY = "settings_dialog/geometry"
CUSTOMER_DIALOG_GEOMETRY = "customer_dialog/geometry"
CALL_PICKER_GEOMETRY = "call_picker/geometry"

# The watched folder remembers this many files; older ones are forgotten (a file that old
# and changed again would be imported again, and its calls already stored are skipped).
WATCHED_IMPORTED_KEPT = 500


class Preferences:
    def __init__(self, settings: QSettings | None = None):
        self._settings = settings if settings is not None else QSettings()

    @property
    def settings(self) -> QSettings:
        return self._settings

    def _get(self, key: str, default: str = "") -> str:
        value = self._settings.value(key, default)
        return str(value) if value is not None else default

    def _set(self, key: str, value: str) -> None:
        self._settings.setValue(key, value)
        self._settings.sync()

    @property
    def rep_name(self) -> str:
        return self._get(REP_NAME)

    @rep_name.setter
    def rep_name(self, value: str) -> None:
        self._set(REP_NAME, value.strip())

    @property
    def default_template(self) -> str:
        return self._get(DEFAULT_TEMPLATE, "thank-you-for-calling")

    @default_template.setter
    def default_template(self, value: str) -> None:
        self._set(DEFAULT_TEMPLATE, value)

    @property
    def spell_language(self) -> str:
        return self._get(SPELL_LANGUAGE, "en")

    @spell_language.setter
    def spell_language(self, value: str) -> None:
        self._set(SPELL_LANGUAGE, value)

    @property
    def watched_folder(self) -> str:
        return self._get(WATCHED_FOLDER)

    @watched_folder.setter
    def watched_folder(self, value: str) -> None:
        self._set(WATCHED_FOLDER, value.strip())

    @property
    def store_path(self) -> str:
        return self._get(STORE_PATH)

    @store_path.setter
    def store_path(self, value: str) -> None:
        self._set(STORE_PATH, value.strip())

    @property
    def region(self) -> str:
        return home_region()

    # -- the watched folder's memory ------------------------------------------------------------
    def watched_imports(self) -> list[str]:
        """The files the watched folder imported, as ``name|size|mtime_ns`` keys (JSON in the
        settings: an ini file turns a one-item list into a plain string)."""
        try:
            keys = json.loads(self._get(WATCHED_IMPORTED, "[]"))
        except ValueError:
            return []
        return [k for k in keys if isinstance(k, str)] if isinstance(keys, list) else []

    def remember_watched_import(self, key: str) -> None:
        keys = [k for k in self.watched_imports() if k != key] + [key]
        self._set(WATCHED_IMPORTED, json.dumps(keys[-WATCHED_IMPORTED_KEPT:]))

    # -- My cards ------------------------------------------------------------------------------
    @property
    def my_cards_all_reps(self) -> bool:
        return self._get(MY_CARDS_ALL_REPS, "false").lower() in ("true", "1")

    @my_cards_all_reps.setter
    def my_cards_all_reps(self, value: bool) -> None:
        self._set(MY_CARDS_ALL_REPS, "true" if value else "false")

    @property
    def my_cards_state(self) -> str:
        return self._get(MY_CARDS_STATE, "draft")

    @my_cards_state.setter
    def my_cards_state(self, value: str) -> None:
        self._set(MY_CARDS_STATE, value)

    # -- window layouts (Qt's own saved bytes) --------------------------------------------------
    def layout(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, (QByteArray, bytes)) else None

    def set_layout(self, key: str, value: QByteArray | bytes) -> None:
        self._settings.setValue(key, value)
