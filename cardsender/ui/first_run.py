"""The first start: a welcome that asks once for the rep's name and the team's return
address, offers the demo data and shows where the store lives.

It is shown for a store nobody has used yet (see :func:`needs_welcome`), so a rep meets it on
their first start with a new store, and never on a store IT prepared or a team already uses.
Answering it or skipping it is written in the store's log, and it is not shown again.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton,
    QSizePolicy, QVBoxLayout, QWidget,
)

from cardsender import APP_NAME
from cardsender.demo import load_demo
from cardsender.environment import current_actor
from cardsender.store import Store, open_store
from cardsender.ui.forms import align_form_labels, group_form
from cardsender.ui.messages import show_failure
from cardsender.ui.preferences import Preferences
from cardsender.ui.return_address import ReturnAddressFields
from cardsender.ui.tasks import run_task

log = logging.getLogger(__name__)

WELCOME_COMPLETED = "welcome.completed"  # events in the store's log
WELCOME_SKIPPED = "welcome.skipped"
ICON_SIZE = 64  # logical pixels: the app icon in the welcome's heading


def needs_welcome(store: Store) -> bool:
    """A store nobody has used yet: no customers, no calls and nothing in its log. That is a
    store made at this start, or one whose first start ended before the welcome was answered;
    a store IT filled or configured, or one the welcome was answered (or skipped) in, is not."""
    return store.count_customers() == 0 and store.count_calls() == 0 and not store.events()


def load_demo_in_own_store(store_path: Path, actor: str) -> dict:
    """The worker's side of "Load the demo data": its own connection (see ui/tasks.py)."""
    with open_store(store_path) as store:
        return load_demo(store, actor=actor)


