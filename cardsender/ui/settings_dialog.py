"""Settings: who the rep is and how they sign (their own, on this desktop and in the store),
what the whole team shares (company and return address, in the store), and where files are.

What is read and written here is a handful of small rows: it runs on the GUI thread.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSignalBlocker, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QVBoxLayout, QWidget,
)

from cardsender.cards import set_signs_as, shipped_templates, signs_as
from cardsender.environment import current_actor
from cardsender.render.card import CardProblem, check_signature_image
from cardsender.spelling import LANGUAGES
from cardsender.store import Store, default_db_path
from cardsender.store.paths import ENV_VAR
from cardsender.ui.forms import align_form_labels, group_form
from cardsender.ui.messages import show_failure
from cardsender.ui.preferences import SETTINGS_GEOMETRY, Preferences
from cardsender.ui.return_address import ReturnAddressFields

SIGNATURE_MAX_BYTES = 4 * 1024 * 1024
PREVIEW_HEIGHT = 56  # logical pixels: the signature's preview beside its buttons

_UNCHANGED = object()  # the signature image as stored


@dataclass(frozen=True)
class SettingsChanges:
    """What a saved dialog changed that the main window acts on."""

    rep_changed: bool
    watched_folder_changed: bool
    store_path_changed: bool


class SettingsDialog(QDialog):
    def __init__(self, store: Store, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.store = store
        self.preferences = preferences
        self.changes: SettingsChanges | None = None
        self._image: object = _UNCHANGED  # bytes (a new image), None (removed) or _UNCHANGED
        self._stored_image: bytes | None = None
        self._signature_rep = ""
        self._signs_as_edited = False

        layout = QVBoxLayout(self)
        layout.addWidget(self._make_you_group())
        layout.addWidget(self._make_signature_group())
        layout.addWidget(self._make_team_group())
        layout.addWidget(self._make_files_group())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._load()
        align_form_labels(self)
        geometry = preferences.layout(SETTINGS_GEOMETRY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(max(self.sizeHint().width(), self.fontMetrics().horizontalAdvance("x") * 92),
                        self.sizeHint().height())

    # -- building ------------------------------------------------------------------------------
    def _make_you_group(self) -> QGroupBox:
        group = QGroupBox("You, on this computer")
        form = group_form(group)
        self.rep_combo = QComboBox()
        self.rep_combo.setEditable(True)
        self.rep_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.rep_combo.setAccessibleName("Your name in the call logs")
        self.rep_combo.lineEdit().setPlaceholderText("As the phone system writes it: Maria Lopez")
        self.rep_combo.setToolTip("Your calls and cards are found by this name; the calls list starts on yours")
        self.rep_combo.setMinimumContentsLength(24)
        self.rep_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.rep_combo.currentTextChanged.connect(self._rep_changed)
        form.addRow("Your &name in the call logs:", self.rep_combo)

        self.template_combo = QComboBox()
        self.template_combo.setAccessibleName("Default template")
        for slug, template in sorted(shipped_templates().items(), key=lambda item: item[1].name.lower()):
            self.template_combo.addItem(template.name, slug)
        form.addRow("Default &template:", self.template_combo)

        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName("Spelling language")
        for code, name in sorted(LANGUAGES.items(), key=lambda item: item[1]):
            self.language_combo.addItem(name, code)
        form.addRow("&Spelling language:", self.language_combo)
        return group

    def _make_signature_group(self) -> QGroupBox:
        self.signature_group = QGroupBox("How you sign (shared: the same on every computer)")
        form = group_form(self.signature_group)
        self.signs_as_edit = QLineEdit()
        self.signs_as_edit.setAccessibleName("Signature line")
        self.signs_as_edit.setToolTip("The name (and title) your cards are signed with")
        self.signs_as_edit.textEdited.connect(lambda _text: setattr(self, "_signs_as_edited", True))
        form.addRow("Sign &cards as:", self.signs_as_edit)

        self.signature_preview = QLabel()
        self.signature_preview.setAccessibleName("Signature image")
        self.signature_preview.setMinimumHeight(PREVIEW_HEIGHT + 8)
        self.signature_preview.setMinimumWidth(PREVIEW_HEIGHT * 4)
        self.signature_preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.choose_image_button = QPushButton("C&hoose image…")
        self.choose_image_button.setToolTip("A PNG (transparent background) or JPEG of your handwritten signature, "
                                            "150 pixels tall or more; it replaces the typed signature on your cards")
        self.choose_image_button.clicked.connect(self.choose_signature_image)
        self.remove_image_button = QPushButton("Re&move")
        self.remove_image_button.setToolTip("Sign with the typed line above instead")
        self.remove_image_button.clicked.connect(self.remove_signature_image)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.signature_preview, 1)
        row.addWidget(self.choose_image_button)
        row.addWidget(self.remove_image_button)
        form.addRow("Signature &image:", row)
        form.labelForField(row).setBuddy(self.choose_image_button)
        self.image_problem = QLabel()
        self.image_problem.setWordWrap(True)
        self.image_problem.setTextFormat(Qt.TextFormat.PlainText)
        self.image_problem.setAccessibleName("Signature image problem")
        self.image_problem.hide()
        form.addRow("", self.image_problem)
        return self.signature_group

    def _make_team_group(self) -> QGroupBox:
        group = QGroupBox("The team's return address (shared by everyone using this store)")
        self.team = ReturnAddressFields(group_form(group))  # the same fields as the first-run welcome's
        self.company_edit, self.return_address_edit = self.team.company_edit, self.team.return_address_edit
        return group

    def _make_files_group(self) -> QGroupBox:
        group = QGroupBox("Files")
        form = group_form(group)
        self.watched_edit = QLineEdit()
        self.watched_edit.setAccessibleName("Watched import folder")
        self.watched_edit.setPlaceholderText("None: import call logs with File › Import calls…")
        self.watched_edit.setClearButtonEnabled(True)
        self.watched_edit.setToolTip("Call logs (.csv, .txt) saved in this folder are imported by themselves "
                                     "once they stop growing, each file once")
        choose_folder = QPushButton("Choose &folder…")
        choose_folder.clicked.connect(self.choose_watched_folder)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.watched_edit, 1)
        row.addWidget(choose_folder)
        form.addRow("&Watched import folder:", row)
        form.labelForField(row).setBuddy(self.watched_edit)

        self.store_edit = QLineEdit()
        self.store_edit.setAccessibleName("Store file at next start")
        self.store_edit.setPlaceholderText(str(default_db_path()))
        self.store_edit.setClearButtonEnabled(True)
        self.store_edit.setToolTip("Empty for the default place; --db or $CARDSENDER_DB, when given, win")
        choose_store = QPushButton("Choose fi&le…")
        choose_store.clicked.connect(self.choose_store_file)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.store_edit, 1)
        row.addWidget(choose_store)
        form.addRow("Store &at next start:", row)
        form.labelForField(row).setBuddy(self.store_edit)
        overridden = f" (${ENV_VAR} is set: it wins over this setting)" if os.environ.get(ENV_VAR) else ""
        self.store_note = QLabel(f"In use now: {self.store.path}{overridden}")
        self.store_note.setToolTip(str(self.store.path))
        self.store_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.store_note.setAccessibleName("Store in use")
        form.addRow("", self.store_note)
        return group

    # -- values --------------------------------------------------------------------------------
    def _load(self) -> None:
        prefs = self.preferences
        me = prefs.rep_name
        with QSignalBlocker(self.rep_combo):
            reps = self.store.list_reps()
            self.rep_combo.addItems(reps)
            if me and me.lower() not in {r.lower() for r in reps}:
                self.rep_combo.insertItem(0, me)
            self.rep_combo.setCurrentText(me)
        self.template_combo.setCurrentIndex(max(self.template_combo.findData(prefs.default_template), 0))
        self.language_combo.setCurrentIndex(max(self.language_combo.findData(prefs.spell_language), 0))
        self._load_signature(me)
        self.team.load(self.store)
        self.watched_edit.setText(prefs.watched_folder)
        self.store_edit.setText(prefs.store_path)

    def rep_name(self) -> str:
        """The name as typed, spelt as the call logs spell it when they know it in another case."""
        typed = self.rep_combo.currentText().strip()
        known = (self.rep_combo.itemText(i) for i in range(self.rep_combo.count()))
        return next((name for name in known if name.lower() == typed.lower()), typed)

    def _rep_changed(self, _text: str) -> None:
        """The signature belongs to the name: another name shows its own (unless already edited)."""
        rep = self.rep_name()
        if rep.lower() != self._signature_rep.lower() and not self._signs_as_edited and self._image is _UNCHANGED:
            self._load_signature(rep)
        self._enable_signature()

    def _load_signature(self, rep: str) -> None:
        self._signature_rep = rep
        line = signs_as(self.store, rep) if rep else ""
        self.signs_as_edit.setText("" if line == rep else line)
        self.signs_as_edit.setPlaceholderText(rep or "")
        self._stored_image = self.store.signature_image(rep) if rep else None
        self._image = _UNCHANGED
        self._signs_as_edited = False
        self._show_image()
        self._enable_signature()

    def _enable_signature(self) -> None:
        has_rep = bool(self.rep_name())
        for widget in (self.signs_as_edit, self.choose_image_button):
            widget.setEnabled(has_rep)
        self.remove_image_button.setEnabled(has_rep and self.signature_image() is not None)
        self.signature_group.setToolTip("" if has_rep else "Enter your name above first: the signature is yours")

    def signature_image(self) -> bytes | None:
        """The image the rep's cards will be signed with, as the dialog stands."""
        return self._stored_image if self._image is _UNCHANGED else self._image  # type: ignore[return-value]

    def _show_image(self) -> None:
        image = self.signature_image()
        if image is None:
            self.signature_preview.setPixmap(QPixmap())
            self.signature_preview.setText("None: the line above is written in a script face")
            return
        pixmap = QPixmap()
        pixmap.loadFromData(QByteArray(image))
        ratio = self.devicePixelRatioF()
        scaled = pixmap.scaledToHeight(int(PREVIEW_HEIGHT * ratio), Qt.TransformationMode.SmoothTransformation)
        scaled.setDevicePixelRatio(ratio)
        self.signature_preview.setText("")
        self.signature_preview.setPixmap(scaled)

    def set_signature_image_file(self, path: str | os.PathLike[str]) -> bool:
        """Take the image in ``path`` if it can print; otherwise say why and keep the old one."""
        try:
            size = os.path.getsize(path)
            if size > SIGNATURE_MAX_BYTES:
                raise CardProblem(f"the signature image is {size / 1024 / 1024:.1f} MB; save it smaller "
                                  f"(about 600 pixels tall is plenty)")
            data = Path(path).read_bytes()
            check_signature_image(data)
        except (OSError, CardProblem) as problem:
            reason = problem.strerror if isinstance(problem, OSError) and problem.strerror else str(problem)
            self.image_problem.setText(f"{Path(path).name}: {reason}")
            self.image_problem.show()
            return False
        self.image_problem.hide()
        self._image = data
        self._show_image()
        self._enable_signature()
        return True

    def remove_signature_image(self) -> None:
        self._image = None
        self.image_problem.hide()
        self._show_image()
        self._enable_signature()

    def choose_signature_image(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Signature image", os.path.expanduser("~"),
                                                    "Images (*.png *.jpg *.jpeg);;All files (*)")
        if path:
            self.set_signature_image_file(path)

    def choose_watched_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Watched import folder",
                                                  self.watched_edit.text() or os.path.expanduser("~"))
        if folder:
            self.watched_edit.setText(folder)

    def choose_store_file(self) -> None:
        current = self.store_edit.text() or str(self.store.path)
        path, _filter = QFileDialog.getSaveFileName(
            self, "Store at next start", current, "cardsender stores (*.sqlite3);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite)  # an existing store is the usual choice
        if path:
            self.store_edit.setText(path)

    # -- saving --------------------------------------------------------------------------------
    def save(self) -> SettingsChanges:
        """Write what changed: preferences to this desktop, the rest to the store."""
        prefs, store, actor = self.preferences, self.store, current_actor()
        rep = self.rep_name()
        rep_changed = rep != prefs.rep_name
        folder = self.watched_edit.text().strip()
        folder_changed = folder != prefs.watched_folder
        store_path = self.store_edit.text().strip()
        store_path_changed = store_path != prefs.store_path
        if rep:
            line = self.signs_as_edit.text().strip()
            if line != (signs_as(store, rep) if signs_as(store, rep) != rep else ""):
                set_signs_as(store, rep, line, actor=actor)
            image = self.signature_image()
            if image != store.signature_image(rep):
                store.set_signature_image(rep, image, actor=actor)
        self.team.save(store, actor=actor)
        prefs.rep_name = rep
        prefs.default_template = self.template_combo.currentData() or prefs.default_template
        prefs.spell_language = self.language_combo.currentData() or prefs.spell_language
        prefs.watched_folder = folder
        prefs.store_path = store_path
        return SettingsChanges(rep_changed, folder_changed, store_path_changed)

    def accept(self) -> None:
        # An address edited here must be complete; one stored as it is stays until it is edited.
        if self.team.changed(self.store) and not self.team.check():
            return
        try:
            self.changes = self.save()
        except Exception as error:  # a locked store: say so and keep the dialog as it is
            show_failure(self, "Settings", error)
            return
        super().accept()

    def done(self, result: int) -> None:
        self.preferences.set_layout(SETTINGS_GEOMETRY, self.saveGeometry())
        super().done(result)

