"""Importing a call log or a customer directory from the window: the importer runs on a
worker with its own store, a progress dialog follows it and can stop it, and the outcome (a
report, a kind "stopped" note, or the error) is shown when it ends."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from cardsender.calllog.customers import import_customers
from cardsender.calllog.importer import ImportCancelled, import_calls
from cardsender.environment import current_actor, home_region
from cardsender.model import ImportReport
from cardsender.store import Store, open_store
from cardsender.ui.messages import show_failure, show_message
from cardsender.ui.report_dialog import ImportReportDialog
from cardsender.ui.tasks import TaskControl, run_task

PROGRESS_DIALOG_DELAY_MS = 400  # a small file is done before a dialog would only flash


@dataclass(frozen=True)
class ImportKind:
    title: str  # "Import calls"
    noun: str  # what its rows are: "calls"
    file_filter: str
    run: Callable[..., ImportReport]
    count: Callable[[Store], int]  # rows in the store, to say how many a stopped import kept


CALLS = ImportKind(
    title="Import calls", noun="calls",
    file_filter="Call logs (*.csv *.txt);;All files (*)",
    run=import_calls, count=Store.count_calls,
)
CUSTOMERS = ImportKind(
    title="Import customers", noun="customers",
    file_filter="Customer directories (*.csv *.txt);;All files (*)",
    run=import_customers, count=Store.count_customers,
)


@dataclass(frozen=True)
class ImportStopped:
    """The rep stopped an import; what was stored before it stopped stays."""

    kind: ImportKind
    file: str
    rows_kept: int

    def message(self) -> str:
        kept = f"{self.rows_kept:,} new {self.kind.noun}" if self.rows_kept != 1 else f"1 new {self.kind.noun[:-1]}"
        return (f"The import of {Path(self.file).name} stopped; {kept} kept.\n\n"
                f"Importing the same file again carries on: {self.kind.noun} already in are skipped.")


def import_in_own_store(store_path: str | os.PathLike[str], kind: ImportKind, path: str | os.PathLike[str],
                        control: TaskControl) -> ImportReport | ImportStopped:
    """The worker's side: its own store (a connection per thread), the importer, and a
    stop turned into an outcome rather than an error."""
    with open_store(store_path) as store:
        try:
            return kind.run(store, path, region=home_region(), actor=current_actor(),
                            progress=control.progress, cancelled=control.cancelled)
        except ImportCancelled as stopped:
            return ImportStopped(kind, str(path), stopped.report.imported)


class ImportRunner(QObject):
    """Runs one import at a time for a window and shows how it went."""

    busy_changed = Signal(bool)
    finished = Signal(object)  # the ImportReport, ImportStopped or exception

    def __init__(self, store_path: Path, window: QWidget) -> None:
        super().__init__(window)
        self._store_path = store_path
        self._window = window
        self._control: TaskControl | None = None
        self._progress: QProgressDialog | None = None
        self._progress_label = ""
        self.last_dialog: QWidget | None = None  # the report or message shown last (tests read it)

    @property
    def busy(self) -> bool:
        return self._control is not None

    def start(self, kind: ImportKind, path: str | os.PathLike[str]) -> TaskControl | None:
        if self.busy:
            return None
        store_path = self._store_path
        self._progress = self._make_progress_dialog(kind, Path(path))
        self._control = run_task(
            lambda control: import_in_own_store(store_path, kind, path, control),
            on_done=lambda outcome: self._finish(kind, outcome),
            on_error=lambda error: self._finish(kind, error),
            on_progress=self._show_progress,
            context=self,
        )
        self.busy_changed.emit(True)
        return self._control

    def cancel(self) -> None:
        if self._control is not None:
            self._control.cancel()

    def abandon(self) -> None:
        """The window is closing: stop the import at its next check and show nothing more."""
        if self._control is not None:
            self._control.cancel()
            self._control.abandon()

    def _make_progress_dialog(self, kind: ImportKind, path: Path) -> QProgressDialog:
        self._progress_label = f"Importing {kind.noun} from {path.name}…"
        dialog = QProgressDialog(self._progress_label, "Cancel", 0, 0, self._window)
        dialog.setWindowTitle(kind.title)
        dialog.setMinimumWidth(dialog.fontMetrics().horizontalAdvance("x" * 52))  # no jumps as lines count up
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_DIALOG_DELAY_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        # Cancel asks the importer to stop after the rows in hand; the dialog stays up, saying
        # so, until the worker has stopped (its own cancel slot would hide it at once).
        dialog.canceled.disconnect(dialog.cancel)
        dialog.canceled.connect(self._stop_requested)
        dialog.setValue(0)
        return dialog

    def _stop_requested(self) -> None:
        self.cancel()
        if self._progress is not None:
            self._progress.setLabelText("Stopping after the rows in hand…")
            self._progress.setCancelButtonText("Stopping…")

    def _show_progress(self, done: int, total: int) -> None:
        if self._progress is None or (self._control is not None and self._control.cancelled()):
            return
        self._progress.setMaximum(max(total, 1))
        self._progress.setValue(min(done, total))
        self._progress.setLabelText(f"{self._progress_label}\nline {done:,} of {total:,}")

    def _finish(self, kind: ImportKind, outcome: object) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None
        self._control = None
        self.busy_changed.emit(False)
        if isinstance(outcome, ImportReport):
            dialog = ImportReportDialog(outcome, self._window)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()
            self.last_dialog = dialog
        elif isinstance(outcome, ImportStopped):
            self.last_dialog = show_message(self._window, kind.title, outcome.message())
        else:
            self.last_dialog = show_failure(self._window, kind.title, outcome)
        self.finished.emit(outcome)
