"""Who called? For a call no customer matched: find the customer in the directory (by name,
phone digits or account number), or enter a new one with a mailing address. The choice is
saved on the call, so the card (and any later look at the call) knows who it is for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cardsender.address import check_address, countries
from cardsender.cards import SETTING_COUNTRY
from cardsender.environment import home_region
from cardsender.store import Store, open_store
from cardsender.ui.formatting import call_time, display_phone, one_line
from cardsender.ui.messages import show_failure
from cardsender.ui.preferences import CUSTOMER_DIALOG_GEOMETRY, Preferences
from cardsender.ui.tables import ListTableModel, selected_row
from cardsender.ui.tasks import TaskControl, run_task

SEARCH_DELAY_MS = 200
SEARCH_LIMIT = 100


def search_in_own_store(store_path: Path, text: str) -> list[dict[str, Any]]:
    with open_store(store_path) as store:
        return store.search_customers(text, SEARCH_LIMIT)


def full_name(customer: dict[str, Any]) -> str:
    return " ".join(p for p in (customer.get("first_name"), customer.get("last_name")) if p)


def one_line_address(customer: dict[str, Any]) -> str:
    place = " ".join(p for p in (customer.get("region"), customer.get("postal_code")) if p)
    parts = [customer.get("address_line1"), customer.get("address_line2"), customer.get("city"), place,
             customer.get("country")]
    return ", ".join(p for p in parts if p)


def problems_text(problems: list[dict[str, str]]) -> str:
    return "; ".join(f"{p['field']} {p['problem']}" for p in problems)


def warning_icon():
    return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)


class CustomerResultsModel(ListTableModel):
    HEADERS = ("Name", "Company", "Account", "Phone", "Address")

    def __init__(self, region: str, parent=None) -> None:
        super().__init__(parent)
        self._region = region
        self.customers: list[dict[str, Any]] = []

    def set_customers(self, customers: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.customers = list(customers)
        self.endResetModel()

    def items(self) -> list[dict[str, Any]]:
        return self.customers

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        customer = self.customers[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return full_name(customer) or customer["company"]
            if column == 1:
                return customer["company"] if full_name(customer) else ""
            if column == 2:
                return customer["account_number"] or ""
            if column == 3:
                return ", ".join(display_phone(p, self._region) for p in customer["phones"].split())
            return one_line_address(customer)
        if column == 4 and not customer["mailable"]:
            if role == Qt.ItemDataRole.DecorationRole:
                return warning_icon()
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Not mailable: {problems_text(customer['address_problems'])}"
        if role == Qt.ItemDataRole.ToolTipRole and column in (3, 4):
            return self.data(index)
        return None


class CustomerDialog(QDialog):
    """Pick the customer of ``call`` (a row of ``store.get_call``). On accept the call is
    matched in the store and :attr:`customer_id` says to whom."""

    results_shown = Signal()  # a search's answer is in the list (tests wait for it)

    def __init__(self, store: Store, call: dict[str, Any], *, preferences: Preferences | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.call = call
        self.preferences = preferences or Preferences()
        self.customer_id: int | None = None
        self._search: TaskControl | None = None
        self._generation = 0
        region = home_region()
        phone = display_phone(call["phone"] or "", region)
        self.setWindowTitle(f"Who called from {phone}?" if phone else "Who called?")

        caller = call.get("caller_name") or ""
        facts = [call_time(call["started_at"]), phone or "no number", call.get("rep") or "",
                 one_line(call.get("reason"))]
        self.call_label = QLabel("Call: " + " · ".join(f for f in facts if f))
        self.call_label.setAccessibleName("The call")
        self.call_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.call_label.font()
        font.setBold(True)
        self.call_label.setFont(font)
        intro = QLabel(
            "No customer in the directory has this call's number or account. Find the customer, or "
            "enter a new one; the call is matched to them and the card goes to their address."
            + (f"\nThe call log names the caller “{caller}”." if caller else "")
        )
        intro.setWordWrap(True)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._make_find_tab(region), "&Find a customer")
        self.tabs.addTab(self._make_new_tab(call, caller, phone), "&New customer")
        self.tabs.currentChanged.connect(self._update_buttons)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.call_label)
        layout.addWidget(intro)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

        geometry = self.preferences.layout(CUSTOMER_DIALOG_GEOMETRY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(self.fontMetrics().horizontalAdvance("x") * 124, self.fontMetrics().height() * 31)
        self._update_buttons()
        self._check_address()
        if self.search_edit.text():
            self.search_now()

    # -- find ----------------------------------------------------------------------------------
    def _make_find_tab(self, region: str) -> QWidget:
        self.search_edit = QLineEdit(self.call.get("caller_name") or "")
        self.search_edit.setAccessibleName("Search customers")
        self.search_edit.setPlaceholderText("Name, company, account number or phone digits")
        self.search_edit.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_now)
        self.search_edit.textChanged.connect(self._search_timer.start)

        self.results = CustomerResultsModel(region, self)
        self.results_view = QTableView()
        self.results_view.setAccessibleName("Customers found")
        self.results_view.setModel(self.results)
        self.results_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_view.setAlternatingRowColors(True)
        self.results_view.setShowGrid(False)
        self.results_view.setWordWrap(False)
        self.results_view.verticalHeader().hide()
        self.results_view.verticalHeader().setDefaultSectionSize(self.results_view.fontMetrics().height() + 10)
        header = self.results_view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        metrics = self.results_view.fontMetrics()
        for column, sample in enumerate(("Stephanie Evans-Martínez", "Farah Landscaping", "AC-000000", "(816) 555-0114")):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
        self.results_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.results_view.doubleClicked.connect(lambda _index: self.accept())

        self.search_status = QLabel("Type a name, an account number or digits of a phone number.")
        self.search_status.setAccessibleName("Search result")

        page = QWidget()
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        label = QLabel("&Search:")
        label.setBuddy(self.search_edit)
        row.addWidget(label)
        row.addWidget(self.search_edit, 1)
        layout.addLayout(row)
        layout.addWidget(self.results_view, 1)
        layout.addWidget(self.search_status)
        QWidget.setTabOrder(self.search_edit, self.results_view)
        return page

    def search_now(self) -> None:
        self._search_timer.stop()
        text = self.search_edit.text().strip()
        self._generation += 1
        generation = self._generation
        if self._search is not None:
            self._search.abandon()
        if not text:
            self._show_results(generation, text, [])
            return
        self.search_status.setText("Searching…")
        store_path = self.store.path
        self._search = run_task(
            lambda _control: search_in_own_store(store_path, text),
            on_done=lambda found: self._show_results(generation, text, found),
            on_error=lambda error: self._search_failed(generation, error),
            context=self,
        )

    def _show_results(self, generation: int, text: str, found: list[dict[str, Any]]) -> None:
        if generation != self._generation:
            return
        self._search = None
        self.results.set_customers(found)
        if found:
            self.results_view.selectRow(0)
        if not text:
            self.search_status.setText("Type a name, an account number or digits of a phone number.")
        elif not found:
            self.search_status.setText(f"No customer matches “{text}”: try fewer letters, or add a new customer.")
        elif len(found) >= SEARCH_LIMIT:
            self.search_status.setText(f"The first {SEARCH_LIMIT} customers by name; type more to narrow them.")
        else:
            self.search_status.setText(f"{len(found)} customer{'s' if len(found) != 1 else ''} found.")
        self._update_buttons()
        self.results_shown.emit()

    def _search_failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._search = None
            self.search_status.setText("The search failed.")
            show_failure(self, "Find a customer", error)

    def selected_customer(self) -> dict[str, Any] | None:
        row = selected_row(self.results_view)
        return None if row is None else self.results.customers[row]

    # -- new -----------------------------------------------------------------------------------
    def _make_new_tab(self, call: dict[str, Any], caller: str, phone: str) -> QWidget:
        first, _, last = caller.strip().rpartition(" ") if " " in caller.strip() else ("", "", caller.strip())
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for name, label, value, hint in (
            ("first_name", "F&irst name:", first, ""),
            ("last_name", "&Last name:", last, ""),
            ("company", "C&ompany:", "", "If the card goes to a business"),
            ("address_line1", "&Street address:", "", "House number and street"),
            ("address_line2", "Address line &2:", "", "Apartment, suite, unit (optional)"),
            ("city", "&City:", "", ""),
            ("region", "State or &region:", "", "Two letters in the US and Canada: MO, ON"),
            ("postal_code", "&Postal code:", "", "ZIP code in the US"),
            ("email", "&Email:", "", "Optional"),
            ("account_number", "&Account number:", call.get("account_number") or "", "Optional"),
        ):
            edit = QLineEdit(value)
            edit.setAccessibleName(label.replace("&", "").rstrip(":"))
            edit.setPlaceholderText(hint)
            edit.textChanged.connect(self._check_address)
            edit.textChanged.connect(self._update_buttons)
            self.fields[name] = edit
            form.addRow(label, edit)
        self.fields["region"].setMaximumWidth(self.fontMetrics().horizontalAdvance("x" * 24))
        self.fields["postal_code"].setMaximumWidth(self.fontMetrics().horizontalAdvance("x" * 24))

        self.country_combo = QComboBox()
        self.country_combo.setAccessibleName("Country")
        names = countries()
        for code in sorted(names, key=lambda c: names[c]):
            self.country_combo.addItem(f"{names[code].title()} ({code})", code)
        default_country = (self.store.get_setting(SETTING_COUNTRY) or home_region() or "US").upper()
        self.country_combo.setCurrentIndex(max(self.country_combo.findData(default_country), 0))
        self.country_combo.currentIndexChanged.connect(self._check_address)
        form.insertRow(8, "Co&untry:", self.country_combo)

        phone_label = QLabel(f"{phone} (from the call)" if phone else "none in the call log")
        phone_label.setAccessibleName("Phone")
        form.addRow("Phone:", phone_label)

        self.address_status = QLabel()
        self.address_status.setWordWrap(True)
        self.address_status.setAccessibleName("Address check")
        self.address_status.setTextFormat(Qt.TextFormat.PlainText)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.address_status)
        layout.addStretch(1)
        order = [self.fields[n] for n in ("first_name", "last_name", "company", "address_line1", "address_line2",
                                          "city", "region", "postal_code")]
        order += [self.country_combo, self.fields["email"], self.fields["account_number"]]
        for before, after in zip(order, order[1:]):
            QWidget.setTabOrder(before, after)
        return page

    def new_customer_values(self) -> dict[str, str]:
        values = {name: edit.text().strip() for name, edit in self.fields.items()}
        values["country"] = self.country_combo.currentData() or ""
        return values

    def _check_address(self) -> None:
        """The store's own address check, as the rep types: a not-mailable address may still be
        saved (the rep may learn the rest later), but the rep sees why it cannot be mailed."""
        check = check_address(self.new_customer_values())
        if check.mailable:
            self.address_status.setText("✓ The address passes the country's checks: a card can be mailed to it."
                                        + (f" (Note: {check.summary()}.)" if check.problems else ""))
        else:
            self.address_status.setText(
                f"⚠ Not mailable yet: {check.summary()}. You can still save this customer; a card for them "
                "cannot be queued until the address is complete.")

    # -- choosing ------------------------------------------------------------------------------
    def _finding(self) -> bool:
        return self.tabs.currentIndex() == 0

    def _update_buttons(self) -> None:
        if self._finding():
            self.ok_button.setText("&Use this customer")
            self.ok_button.setEnabled(self.selected_customer() is not None)
        else:
            values = self.new_customer_values()
            self.ok_button.setText("&Save new customer")
            self.ok_button.setEnabled(bool(values["first_name"] or values["last_name"] or values["company"]))

    def accept(self) -> None:
        """Match the call to the chosen (or new) customer in the store, then close."""
        if not self.ok_button.isEnabled():
            return
        if self._finding() and (self._search_timer.isActive() or self._search is not None):
            # Enter right after typing: the list still shows the last search's customers, so
            # choosing now could pick the wrong one. Search now; Enter again chooses.
            self.search_now()
            return
        try:
            if self._finding():
                customer = self.selected_customer()
                assert customer is not None
                customer_id = customer["id"]
            else:
                phones = [(self.call["phone"], "phone")] if self.call.get("phone") else []
                customer_id, _outcome = self.store.save_customer(self.new_customer_values(), phones,
                                                                 create_only=True)
            self.store.set_call_customer(self.call["id"], customer_id)
            if self.call.get("phone"):  # the same number's other calls are this customer's too
                self.store.match_unmatched_calls(phone=self.call["phone"])
        except Exception as error:  # a locked or damaged store: say so, keep what was typed
            show_failure(self, "Save the customer", error)
            return
        self.customer_id = customer_id
        super().accept()

    def done(self, result: int) -> None:
        self.preferences.set_layout(CUSTOMER_DIALOG_GEOMETRY, self.saveGeometry())
        if self._search is not None:
            self._search.abandon()
        super().done(result)

