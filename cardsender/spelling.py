"""Spell checking for notes (pyspellchecker, offline), with a personal dictionary.

No Qt here: the note editor asks which words are misspelt and what to suggest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import platformdirs

from cardsender import APP_NAME

LANGUAGES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German", "it": "Italian",
             "pt": "Portuguese", "nl": "Dutch", "ru": "Russian", "lv": "Latvian", "eu": "Basque",
             "ar": "Arabic", "fa": "Persian"}
# Words: letters with inner apostrophes or hyphens; merge fields ({first_name}) are skipped.
_WORD = re.compile(r"\{[^{}]*\}|[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True)
class Misspelling:
    start: int
    end: int
    word: str


@lru_cache(maxsize=4)
def _checker(language: str):
    from spellchecker import SpellChecker

    return SpellChecker(language=language)


def personal_dictionary_path(language: str) -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / f"dictionary-{language}.txt"


class Speller:
    """Checks words against a language's dictionary, the rep's own words and the names on
    this card (a customer's name is never a spelling mistake)."""

    def __init__(self, language: str = "en", *, dictionary: Path | None = None, names: tuple[str, ...] = ()):
        if language not in LANGUAGES:
            raise ValueError(f"no dictionary for {language!r}; there are: {', '.join(LANGUAGES)}")
        self.language = language
        self.dictionary = dictionary or personal_dictionary_path(language)
        self._own = set(self._read_own())
        self._names = {part.lower() for name in names for part in re.findall(r"[^\W\d_]+", name)}

    def _read_own(self) -> list[str]:
        try:
            return [w.strip().lower() for w in self.dictionary.read_text(encoding="utf-8").splitlines() if w.strip()]
        except FileNotFoundError:
            return []

    def misspellings(self, text: str) -> list[Misspelling]:
        found = []
        candidates = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text) if not m.group().startswith("{")]
        unknown = _checker(self.language).unknown(
            {w.lower() for _, _, w in candidates if len(w) > 1} - self._own - self._names)
        for start, end, word in candidates:
            if word.lower() in unknown:
                found.append(Misspelling(start, end, word))
        return found

    def suggestions(self, word: str, limit: int = 6) -> list[str]:
        checker = _checker(self.language)
        ranked = sorted(checker.candidates(word.lower()) or (), key=lambda w: -checker.word_usage_frequency(w))
        if word[:1].isupper():
            ranked = [w[:1].upper() + w[1:] for w in ranked]
        return [w for w in ranked if w.lower() != word.lower()][:limit]

    def add(self, word: str) -> None:
        """Keep ``word`` in the rep's personal dictionary, for this and later sessions."""
        word = word.strip().lower()
        if not word or word in self._own:
            return
        self._own.add(word)
        self.dictionary.parent.mkdir(parents=True, exist_ok=True)
        with self.dictionary.open("a", encoding="utf-8") as handle:
            handle.write(word + "\n")
