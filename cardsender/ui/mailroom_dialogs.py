"""The mailroom's smaller pieces: opening a file or folder in the desktop's own program, and
the dialog that reprints one card of a batch (or its envelope)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from cardsender import mailroom
from cardsender.store import open_store
from cardsender.ui.mailroom_models import (
    BatchCardColumn,
    BatchCardsModel,
    batch_folder,
    plural,
    recipient_name,
)
from cardsender.ui.messages import show_failure, show_message
from cardsender.ui.tables import list_table, select_by_id, selected_row
from cardsender.ui.tasks import TaskControl, run_task


def open_in_desktop(parent: QWidget | None, path: Path) -> bool:
    """Open a file (in the PDF viewer, the spreadsheet...) or a folder (in the file manager)."""
    path = Path(path)
    if not path.exists():
        show_message(parent, "Open", f"{path} is not there any more: it was moved or deleted.")
        return False
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    show_message(parent, "Open", f"No program on this computer opened {path.name}.\n\nIt is in {path.parent}.")
    return False


def reprint_in_own_store(store_path: Path, batch_id: int, card_id: int, out: Path, *, envelope: bool,
                         printer: str) -> Path:
    with open_store(store_path) as store:
        return mailroom.reprint(store, batch_id, card_id, out, envelope=envelope, printer=printer)


def batch_cards_in_own_store(store_path: Path, batch_id: int) -> list[dict[str, Any]]:
    with open_store(store_path) as store:
        return store.batch_cards(batch_id)


class ReprintDialog(QDialog):
    """Pick a card of the batch, by the number printed on it or by its customer, and write it
    (alone on a sheet of the batch's stock) or its envelope to a PDF, then open that."""

    cards_loaded = Signal()
    reprinted = Signal(object)  # the PDF's path, or the exception

    def __init__(self, store_path: Path, batch: dict[str, Any], *, printer: str, envelope_title: str,
                 uses_labels: bool, stock_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store_path = store_path
        self.batch = batch
        self.printer = printer
        self._task: TaskControl | None = None
        self.setWindowTitle(f"Reprint from batch {batch['id']}")

        intro = QLabel(f"Batch {batch['id']}, {stock_title}. Pick a card by the number printed on it "
                       f"(B{batch['id']:04d}·…) or by its customer.")
        intro.setWordWrap(True)
        self.model = BatchCardsModel(self)
        self.table = list_table(f"Cards of batch {batch['id']}", widths={
            BatchCardColumn.MARKER: "B0000·000", BatchCardColumn.CUSTOMER: "Maple Street Tailors",
            BatchCardColumn.CITY: "Kansas City, US", BatchCardColumn.TEMPLATE: "Thank you for your patience"})
        self.table.setModel(self.model)
        self.table.doubleClicked.connect(lambda _index: self.save_chosen())

        self.card_radio = QRadioButton("The &card, alone on a sheet of the batch's stock")
        self.envelope_radio = QRadioButton(f"Its &envelope ({envelope_title})")
        self.card_radio.setChecked(True)
        if uses_labels:  # the core reprints envelopes, not single labels
            self.envelope_radio.setText("An &envelope for it (the batch used labels)")
        self.status = QLabel("Loading the batch's cards…")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setAccessibleName("Reprint status")
        printer_note = QLabel(f"Printer offsets: {printer}" if printer else
                              "No printer named in the mailroom window: printed without offsets.")
        printer_note.setEnabled(False)

        self.save_button = QPushButton("&Save PDF and open…")
        self.save_button.setEnabled(False)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_chosen)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        choice = QHBoxLayout()
        choice.addWidget(self.card_radio)
        choice.addWidget(self.envelope_radio)
        choice.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(choice)
        layout.addWidget(printer_note)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        for before, after in ((self.table, self.card_radio), (self.card_radio, self.envelope_radio),
                              (self.envelope_radio, self.save_button)):
            QWidget.setTabOrder(before, after)
        metrics = self.table.fontMetrics()
        self.resize(metrics.horizontalAdvance("x") * 110, metrics.height() * 30)
        self._load()

    def _load(self) -> None:
        store_path, batch_id = self.store_path, self.batch["id"]
        self._task = run_task(lambda _control: batch_cards_in_own_store(store_path, batch_id),
                              on_done=self._show_cards, on_error=self._load_failed, context=self)

    def _show_cards(self, cards: list[dict[str, Any]]) -> None:
        self._task = None
        self.model.set_cards(self.batch["id"], cards)
        self.status.setText(plural(len(cards), "card") + " in this batch." if cards else "This batch has no cards.")
        if cards:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        self.save_button.setEnabled(bool(cards))
        self.table.setFocus()
        self.cards_loaded.emit()

    def _load_failed(self, error: BaseException) -> None:
        self._task = None
        self.status.setText("The batch's cards could not be read.")
        show_failure(self, self.windowTitle(), error)

    def chosen_card(self) -> dict[str, Any] | None:
        row = selected_row(self.table)
        return None if row is None else self.model.card_at(row)

    def select_card(self, card_id: int) -> bool:
        return select_by_id(self.table, self.model.card_at, self.model.rowCount(), card_id)

    def save_chosen(self) -> None:
        """Ask where (a native save dialog), then write and open."""
        card = self.chosen_card()
        if card is None or self._task is not None:
            return
        envelope = self.envelope_radio.isChecked()
        folder = batch_folder(self.batch)
        if not folder.is_dir():
            folder = Path(self.batch["output_dir"]) if Path(self.batch["output_dir"]).is_dir() else Path.home()
        name = f"batch-{self.batch['id']:04d}-{'envelope' if envelope else 'card'}-{card['batch_seq']:03d}-reprint.pdf"
        path, _filter = QFileDialog.getSaveFileName(
            self, f"Reprint {'the envelope of ' if envelope else ''}{mailroom.marker(self.batch['id'], card['batch_seq'])}"
            f" ({recipient_name(card['recipient'])})", str(folder / name), "PDF files (*.pdf)")
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self.reprint(card["id"], Path(path), envelope=envelope)

    def reprint(self, card_id: int, out: Path, *, envelope: bool = False) -> TaskControl | None:
        """Write the card (or its envelope) to ``out`` on a worker, then open it."""
        if self._task is not None:
            return None
        store_path, batch_id, printer = self.store_path, self.batch["id"], self.printer
        self.save_button.setEnabled(False)
        self.status.setText(f"Writing {out.name}…")
        self._task = run_task(
            lambda _control: reprint_in_own_store(store_path, batch_id, card_id, out, envelope=envelope,
                                                  printer=printer),
            on_done=self._written, on_error=self._failed, context=self)
        return self._task

    def _written(self, out: Path) -> None:
        self._task = None
        self.save_button.setEnabled(True)
        self.status.setText(f"Written to {out}")
        open_in_desktop(self, out)
        self.reprinted.emit(out)

    def _failed(self, error: BaseException) -> None:
        self._task = None
        self.save_button.setEnabled(self.model.rowCount() > 0)
        self.status.setText("Nothing was written.")
        show_failure(self, self.windowTitle(), error)
        self.reprinted.emit(error)

    def done(self, result: int) -> None:
        if self._task is not None:
            self._task.abandon()
            self._task = None
        super().done(result)


def home_documents() -> Path:
    """Where an output folder starts when none was chosen yet."""
    from PySide6.QtCore import QStandardPaths

    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents or os.path.expanduser("~")) / "Card batches"
