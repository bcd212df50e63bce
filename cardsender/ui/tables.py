"""What every small table in the client does alike: how it looks and selects, headers and
counts, the selected row, and selecting a row by its item's id."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


def list_table(name: str, *, several: bool = False, row_padding: int = 10, stretch_last: bool = True,
               widths: dict[int, str] | None = None) -> QTableView:
    """A read-only table of rows: whole rows selected (one, or ``several``), alternating colours,
    no grid, no row numbers, rows as tall as a line and ``row_padding``, columns the user can
    widen; ``widths`` sizes columns to fit a sample text each. ``name`` is for screen readers."""
    table = QTableView()
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if several
                           else QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + row_padding)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(stretch_last)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, sample in (widths or {}).items():
        header.resizeSection(column, table.fontMetrics().horizontalAdvance(sample) + 28)
    return table


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
