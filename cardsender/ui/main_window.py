"""The main window: where a rep starts, at their recent calls."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QHeaderView, QLabel, QMainWindow, QMessageBox, QTableView, QVBoxLayout,
    QWidget,
)

from cardsender import APP_NAME, __version__
from cardsender.store import Store, open_store
from cardsender.ui.call_filter import CallQuery
from cardsender.ui.calls_model import CallColumn, CallTableModel, recent_calls_page
from cardsender.ui.filter_bar import FilterBar
from cardsender.ui.imports import CALLS, CUSTOMERS, ImportKind, ImportRunner
from cardsender.ui.messages import show_failure
from cardsender.ui.tasks import TaskControl, run_task

log = logging.getLogger(__name__)

# QSettings keys
GEOMETRY_KEY = "main_window/geometry"
WINDOW_STATE_KEY = "main_window/state"
HEADER_KEY = "calls/header"
ME_KEY = "calls/me"  # the rep this desktop's person last chose: their "me"
IMPORT_FOLDER_KEY = "imports/folder"

# Column widths, in characters of the table's font, for the first start (the rep's own widths
# are restored from the settings after that).
_COLUMN_SAMPLES = {
    CallColumn.TIME: "Wed 30 Sep 23:59",
    CallColumn.CUSTOMER: "Maple Street Tailors Inc.",
    CallColumn.PHONE: "+44 161 496 0940",
    CallColumn.REP: "Jamal Washington",
    CallColumn.LENGTH: "Length",
    CallColumn.CARD: "batched",
}


def first_page_in_own_store(store_path: Path, query: CallQuery, page_size: int) -> list[dict]:
    """The worker's side of a refresh: its own connection, one page."""
    started = time.perf_counter()
    with open_store(store_path) as store:
        calls = recent_calls_page(store, query, page_size)
    log.debug("first page of %s: %d calls in %.1f ms", query, len(calls), (time.perf_counter() - started) * 1000)
    return calls


