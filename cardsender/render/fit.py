"""Fitting the note into its box: the largest size in the template's range at which it fits."""

from __future__ import annotations

from dataclasses import dataclass

from cardsender.render.fonts import FontBook

SIZE_STEP = 0.5


class NoteDoesNotFit(Exception):
    """The note is too long even at the smallest size; the message says by how much."""

    def __init__(self, message: str, lines_over: int, chars_over: int):
        super().__init__(message)
        self.lines_over = lines_over
        self.chars_over = chars_over


@dataclass(frozen=True)
class FittedNote:
    size: float
    line_height: float
    lines: tuple[str, ...]

    def describe(self) -> str:
        return f"fits at {self.size:g} pt"


def wrap(text: str, book: FontBook, font: str, size: float, width: float) -> list[str]:
    """Lines no wider than ``width``: the writer's line breaks kept, words wrapped, and a word
    longer than the line broken where it must be."""
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if book.width(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while book.width(word, font, size) > width:  # break a long word
                cut = len(word) - 1
                while cut > 1 and book.width(word[:cut], font, size) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def fit_note(text: str, book: FontBook, font: str, box_width: float, box_height: float,
             min_size: float, max_size: float, leading: float) -> FittedNote:
    """The largest size (in steps of half a point) at which the note fits its box.

    Raises NoteDoesNotFit with how many lines (and about how many characters) are over at the
    smallest size, and FontError when a character cannot be printed."""
    book.runs(text, font)  # every character checked before any is measured
    size = max_size
    while size >= min_size - 1e-9:
        lines = wrap(text, book, font, size, box_width)
        if len(lines) * size * leading <= box_height + 1e-6:
            return FittedNote(size, size * leading, tuple(lines))
        size -= SIZE_STEP
    lines = wrap(text, book, font, min_size, box_width)
    room = max(0, int((box_height + 1e-6) // (min_size * leading)))
    over = len(lines) - room
    chars = sum(len(line) for line in lines[room:])
    raise NoteDoesNotFit(
        f"the note is {over} line{'s' if over != 1 else ''} too long (about {chars} characters) "
        f"even at the smallest size, {min_size:g} pt",
        over, chars,
    )
