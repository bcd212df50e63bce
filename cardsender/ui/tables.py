"""What every small table in the client does alike: headers and counts, the selected row, and
selecting a row by its item's id."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView


class ListTableModel(QAbstractTableModel):
    """A table over a list: subclasses name their HEADERS, return the list from items() and
    give data()."""

    HEADERS: tuple[str, ...] = ()

    def items(self) -> Sequence[Any]:
        raise NotImplementedError

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.items())

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        return None


def selected_row(view: QAbstractItemView) -> int | None:
    """The first selected row of a view, or None."""
    rows = view.selectionModel().selectedRows()
    return rows[0].row() if rows else None


def select_by_id(view: QAbstractItemView, item_at: Callable[[int], dict[str, Any]], count: int, item_id: int) -> bool:
    """Select the row whose item has this id; False when no row has it."""
    for row in range(count):
        if item_at(row)["id"] == item_id:
            view.selectRow(row)
            return True
    return False
