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
    return _wrap(_paragraphs(text, book, font), book, font, size, width)


def _paragraphs(text: str, book: FontBook, font: str) -> list[list[tuple[str, float]]]:
    """Each paragraph's words with their widths at 1 pt. Widths in reportlab add up character
    by character and grow with the size, so one measurement serves every size tried."""
    paragraphs = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        paragraphs.append([(word, book.width(word, font, 1.0)) for word in paragraph.split(" ")])
    return paragraphs


def _wrap(paragraphs: list[list[tuple[str, float]]], book: FontBook, font: str, size: float,
          width: float) -> list[str]:
    space = book.width(" ", font, size)
    limit = width + 1e-6
    lines: list[str] = []
    for words in paragraphs:
        line, line_width = "", 0.0
        for word, unit in words:
            word_width = unit * size
            if line and line_width + space + word_width <= limit:
                line, line_width = f"{line} {word}", line_width + space + word_width
                continue
            if not line and word_width <= limit:
                line, line_width = word, word_width
                continue
            if line:
                lines.append(line)
            while word_width > limit:  # a word longer than the line: break it where it must
                cut = len(word) - 1
                while cut > 1 and book.width(word[:cut], font, size) > limit:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                word_width = book.width(word, font, size)
            line, line_width = word, word_width
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
    paragraphs = _paragraphs(text, book, font)
    size = max_size
    while size >= min_size - 1e-9:
        lines = _wrap(paragraphs, book, font, size, box_width)
        if len(lines) * size * leading <= box_height + 1e-6:
            return FittedNote(size, size * leading, tuple(lines))
        size -= SIZE_STEP
    lines = _wrap(paragraphs, book, font, min_size, box_width)
    room = max(0, int((box_height + 1e-6) // (min_size * leading)))
    over = len(lines) - room
    chars = sum(len(line) for line in lines[room:])
    raise NoteDoesNotFit(
        f"the note is {over} line{'s' if over != 1 else ''} too long (about {chars} characters) "
        f"even at the smallest size, {min_size:g} pt",
        over, chars,
    )
