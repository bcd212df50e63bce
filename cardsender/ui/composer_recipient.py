"""The composer's recipient block: the customer's name and mailing address, editable, with the
store's address checks shown next to the field they are about.

A field is saved when the rep confirms it (Return) or leaves it; the composer writes it to the
customer and hands back the store's verdict, which lands under the field concerned."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QSizePolicy, QStyle, QWidget

from cardsender.address import countries

# Field, label, and where the store's check reports it ("postal code cannot be right...").
NAME_FIELDS = ("first_name", "last_name", "company")
ADDRESS_FIELDS = ("address_line1", "address_line2", "city", "region", "postal_code", "country")
FIELDS = (*NAME_FIELDS, *ADDRESS_FIELDS)
LABELS = {
    "first_name": "First name", "last_name": "Last name", "company": "Company",
    "address_line1": "Street address", "address_line2": "Address line 2", "city": "City",
    "region": "State / region", "postal_code": "Postal code", "country": "Country",
}
# The checker's words for a field -> our field.
_PROBLEM_FIELDS = {
    "street address": "address_line1", "city": "city", "city area": "city", "region": "region",
    "postal code": "postal_code", "sorting code": "postal_code", "country": "country",
}
PROBLEM_COLOR = QColor("#b3261e")


def problem_field(problem: dict[str, str]) -> str:
    return _PROBLEM_FIELDS.get(problem.get("field", ""), "address_line1")


def problem_text(problem: dict[str, str]) -> str:
    """"postal code" + "cannot be right for this address" -> "Postal code cannot be right for this address"."""
    text = f"{problem.get('field', 'address')} {problem.get('problem', '')}".strip()
    return text[:1].upper() + text[1:]


class _Field:
    """An input and what the address check says about it: a warning sign in the field, the
    words on the line under the field's row."""

    def __init__(self, name: str, editor: QWidget) -> None:
        self.name = name
        self.editor = editor
        self.problem = ""
        self.sign: QAction | None = None
        if isinstance(editor, QLineEdit):
            icon = editor.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            self.sign = editor.addAction(icon, QLineEdit.ActionPosition.TrailingPosition)
            self.sign.setVisible(False)

    def set_problem(self, text: str) -> None:
        self.problem = text
        if self.sign is not None:
            self.sign.setVisible(bool(text))
            self.sign.setToolTip(text)
        self.editor.setAccessibleDescription(text)
        self.editor.setToolTip(text)


class CountryBox(QComboBox):
    """Every country the address rules know, by name (type to jump); the store keeps the code."""

    def __init__(self) -> None:
        super().__init__()
        for code, name in sorted(countries().items(), key=lambda item: item[1]):
            self.addItem(f"{name.title()} ({code})", code)
        self.setMaxVisibleItems(16)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)

    def code(self) -> str:
        return self.currentData() or ""

    def set_code(self, code: str) -> None:
        code = (code or "").strip().upper()
        index = self.findData(code)
        if index < 0:  # a code no rule knows stays as it is, for the check to name
            self.addItem(f"{code or 'none'} (unknown)", code)
            index = self.count() - 1
        self.setCurrentIndex(index)


class RecipientForm(QWidget):
    """Name, company and mailing address; ``confirmed`` carries every field after a change."""

    confirmed = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Recipient")
        self.edits: dict[str, QLineEdit] = {}
        self.fields: dict[str, _Field] = {}
        self._saved: dict[str, str] = {}
        for name in FIELDS:
            if name == "country":
                editor = CountryBox()
                editor.activated.connect(lambda _index: self._confirm())
            else:
                editor = QLineEdit()
                editor.setPlaceholderText(LABELS[name])
                editor.editingFinished.connect(self._confirm)
                editor.setClearButtonEnabled(False)
                self.edits[name] = editor
            editor.setAccessibleName(LABELS[name])
            self.fields[name] = _Field(name, editor)
        self.country = self.fields["country"].editor
        self.edits["region"].setMaximumWidth(90)
        self.edits["postal_code"].setMaximumWidth(120)
        postal = self.edits["postal_code"]
        postal.setMinimumWidth(postal.fontMetrics().horizontalAdvance("00000-00000") + 16)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(3, 1)

        def label(text: str, buddy: QWidget) -> QLabel:
            widget = QLabel(text)
            widget.setBuddy(buddy)
            widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
            return widget

        # Rows of fields: (label, [(field, column, span)]). Each row has a line under it for
        # what the check says about its fields, shown only when it says something.
        rows = (
            ("Na&me", [("first_name", 1, 1), ("last_name", 2, 2)]),
            ("Com&pany", [("company", 1, 3)]),
            ("A&ddress", [("address_line1", 1, 3)]),
            ("", [("address_line2", 1, 3)]),
            ("C&ity", [("city", 1, 1), ("region", 2, 1), ("postal_code", 3, 1)]),
            ("Co&untry", [("country", 1, 3)]),
        )
        self._problem_lines: list[tuple[QLabel, tuple[str, ...]]] = []
        for number, (text, cells) in enumerate(rows):
            row = 2 * number
            if text:
                grid.addWidget(label(text, self.fields[cells[0][0]].editor), row, 0)
            for name, column, span in cells:
                grid.addWidget(self.fields[name].editor, row, column, 1, span)
            line = QLabel()
            line.setObjectName(f"problems_{cells[0][0]}")
            line.setWordWrap(True)
            line.setAccessibleName("Address problem")
            palette = line.palette()
            palette.setColor(QPalette.ColorRole.WindowText, PROBLEM_COLOR)
            line.setPalette(palette)
            line.hide()
            grid.addWidget(line, row + 1, 1, 1, 3)
            self._problem_lines.append((line, tuple(name for name, _, _ in cells)))
        self.edits["city"].setPlaceholderText("City")
        self.edits["address_line2"].setPlaceholderText("Apartment, suite, floor (optional)")
        self.edits["company"].setPlaceholderText("Company (optional)")

    @property
    def first_control(self) -> QWidget:
        return self.edits["first_name"]

    @property
    def last_control(self) -> QWidget:
        return self.country

    def tab_chain(self) -> list[QWidget]:
        return [self.fields[name].editor for name in FIELDS]

    # -- values -----------------------------------------------------------------------------
    def values(self) -> dict[str, str]:
        values = {name: edit.text().strip() for name, edit in self.edits.items()}
        values["country"] = self.country.code()
        return values

    def set_customer(self, customer: dict) -> None:
        for name, edit in self.edits.items():
            edit.setText(customer.get(name) or "")
            edit.setCursorPosition(0)
        self.country.set_code(customer.get("country") or "")
        self._saved = self.values()
        self.show_problems(customer.get("address_problems") or [])

    def show_problems(self, problems: list[dict[str, str]]) -> None:
        """Each problem on the line under its field's row, and a sign in the field; a field
        with none is cleared."""
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            by_field.setdefault(problem_field(problem), []).append(problem_text(problem))
        for name, field in self.fields.items():
            field.set_problem("; ".join(by_field.get(name, [])))
        for line, names in self._problem_lines:
            text = "\n".join(self.fields[name].problem for name in names if self.fields[name].problem)
            line.setText(text)
            line.setVisible(bool(text))

    def problem(self, name: str) -> str:
        """What the check says about field ``name`` ("" when nothing)."""
        return self.fields[name].problem

    def _confirm(self) -> None:
        values = self.values()
        if values != self._saved:
            self._saved = values
            self.confirmed.emit(values)
