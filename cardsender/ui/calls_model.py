"""The call list as a Qt table model over ``store.recent_calls``, loaded a page at a time.

The view asks for more rows as the rep scrolls (``canFetchMore``/``fetchMore``); a page is one
indexed query of a few milliseconds, so it runs on the GUI thread. A new filter's first page
may be fetched by a worker and handed in with :meth:`CallTableModel.show_first_page`.
Rows stay in the store's order (newest first): there is no client-side sort.
"""

from __future__ import annotations

import enum
import functools
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QStyle

from cardsender.ui.call_filter import CallQuery
from cardsender.ui.formatting import (
    NO_CARD, NO_CUSTOMER, call_length, call_time, customer_name, display_phone, home_region, one_line,
)

PAGE_SIZE = 200

NOT_MAILABLE_TIP = (
    "Not mailable: this customer's address did not pass its country's checks. "
    "A card cannot be mailed until the address is fixed in the customer directory."
)


class CallColumn(enum.IntEnum):
    TIME = 0
    CUSTOMER = 1
    PHONE = 2
    REASON = 3
    REP = 4
    LENGTH = 5
    CARD = 6

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    CallColumn.TIME: "Time", CallColumn.CUSTOMER: "Customer", CallColumn.PHONE: "Phone",
    CallColumn.REASON: "Reason", CallColumn.REP: "Rep", CallColumn.LENGTH: "Length", CallColumn.CARD: "Card",
}

CALL_ROLE = Qt.ItemDataRole.UserRole + 1  # the call's store row (a dict), for views that act on it


def recent_calls_page(store, query: CallQuery, page_size: int, after: dict[str, Any] | None = None
                      ) -> list[dict[str, Any]]:
    """A page of calls: the first, or the one after the call ``after`` (keyset paging, so the
    thousandth page is as quick as the first and rows imported meanwhile shift nothing)."""
    before = (after["started_at"], after["id"]) if after else None
    return store.recent_calls(**query.store_arguments(), before=before, limit=page_size)


class CallTableModel(QAbstractTableModel):
    def __init__(self, store, *, page_size: int = PAGE_SIZE, region: str | None = None, parent=None) -> None:
        super().__init__(parent)
        self._store = store
        self._page_size = page_size
        self._region = region or home_region()
        self._query = CallQuery()
        self._calls: list[dict[str, Any]] = []
        self._texts: list[tuple[str, ...]] = []  # each call's cells, formatted once when loaded
        self._all_loaded = True

    # -- what is shown ----------------------------------------------------------------------
    @property
    def query(self) -> CallQuery:
        return self._query

    @property
    def page_size(self) -> int:
        return self._page_size

    @property
    def all_loaded(self) -> bool:
        """True when every call matching the query is in the model."""
        return self._all_loaded

    def call_at(self, row: int) -> dict[str, Any]:
        return self._calls[row]

    def fetch_page(self, after: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return recent_calls_page(self._store, self._query, self._page_size, after)

    def load(self, query: CallQuery) -> None:
        """Show ``query``'s first page, queried here and now (on the caller's thread)."""
        self._query = query
        self.show_first_page(query, self.fetch_page())

    def show_first_page(self, query: CallQuery, calls: list[dict[str, Any]]) -> None:
        """Show the first page of ``query``, fetched elsewhere (by a worker)."""
        self.beginResetModel()
        self._query = query
        self._calls = list(calls)
        self._texts = self._format(calls)
        self._all_loaded = len(calls) < self._page_size
        self.endResetModel()

    def _format(self, calls: list[dict[str, Any]]) -> list[tuple[str, ...]]:
        now = datetime.now().astimezone()
        return [
            (
                call_time(call["started_at"], now),
                customer_name(call) or NO_CUSTOMER,
                display_phone(call["phone"] or "", self._region),
                one_line(call["reason"]),
                call["rep"] or "",
                call_length(call["duration_s"]),
                call["card_status"] or NO_CARD,
            )
            for call in calls
        ]

    # -- paging -----------------------------------------------------------------------------
    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and not self._all_loaded

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        if parent.isValid() or self._all_loaded:
            return
        page = self.fetch_page(self._calls[-1] if self._calls else None)
        self._all_loaded = len(page) < self._page_size
        if not page:
            return
        first = len(self._calls)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._calls.extend(page)
        self._texts.extend(self._format(page))
        self.endInsertRows()

    # -- QAbstractTableModel ----------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._calls)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(CallColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(CallColumn):
            return None
        column = CallColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(column)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._calls):
            return None
        column = CallColumn(index.column())
        call = self._calls[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(column)
        if role == CALL_ROLE:
            return call
        unmatched = call["customer_id"] is None
        if column == CallColumn.CUSTOMER:
            if role == Qt.ItemDataRole.FontRole and unmatched:
                font = QFont()
                font.setItalic(True)
                return font
            if role == Qt.ItemDataRole.ForegroundRole and unmatched:
                return QGuiApplication.palette().brush(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
            if role == Qt.ItemDataRole.ToolTipRole:
                return _customer_tip(call)
            if role == Qt.ItemDataRole.DecorationRole and not unmatched and not call["mailable"]:
                return _warning_icon()  # seen at a glance; the tooltip says why
        if role == Qt.ItemDataRole.ToolTipRole and column == CallColumn.REASON:
            return call["reason"] or None  # the whole reason when the column elides it
        return None


def _alignment(column: CallColumn) -> Qt.AlignmentFlag:
    # Lengths line up on their seconds; the card's state is centred so that it does not run
    # into the right-aligned length beside it.
    horizontal = {CallColumn.LENGTH: Qt.AlignmentFlag.AlignRight,
                  CallColumn.CARD: Qt.AlignmentFlag.AlignHCenter}.get(column, Qt.AlignmentFlag.AlignLeft)
    return horizontal | Qt.AlignmentFlag.AlignVCenter


@functools.cache
def _warning_icon() -> QIcon:
    return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)


def _customer_tip(call: dict[str, Any]) -> str | None:
    if call["customer_id"] is None:
        named = f" The call log names the caller {call['caller_name']!r}." if call.get("caller_name") else ""
        return f"No customer in the directory has this number or account.{named}"
    if not call["mailable"]:
        return NOT_MAILABLE_TIP
    return None
