"""The main window: where a rep starts, at their recent calls, and opens a call to write its card."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog, QHeaderView, QLabel, QMainWindow, QMenu, QMessageBox, QPushButton, QTableView,
    QVBoxLayout, QWidget,
)

from cardsender import APP_NAME, __version__
from cardsender.model import CardState, ImportReport
from cardsender.store import Store, open_store
from cardsender.ui.call_filter import CallQuery
from cardsender.ui.calls_model import CallColumn, CallTableModel, recent_calls_page
from cardsender.ui.filter_bar import FilterBar
from cardsender.ui.formatting import customer_name, display_phone, home_region
from cardsender.ui.imports import CALLS, CUSTOMERS, ImportKind, ImportRunner, ImportStopped, import_in_own_store
from cardsender.ui.messages import failure_text, show_failure, show_message
from cardsender.ui.preferences import Preferences
from cardsender.ui.tables import list_table
from cardsender.ui.tasks import TaskControl, run_task
from cardsender.ui.watched_folder import SETTLE_MS, ReadyFile, WatchedFolder

log = logging.getLogger(__name__)

# QSettings keys of this window (the rep's preferences are in preferences.py)
GEOMETRY_KEY = "main_window/geometry"
WINDOW_STATE_KEY = "main_window/state"
HEADER_KEY = "calls/header"
ME_KEY = "calls/me"  # the rep this desktop's person last chose in the filter
IMPORT_FOLDER_KEY = "imports/folder"

LISTS_REFRESH_DELAY_MS = 150  # a burst of saves from the composer refreshes the lists once

# Column widths, in characters of the table's font, for the first start (the rep's own widths
# are restored from the settings after that).
_COLUMN_SAMPLES = {
    CallColumn.TIME: "Wed 30 Sep 23:59",
    CallColumn.CUSTOMER: "Maple Street Tailors Inc.",
    CallColumn.PHONE: "+44 161 496 0940",
    CallColumn.REP: "Jamal Washington",
    CallColumn.LENGTH: "Length",
    CallColumn.CARD: "cancelled",
}


def first_page_in_own_store(store_path: Path, query: CallQuery, page_size: int) -> list[dict]:
    """The worker's side of a refresh: its own connection, one page."""
    started = time.perf_counter()
    with open_store(store_path) as store:
        calls = recent_calls_page(store, query, page_size)
    log.debug("first page of %s: %d calls in %.1f ms", query, len(calls), (time.perf_counter() - started) * 1000)
    return calls


def composer_window_class() -> type:
    """The card composer, imported when first asked for (it brings the renderer with it)."""
    from cardsender.ui.composer import ComposerWindow

    return ComposerWindow


@dataclass
class OpenComposer:
    window: QWidget
    call_id: int | None
    card_id: int | None  # None until a composer opened for a call saves its first draft


