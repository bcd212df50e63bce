"""The faces cards are set in: ``assets/fonts/fonts.toml``, registered with reportlab once.

Every character is checked against the chosen face, then the wide-coverage fallback; text is
drawn in runs of one face each, and a character neither face has is an error naming it.
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from cardsender.resources import asset_path

_DROP_INVISIBLE = str.maketrans("", "", "\n\r\t")


class FontError(Exception):
    """A face that cannot be used, or text that no face can print; the message says which."""


def describe_char(ch: str) -> str:
    """``U+1F600 GRINNING FACE``: how a character is named to a person."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"


@dataclass(frozen=True)
class Face:
    key: str
    path: Path
    family: str
    kind: str

    @property
    def pdf_name(self) -> str:
        return f"cs-{self.key}"


class FontBook:
    def __init__(self, folder: Path | None = None):
        self.folder = folder or asset_path("fonts")
        index = self.folder / "fonts.toml"
        try:
            data = tomllib.loads(index.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise FontError(f"{index}: cannot be read ({error})") from None
        self.faces: dict[str, Face] = {}
        for key, spec in data.items():
            path = self.folder / str(spec.get("file", ""))
            if path.suffix.lower() != ".ttf" or not path.is_file():
                raise FontError(f"{index}: [{key}] file {spec.get('file')!r} must be a .ttf file in {self.folder}")
            self.faces[key] = Face(key, path, str(spec.get("family", key)), str(spec.get("kind", "text")))
        fallbacks = [f for f in self.faces.values() if f.kind == "fallback"]
        if not fallbacks:
            raise FontError(f"{index}: no face has kind = \"fallback\"")
        self.fallback = fallbacks[0]
        texts = [f for f in self.faces.values() if f.kind == "text"]
        self.text_face = texts[0] if texts else self.fallback
        self._registered: dict[str, str] = {}
        self._run_args: dict[str, tuple[str, str, str, str]] = {}

    def face(self, key: str) -> Face:
        if key not in self.faces:
            raise FontError(f"no font called {key!r}; the fonts are: {', '.join(self.faces)}")
        return self.faces[key]

    def register(self, key: str) -> str:
        """Register a face with reportlab (once per process) and return its PDF name."""
        known = self._registered.get(key)
        if known is not None:
            return known
        face = self.face(key)
        if face.pdf_name not in pdfmetrics.getRegisteredFontNames():
            try:
                pdfmetrics.registerFont(TTFont(face.pdf_name, str(face.path)))
            except Exception as error:  # reportlab raises plain exceptions for bad font files
                raise FontError(f"{face.path.name} cannot be embedded ({error}); use a TrueType .ttf") from None
        self._registered[key] = face.pdf_name
        return face.pdf_name

    def runs(self, text: str, key: str) -> tuple[tuple[str, str], ...]:
        """``text`` as (pdf font name, substring) runs: the face where it has the character,
        else the fallback. Raises FontError naming every character neither face has."""
        known = self._run_args.get(key)
        if known is None:
            known = self._run_args[key] = (self.register(key), self.register(self.fallback.key),
                                           self.face(key).family, self.fallback.family)
        return _runs(text, *known)

    def width(self, text: str, key: str, size: float) -> float:
        return sum(_unit_width(name, part) for name, part in self.runs(text, key)) * size


def draw_text(canvas, book: FontBook, text: str, face: str, size: float, x: float, baseline: float) -> None:
    """One line of text on a reportlab canvas, in runs of the face, or the fallback where the
    face lacks a character (every line the renderer draws goes through here)."""
    runs = book.runs(text, face)
    for number, (pdf_name, part) in enumerate(runs):
        canvas.setFont(pdf_name, size)
        canvas.drawString(x, baseline, part)
        if number + 1 < len(runs):
            x += _unit_width(pdf_name, part) * size


@lru_cache(maxsize=16384)
def _runs(text: str, primary: str, fallback: str, family: str, fallback_family: str) -> tuple[tuple[str, str], ...]:
    printable = text.translate(_DROP_INVISIBLE)
    if _chars(primary).issuperset(printable):  # nearly always: one run, checked at C speed
        return ((primary, printable),) if printable else ()
    have, spare = _chars(primary), _chars(fallback)
    runs: list[tuple[str, str]] = []
    missing: list[str] = []
    for ch in printable:
        name = primary if ch in have else fallback if ch in spare else None
        if name is None:
            if ch not in missing:
                missing.append(ch)
        elif runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + ch)
        else:
            runs.append((name, ch))
    if missing:
        raise FontError("cannot print " + ", ".join(describe_char(ch) for ch in missing)
                        + f" (not in {family} nor {fallback_family})")
    return tuple(runs)


@lru_cache(maxsize=64)
def _chars(pdf_name: str) -> frozenset[str]:
    return frozenset(chr(code) for code in _glyphs(pdf_name)) | {" "}


@lru_cache(maxsize=64)
def _glyphs(pdf_name: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(pdf_name).face.charToGlyph)


@lru_cache(maxsize=65536)
def _unit_width(pdf_name: str, text: str) -> float:
    return pdfmetrics.stringWidth(text, pdf_name, 1.0)


@lru_cache(maxsize=4)
def font_book(folder: Path | None = None) -> FontBook:
    """The shipped font book, loaded once."""
    return FontBook(folder)
