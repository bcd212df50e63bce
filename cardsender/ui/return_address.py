"""The team's sender block, as Settings and the first-run welcome both edit it: the company,
the return address printed on envelopes, and the country the team mails from (store settings,
shared by everyone using the store)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QSizePolicy

from cardsender.address import check_return_address, countries
from cardsender.cards import SETTING_COMPANY, SETTING_COUNTRY, SETTING_RETURN_ADDRESS
from cardsender.environment import home_region
from cardsender.store import Store


class ReturnAddressFields:
    """Company, return address and country rows (and a line for what is wrong with them),
    added to a form that belongs to the dialog."""

    def __init__(self, form: QFormLayout) -> None:
        self.company_edit = QLineEdit()
        self.company_edit.setAccessibleName("Company")
        self.company_edit.setPlaceholderText("Northwind Energy & Water")
        self.company_edit.setToolTip("The {company} of card templates")
        form.addRow("C&ompany:", self.company_edit)

        self.return_address_edit = QPlainTextEdit()
        self.return_address_edit.setAccessibleName("Return address")
        self.return_address_edit.setPlaceholderText("Northwind Energy & Water\n400 Grand Blvd\nKansas City MO 64106")
        self.return_address_edit.setTabChangesFocus(True)
        self.return_address_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        lines = self.return_address_edit.fontMetrics().lineSpacing()
        self.return_address_edit.setFixedHeight(lines * 4 + 14)
        # The envelope prints these lines and nothing else: the company's name goes in them too.
        self.return_address_edit.setToolTip("The envelope's return address, line by line as printed: "
                                            "the company's name, the street or PO box, then the city line")
        self.return_address_edit.textChanged.connect(lambda: self.show_problem(None))
        form.addRow("&Return address:", self.return_address_edit)

        self.country_combo = QComboBox()
        self.country_combo.setAccessibleName("Country")
        self.country_combo.setToolTip("The country the team mails from: the return address is checked by its "
                                      "rules, and a card to another country gets the country line")
        for code, name in sorted(countries().items(), key=lambda item: item[1]):
            self.country_combo.addItem(name.title(), code)
        self.country_combo.currentIndexChanged.connect(lambda _index: self.show_problem(None))
        form.addRow("Coun&try:", self.country_combo)

        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_label.setAccessibleName("Return address problem")
        self.problem_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.problem_label.setStyleSheet("color: #b3261e;")  # the mailroom's warning red
        self.problem_label.hide()
        form.addRow("", self.problem_label)

    # -- values --------------------------------------------------------------------------------
    def load(self, store: Store) -> None:
        self.company_edit.setText(store.get_setting(SETTING_COMPANY, "") or "")
        self.return_address_edit.setPlainText("\n".join(store.get_setting(SETTING_RETURN_ADDRESS, []) or []))
        self.set_country(store.get_setting(SETTING_COUNTRY) or home_region())

    def set_country(self, code: str) -> None:
        index = self.country_combo.findData(code.upper())
        self.country_combo.setCurrentIndex(index if index >= 0 else self.country_combo.findData("US"))

    def company(self) -> str:
        return self.company_edit.text().strip()

    def lines(self) -> list[str]:
        return [line.strip() for line in self.return_address_edit.toPlainText().splitlines() if line.strip()]

    def country(self) -> str:
        return self.country_combo.currentData() or "US"

    def is_empty(self) -> bool:
        return not self.company() and not self.lines()

    def changed(self, store: Store) -> bool:
        return (self.company() != (store.get_setting(SETTING_COMPANY, "") or "")
                or self.lines() != (store.get_setting(SETTING_RETURN_ADDRESS, []) or [])
                or self.country() != (store.get_setting(SETTING_COUNTRY) or home_region()))

    # -- checking and saving ---------------------------------------------------------------------
    def problem(self) -> str | None:
        """What keeps the return address from being complete, or None (none at all is allowed)."""
        return check_return_address(self.lines(), self.country())

    def show_problem(self, text: str | None) -> None:
        self.problem_label.setText(text or "")
        self.problem_label.setVisible(bool(text))

    def check(self) -> bool:
        """Say what is wrong, beside the fields, and put the cursor there; True when all is well."""
        problem = self.problem()
        self.show_problem(problem)
        if problem:
            self.return_address_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        return problem is None

    def save(self, store: Store, *, actor: str) -> None:
        """Write what differs from the store (each change is an event in the store's log)."""
        if self.company() != (store.get_setting(SETTING_COMPANY, "") or ""):
            store.set_setting(SETTING_COMPANY, self.company(), actor=actor)
        if self.lines() != (store.get_setting(SETTING_RETURN_ADDRESS, []) or []):
            store.set_setting(SETTING_RETURN_ADDRESS, self.lines(), actor=actor)
        if self.country() != store.get_setting(SETTING_COUNTRY):
            store.set_setting(SETTING_COUNTRY, self.country(), actor=actor)