class FirstRunDialog(QDialog):
    demo_loaded = Signal(object)  # load_demo's summary, before the dialog closes

    def __init__(self, store: Store, preferences: Preferences, *, created: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Welcome to {APP_NAME}")
        self.store = store
        self.preferences = preferences
        self.created = created
        self.busy = False
        self.demo_summary: dict | None = None
        self._answer_recorded = False

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(self._make_heading())
        layout.addWidget(self._make_you_group())
        layout.addWidget(self._make_team_group())
        layout.addWidget(self._make_demo_group())
        layout.addWidget(self._make_store_group())
        layout.addStretch(1)
        layout.addLayout(self._make_buttons())

        self.team.load(store)  # a store just made has nothing yet: the desktop's country
        align_form_labels(self)
        # Wide enough for the notes to take two or three lines, and as tall as they then need.
        width = max(self.sizeHint().width(), self.fontMetrics().horizontalAdvance("x") * 84)
        self.resize(width, layout.totalHeightForWidth(width))
        self.name_edit.setFocus()

    # -- building ------------------------------------------------------------------------------
    def _make_heading(self) -> QHBoxLayout:
        icon = QLabel()
        icon.setAccessibleName(f"{APP_NAME} icon")
        pixmap = self.windowIcon().pixmap(ICON_SIZE, ICON_SIZE)  # the application's, set at start
        icon.setPixmap(pixmap)
        icon.setFixedSize(ICON_SIZE, ICON_SIZE)
        title = QLabel(f"Welcome to {APP_NAME}")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setWeight(QFont.Weight.DemiBold)
        title.setFont(font)
        title.setAccessibleName("Welcome")
        intro = QLabel("Send a personal, printed card after a customer's call. Before you start: who you are, "
                       "and where cards come from. All of it can be changed later in Edit › Settings.")
        intro.setWordWrap(True)
        words = QVBoxLayout()
        words.setSpacing(4)
        words.addWidget(title)
        words.addWidget(intro)
        heading = QHBoxLayout()
        heading.setSpacing(16)
        heading.addWidget(icon)
        heading.addLayout(words, 1)
        return heading

    def _make_you_group(self) -> QGroupBox:
        group = QGroupBox("You")
        form = group_form(group)
        self.name_edit = QLineEdit(self._suggested_name())
        self.name_edit.setAccessibleName("Your name in the call logs")
        self.name_edit.setPlaceholderText("As the phone system writes it: Maria Lopez")
        self.name_edit.textEdited.connect(lambda _text: self._show_name_problem(None))
        form.addRow("Your &name in the call logs:", self.name_edit)
        form.addRow("", _note("As your phone system writes it (such as Maria Lopez): your calls and cards "
                              "are found by it. It is kept on this computer."))
        self.name_problem = _problem_label("Name problem")
        form.addRow("", self.name_problem)
        return group

    def _make_team_group(self) -> QGroupBox:
        group = QGroupBox("Your team's return address")
        form = group_form(group)
        self.team = ReturnAddressFields(form)  # the same fields, and checks, as in Settings
        form.insertRow(0, "", _note("Printed on every envelope and shared by everyone using this store. "
                                    "Not sure yet? Leave it empty and add it in Settings before the first batch."))
        return group

    def _make_demo_group(self) -> QGroupBox:
        group = QGroupBox("Try it out first?")
        box = QVBoxLayout(group)
        self.demo_check = QCheckBox("&Load the demo data")
        self.demo_check.setAccessibleName("Load the demo data")
        self.demo_check.setChecked(False)
        box.addWidget(self.demo_check)
        explanation = _note("340 made-up customers and two weeks of calls by ten made-up reps, up to today, to "
                            "write a card with before you import your own call logs. They stay in this store "
                            "beside your own, so leave this off for a store that will send real cards.")
        explanation.setContentsMargins(_checkbox_indent(self.demo_check), 0, 0, 0)
        box.addWidget(explanation)
        return group

    def _make_store_group(self) -> QGroupBox:
        group = QGroupBox("Where your cards are kept")
        box = QVBoxLayout(group)
        self.store_path_edit = QLineEdit(str(self.store.path))
        self.store_path_edit.setReadOnly(True)  # selectable and copyable, not editable
        self.store_path_edit.setAccessibleName("Store file")
        self.store_path_edit.setToolTip(str(self.store.path))
        self.store_path_edit.setCursorPosition(0)
        self.copy_button = QPushButton("&Copy")
        self.copy_button.setToolTip("Copy the store's path")
        self.copy_button.setAutoDefault(False)  # Return starts, whatever has the focus
        self.copy_button.clicked.connect(self.copy_store_path)
        self.open_folder_button = QPushButton("Open &folder")
        self.open_folder_button.setToolTip("Show the folder that holds the store")
        self.open_folder_button.setAutoDefault(False)
        self.open_folder_button.clicked.connect(self.open_store_folder)
        row = QHBoxLayout()
        row.addWidget(self.store_path_edit, 1)
        row.addWidget(self.copy_button)
        row.addWidget(self.open_folder_button)
        box.addLayout(row)
        made = f"{APP_NAME} has just made this store for you. " if self.created else ""
        box.addWidget(_note(f"{made}Your customers, calls and cards are kept in this one file: back it up with "
                            "your other work. Settings can point to another store, such as your team's."))
        return group

    def _make_buttons(self) -> QHBoxLayout:
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the demo load says nothing about how far it is
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(self.fontMetrics().horizontalAdvance("x") * 16)
        self.progress.setAccessibleName("Loading the demo data")
        self.progress.hide()
        self.status = QLabel()
        self.status.setAccessibleName("Status")
        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton(f"&Start using {APP_NAME}", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setDefault(True)
        self.skip_button = self.buttons.addButton("S&kip for now", QDialogButtonBox.ButtonRole.RejectRole)
        self.skip_button.setToolTip("Start with nothing set: Edit › Settings has the same fields")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.progress)
        row.addWidget(self.status, 1)
        row.addWidget(self.buttons)
        return row

    def _suggested_name(self) -> str:
        """The name this desktop already knows, else the login name (the rep corrects it)."""
        name = self.preferences.rep_name or current_actor()
        return "" if name == "unknown" else name

    # -- the store's place ---------------------------------------------------------------------
    def copy_store_path(self) -> None:
        QGuiApplication.clipboard().setText(str(self.store.path))
        self.status.setText("The store's path is copied.")

    def open_store_folder(self) -> None:
        folder = self.store.path.parent
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.status.setText(f"No file manager opened {folder}.")

    # -- answering -----------------------------------------------------------------------------
    def rep_name(self) -> str:
        return self.name_edit.text().strip()

    def _show_name_problem(self, text: str | None) -> None:
        self.name_problem.setText(text or "")
        self.name_problem.setVisible(bool(text))

    def accept(self) -> None:
        """Check, save the small things here, then load the demo data on a worker if asked."""
        if self.busy:
            return
        if not self.rep_name():
            self._show_name_problem("Enter your name as the call logs write it, so that your calls can be found.")
            self.name_edit.setFocus()
            self._fit_height()
            return
        if not self.team.check():
            self._fit_height()
            return
        actor = current_actor()
        try:
            self.preferences.rep_name = self.rep_name()
            self.team.save(self.store, actor=actor)  # empty fields stay unset: the demo data fills them
            if not self._answer_recorded:
                self.store.record_event(WELCOME_COMPLETED, actor, detail={"demo": self.demo_check.isChecked()})
                self._answer_recorded = True
        except Exception as error:  # a store another program holds locked: say so, keep the answers
            show_failure(self, self.windowTitle(), error)
            return
        if self.demo_check.isChecked():
            self._load_demo(actor)
        else:
            super().accept()

    def _load_demo(self, actor: str) -> None:
        self._set_busy(True)
        store_path = self.store.path
        run_task(lambda _control: load_demo_in_own_store(store_path, actor),
                 on_done=self._demo_done, on_error=self._demo_failed, context=self)

    def _demo_done(self, summary: dict) -> None:
        self._set_busy(False)
        self.demo_summary = summary
        self.demo_loaded.emit(summary)
        super().accept()

    def _demo_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.status.setText("The demo data could not be loaded; your details are saved.")
        show_failure(self, "Demo data", error)

    def _fit_height(self) -> None:
        """Grow to show a problem that has just appeared (a window's height does not follow
        its wrapped labels by itself)."""
        layout = self.layout()
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _set_busy(self, busy: bool) -> None:
        """While the demo loads: a moving bar, and nothing to press (it takes a few seconds,
        and stopping it halfway would leave half a demo)."""
        self.busy = busy
        for widget in self.findChildren(QGroupBox):
            widget.setEnabled(not busy)
        self.buttons.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.status.setText("Loading the demo data…" if busy else "")

    def reject(self) -> None:
        """Skip: nothing is saved, and the welcome is not shown again for this store."""
        if self.busy:
            return
        if not self._answer_recorded:
            try:
                self.store.record_event(WELCOME_SKIPPED, current_actor())
                self._answer_recorded = True
            except Exception as error:  # then it is offered again next time: no harm
                log.warning("could not note the skipped welcome in %s: %s", self.store.path, error)
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            event.ignore()
            return
        super().closeEvent(event)


def welcome_if_new(store: Store, preferences: Preferences, *, created: bool,
                   parent: QWidget | None = None) -> FirstRunDialog | None:
    """The welcome for a store nobody has used yet (not yet shown), else None."""
    if not needs_welcome(store):
        return None
    return FirstRunDialog(store, preferences, created=created, parent=parent)


def _note(text: str) -> QLabel:
    """A line of explanation under a field: wrapped, in the palette's quieter colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    # As wide as the field above it: a form grows only the fields that ask to expand.
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return label


def _problem_label(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    label.setAccessibleName(name)
    label.setStyleSheet("color: #b3261e;")  # as ReturnAddressFields says what is wrong
    label.hide()
    return label


def _checkbox_indent(check: QCheckBox) -> int:
    """How far a check box's text starts from its edge, so that a note under it lines up."""
    style = check.style()
    return (style.pixelMetric(style.PixelMetric.PM_IndicatorWidth, None, check)
            + style.pixelMetric(style.PixelMetric.PM_CheckBoxLabelSpacing, None, check))
