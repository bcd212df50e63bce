"""The mailroom window: the queued cards counted by format and template, a batch's settings
(stock, envelopes or labels, printer offsets, output folder), the batch made on a worker with a
progress dialog that can stop it, its files to open, and the batch history (mark mailed, void,
reprint a card or its envelope).

Every store read and write runs on a worker with its own store (``run_task``); the window only
shows what comes back. Printer offsets are saved a moment after they are edited, and always
before a batch or a calibration page that uses them.
"""

from __future__ import annotations

import itertools
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from cardsender import mailroom
from cardsender.environment import current_actor
from cardsender.stocks import load_envelopes, load_label_sheets, load_sheets
from cardsender.store import open_store
from cardsender.templates import load_formats
from cardsender.ui.mailroom_dialogs import ReprintDialog, open_in_desktop
from cardsender.ui.mailroom_models import (
    BatchColumn,
    BatchHistoryModel,
    QueueColumn,
    QueueSummary,
    QueueSummaryModel,
    batch_folder,
    plural,
    queue_summary,
)
from cardsender.ui.mailroom_settings import (
    OUTPUT_FOLDER_KEY,
    BatchSettingsBox,
    PendingOffsets,
    save_offsets,
)
from cardsender.ui.messages import show_failure, show_message
from cardsender.ui.tables import list_table, selected_row
from cardsender.ui.tasks import TaskControl, run_task

# QSettings keys (this desktop's; the offsets themselves are the team's, in the store)
GEOMETRY_KEY = "mailroom/geometry"
SPLITTER_KEY = "mailroom/splitter"
HISTORY_HEADER_KEY = "mailroom/history_header"
SHOW_NOT_MADE_KEY = "mailroom/show_not_made"

PROGRESS_DIALOG_DELAY_MS = 300
STALE_AFTER_S = 60  # coming back to the window after this long reads the queue and batches again


@dataclass(frozen=True)
class BatchStopped:
    """The person stopped the batch; every card is still queued."""

    message: str


def create_batch_in_own_store(store_path: Path, out_dir: Path, options: dict[str, Any],
                              offsets: PendingOffsets | None, control: TaskControl) -> mailroom.BatchResult | BatchStopped:
    """The worker's side of "Create batch": its own store, the offsets being edited saved
    first (the batch prints with what the window shows), and a stop turned into an outcome."""
    def progress(done: int, total: int) -> None:
        control.progress(done, total)
        if control.cancelled():
            # The batch looks for a stop between cards and after the whole cards PDF; drawing
            # that PDF takes most of a big batch's time, and reports progress after each sheet.
            # Stopping there too (the batch cleans up after any exception) makes Cancel prompt.
            raise mailroom.BatchCancelled("stopped while drawing the sheets")

    with open_store(store_path) as store:
        save_offsets(store, offsets)
        try:
            return mailroom.create_batch(store, out_dir, actor=current_actor(), progress=progress,
                                         cancelled=control.cancelled, **options)
        except mailroom.BatchCancelled as stopped:
            return BatchStopped(str(stopped))


def _file_safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "printer"


