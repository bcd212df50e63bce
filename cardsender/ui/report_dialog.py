"""What an import did: its counts, and every rejected row and warning by line, to copy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cardsender.model import ImportReport
from cardsender.ui.tables import ListTableModel


def report_summary(report: ImportReport) -> str:
    """The counts in one sentence, as the command line prints them."""
    parts = [f"{report.imported:,} imported"]
    if report.kind == "customers":
        parts.append(f"{report.updated:,} updated")
    parts += [f"{report.already_there:,} already there", f"{len(report.rejected):,} rejected"]
    text = f"{Path(report.file).name} ({report.layout}): " + ", ".join(parts) + "."
    if report.matched:
        text += f" {report.matched:,} calls matched to customers."
    if report.warnings:
        text += f" {len(report.warnings):,} warnings."
    return text


class ReportRowsModel(ListTableModel):
    """Rejected rows and warnings, in line order (a bad file may have many: no widget rows)."""

    HEADERS = ("Line", "What", "Reason")

    def __init__(self, report: ImportReport, parent=None) -> None:
        super().__init__(parent)
        rows = [(r.line, "rejected", r.reason) for r in report.rejected]
        rows += [(w.line, "warning", w.reason) for w in report.warnings]
        self.rows = sorted(rows, key=lambda row: row[0])

    def items(self) -> list[tuple]:
        return self.rows

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(value)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 2:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def as_text(self) -> str:
        return "\n".join(f"line {line}\t{what}\t{reason}" for line, what, reason in self.rows)


class ImportReportDialog(QDialog):
    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        title = "Calls imported" if report.kind == "calls" else "Customers imported"
        self.setWindowTitle(title)
        self.summary = QLabel(report_summary(report))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.rows = ReportRowsModel(report, self)
        self.table = QTableView()
        self.table.setModel(self.rows)
        self.table.setAccessibleName("Rejected rows and warnings")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setVisible(bool(self.rows.rows))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy")
        self.copy_button.setToolTip("Copy the counts and every row above, to paste into a message or a ticket")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        if self.rows.rows:
            layout.addWidget(QLabel("Rows not imported, and warnings, by line of the file:"))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(720, 420 if self.rows.rows else 140)

    def text(self) -> str:
        rows = self.rows.as_text()
        return self.summary.text() + ("\n" + rows if rows else "") + "\n"

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
