"""The rep's own preferences on this desktop (QSettings). What the whole team shares (the
sender's company and return address, each rep's signature) lives in the store instead."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from cardsender.environment import home_region

REP_NAME = "rep/name"                  # the rep's name as the call logs write it ("me")
DEFAULT_TEMPLATE = "compose/default_template"
SPELL_LANGUAGE = "compose/spell_language"
WATCHED_FOLDER = "import/watched_folder"
STORE_PATH = "store/path"              # used when neither --db nor $CARDSENDER_DB names one


class Preferences:
    def __init__(self, settings: QSettings | None = None):
        self._settings = settings or QSettings()

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