class MainWindow(QMainWindow):
    calls_refreshed = Signal()  # the list shows the filter's first page (tests wait for it)

    def __init__(self, store: Store, *, settings: QSettings | None = None,
                 clock: Callable[[], datetime] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings if settings is not None else QSettings()
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._refresh: TaskControl | None = None
        self._refresh_generation = 0
        self.setWindowTitle("Recent calls")

        self.filter_bar = FilterBar()
        self.model = CallTableModel(store, parent=self)
        self.table = self._make_table()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        self.setCentralWidget(central)
        QWidget.setTabOrder(self.filter_bar.last_control, self.table)

        self.count_label = QLabel()
        self.count_label.setAccessibleName("Calls shown")
        self.count_label.setIndent(6)  # in line with the table's edge, not the window's
        self.store_label = QLabel(f"Store: {store.path}")
        self.store_label.setToolTip(str(store.path))
        self.store_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.store_label)

        self.imports = ImportRunner(store.path, self)
        self.imports.busy_changed.connect(self._import_busy)
        self.imports.finished.connect(self._import_finished)
        self._make_menus()
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.filter_bar.focus_search)

        self._restore_settings()
        self.filter_bar.set_reps(store.list_reps(), self.settings.value(ME_KEY, "", str))
        self.filter_bar.filter_changed.connect(self.refresh)
        self.filter_bar.rep_chosen.connect(lambda rep: self.settings.setValue(ME_KEY, rep))
        self.model.modelReset.connect(self._show_count)
        self.model.rowsInserted.connect(self._show_count)
        self.refresh()

    # -- building ---------------------------------------------------------------------------
    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setAccessibleName("Recent calls")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setSortingEnabled(False)  # the store's order, newest first
        table.setShowGrid(False)
        rows = table.verticalHeader()
        rows.hide()
        # One fixed height: the view need not measure each row, and a page of 200 lays out at once.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(CallColumn.REASON, QHeaderView.ResizeMode.Stretch)
        metrics = table.fontMetrics()
        padding = 24 + table.style().pixelMetric(table.style().PixelMetric.PM_SmallIconSize)
        for column, sample in _COLUMN_SAMPLES.items():
            header.resizeSection(column, metrics.horizontalAdvance(sample) + padding)
        return table

    def _make_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.import_calls_action = self._action("Import &calls…", lambda: self.choose_and_import(CALLS),
                                                QKeySequence("Ctrl+I"))
        self.import_customers_action = self._action("Import c&ustomers…", lambda: self.choose_and_import(CUSTOMERS))
        file_menu.addAction(self.import_calls_action)
        file_menu.addAction(self.import_customers_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, QKeySequence("Ctrl+Q")))
        view_menu = self.menuBar().addMenu("&View")
        self.refresh_action = self._action("&Refresh", self.refresh_all, QKeySequence(Qt.Key.Key_F5))
        view_menu.addAction(self.refresh_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self._action(f"&About {APP_NAME}", self.show_about))

    def _action(self, text: str, slot: Callable[[], object], shortcut: QKeySequence | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # -- the list ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the filter's first page. The query runs on a worker so that typing in the
        search box never waits for the store; only the latest refresh's answer is shown."""
        self._refresh_generation += 1
        generation = self._refresh_generation
        query = self.filter_bar.current_filter().query(self._clock())
        store_path, page_size = self.store.path, self.model.page_size
        self.count_label.setText("Loading calls…")
        self._refresh = run_task(
            lambda _control: first_page_in_own_store(store_path, query, page_size),
            on_done=lambda calls: self._show_first_page(generation, query, calls),
            on_error=lambda error: self._refresh_failed(generation, error),
            context=self,
        )

    def refresh_all(self) -> None:
        """F5: the rep list too (an import elsewhere may have named new reps)."""
        self.filter_bar.set_reps(self.store.list_reps(), self.settings.value(ME_KEY, "", str))
        self.refresh()

    def _show_first_page(self, generation: int, query: CallQuery, calls: list[dict]) -> None:
        if generation != self._refresh_generation:
            return  # a later filter is on its way
        self.model.show_first_page(query, calls)
        if self.model.rowCount():
            self.table.scrollToTop()
        self.calls_refreshed.emit()

    def _refresh_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._refresh_generation:
            return
        self._show_count()
        show_failure(self, "Recent calls", error)

    def _show_count(self) -> None:
        shown = self.model.rowCount()
        if shown == 0:
            unfiltered = self.model.query == CallQuery()
            self.count_label.setText(
                "No calls yet: import a call log with File › Import calls… (Ctrl+I)" if unfiltered
                else "No calls match these filters"
            )
        elif self.model.all_loaded:
            self.count_label.setText(f"{shown:,} call{'s' if shown != 1 else ''}")
        else:
            self.count_label.setText(f"{shown:,} calls shown; more load as you scroll")

    # -- imports ----------------------------------------------------------------------------
    def choose_and_import(self, kind: ImportKind) -> None:
        folder = self.settings.value(IMPORT_FOLDER_KEY, os.path.expanduser("~"), str)
        path, _filter = QFileDialog.getOpenFileName(self, kind.title, folder, kind.file_filter)
        if path:
            self.settings.setValue(IMPORT_FOLDER_KEY, str(Path(path).parent))
            self.import_file(kind, path)

    def import_file(self, kind: ImportKind, path: str | os.PathLike[str]) -> TaskControl | None:
        """Import ``path`` on a worker; the report (or the problem) shows when it ends."""
        return self.imports.start(kind, path)

    def _import_busy(self, busy: bool) -> None:
        self.import_calls_action.setEnabled(not busy)
        self.import_customers_action.setEnabled(not busy)

    def _import_finished(self, _outcome: object) -> None:
        # Even a stopped or failed import may have stored rows: show the list as it now is.
        self.refresh_all()

    # -- the rest ---------------------------------------------------------------------------
    def show_about(self) -> None:
        QMessageBox.about(
            self, f"About {APP_NAME}",
            f"<p><b>{APP_NAME} {__version__}</b></p>"
            "<p>Send a personal, printed follow-up card after a customer-service call.</p>"
            f"<p>Store: {self.store.path}</p>",
        )

    def _restore_settings(self) -> None:
        geometry = self.settings.value(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1180, 720)
        state = self.settings.value(WINDOW_STATE_KEY)
        if state is not None:
            self.restoreState(state)
        header = self.settings.value(HEADER_KEY)
        if header is not None:
            self.table.horizontalHeader().restoreState(header)

    def save_settings(self) -> None:
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self.settings.setValue(WINDOW_STATE_KEY, self.saveState())
        self.settings.setValue(HEADER_KEY, self.table.horizontalHeader().saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        # Nothing a worker reports after this may reach a closing window; an import stops
        # at its next chunk (what it stored stays, and a re-import skips it).
        self.imports.abandon()
        if self._refresh is not None:
            self._refresh.abandon()
        super().closeEvent(event)
