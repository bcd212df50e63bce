"""The composer's note: a plain-text editor with merge fields, a spell checker (wavy red
underline, suggestions on right-click or Ctrl+Space, a personal dictionary), characters the
font cannot print marked, and the fit meter that says where the note stands."""

from __future__ import annotations

import re

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import (
    QAction, QColor, QContextMenuEvent, QFont, QPalette, QSyntaxHighlighter, QTextCharFormat, QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QLabel, QMenu, QPlainTextEdit, QWidget

from cardsender.render.card import CardProblem
from cardsender.render.fit import NoteDoesNotFit
from cardsender.render.fonts import FontError
from cardsender.spelling import Misspelling, Speller
from cardsender.templates import MERGE_FIELDS, MergeError, Template
from cardsender.ui.messages import failure_text
from cardsender.ui.tasks import run_task

FIELD_TITLES = {"first_name": "First name", "last_name": "Last name", "full_name": "Full name",
                "rep_name": "Your signature name", "company": "Our company"}
_FIELD = re.compile(r"\{([^{}]*)\}")
_CODE_POINT = re.compile(r"U\+([0-9A-F]{4,6})")
OK_COLOR = QColor("#1e6b3a")
PROBLEM_COLOR = QColor("#b3261e")
SPELL_COLOR = QColor("#d0312d")


def _utf16(text: str, index: int) -> int:
    """A Python index into ``text`` as Qt counts it (UTF-16 code units)."""
    head = text[:index]
    return index + sum(1 for ch in head if ord(ch) > 0xFFFF)


def _from_utf16(text: str, position: int) -> int:
    index = units = 0
    while index < len(text) and units < position:
        units += 2 if ord(text[index]) > 0xFFFF else 1
        index += 1
    return index


def unprintable_characters(error: BaseException) -> frozenset[str]:
    """The characters a FontError names (``U+6F22 ...``)."""
    if not isinstance(error, FontError):
        return frozenset()
    return frozenset(chr(int(code, 16)) for code in _CODE_POINT.findall(str(error)))


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe_problem(error: BaseException) -> str:
    """Why the card cannot print, in the fit meter's few words."""
    if isinstance(error, NoteDoesNotFit):
        smallest = re.search(r"(\d+(?:\.\d+)?) pt\s*$", str(error))
        lines = f"{error.lines_over} line{'s' if error.lines_over != 1 else ''}"
        at = f", even at {smallest.group(1)} pt" if smallest else ""
        if error.chars_over:
            return f"{lines} too long (about {error.chars_over} characters{at})"
        return f"{lines} too long{at}"
    if isinstance(error, MergeError):
        unknown = re.search(r"uses (\{[^{}]*\}), which is not a merge field", str(error))
        if unknown:
            return f"{unknown.group(1)} is not a merge field: pick one with Insert field (Ctrl+Shift+F)"
        return _capitalized(str(error))
    if isinstance(error, CardProblem) and str(error) == "the note is empty":
        return "Write a note to queue the card"
    if isinstance(error, (FontError, CardProblem)):
        return _capitalized(str(error))
    return f"The preview could not be drawn: {failure_text(error)}"


def problem_kind(error: BaseException) -> str:
    """The problem in two or three words, for the line by the Queue button."""
    if isinstance(error, NoteDoesNotFit):
        return "too long"
    if isinstance(error, FontError):
        return "a character that cannot print"
    if isinstance(error, MergeError):
        return "a merge field"
    if isinstance(error, CardProblem) and str(error) == "the note is empty":
        return "empty"
    return "see above"


class NoteHighlighter(QSyntaxHighlighter):
    """Merge fields in the accent colour, misspelt words with the spell-check underline,
    characters the font cannot print on red."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.speller: Speller | None = None
        self.unprintable: frozenset[str] = frozenset()
        self.spelling_format = QTextCharFormat()
        self.spelling_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self.spelling_format.setUnderlineColor(SPELL_COLOR)
        self.field_format = QTextCharFormat()
        self.field_format.setForeground(QColor("#1d5fa8"))
        self.unknown_field_format = QTextCharFormat()
        self.unknown_field_format.setForeground(PROBLEM_COLOR)
        self.unknown_field_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
        self.unknown_field_format.setUnderlineColor(PROBLEM_COLOR)
        self.unprintable_format = QTextCharFormat()
        self.unprintable_format.setBackground(QColor("#f6c9c4"))
        self.unprintable_format.setForeground(PROBLEM_COLOR)

    def set_speller(self, speller: Speller | None) -> None:
        self.speller = speller
        self.rehighlight()

    def set_unprintable(self, characters: frozenset[str]) -> None:
        if characters != self.unprintable:
            self.unprintable = characters
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt's name)
        wide = any(ord(ch) > 0xFFFF for ch in text)

        def mark(start: int, end: int, fmt: QTextCharFormat) -> None:
            if wide:
                start, end = _utf16(text, start), _utf16(text, end)
            self.setFormat(start, end - start, fmt)

        for match in _FIELD.finditer(text):
            known = match.group(1).strip() in MERGE_FIELDS
            mark(match.start(), match.end(), self.field_format if known else self.unknown_field_format)
        if self.speller is not None:
            for miss in self.speller.misspellings(text):
                mark(miss.start, miss.end, self.spelling_format)
        if self.unprintable:
            for index, ch in enumerate(text):
                if ch in self.unprintable:
                    mark(index, index + 1, self.unprintable_format)


class NoteEditor(QPlainTextEdit):
    """Where the rep writes. Tab moves on (a note has no tabs); right-click on a misspelt word
    offers its corrections above the usual menu."""

    spelling_changed = Signal()  # the personal dictionary grew

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Note")
        self.setAccessibleDescription("Words underlined in red may be misspelt: right-click one, or press "
                                      "Ctrl+Space, for corrections. Ctrl+Shift+F inserts a merge field.")
        self.setTabChangesFocus(True)
        self.setPlaceholderText("A few warm words, in your own voice…")
        font = QFont(self.font())
        font.setPointSizeF(max(11.0, font.pointSizeF() * 1.15))
        self.setFont(font)
        self.document().setDocumentMargin(10)
        self.highlighter = NoteHighlighter(self.document())
        self._suggestions: dict[str, list[str]] = {}
        self.last_menu: QMenu | None = None  # the spelling or field menu shown last (tests read it)

    @property
    def speller(self) -> Speller | None:
        return self.highlighter.speller

    def set_speller(self, speller: Speller | None) -> None:
        self._suggestions.clear()
        self.highlighter.set_speller(speller)

    def set_note(self, text: str) -> None:
        """Replace the whole note as one step the rep can undo."""
        cursor = QTextCursor(self.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        self.moveCursor(QTextCursor.MoveOperation.End)

    # -- merge fields -----------------------------------------------------------------------
    def insert_field(self, name: str) -> None:
        self.insertPlainText(f"{{{name}}}")
        self.setFocus()

    def field_menu(self, parent: QWidget | None = None) -> QMenu:
        menu = QMenu(parent or self)
        menu.setAccessibleName("Insert field")
        for name in MERGE_FIELDS:
            action = menu.addAction(f"{FIELD_TITLES.get(name, name)}\t{{{name}}}")
            action.setData(name)
            action.triggered.connect(lambda _checked=False, n=name: self.insert_field(n))
        return menu

    def show_field_menu(self) -> None:
        """Ctrl+Shift+F: the fields, at the text cursor."""
        menu = self.field_menu()
        self.last_menu = menu
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.viewport().mapToGlobal(self.cursorRect().bottomLeft()))

    # -- spelling ---------------------------------------------------------------------------
    def misspelling_at(self, cursor: QTextCursor) -> tuple[int, Misspelling] | None:
        """The misspelt word under ``cursor`` (or just before it), with its block's position."""
        if self.speller is None:
            return None
        block = cursor.block()
        text = block.text()
        here = _from_utf16(text, cursor.positionInBlock())
        for miss in self.speller.misspellings(text):
            if miss.start <= here <= miss.end:
                return block.position(), miss
        return None

    def next_misspelling(self, cursor: QTextCursor) -> QTextCursor | None:
        """A cursor on the first misspelt word from ``cursor`` on (wrapping to the top)."""
        if self.speller is None:
            return None
        document = self.document()
        start = cursor.position()
        found: list[int] = []
        block = document.begin()
        while block.isValid():
            text = block.text()
            for miss in self.speller.misspellings(text):
                found.append(block.position() + _utf16(text, miss.start))
            block = block.next()
        if not found:
            return None
        position = next((p for p in found if p >= start), found[0])
        result = QTextCursor(document)
        result.setPosition(position)
        return result

    def _spelling_actions(self, menu: QMenu, cursor: QTextCursor, before: QAction | None) -> bool:
        """Put the corrections for the word at ``cursor`` at the top of ``menu``."""
        found = self.misspelling_at(cursor)
        if found is None:
            return False
        block_start, miss = found
        text = cursor.block().text()
        start = block_start + _utf16(text, miss.start)
        end = block_start + _utf16(text, miss.end)
        word = miss.word

        def add(action: QAction) -> None:
            menu.insertAction(before, action) if before is not None else menu.addAction(action)

        def replace_with(suggestion: str) -> None:
            edit = QTextCursor(self.document())
            edit.setPosition(start)
            edit.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            if edit.selectedText() == word:  # the text may have changed while the menu was open
                edit.insertText(suggestion)

        def suggestion_action(suggestion: str) -> QAction:
            action = QAction(suggestion, menu)
            font = action.font()
            font.setBold(True)
            action.setFont(font)
            action.triggered.connect(lambda _checked=False, s=suggestion: replace_with(s))
            return action

        known = self._suggestions.get(word)
        placeholder = QAction("Looking for suggestions…" if known is None else "No suggestions", menu)
        placeholder.setEnabled(False)
        if known:
            for suggestion in known:
                add(suggestion_action(suggestion))
        else:
            add(placeholder)
        add_word = QAction(f"Add “{word}” to dictionary", menu)
        add_word.triggered.connect(lambda _checked=False: self.add_to_dictionary(word))
        add(add_word)
        separator = QAction(menu)
        separator.setSeparator(True)
        add(separator)
        if known is None:
            # Suggestions for a long word with no near neighbour can take seconds: found on a
            # worker, put in the open menu when ready.
            speller = self.speller

            def fill(suggestions: list[str]) -> None:
                self._suggestions[word] = suggestions
                if not suggestions:
                    placeholder.setText("No suggestions")
                    return
                for suggestion in suggestions:
                    menu.insertAction(placeholder, suggestion_action(suggestion))
                menu.removeAction(placeholder)

            run_task(lambda _control: speller.suggestions(word), fill,
                     lambda _error: placeholder.setText("No suggestions"), context=menu)
        return True

    def context_menu(self, position: QPoint) -> QMenu:
        """The right-click menu at ``position`` (viewport coordinates): corrections first."""
        menu = self.createStandardContextMenu(position)
        actions = menu.actions()
        self._spelling_actions(menu, self.cursorForPosition(position), actions[0] if actions else None)
        self.last_menu = menu
        return menu

    def spelling_menu(self) -> QMenu | None:
        """Ctrl+Space: corrections for the word at the text cursor, or the next misspelt one."""
        cursor = self.textCursor()
        if self.misspelling_at(cursor) is None:
            cursor = self.next_misspelling(cursor)
            if cursor is None:
                return None
            self.setTextCursor(cursor)
        menu = QMenu(self)
        menu.setAccessibleName("Spelling")
        self._spelling_actions(menu, cursor, None)
        self.last_menu = menu
        return menu

    def show_spelling_menu(self) -> bool:
        """Pop the spelling menu at the text cursor; False when there is nothing to correct."""
        menu = self.spelling_menu()
        if menu is None:
            return False
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.viewport().mapToGlobal(self.cursorRect().bottomLeft()))
        return True

    def add_to_dictionary(self, word: str) -> None:
        if self.speller is not None:
            self.speller.add(word)
            self.highlighter.rehighlight()
            self.spelling_changed.emit()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        menu = self.context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()


class FitMeter(QLabel):
    """Where the note stands, always: "Fits at 14 pt", "3 lines too long (about 80 characters,
    even at 12 pt)", "Cannot print U+6F22 …", "{nickname} is not a merge field…"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Fit")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ok = False
        self.setText("Checking the note…")

    def _show(self, text: str, color: QColor, ok: bool) -> None:
        self.ok = ok
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, color)
        self.setPalette(palette)
        self.setText(text)
        self.setAccessibleDescription(text)

    def show_fit(self, fit: str, template: Template | None) -> None:
        """``fit`` as the renderer says it ("fits at 14 pt"), placed in the template's range."""
        size = re.search(r"(\d+(?:\.\d+)?) pt", fit)
        text = "✓ " + _capitalized(fit)
        if size and template is not None:
            points = float(size.group(1))
            if points <= template.note.min_size + 1e-6:
                text += ", the smallest size: the note's box is full"
            elif points >= template.note.max_size - 1e-6:
                text += ", the largest size"
        self._show(text, OK_COLOR, True)

    def show_problem(self, error: BaseException) -> None:
        self._show("✗ " + describe_problem(error), PROBLEM_COLOR, False)