class MainWindow(QMainWindow):
    calls_refreshed = Signal()  # the list shows the filter's first page (tests wait for it)
    composer_opened = Signal(object)  # the composer window, new or raised
    watched_import_finished = Signal(object)  # the ImportReport, ImportStopped or exception

    def __init__(self, store: Store, *, settings: QSettings | None = None, preferences: Preferences | None = None,
                 clock: Callable[[], datetime] | None = None, watch_settle_ms: int = SETTLE_MS,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings if settings is not None else QSettings()
        self.preferences = preferences or Preferences(self.settings)
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._refresh: TaskControl | None = None
        self._refresh_generation = 0
        self._reselect_call: int | None = None
        self.composers: list[OpenComposer] = []
        self.my_cards = None  # MyCardsWindow, made when first asked for
        self.mailroom = None  # MailroomWindow, made when first asked for
        self.reports = None  # ReportsWindow, made when first asked for
        self.customer_dialog = None  # the open "Who called?" dialog (tests read it)
        self.settings_dialog = None
        self.question_box: QMessageBox | None = None
        self.last_import: object | None = None  # the watched folder's last outcome, for its report
        self._watched_queue: list[ReadyFile] = []
        self._watched_import: TaskControl | None = None
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
        self.import_status = QPushButton()
        self.import_status.setFlat(True)
        self.import_status.setAccessibleName("Last import from the watched folder")
        self.import_status.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # File › Last import report reaches it too
        self.import_status.clicked.connect(self.show_last_import)
        self.import_status.hide()
        self.watched_label = QLabel()
        self.watched_label.setAccessibleName("Watched import folder")
        self.watched_label.hide()
        self.store_label = QLabel(f"Store: {store.path}")
        self.store_label.setToolTip(str(store.path))
        self.store_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.import_status)
        self.statusBar().addPermanentWidget(self.watched_label)
        self.statusBar().addPermanentWidget(self.store_label)

        self.imports = ImportRunner(store.path, self)
        self.imports.busy_changed.connect(self._import_busy)
        self.imports.finished.connect(self._import_finished)
        self._lists_timer = QTimer(self)
        self._lists_timer.setSingleShot(True)
        self._lists_timer.setInterval(LISTS_REFRESH_DELAY_MS)
        self._lists_timer.timeout.connect(self.refresh_lists)
        self._make_menus()

        self._restore_settings()
        self._set_reps()
        self.filter_bar.filter_changed.connect(self.refresh)
        self.filter_bar.rep_chosen.connect(lambda rep: self.settings.setValue(ME_KEY, rep))
        self.model.modelReset.connect(self._show_count)
        self.model.rowsInserted.connect(self._show_count)
        self.table.doubleClicked.connect(lambda index: self.open_call(self.model.call_at(index.row())))
        self.table.selectionModel().currentRowChanged.connect(self._update_call_actions)
        self.model.modelReset.connect(self._update_call_actions)

        self.watched = WatchedFolder(self.preferences, self, settle_ms=watch_settle_ms)
        self.watched.file_ready.connect(self._watched_file_ready)
        self.watched.folder_changed.connect(self._show_watched_folder)
        self.refresh()
        self.watched.set_folder(self.preferences.watched_folder or None)

    # -- building ---------------------------------------------------------------------------
    def _make_table(self) -> QTableView:
        # One fixed row height (list_table): the view need not measure each row, and a page of
        # 200 lays out at once.
        table = list_table("Recent calls", stretch_last=False)
        table.setModel(self.model)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setSortingEnabled(False)  # the store's order, newest first
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._call_context_menu)
        header = table.horizontalHeader()
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
        self.import_customers_action = self._action("Import c&ustomers…", lambda: self.choose_and_import(CUSTOMERS),
                                                    QKeySequence("Ctrl+Shift+I"))
        self.last_import_action = self._action("&Last watched-folder import…", self.show_last_import,
                                               QKeySequence("Ctrl+Shift+L"))
        self.last_import_action.setEnabled(False)
        file_menu.addAction(self.import_calls_action)
        file_menu.addAction(self.import_customers_action)
        file_menu.addAction(self.last_import_action)
        file_menu.addSeparator()
        quit_action = self._action("&Quit", self.close, QKeySequence("Ctrl+Q"))
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addAction(quit_action)

        edit_menu = self.menuBar().addMenu("&Edit")
        self.find_action = self._action("&Find calls", self.filter_bar.focus_search,
                                        QKeySequence(QKeySequence.StandardKey.Find))
        edit_menu.addAction(self.find_action)
        edit_menu.addSeparator()
        self.settings_action = self._action("&Settings…", self.open_settings, QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        edit_menu.addAction(self.settings_action)

        card_menu = self.menuBar().addMenu("&Card")
        self.write_card_action = self._action("&Write card", self.open_current_call)
        self.write_card_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        # Enter writes a card only from the list: in the search box it still searches.
        self.write_card_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.write_card_action)
        self.pick_customer_action = self._action("&Who called?…", self.pick_customer_for_current_call,
                                                 QKeySequence("Ctrl+K"))
        self.pick_customer_action.setStatusTip("Match a call no customer matched to a customer, or a new one")
        self.my_cards_action = self._action("&My cards", self.open_my_cards, QKeySequence("Ctrl+M"))
        card_menu.addAction(self.write_card_action)
        card_menu.addAction(self.pick_customer_action)
        card_menu.addSeparator()
        card_menu.addAction(self.my_cards_action)
        self.mailroom_action = self._action("Mail&room…", self.open_mailroom, QKeySequence("Ctrl+Shift+M"))
        self.mailroom_action.setStatusTip("Batch the queued cards for printing, mark batches mailed")
        card_menu.addAction(self.mailroom_action)
        self.reports_action = self._action("R&eports…", self.open_reports, QKeySequence("Ctrl+Shift+R"))
        self.reports_action.setStatusTip("Cards per week by rep, turnaround and figures over a period; CSV and PDF")
        card_menu.addAction(self.reports_action)

        view_menu = self.menuBar().addMenu("&View")
        self.refresh_action = self._action("&Refresh", self.refresh_all, QKeySequence(Qt.Key.Key_F5))
        view_menu.addAction(self.refresh_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = self._action(f"&About {APP_NAME}", self.show_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(about)
        self._update_call_actions()

    def _action(self, text: str, slot: Callable[[], object], shortcut: QKeySequence | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _call_context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(self.write_card_action)
        menu.addAction(self.pick_customer_action)
        menu.popup(self.table.viewport().mapToGlobal(position))

    def _set_reps(self) -> None:
        """Fill the rep filter from the store, on the rep chosen last, else the rep's own name
        (as the logs spell it: Settings may have it in another case)."""
        reps = self.store.list_reps()
        wanted = self.settings.value(ME_KEY, "", str) or self.preferences.rep_name
        preferred = next((rep for rep in reps if rep.lower() == wanted.lower()), None) if wanted else None
        self.filter_bar.set_reps(reps, preferred)

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
        self._set_reps()
        self.refresh()

    def refresh_lists(self) -> None:
        """The calls list (keeping the call in hand selected) and My cards, after cards changed."""
        call = self.current_call()
        self._reselect_call = call["id"] if call else None
        self.refresh()
        if self.my_cards is not None and self.my_cards.isVisible():
            self.my_cards.refresh()

    def schedule_lists_refresh(self) -> None:
        self._lists_timer.start()

    def _show_first_page(self, generation: int, query: CallQuery, calls: list[dict]) -> None:
        if generation != self._refresh_generation:
            return
        self.model.show_first_page(query, calls)
        reselect, self._reselect_call = self._reselect_call, None
        row = next((r for r, c in enumerate(calls) if c["id"] == reselect), None) if reselect else None
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        elif self.model.rowCount():
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

    def current_call(self) -> dict[str, Any] | None:
        index = self.table.currentIndex()
        if not index.isValid():
            rows = self.table.selectionModel().selectedRows()
            index = rows[0] if rows else index
        return self.model.call_at(index.row()) if index.isValid() else None

    def select_call(self, call_id: int) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.call_at(row)["id"] == call_id:
                self.table.selectRow(row)
                self.table.setCurrentIndex(self.model.index(row, 0))
                return True
        return False

    def _update_call_actions(self, *_args: object) -> None:
        call = self.current_call()
        self.write_card_action.setEnabled(call is not None)
        self.pick_customer_action.setEnabled(call is not None and call["customer_id"] is None)

    # -- opening a call -----------------------------------------------------------------------
    def open_current_call(self) -> None:
        call = self.current_call()
        if call is not None:
            self.open_call(call)

    def open_call(self, call: dict[str, Any]) -> None:
        """Write the card for a call: its draft when it has one, else a new card; a call that
        matched no customer asks who called first."""
        try:
            call = self.store.get_call(call["id"])  # as it is now: matched or carded meanwhile?
            if call["customer_id"] is None:
                self._ask_customer(call, then=lambda: self.open_call(call))
                return
            draft = self.draft_of_call(call)
        except Exception as error:
            show_failure(self, "Write card", error)
            return
        if draft is not None:
            self.open_composer(card_id=draft)
        elif call["card_status"] in (CardState.QUEUED.value, CardState.BATCHED.value, CardState.MAILED.value):
            self._ask(f"This call already has a {call['card_status']} card",
                      f"{_call_words(call)} already has a card that is {call['card_status']}. "
                      "Write another card for this call?", "&Write another",
                      lambda: self.open_composer(call_id=call["id"]))
        else:
            self.open_composer(call_id=call["id"])

    def draft_of_call(self, call: dict[str, Any]) -> int | None:
        """The newest draft written for this call (a customer has few drafts: no call index needed)."""
        drafts = self.store.list_cards(status=CardState.DRAFT.value, customer_id=call["customer_id"], limit=200)
        return next((card["id"] for card in drafts if card["call_id"] == call["id"]), None)

    def pick_customer_for_current_call(self) -> None:
        call = self.current_call()
        if call is not None and call["customer_id"] is None:
            self._ask_customer(self.store.get_call(call["id"]), then=lambda: self.open_call(call))

    def _ask_customer(self, call: dict[str, Any], then: Callable[[], None]) -> None:
        if self.customer_dialog is not None and shiboken6.isValid(self.customer_dialog):
            self.customer_dialog.raise_()
            self.customer_dialog.activateWindow()
            return
        from cardsender.ui.customer_dialog import CustomerDialog

        dialog = CustomerDialog(self.store, call, preferences=self.preferences, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def chosen() -> None:
            self._reselect_call = call["id"]
            self.refresh()
            then()

        dialog.accepted.connect(chosen)
        dialog.finished.connect(lambda _result: setattr(self, "customer_dialog", None))
        self.customer_dialog = dialog
        dialog.open()

    def _ask(self, title: str, text: str, yes_text: str, on_yes: Callable[[], None]) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Yes).setText(yes_text)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(result: int) -> None:
            self.question_box = None
            if result == QMessageBox.StandardButton.Yes:
                on_yes()

        box.finished.connect(answered)
        self.question_box = box
        box.open()

    # -- composers ----------------------------------------------------------------------------
    def open_card(self, card_id: int) -> QWidget | None:
        return self.open_composer(card_id=card_id)

    def open_composer(self, *, call_id: int | None = None, card_id: int | None = None) -> QWidget | None:
        """One composer per card: a card already open is brought to the front."""
        for entry in list(self.composers):
            if not shiboken6.isValid(entry.window):
                self.composers.remove(entry)
            elif (card_id is not None and entry.card_id == card_id) or \
                    (card_id is None and entry.card_id is None and entry.call_id == call_id):
                _bring_forward(entry.window)
                self.composer_opened.emit(entry.window)
                return entry.window
        try:
            composer_class = composer_window_class()
        except ImportError as error:
            log.error("the composer cannot be loaded", exc_info=error)
            show_message(self, "Write card", f"The card composer cannot start ({error}).", QMessageBox.Icon.Warning)
            return None
        try:
            window = composer_class(self.store.path, call_id=call_id, card_id=card_id,
                                    preferences=self.preferences, parent=None)
        except Exception as error:  # a card deleted elsewhere, a template that will not load
            show_failure(self, "Write card", error)
            return None
        # A composer opened for a call makes its draft at once and says which card it is.
        entry = OpenComposer(window, call_id, card_id if card_id is not None else getattr(window, "card_id", None))
        self.composers.append(entry)
        if card_id is None and entry.card_id is not None:
            self.schedule_lists_refresh()  # the call's Card column now says "draft"
        # Closed composers are dropped (their drafts are saved as typed); the list keeps the
        # open ones alive, since they have no parent (each is a window of its own).
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda _object=None: self._composer_closed(entry))
        window.card_saved.connect(lambda saved_id: self._card_saved(entry, saved_id))
        window.card_queued.connect(lambda _queued_id: self.schedule_lists_refresh())
        window.show()
        _bring_forward(window)
        self.composer_opened.emit(window)
        return window

    def _composer_closed(self, entry: OpenComposer) -> None:
        if entry in self.composers:
            self.composers.remove(entry)

    def _card_saved(self, entry: OpenComposer, card_id: int) -> None:
        # Drafts save as the rep types: the lists change only when a card is new.
        if entry.card_id != card_id:
            entry.card_id = card_id
            self.schedule_lists_refresh()

    # -- My cards, settings -------------------------------------------------------------------
    def open_my_cards(self) -> QWidget:
        if self.my_cards is None:
            from cardsender.ui.my_cards import MyCardsWindow

            self.my_cards = MyCardsWindow(self.store, self.preferences, clock=self._clock, parent=self)
            self.my_cards.open_card_requested.connect(self.open_card)
            self.my_cards.cards_changed.connect(self.schedule_lists_refresh)
        else:
            self.my_cards.refresh()
        _bring_forward(self.my_cards)
        return self.my_cards

    def open_mailroom(self) -> QWidget:
        """The Mailroom window: one per main window, kept until the main window closes."""
        if self.mailroom is None or not shiboken6.isValid(self.mailroom):
            from cardsender.ui.mailroom_view import MailroomWindow

            self.mailroom = MailroomWindow(self.store.path, parent=self)
            self.mailroom.setWindowFlag(Qt.WindowType.Window)
        _bring_forward(self.mailroom)
        return self.mailroom

    def open_reports(self) -> QWidget:
        """The Reports window: one per main window, counted again each time it is asked for."""
        if self.reports is None or not shiboken6.isValid(self.reports):
            from cardsender.ui.reports_view import ReportsWindow

            self.reports = ReportsWindow(self.store.path, parent=self, settings=self.settings, clock=self._clock)
            self.reports.setWindowFlag(Qt.WindowType.Window)
        else:
            self.reports.refresh()
        _bring_forward(self.reports)
        return self.reports

    def open_settings(self) -> QWidget:
        if self.settings_dialog is not None and shiboken6.isValid(self.settings_dialog):
            _bring_forward(self.settings_dialog)
            return self.settings_dialog
        from cardsender.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.store, self.preferences, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._settings_saved(dialog.changes))
        dialog.finished.connect(lambda _result: setattr(self, "settings_dialog", None))
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def _settings_saved(self, changes) -> None:
        if changes is None:
            return
        if changes.rep_changed:
            me = self.preferences.rep_name
            combo = self.filter_bar.rep_combo
            index = next((i for i in range(1, combo.count()) if (combo.itemData(i) or "").lower() == me.lower()), 0)
            # "Me" in the filter, as the logs spell it (all reps when the logs do not name them yet).
            self.settings.setValue(ME_KEY, combo.itemData(index) or me)
            combo.setCurrentIndex(index)
            if self.my_cards is not None:
                self.my_cards.preferences_changed()
        if changes.watched_folder_changed:
            self.watched.set_folder(self.preferences.watched_folder or None)
        if changes.store_path_changed:
            where = self.preferences.store_path or "the default place"
            self.statusBar().showMessage(f"The store at {where} is used from the next start", 10_000)

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
        if not busy:
            self._next_watched_import()

    def _import_finished(self, _outcome: object) -> None:
        # Even a stopped or failed import may have stored rows: show the list as it now is.
        self.refresh_all()

    # -- the watched folder ------------------------------------------------------------------
    def _show_watched_folder(self, folder: str) -> None:
        self.watched_label.setVisible(bool(folder))
        if folder:
            shown = folder.replace(os.path.expanduser("~"), "~", 1) if folder.startswith(os.path.expanduser("~")) \
                else folder
            exists = Path(folder).is_dir()
            self.watched_label.setText(f"Watching {shown}" if exists else f"⚠ {shown} is not there")
            self.watched_label.setToolTip(
                f"Call logs saved in {folder} are imported by themselves (Edit › Settings)" if exists
                else f"The watched folder {folder} cannot be found: choose another in Edit › Settings")

    def _watched_file_ready(self, ready: ReadyFile) -> None:
        self._watched_queue.append(ready)
        self._next_watched_import()

    def _next_watched_import(self) -> None:
        """One import at a time: after the one in hand, and never beside a File › Import."""
        if self._watched_import is not None or not self._watched_queue or self.imports.busy:
            return
        ready = self._watched_queue.pop(0)
        store_path = self.store.path
        self._set_import_status(f"Importing {ready.path.name}…", f"From the watched folder {ready.path.parent}")
        self._watched_import = run_task(
            lambda control: import_in_own_store(store_path, CALLS, ready.path, control),
            on_done=lambda outcome: self._watched_import_done(ready, outcome),
            on_error=lambda error: self._watched_import_done(ready, error),
            context=self,
        )

    def _watched_import_done(self, ready: ReadyFile, outcome: object) -> None:
        self._watched_import = None
        if not isinstance(outcome, ImportStopped):
            self.watched.mark_imported(ready)  # a file that failed is tried again only once it changes
        if isinstance(outcome, BaseException) and not _is_user_problem(outcome):
            log.error("watched-folder import of %s failed", ready.path, exc_info=outcome)
        self.last_import = outcome
        self.last_import_action.setEnabled(True)
        name = ready.path.name
        if isinstance(outcome, ImportReport):
            text = f"{name}: {outcome.imported:,} new call{'s' if outcome.imported != 1 else ''}"
            if outcome.rejected:
                text += f", {len(outcome.rejected):,} rows not imported (click for the report)"
            tip = f"Imported from the watched folder at {datetime.now():%H:%M}. Click for the report."
        elif isinstance(outcome, ImportStopped):
            text, tip = f"{name}: import stopped", outcome.message()
        else:
            text, tip = f"⚠ {name} could not be imported (click for why)", failure_text(outcome)
        self._set_import_status(text, tip)
        self.refresh_all()
        self.watched_import_finished.emit(outcome)
        self._next_watched_import()

    def _set_import_status(self, text: str, tip: str) -> None:
        self.import_status.setText(text)
        self.import_status.setToolTip(tip)
        self.import_status.show()

    def show_last_import(self) -> QWidget | None:
        """The watched folder's last import: its report, or what went wrong."""
        outcome = self.last_import
        if outcome is None:
            return None
        if isinstance(outcome, ImportReport):
            from cardsender.ui.report_dialog import ImportReportDialog

            dialog = ImportReportDialog(outcome, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()
            return dialog
        if isinstance(outcome, ImportStopped):
            return show_message(self, "Import calls", outcome.message())
        return show_failure(self, "Import calls", outcome)  # type: ignore[arg-type]

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
        if self.my_cards is not None:
            self.my_cards.save_layout()
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        # Nothing a worker reports after this may reach a closing window; an import stops
        # at its next chunk (what it stored stays, and a re-import skips it).
        self.imports.abandon()
        for task in (self._refresh, self._watched_import):
            if task is not None:
                task.cancel()
                task.abandon()
        self.watched.set_folder(None)
        for entry in list(self.composers):  # drafts are saved as typed: closing loses nothing
            if shiboken6.isValid(entry.window):
                entry.window.close()
        if self.my_cards is not None:
            self.my_cards.close()
        if self.reports is not None and shiboken6.isValid(self.reports):
            self.reports.close()  # it keeps its period and layout for next time
        super().closeEvent(event)


def _bring_forward(window: QWidget) -> None:
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def _call_words(call: dict[str, Any]) -> str:
    who = customer_name(call) or display_phone(call["phone"] or "", home_region())
    return f"The call from {who}" if who else "This call"


def _is_user_problem(error: BaseException) -> bool:
    from cardsender.errors import is_user_error

    return is_user_error(error)
