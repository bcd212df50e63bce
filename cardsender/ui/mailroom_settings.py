"""The mailroom window's "New batch" box: the stock and what it takes, envelopes or labels, a
limit, the printer and its offsets for the stock, and the output folder.

The printer's name and the folder are this desktop's (QSettings); the offsets are the team's
(the store), read and saved by a worker of their own, one at a time and in order, so that a
read never overtakes a save. They are saved a moment after they are edited; whoever is about
to print with them takes any edit not saved yet (``take_pending_offsets``) and saves it first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QPushButton, QRadioButton, QSpinBox, QWidget,
)

from cardsender.environment import current_actor
from cardsender.stocks import Envelope, LabelSheet, Sheet
from cardsender.store import open_store
from cardsender.templates import CardFormat
from cardsender.ui.mailroom_dialogs import home_documents
from cardsender.ui.mailroom_models import cards_per_sheet
from cardsender.ui.messages import show_failure
from cardsender.ui.tasks import TaskControl, run_task

# QSettings keys
STOCK_KEY = "mailroom/stock"
ENVELOPES_KEY = "mailroom/envelopes"      # "own", "envelope:KEY" or "labels:KEY"
PRINTER_KEY = "mailroom/printer"
PRINTERS_KEY = "mailroom/printers"        # names used before, newest first (JSON)
OUTPUT_FOLDER_KEY = "mailroom/output_folder"

DEFAULT_STOCK = "note-cards-letter"       # the command line's default too
PRINTERS_KEPT = 12
OFFSETS_SAVE_DELAY_MS = 700               # saved when the typing stops, not at every arrow click
PRINTER_SETTLE_MS = 400                   # a printer's offsets are read when its name stops changing
OFFSET_LIMIT = 1.0                        # inches: more is a mistake, not printer drift (as the CLI says)


@dataclass(frozen=True)
class PendingOffsets:
    stock: str
    printer: str
    front: tuple[float, float]
    back: tuple[float, float]


def save_offsets(store, pending: PendingOffsets | None) -> None:
    if pending is not None:
        store.set_printer_offsets(pending.stock, pending.printer, front=pending.front, back=pending.back,
                                  actor=current_actor())


def fits_text(fits: dict[str, int], formats: dict[str, CardFormat]) -> str:
    if not fits:
        return "Takes none of the card formats"
    return "Takes " + ", ".join(f"{formats[k].title} ({n} per sheet)" for k, n in fits.items())


class BatchSettingsBox(QGroupBox):
    changed = Signal()               # what the next batch would be made of changed
    offsets_loaded = Signal()        # the offset boxes show the store's values for stock and printer
    offsets_saved = Signal(object)   # the PendingOffsets saved, or the exception

    def __init__(self, store_path: Path, *, formats: dict[str, CardFormat], sheets: dict[str, Sheet],
                 envelopes: dict[str, Envelope], label_sheets: dict[str, LabelSheet], settings: QSettings,
                 calibration_button: QPushButton, create_button: QPushButton, parent: QWidget | None = None) -> None:
        super().__init__("New batch", parent)
        self.store_path = store_path
        self.formats, self.sheets = formats, sheets
        self.settings = settings
        self.calibration_button, self.create_button = calibration_button, create_button
        self._offsets_target: tuple[str, str] | None = None  # (stock, printer) the offset boxes show
        self._offsets_generation = 0
        self._pending_offsets: PendingOffsets | None = None
        self._showing_offsets = False
        self.offsets_loading = False     # a read of the offsets is on its way
        self._tasks: list[TaskControl] = []
        self.last_dialog: QWidget | None = None
        self.offsets_pool = QThreadPool(self)
        self.offsets_pool.setMaxThreadCount(1)

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)

        # -- stock
        self.stock_combo = QComboBox()
        self.stock_combo.setAccessibleName("Stock")
        self.stock_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.stock_combo.setMinimumContentsLength(28)
        for key, sheet in sheets.items():
            self.stock_combo.addItem(sheet.title, key)
            self.stock_combo.setItemData(self.stock_combo.count() - 1,
                                         fits_text(cards_per_sheet(sheet, formats), formats),
                                         Qt.ItemDataRole.ToolTipRole)
        self.stock_fits = QLabel()
        self.stock_fits.setWordWrap(True)
        self.stock_fits.setAccessibleName("What the stock takes")
        form.addRow(self._label("&Stock:", self.stock_combo), self.stock_combo)
        form.addRow("", self.stock_fits)

        # -- envelopes or labels
        self.envelope_group = QButtonGroup(self)
        self.own_radio = QRadioButton("&Each card's own envelope")
        self.own_radio.setToolTip("An envelope of each card format's own size (postcards need none)")
        self.one_radio = QRadioButton("&One envelope for all:")
        self.labels_radio = QRadioButton("Address &labels:")
        self.labels_radio.setToolTip("Address labels in the order of the cards, instead of envelopes")
        for number, radio in enumerate((self.own_radio, self.one_radio, self.labels_radio)):
            self.envelope_group.addButton(radio, number)
        self.envelope_combo = QComboBox()
        self.envelope_combo.setAccessibleName("Envelope for all cards")
        for key, envelope in envelopes.items():
            self.envelope_combo.addItem(envelope.title, key)
        self.labels_combo = QComboBox()
        self.labels_combo.setAccessibleName("Label sheet")
        self.labels_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.labels_combo.setMinimumContentsLength(20)
        for key, labels in label_sheets.items():
            self.labels_combo.addItem(labels.title, key)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.own_radio, 0, 0, 1, 2)
        grid.addWidget(self.one_radio, 1, 0)
        grid.addWidget(self.envelope_combo, 1, 1)
        grid.addWidget(self.labels_radio, 2, 0)
        grid.addWidget(self.labels_combo, 2, 1)
        grid.setColumnStretch(1, 1)
        form.addRow("Envelopes:", grid)

        # -- a limit
        self.limit_spin = QSpinBox()
        self.limit_spin.setAccessibleName("At most this many cards")
        self.limit_spin.setRange(0, 100_000)
        self.limit_spin.setSingleStep(50)
        self.limit_spin.setSpecialValueText("all of them")
        self.limit_spin.setSuffix(" cards")
        self.limit_spin.setGroupSeparatorShown(True)
        self.limit_spin.setToolTip("At most this many cards, in mailing order (0: all the chosen cards)")
        limit_row = QHBoxLayout()
        limit_row.addWidget(self.limit_spin)
        limit_row.addStretch(1)
        form.addRow(self._label("At mos&t:", self.limit_spin), limit_row)

        # -- the printer and its offsets
        self.printer_combo = QComboBox()
        self.printer_combo.setEditable(True)
        self.printer_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.printer_combo.setAccessibleName("Printer")
        self.printer_combo.lineEdit().setPlaceholderText("the printer's name, for its offsets")
        self.printer_combo.setToolTip("Offsets are kept for each stock on each printer; leave empty to print without")
        form.addRow(self._label("Pri&nter:", self.printer_combo), self.printer_combo)
        self.printer_timer = QTimer(self)
        self.printer_timer.setSingleShot(True)
        self.printer_timer.setInterval(PRINTER_SETTLE_MS)
        self.printer_timer.timeout.connect(self._offsets_target_changed)

        offsets = QGridLayout()
        offsets.setContentsMargins(0, 0, 0, 0)
        offsets.setHorizontalSpacing(8)
        for column, text in ((1, "x (+ right)"), (2, "y (+ up)")):
            label = QLabel(text)
            label.setEnabled(False)
            offsets.addWidget(label, 0, column)
        self.offset_spins: dict[tuple[str, int], QDoubleSpinBox] = {}
        for row, side in enumerate(("front", "back"), start=1):
            offsets.addWidget(QLabel(side.capitalize()), row, 0)
            for column, axis in enumerate(("x", "y")):
                spin = QDoubleSpinBox()
                spin.setRange(-OFFSET_LIMIT, OFFSET_LIMIT)
                spin.setDecimals(3)
                spin.setSingleStep(0.01)
                spin.setSuffix(" in")
                spin.setAccessibleName(f"{side.capitalize()} offset {axis}, inches")
                spin.setToolTip(f"Move the {side} of each sheet {'right' if axis == 'x' else 'up'} by this much "
                                f"({'left' if axis == 'x' else 'down'} when negative); measure it on a calibration page")
                spin.valueChanged.connect(lambda _value: self._offsets_edited())
                offsets.addWidget(spin, row, column + 1)
                self.offset_spins[(side, column)] = spin
        offsets.setColumnStretch(3, 1)
        form.addRow("Offsets:", offsets)
        self._offsets_timer = QTimer(self)
        self._offsets_timer.setSingleShot(True)
        self._offsets_timer.setInterval(OFFSETS_SAVE_DELAY_MS)
        self._offsets_timer.timeout.connect(self.flush_offsets)
        self.offsets_status = QLabel()
        self.offsets_status.setAccessibleName("Offsets status")
        self.offsets_status.setEnabled(False)
        calibration_row = QHBoxLayout()
        calibration_row.addWidget(calibration_button)
        calibration_row.addWidget(self.offsets_status, 1)
        form.addRow("", calibration_row)

        # -- where the files go
        self.output_edit = QLineEdit()
        self.output_edit.setAccessibleName("Output folder")
        self.output_edit.setToolTip("Each batch gets its own folder in here (batch-0001, batch-0002…)")
        self.output_button = QPushButton("Bro&wse…")
        self.output_button.setAccessibleName("Choose the output folder")
        self.output_button.clicked.connect(self.choose_output_folder)
        output_row = QHBoxLayout()
        output_row.addWidget(self.output_edit, 1)
        output_row.addWidget(self.output_button)
        form.addRow(self._label("Output &folder:", self.output_edit), output_row)

        self.batch_warning = QLabel()
        self.batch_warning.setWordWrap(True)
        self.batch_warning.setAccessibleName("Batch warning")
        self.batch_warning.setTextFormat(Qt.TextFormat.PlainText)
        create_button.setMinimumHeight(create_button.sizeHint().height() + 6)
        create_row = QHBoxLayout()
        create_row.addWidget(self.batch_warning, 1)
        create_row.addWidget(create_button, 0, Qt.AlignmentFlag.AlignBottom)
        form.addRow(create_row)

        self._restore_settings()
        self.stock_combo.currentIndexChanged.connect(self._stock_changed)
        self.printer_combo.currentTextChanged.connect(lambda _text: self.printer_timer.start())
        self.envelope_group.idToggled.connect(lambda _id, _on: self._envelopes_changed())
        self.envelope_combo.currentIndexChanged.connect(lambda _i: self._envelopes_changed())
        self.labels_combo.currentIndexChanged.connect(lambda _i: self._envelopes_changed())
        self.limit_spin.valueChanged.connect(lambda _v: self.changed.emit())
        self.output_edit.textChanged.connect(lambda _t: self.changed.emit())
        self._show_stock()
        self._envelopes_changed()
        self._offsets_target_changed()

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def tab_chain(self) -> list[QWidget]:
        return [self.stock_combo, self.own_radio, self.one_radio, self.envelope_combo, self.labels_radio,
                self.labels_combo, self.limit_spin, self.printer_combo, *self.offset_spins.values(),
                self.calibration_button, self.output_edit, self.output_button, self.create_button]

    # -- what the batch takes ----------------------------------------------------------------------
    @property
    def stock(self) -> str:
        return self.stock_combo.currentData() or ""

    def set_stock(self, key: str) -> bool:
        index = self.stock_combo.findData(key)
        if index >= 0:
            self.stock_combo.setCurrentIndex(index)
        return index >= 0

    @property
    def printer(self) -> str:
        return self.printer_combo.currentText().strip()

    @property
    def output_folder(self) -> str:
        return self.output_edit.text().strip()

    def fits(self) -> dict[str, int]:
        """Cards per sheet of each format the chosen stock takes."""
        sheet = self.sheets.get(self.stock)
        return cards_per_sheet(sheet, self.formats) if sheet else {}

    def options(self) -> dict[str, Any]:
        """``create_batch``'s settings from this box (the cards are the queue's)."""
        return {
            "stock": self.stock,
            "envelope": self.envelope_combo.currentData() if self.one_radio.isChecked() else None,
            "labels": self.labels_combo.currentData() if self.labels_radio.isChecked() else None,
            "limit": self.limit_spin.value() or None,
            "printer": self.printer,
        }

    def set_warning(self, text: str, *, alarming: bool = False) -> None:
        self.batch_warning.setText(("⚠ " if alarming else "") + text)
        self.batch_warning.setStyleSheet("color: #b3261e;" if alarming else "")

    def _stock_changed(self) -> None:
        self._show_stock()
        self.settings.setValue(STOCK_KEY, self.stock)
        self._offsets_target_changed()
        self.changed.emit()

    def _show_stock(self) -> None:
        sheet = self.sheets.get(self.stock)
        if sheet is None:
            return
        kind = "precut cards" if sheet.precut else "cut along the trim marks"
        self.stock_fits.setText(f"{fits_text(self.fits(), self.formats)}; {kind}.")
        self.stock_combo.setToolTip(sheet.title)

    def _envelopes_setting(self) -> str:
        if self.one_radio.isChecked():
            return f"envelope:{self.envelope_combo.currentData()}"
        if self.labels_radio.isChecked():
            return f"labels:{self.labels_combo.currentData()}"
        return "own"

    def _envelopes_changed(self) -> None:
        self.envelope_combo.setEnabled(self.one_radio.isChecked())
        self.labels_combo.setEnabled(self.labels_radio.isChecked())
        self.settings.setValue(ENVELOPES_KEY, self._envelopes_setting())

    def choose_output_folder(self) -> None:
        start = Path(self.output_folder or home_documents())
        while not start.is_dir() and start != start.parent:
            start = start.parent
        folder = QFileDialog.getExistingDirectory(self, "Output folder for batches", str(start))
        if folder:
            self.output_edit.setText(folder)
            self.settings.setValue(OUTPUT_FOLDER_KEY, folder)

    # -- settings ----------------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        if not self.set_stock(self.settings.value(STOCK_KEY, DEFAULT_STOCK, str)):
            self.set_stock(DEFAULT_STOCK)
        kind, _, key = self.settings.value(ENVELOPES_KEY, "own", str).partition(":")
        if kind == "envelope" and self.envelope_combo.findData(key) >= 0:
            self.one_radio.setChecked(True)
            self.envelope_combo.setCurrentIndex(self.envelope_combo.findData(key))
        elif kind == "labels" and self.labels_combo.findData(key) >= 0:
            self.labels_radio.setChecked(True)
            self.labels_combo.setCurrentIndex(self.labels_combo.findData(key))
        else:
            self.own_radio.setChecked(True)
        self.printer_combo.addItems(self._remembered_printers())
        self.printer_combo.setCurrentText(self.settings.value(PRINTER_KEY, "", str))
        self.output_edit.setText(self.settings.value(OUTPUT_FOLDER_KEY, str(home_documents()), str))

    def save_settings(self) -> None:
        self.settings.setValue(STOCK_KEY, self.stock)
        self.settings.setValue(ENVELOPES_KEY, self._envelopes_setting())
        self.settings.setValue(PRINTER_KEY, self.printer)
        if self.output_folder:
            self.settings.setValue(OUTPUT_FOLDER_KEY, self.output_folder)

    def _remembered_printers(self) -> list[str]:
        try:
            names = json.loads(self.settings.value(PRINTERS_KEY, "[]", str))
        except ValueError:
            return []
        return [n for n in names if isinstance(n, str) and n.strip()] if isinstance(names, list) else []

    def remember_printer(self, printer: str) -> None:
        """The printer used last comes up next time; names used before are in the list."""
        self.settings.setValue(PRINTER_KEY, printer)
        if not printer:
            return
        names = [printer] + [n for n in self._remembered_printers() if n.lower() != printer.lower()]
        self.settings.setValue(PRINTERS_KEY, json.dumps(names[:PRINTERS_KEPT]))
        if self.printer_combo.findText(printer, Qt.MatchFlag.MatchFixedString) < 0:
            current = self.printer_combo.currentText()
            self.printer_combo.blockSignals(True)
            self.printer_combo.insertItem(0, printer)
            self.printer_combo.setCurrentText(current)
            self.printer_combo.blockSignals(False)

    # -- printer offsets ---------------------------------------------------------------------------
    def offset_values(self) -> tuple[tuple[float, float], tuple[float, float]]:
        spins = self.offset_spins
        return ((spins[("front", 0)].value(), spins[("front", 1)].value()),
                (spins[("back", 0)].value(), spins[("back", 1)].value()))

    def _offsets_target_changed(self) -> None:
        """The stock or the printer changed: keep what was typed for the old pair, then show the
        new pair's offsets (none without a printer)."""
        target = (self.stock, self.printer) if self.printer else None
        old = self._offsets_target
        if target is not None and old is not None and (target[0], target[1].lower()) == (old[0], old[1].lower()):
            return
        self.flush_offsets()
        self._offsets_target = target
        self._offsets_generation += 1
        generation = self._offsets_generation
        for spin in self.offset_spins.values():
            spin.setEnabled(False)
        if target is None:
            self._show_offsets(generation, {"front": (0.0, 0.0), "back": (0.0, 0.0)})
            self.offsets_status.setText("Name the printer to keep offsets for it.")
            return
        self.offsets_loading = True
        self.offsets_status.setText("Reading the offsets…")
        store_path = self.store_path

        def read(_control: TaskControl) -> dict[str, tuple[float, float]]:
            with open_store(store_path) as store:
                return store.printer_offsets(*target)

        self._track(run_task(read, on_done=lambda offsets: self._show_offsets(generation, offsets),
                             on_error=lambda error: self._offsets_failed(generation, error),
                             context=self, pool=self.offsets_pool))

    def _show_offsets(self, generation: int, offsets: dict[str, tuple[float, float]]) -> None:
        if generation != self._offsets_generation:
            return
        self.offsets_loading = False
        self._showing_offsets = True
        for (side, column), spin in self.offset_spins.items():
            spin.setValue(float(offsets[side][column]))
            spin.setEnabled(self._offsets_target is not None)
        self._showing_offsets = False
        if self._offsets_target is not None:
            printer = self._offsets_target[1]
            moved = any(v for pair in offsets.values() for v in pair)
            self.offsets_status.setText(f"Offsets for {printer} on this stock." if moved
                                        else f"No offsets kept for {printer} on this stock yet.")
        self.offsets_loaded.emit()

    def _offsets_failed(self, generation: int, error: BaseException) -> None:
        if generation == self._offsets_generation:
            self.offsets_loading = False
            self.offsets_status.setText("The offsets could not be read.")
            self.last_dialog = show_failure(self, "Printer offsets", error)

    def _offsets_edited(self) -> None:
        if self._showing_offsets or self._offsets_target is None:
            return
        front, back = self.offset_values()
        stock, printer = self._offsets_target
        self._pending_offsets = PendingOffsets(stock, printer, front, back)
        self.offsets_status.setText("Changed; saved in a moment.")
        self._offsets_timer.start()

    def take_pending_offsets(self) -> PendingOffsets | None:
        """The edit not saved yet, for a worker about to print with it to save first."""
        self._offsets_timer.stop()
        pending, self._pending_offsets = self._pending_offsets, None
        return pending

    def flush_offsets(self) -> TaskControl | None:
        """Save the offsets being edited now."""
        pending = self.take_pending_offsets()
        if pending is None:
            return None
        store_path = self.store_path

        def save(_control: TaskControl) -> PendingOffsets:
            with open_store(store_path) as store:
                save_offsets(store, pending)
            return pending

        def saved(result: PendingOffsets) -> None:
            self.remember_printer(result.printer)
            if self._pending_offsets is None and self._offsets_target == (result.stock, result.printer):
                self.offsets_status.setText(f"Saved for {result.printer} on this stock.")
            self.offsets_saved.emit(result)

        def failed(error: BaseException) -> None:
            self.offsets_status.setText("The offsets were not saved.")
            self.last_dialog = show_failure(self, "Printer offsets", error)
            self.offsets_saved.emit(error)

        task = run_task(save, on_done=saved, on_error=failed, context=self, pool=self.offsets_pool)
        self._track(task)
        return task

    # -- going away --------------------------------------------------------------------------------
    def _track(self, task: TaskControl) -> None:
        self._tasks = [t for t in self._tasks if not t.abandoned][-20:] + [task]

    def close_down(self) -> None:
        """The window is closing: offsets typed a moment ago are still saved (the offsets'
        worker finishes before this box goes), and nothing more is shown."""
        self.flush_offsets()
        self.save_settings()
        for task in self._tasks:
            task.abandon()