class MailroomWindow(QMainWindow):
    """Queued cards to batches of print files, and the batches made so far."""

    queue_loaded = Signal()          # the queue summary shows the store's queue (tests wait for it)
    history_loaded = Signal()        # the history table shows the store's batches
    batch_finished = Signal(object)  # a BatchResult, a BatchStopped or the exception
    action_finished = Signal(str, object)  # ("mailed" | "void" | "calibration", result or exception)

    def __init__(self, store_path: Path, parent: QWidget | None = None, *, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.store_path = Path(store_path)
        self.settings = settings if settings is not None else QSettings()
        self.setWindowTitle("Mailroom")
        self.formats = load_formats()
        self.sheets = load_sheets()
        self.envelopes = load_envelopes()
        self.label_sheets = load_label_sheets()

        self._queue_generation = self._history_generation = 0
        self._refreshed_at = 0.0
        self._batch: TaskControl | None = None
        self._progress: QProgressDialog | None = None
        self._progress_label = ""
        self._tasks: list[TaskControl] = []       # small store tasks, abandoned on close
        self._all_batches: list[dict[str, Any]] | None = None  # as last read (None: not read yet)
        self._select_batch_after_load: int | None = None
        self.last_result: mailroom.BatchResult | None = None
        self.last_dialog: QWidget | None = None   # the message, question or dialog shown last (tests read it)
        self.reprint_dialog: ReprintDialog | None = None

        self._make_actions()
        queue_box = self._make_queue_box()
        self.create_button = self._button(self.create_action)
        self.create_button.setDefault(True)
        self.calibration_button = self._button(self.calibration_action)
        self.batch_settings = BatchSettingsBox(
            self.store_path, formats=self.formats, sheets=self.sheets, envelopes=self.envelopes,
            label_sheets=self.label_sheets, settings=self.settings, calibration_button=self.calibration_button,
            create_button=self.create_button)
        self.result_panel = self._make_result_panel()
        history_box = self._make_history_box()

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(queue_box, 5)
        row.addWidget(self.batch_settings, 4)
        top_layout.addLayout(row, 1)
        top_layout.addWidget(self.result_panel)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(history_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(10, 8, 10, 6)
        layout.addWidget(self.splitter)
        self.setCentralWidget(central)
        self._make_menus()
        self.status_label = QLabel()
        self.status_label.setAccessibleName("Mailroom status")
        self.statusBar().addWidget(self.status_label, 1)
        store_label = QLabel(f"Store: {self.store_path}")
        store_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(store_label)
        self._set_tab_order()

        self._restore_settings()
        self.queue_model.choice_changed.connect(self._update_batch_controls)
        self.batch_settings.changed.connect(self._settings_changed)
        self.history_table.selectionModel().selectionChanged.connect(lambda *_: self._update_history_actions())
        self._settings_changed()
        self.refresh()

    # == building ==================================================================================
    def _action(self, text: str, slot: Callable[[], object], shortcuts: tuple[QKeySequence, ...] = (),
                tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setShortcuts(list(shortcuts))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _button(self, action: QAction, text: str | None = None) -> QPushButton:
        button = QPushButton(text or action.text())
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(action.toolTip() + (f" ({shortcut})" if shortcut else ""))
        button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
        button.clicked.connect(action.trigger)
        button.setEnabled(action.isEnabled())
        action.enabledChanged.connect(button.setEnabled)
        return button

    def _make_actions(self) -> None:
        self.create_action = self._action(
            "C&reate batch", self.create_batch, (QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")),
            "Make the print files of the chosen queued cards that go on this stock")
        self.calibration_action = self._action(
            "&Calibration page…", self.calibration_page, (),
            "A page to print on this stock and printer and measure the offsets with")
        self.choose_folder_action = self._action(
            "Choose output &folder…", lambda: self.batch_settings.choose_output_folder(), (),
            "The folder each batch's own folder is made in")
        self.refresh_action = self._action("&Refresh", self.refresh, (QKeySequence(Qt.Key.Key_F5),),
                                           "Read the queue and the batches again")
        self.mailed_action = self._action("&Mark mailed…", self.mark_selected_mailed, (QKeySequence("Ctrl+M"),),
                                          "The batch's cards went out in the mail")
        self.void_action = self._action("Voi&d…", self.void_selected, (),
                                        "Void the batch: its cards go back to the queue, to be batched again")
        self.reprint_action = self._action("Re&print…", self.reprint_selected, (QKeySequence("Ctrl+R"),),
                                           "Reprint one card of the batch, or its envelope")
        self.open_folder_action = self._action("Open folder", self.open_selected_folder, (QKeySequence("Ctrl+O"),),
                                               "Open the batch's folder")
        self.close_action = self._action("&Close", self.close, (QKeySequence(QKeySequence.StandardKey.Close),))
        for action in (self.create_action, self.refresh_action, self.mailed_action, self.reprint_action,
                       self.open_folder_action, self.close_action):
            self.addAction(action)
        for action in (self.mailed_action, self.void_action, self.reprint_action, self.open_folder_action):
            action.setEnabled(False)

    def _make_menus(self) -> None:
        batch_menu = self.menuBar().addMenu("&Batch")
        for action in (self.create_action, self.calibration_action, self.choose_folder_action):
            batch_menu.addAction(action)
        batch_menu.addSeparator()
        batch_menu.addAction(self.close_action)
        history_menu = self.menuBar().addMenu("&History")
        for action in (self.mailed_action, self.void_action, self.reprint_action, self.open_folder_action):
            history_menu.addAction(action)
        history_menu.addSeparator()
        history_menu.addAction(self.show_not_made_action)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.refresh_action)

    def _make_queue_box(self) -> QGroupBox:
        box = QGroupBox("Queued cards")
        self.queue_model = QueueSummaryModel(self)
        tree = QTreeView()
        tree.setAccessibleName("Queued cards by format and template")
        tree.setAccessibleDescription("Check the formats and templates to put in the next batch")
        tree.setModel(self.queue_model)
        tree.setUniformRowHeights(True)
        tree.setAlternatingRowColors(True)
        tree.setAllColumnsShowFocus(True)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QueueColumn.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(QueueColumn.CARDS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(QueueColumn.ON_STOCK, QHeaderView.ResizeMode.ResizeToContents)
        tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tree.customContextMenuRequested.connect(self._queue_menu)
        self.queue_model.modelReset.connect(tree.expandAll)
        self.queue_tree = tree

        self.all_button = QPushButton("All")
        self.all_button.setToolTip("Choose every queued card")
        self.all_button.setAccessibleName("Choose all queued cards")
        self.all_button.clicked.connect(lambda: self.queue_model.choose_all(True))
        self.none_button = QPushButton("None")
        self.none_button.setToolTip("Choose no card, then check the ones to batch")
        self.none_button.setAccessibleName("Choose no queued cards")
        self.none_button.clicked.connect(lambda: self.queue_model.choose_all(False))
        self.fitting_button = QPushButton("Only what fits the stock")
        self.fitting_button.setToolTip("Choose the formats the chosen stock takes, and no others")
        self.fitting_button.clicked.connect(self.queue_model.choose_fitting)
        self.queue_total = QLabel("Reading the queue…")
        self.queue_total.setAccessibleName("Queued cards, total")
        self.queue_total.setWordWrap(True)

        choose = QHBoxLayout()
        choose.addWidget(QLabel("Choose:"))
        choose.addWidget(self.all_button)
        choose.addWidget(self.none_button)
        choose.addWidget(self.fitting_button)
        choose.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(tree, 1)
        layout.addWidget(self.queue_total)
        layout.addLayout(choose)
        return box

    def _make_result_panel(self) -> QFrame:
        panel = QFrame()
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        panel.setAccessibleName("The batch just made")
        self.result_title = QLabel()
        font = self.result_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.result_title.setFont(font)
        self.result_folder = QLabel()
        self.result_folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_notes = QLabel()
        self.result_notes.setWordWrap(True)
        self.result_notes.setTextFormat(Qt.TextFormat.PlainText)
        self.result_notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_cards_button = QPushButton("Open cards PDF")
        self.open_envelopes_button = QPushButton("Open envelopes PDF")
        self.open_manifest_button = QPushButton("Open manifest")
        self.open_manifest_button.setToolTip("The manifest PDF: every card in order, to check the stuffing by")
        self.open_result_folder_button = QPushButton("Open folder")
        for button, kind in ((self.open_cards_button, "cards"), (self.open_envelopes_button, "envelopes"),
                             (self.open_manifest_button, "manifest_pdf"), (self.open_result_folder_button, "folder")):
            button.clicked.connect(lambda _checked=False, kind=kind: self.open_result_file(kind))
            button.setAccessibleName(button.text() + " of the batch just made")
        left = QVBoxLayout()
        left.addWidget(self.result_title)
        left.addWidget(self.result_folder)
        left.addWidget(self.result_notes)
        buttons = QHBoxLayout()
        for button in (self.open_cards_button, self.open_envelopes_button, self.open_manifest_button,
                       self.open_result_folder_button):
            buttons.addWidget(button)
        layout = QHBoxLayout(panel)
        layout.addLayout(left, 1)
        layout.addLayout(buttons)
        panel.hide()
        return panel

    def _make_history_box(self) -> QGroupBox:
        box = QGroupBox("Batches")
        self.history_model = BatchHistoryModel(self.sheets, self.envelopes, self.label_sheets, self)
        table = list_table("Batches, newest first", widths={
            BatchColumn.BATCH: "Batch", BatchColumn.STATUS: "being made…", BatchColumn.CREATED: "Wed 30 Sep 23:59",
            BatchColumn.BY: "Jamal Washington", BatchColumn.CARDS: "10,000",
            BatchColumn.STOCK: "Plain US letter, cut by hand along the trim"})
        table.setModel(self.history_model)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._history_menu)
        table.doubleClicked.connect(lambda _index: self.open_selected_folder())
        self.history_table = table

        self.show_not_made_action = QAction("Show batches not m&ade", self)
        self.show_not_made_action.setCheckable(True)
        self.show_not_made_action.setToolTip("Also show batches that were stopped or failed (no files, no cards)")
        self.show_not_made_check = QCheckBox("Show batches not m&ade")
        self.show_not_made_check.setToolTip(self.show_not_made_action.toolTip())
        self.show_not_made_check.toggled.connect(self.show_not_made_action.setChecked)
        self.show_not_made_action.toggled.connect(self.show_not_made_check.setChecked)
        self.show_not_made_action.toggled.connect(self._show_not_made_toggled)

        self.mailed_button = self._button(self.mailed_action)
        self.void_button = self._button(self.void_action)
        self.reprint_button = self._button(self.reprint_action)
        self.open_folder_button = self._button(self.open_folder_action)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_not_made_check)
        buttons.addStretch(1)
        for button in (self.mailed_button, self.void_button, self.reprint_button, self.open_folder_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(box)
        layout.addWidget(table, 1)
        layout.addLayout(buttons)
        return box

    def _set_tab_order(self) -> None:
        chain = [self.queue_tree, self.all_button, self.none_button, self.fitting_button,
                 *self.batch_settings.tab_chain(), self.open_cards_button,
                 self.open_envelopes_button, self.open_manifest_button, self.open_result_folder_button,
                 self.history_table, self.show_not_made_check, self.mailed_button, self.void_button,
                 self.reprint_button, self.open_folder_button]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    # == settings ==================================================================================
    def _restore_settings(self) -> None:
        geometry = self.settings.value(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            metrics = self.fontMetrics()
            self.resize(metrics.horizontalAdvance("x") * 150, metrics.height() * 50)
        splitter = self.settings.value(SPLITTER_KEY)
        if splitter is not None:
            self.splitter.restoreState(splitter)
        header = self.settings.value(HISTORY_HEADER_KEY)
        if header is not None:
            self.history_table.horizontalHeader().restoreState(header)
        self.show_not_made_action.setChecked(self.settings.value(SHOW_NOT_MADE_KEY, False, bool))

    def save_settings(self) -> None:
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self.settings.setValue(SPLITTER_KEY, self.splitter.saveState())
        self.settings.setValue(HISTORY_HEADER_KEY, self.history_table.horizontalHeader().saveState())
        self.batch_settings.save_settings()
        self.settings.setValue(SHOW_NOT_MADE_KEY, self.show_not_made_action.isChecked())
        self.settings.sync()

    # == the queue =================================================================================
    def refresh(self) -> None:
        """Read the queue and the batches again (each on a worker)."""
        self._refreshed_at = time.monotonic()
        self.refresh_queue()
        self.refresh_history()

    def changeEvent(self, event: QEvent) -> None:
        # Reps queue cards all day: a mailroom coming back to this window sees today's queue.
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self._batch is None \
                and time.monotonic() - self._refreshed_at > STALE_AFTER_S:
            self.refresh()
        super().changeEvent(event)

    def refresh_queue(self) -> None:
        self._queue_generation += 1
        generation = self._queue_generation
        store_path, formats = self.store_path, self.formats

        def read(_control: TaskControl) -> QueueSummary:
            with open_store(store_path) as store:
                return queue_summary(store, formats)

        self._track(run_task(read, on_done=lambda summary: self._show_queue(generation, summary),
                             on_error=lambda error: self._read_failed(generation, "queue", error), context=self))

    def _show_queue(self, generation: int, summary: QueueSummary) -> None:
        if generation != self._queue_generation:
            return
        self.queue_model.set_summary(summary)
        self.queue_loaded.emit()

    def _read_failed(self, generation: int, what: str, error: BaseException) -> None:
        if generation != (self._queue_generation if what == "queue" else self._history_generation):
            return
        self.status_label.setText(f"The {what} could not be read.")
        self.last_dialog = show_failure(self, "Mailroom", error)

    def _queue_menu(self, position: QPoint) -> None:
        index = self.queue_tree.indexAt(position)
        menu = QMenu(self)
        if index.isValid():
            group, template = self.queue_model._node(index)
            if template is not None:
                menu.addAction(f"Only “{template.name}”",
                               lambda: self.queue_model.choose_only(group.key, template.slug))
            menu.addAction(f"Only {group.title} cards", lambda: self.queue_model.choose_only(group.key))
            menu.addSeparator()
        menu.addAction("All queued cards", lambda: self.queue_model.choose_all(True))
        menu.addAction("Only what fits the stock", self.queue_model.choose_fitting)
        menu.popup(self.queue_tree.viewport().mapToGlobal(position))

    # == batch settings ============================================================================
    @property
    def stock(self) -> str:
        return self.batch_settings.stock

    @property
    def printer(self) -> str:
        return self.batch_settings.printer

    def _settings_changed(self) -> None:
        sheet = self.sheets.get(self.stock)
        self.queue_model.set_stock(self.batch_settings.fits(), sheet.title if sheet else self.stock)
        self._update_batch_controls()

    def batch_options(self) -> dict[str, Any]:
        """What ``create_batch`` is given: the settings box's options and the queue's choice."""
        card_ids = None if self.queue_model.all_chosen() else self.queue_model.chosen_card_ids()
        return {**self.batch_settings.options(), "card_ids": card_ids}

    def _update_batch_controls(self) -> None:
        model = self.queue_model
        total, chosen, fitting = model.total, model.chosen_count(), model.chosen_fitting_count()
        self.queue_total.setText(
            "No cards are queued." if not total else
            f"{plural(total, 'queued card')}; {'all' if chosen == total else f'{chosen:,}'} chosen"
            + (f", {fitting:,} of them on this stock" if fitting != chosen else ""))
        limit = self.batch_settings.options()["limit"]
        taken = min(fitting, limit) if limit else fitting
        warning, alarming = "", False
        if not total:
            warning = "Nothing is waiting: no card is queued."
        elif not chosen:
            warning = "No card is chosen: check the formats or templates to batch."
        elif not fitting:
            formats = " or ".join(f.title for f in model.chosen_formats_not_fitting())
            warning, alarming = f"None of the chosen cards go on this stock: it does not take {formats}.", True
        elif fitting < chosen:
            left = ", ".join(f.title for f in model.chosen_formats_not_fitting())
            warning = (f"{plural(chosen - fitting, 'chosen card')} ({left}) "
                       f"{'does' if chosen - fitting == 1 else 'do'} not go on this stock and will stay queued.")
        if not self.batch_settings.output_folder and not warning:
            warning = "Choose an output folder."
        self.batch_settings.set_warning(warning, alarming=alarming)
        busy = self._batch is not None
        self.create_action.setEnabled(bool(taken) and bool(self.batch_settings.output_folder) and not busy)
        self.create_button.setText(f"C&reate batch of {plural(taken, 'card')}" if taken else "C&reate batch")
        for button in (self.all_button, self.none_button, self.fitting_button):
            button.setEnabled(bool(total))

    def calibration_page(self, out: Path | None = None) -> TaskControl:
        """Write the stock's calibration page (with this printer's offsets, any edit of them
        saved first) and open it."""
        stock, printer = self.stock, self.printer
        pending = self.batch_settings.take_pending_offsets()
        if out is None:
            folder = Path(tempfile.gettempdir()) / "cardsender-calibration"
            out = folder / f"calibration-{stock}{'-' + _file_safe(printer) if printer else ''}.pdf"
        store_path = self.store_path
        self.calibration_action.setEnabled(False)
        self.status_label.setText("Writing the calibration page…")

        def write(_control: TaskControl) -> Path:
            out.parent.mkdir(parents=True, exist_ok=True)
            with open_store(store_path) as store:
                save_offsets(store, pending)
                return mailroom.calibration_page(store, stock, out, printer=printer)

        def written(path: Path) -> None:
            self.calibration_action.setEnabled(True)
            self.status_label.setText(f"Calibration page written to {path}")
            self.batch_settings.remember_printer(printer)
            open_in_desktop(self, path)
            self.action_finished.emit("calibration", path)

        def failed(error: BaseException) -> None:
            self.calibration_action.setEnabled(True)
            self.status_label.setText("")
            self.last_dialog = show_failure(self, "Calibration page", error)
            self.action_finished.emit("calibration", error)

        # On the offsets' own worker: after any save of them already on its way.
        task = run_task(write, on_done=written, on_error=failed, context=self, pool=self.batch_settings.offsets_pool)
        self._track(task)
        return task

    # == making a batch ============================================================================
    def create_batch(self, out_dir: Path | None = None) -> TaskControl | None:
        """Make a batch of the chosen cards on a worker, with a progress dialog that can stop
        it. ``out_dir``: the output folder (else the one in the window)."""
        if self._batch is not None:
            return None
        folder = Path(out_dir) if out_dir is not None else Path(self.batch_settings.output_folder).expanduser()
        if not str(folder).strip() or str(folder) == ".":
            self.last_dialog = show_message(self, "Create batch", "Choose an output folder for the batch first.",
                                            QMessageBox.Icon.Warning)
            return None
        options = self.batch_options()
        offsets = self.batch_settings.take_pending_offsets()
        store_path = self.store_path
        self.settings.setValue(OUTPUT_FOLDER_KEY, str(folder))
        self.batch_settings.remember_printer(options["printer"])
        self._progress = self._make_progress_dialog()
        self._batch = run_task(
            lambda control: create_batch_in_own_store(store_path, folder, options, offsets, control),
            on_done=self._batch_done, on_error=self._batch_done, on_progress=self._show_progress, context=self)
        self._update_batch_controls()
        self.status_label.setText("Making the batch…")
        return self._batch

    def cancel_batch(self) -> None:
        """Ask the batch to stop at its next card; every card stays queued."""
        if self._batch is None:
            return
        self._batch.cancel()
        if self._progress is not None:
            self._progress.setLabelText("Stopping… every card stays in the queue.")
            self._progress.setCancelButtonText("Stopping…")
            button = self._progress.findChild(QPushButton)
            if button is not None:
                button.setEnabled(False)

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        return self._progress

    def _make_progress_dialog(self) -> QProgressDialog:
        sheet = self.sheets[self.stock]
        self._progress_label = f"Making a batch on {sheet.title}"
        dialog = QProgressDialog(self._progress_label + "…", "Cancel", 0, 0, self)
        dialog.setWindowTitle("Create batch")
        dialog.setMinimumWidth(dialog.fontMetrics().horizontalAdvance("x") * 70)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_DIALOG_DELAY_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        # Cancel asks the batch to stop; the dialog stays, saying so, until the worker has stopped.
        dialog.canceled.disconnect(dialog.cancel)
        dialog.canceled.connect(self.cancel_batch)
        dialog.setValue(0)
        return dialog

    def _show_progress(self, done: int, total: int) -> None:
        if self._progress is None or self._batch is None or self._batch.cancelled():
            return
        cards = max(total // 2, 1)  # the batch counts each card twice: prepared, then drawn
        if done < cards:
            step = f"preparing the cards: {done:,} of {cards:,}"
        elif done < total:
            step = f"drawing the sheets: {done - cards:,} of {cards:,} cards"
        else:
            step = "writing the envelopes or labels and the manifest"
        self._progress.setLabelText(f"{self._progress_label}…\n{step}")
        self._progress.setMaximum(max(total, 1))
        # Last: a modal dialog's setValue runs the event loop, where later reports (or the
        # end of the batch) may arrive and replace what this one set.
        self._progress.setValue(min(done, total))

    def _batch_done(self, outcome: object) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None
        self._batch = None
        self.status_label.setText("")
        if isinstance(outcome, mailroom.BatchResult):
            self.last_result = outcome
            self._show_result(outcome)
            self._select_batch_after_load = outcome.batch_id
            self.status_label.setText(f"Batch {outcome.batch_id} made: {plural(outcome.cards, 'card')}.")
        elif isinstance(outcome, BatchStopped):
            self.last_dialog = show_message(self, "Batch stopped",
                                            "The batch was stopped before it was made: every card is still queued.")
        else:
            self.last_dialog = show_failure(self, "Create batch", outcome)  # type: ignore[arg-type]
        self._update_batch_controls()
        self.refresh()
        self.batch_finished.emit(outcome)

    def _show_result(self, result: mailroom.BatchResult) -> None:
        self.result_title.setText(f"Batch {result.batch_id} is ready: {plural(result.cards, 'card')} on "
                                  f"{plural(result.sheets, 'sheet')}")
        self.result_folder.setText(f"Folder: {result.folder}")
        self.result_folder.setToolTip(str(result.folder))
        extra = "labels" if "labels" in result.files else "envelopes" if "envelopes" in result.files else ""
        pairing = (f"Cards, {extra + ' and ' if extra else ''}manifest are in one order, numbered "
                   f"{mailroom.marker(result.batch_id, 1)} onwards.")
        notes = "\n".join(f"• {note}" for note in result.left_in_queue)
        self.result_notes.setText(pairing + ("\nLeft in the queue:\n" + notes if notes else ""))
        extra = result.files.get("envelopes") or result.files.get("labels")
        self.open_envelopes_button.setVisible(extra is not None)
        self.open_envelopes_button.setText("Open labels PDF" if "labels" in result.files else "Open envelopes PDF")
        self.open_envelopes_button.setAccessibleName(self.open_envelopes_button.text() + " of the batch just made")
        self.result_panel.show()

    def open_result_file(self, kind: str) -> bool:
        """Open one of the last batch's files ("cards", "envelopes" (or labels), "manifest_pdf",
        "manifest_csv") or its "folder"."""
        result = self.last_result
        if result is None:
            return False
        if kind == "folder":
            return open_in_desktop(self, result.folder)
        if kind == "envelopes":
            path = result.files.get("envelopes") or result.files.get("labels")
        else:
            path = result.files.get(kind)
        return open_in_desktop(self, path) if path is not None else False

    # == the history ===============================================================================
    def refresh_history(self) -> None:
        self._history_generation += 1
        generation = self._history_generation
        store_path = self.store_path

        def read(_control: TaskControl) -> list[dict[str, Any]]:
            with open_store(store_path) as store:
                return store.list_batches()

        self._track(run_task(read, on_done=lambda batches: self._show_history(generation, batches),
                             on_error=lambda error: self._read_failed(generation, "batch history", error),
                             context=self))

    def _show_history(self, generation: int, batches: list[dict[str, Any]]) -> None:
        if generation != self._history_generation:
            return
        selected = self.selected_batch()
        wanted = self._select_batch_after_load or (selected["id"] if selected else None)
        self._select_batch_after_load = None
        self._all_batches = batches
        self.history_model.set_batches(batches, show_not_made=self.show_not_made_action.isChecked())
        row = self.history_model.row_of(wanted) if wanted is not None else None
        if row is None and self.history_model.rowCount():
            row = 0  # the newest: what the mailroom acts on most
        if row is not None:
            self.history_table.selectRow(row)
        self._update_history_actions()
        self.history_loaded.emit()

    def _show_not_made_toggled(self, shown: bool) -> None:
        self.settings.setValue(SHOW_NOT_MADE_KEY, shown)
        if self._all_batches is not None:
            self._show_history(self._history_generation, self._all_batches)

    def selected_batch(self) -> dict[str, Any] | None:
        row = selected_row(self.history_table)
        return None if row is None else self.history_model.batch_at(row)

    def select_batch(self, batch_id: int) -> bool:
        row = self.history_model.row_of(batch_id)
        if row is not None:
            self.history_table.selectRow(row)
        return row is not None

    def _update_history_actions(self) -> None:
        batch = self.selected_batch()
        status = batch["status"] if batch else ""
        self.mailed_action.setEnabled(status == "printed")
        self.void_action.setEnabled(status == "printed")
        self.reprint_action.setEnabled(status in ("printed", "mailed"))
        self.open_folder_action.setEnabled(status in ("printed", "mailed", "void"))

    def _history_menu(self, position: QPoint) -> None:
        index = self.history_table.indexAt(position)
        if not index.isValid():
            return
        self.history_table.selectRow(index.row())
        menu = QMenu(self)
        for action in (self.mailed_action, self.void_action, self.reprint_action, self.open_folder_action):
            menu.addAction(action)
        menu.popup(self.history_table.viewport().mapToGlobal(position))

    def _confirm(self, title: str, text: str, informative: str, yes_text: str, then: Callable[[], object]) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setInformativeText(informative)
        box.button(QMessageBox.StandardButton.Yes).setText(yes_text)
        box.button(QMessageBox.StandardButton.No).setText("&Not now")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda result: then() if result == QMessageBox.StandardButton.Yes else None)
        self.last_dialog = box
        box.open()
        return box

    def mark_selected_mailed(self) -> QMessageBox | None:
        batch = self.selected_batch()
        if batch is None or batch["status"] != "printed":
            return None
        return self._confirm(
            "Mark mailed", f"Mark batch {batch['id']} mailed? Its {plural(batch['card_count'], 'card')} "
            f"become mailed.", "This cannot be undone.", "&Mark mailed", lambda: self.mark_mailed(batch["id"]))

    def void_selected(self) -> QMessageBox | None:
        batch = self.selected_batch()
        if batch is None or batch["status"] != "printed":
            return None
        count = batch["card_count"]
        return self._confirm(
            "Void batch", f"Void batch {batch['id']}? Its {plural(count, 'card')} go back to the queue.",
            "They will be batched again: throw away what was printed for this batch.",
            "&Void batch", lambda: self.void_batch(batch["id"]))

    def mark_mailed(self, batch_id: int) -> TaskControl:
        return self._change_batch("mailed", batch_id, lambda store: store.mark_batch_mailed(batch_id, actor=current_actor()))

    def void_batch(self, batch_id: int) -> TaskControl:
        return self._change_batch("void", batch_id, lambda store: store.void_batch(batch_id, actor=current_actor()))

    def _change_batch(self, what: str, batch_id: int, change: Callable[[Any], None]) -> TaskControl:
        store_path = self.store_path
        self.mailed_action.setEnabled(False)
        self.void_action.setEnabled(False)

        def work(_control: TaskControl) -> int:
            with open_store(store_path) as store:
                change(store)
            return batch_id

        def done(_batch_id: int) -> None:
            self.status_label.setText(f"Batch {batch_id} {'marked mailed' if what == 'mailed' else 'voided'}.")
            self._select_batch_after_load = batch_id
            self.refresh()
            self.action_finished.emit(what, batch_id)

        def failed(error: BaseException) -> None:
            self.last_dialog = show_failure(self, "Mark mailed" if what == "mailed" else "Void batch", error)
            self.refresh()
            self.action_finished.emit(what, error)

        task = run_task(work, on_done=done, on_error=failed, context=self)
        self._track(task)
        return task

    def reprint_selected(self) -> ReprintDialog | None:
        batch = self.selected_batch()
        if batch is None or batch["status"] not in ("printed", "mailed"):
            return None
        return self.open_reprint_dialog(batch)

    def open_reprint_dialog(self, batch: dict[str, Any]) -> ReprintDialog:
        key = batch["envelope"]
        envelope_title = self.envelopes[key].title if key in self.envelopes else "the card format's own"
        sheet = self.sheets.get(batch["stock"])
        dialog = ReprintDialog(self.store_path, batch, printer=self.printer, envelope_title=envelope_title,
                               uses_labels=key in self.label_sheets,
                               stock_title=sheet.title if sheet else batch["stock"], parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: setattr(self, "reprint_dialog", None))
        self.reprint_dialog = dialog
        dialog.open()
        return dialog

    def open_selected_folder(self) -> bool:
        batch = self.selected_batch()
        if batch is None or batch["status"] not in ("printed", "mailed", "void"):
            return False
        return open_in_desktop(self, batch_folder(batch))

    # == the window ================================================================================
    def _track(self, task: TaskControl) -> None:
        self._tasks = [t for t in self._tasks if not t.abandoned][-20:] + [task]

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._batch is not None:
            answer = QMessageBox.question(
                self, "Mailroom", "A batch is being made. Stop it and close?\n\nEvery card stays in the queue.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self._batch.cancel()
            self._batch.abandon()
        self.batch_settings.close_down()
        self.save_settings()
        for task in self._tasks:
            if task is not None:
                task.abandon()
        super().closeEvent(event)
