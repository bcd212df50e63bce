"""The composer: the minute after a call, from a template and a note to a queued card.

Gallery, recipient and note on the left, the card as it will print on the right. Everything the
rep types is saved as a draft while they type (within a second), so closing the window, or
losing the app, keeps the card; rendering happens on a worker and the GUI thread only writes
small rows to the store.

    ComposerWindow(store_path, call_id=...)   a new draft for the call's customer
    ComposerWindow(store_path, card_id=...)   an existing draft, as it was left
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeySequence, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QApplication, QFrame, QHBoxLayout, QLabel, QMainWindow, QMessageBox, QPushButton, QSplitter,
    QToolButton, QVBoxLayout, QWidget,
)

from cardsender import cards
from cardsender.environment import current_actor
from cardsender.errors import is_user_error
from cardsender.model import CardState
from cardsender.spelling import LANGUAGES, Speller
from cardsender.store import Store, open_store
from cardsender.templates import Template
from cardsender.ui.composer_gallery import TemplateGallery
from cardsender.ui.composer_note import FitMeter, NoteEditor, describe_problem, problem_kind, unprintable_characters
from cardsender.ui.composer_preview import (
    LivePreview, PreviewOutcome, address_view, design_view, note_view,
)
from cardsender.ui.composer_recipient import RecipientForm
from cardsender.ui.formatting import call_length, call_time, display_phone, one_line
from cardsender.ui.messages import failure_text, show_failure, show_message
from cardsender.ui.preferences import Preferences
from cardsender.ui.tasks import run_task

log = logging.getLogger(__name__)

SAVE_DELAY_MS = 700          # a note is saved this long after the first unsaved keystroke (< 1 s)
SAVE_RETRY_MS = 2000         # after a failed save
CONFIRMATION_MS = 2600       # how long "Card queued" stays on screen
GEOMETRY_KEY = "composer/geometry"
SPLITTER_KEY = "composer/splitter"
SHORTCUT_HINT = "Ctrl+Return queue · Ctrl+1/2/3 views · Ctrl+Shift+F insert field · Ctrl+Space spelling"


def customer_display_name(customer: dict) -> str:
    name = " ".join(p for p in (customer.get("first_name"), customer.get("last_name")) if p)
    return name or customer.get("company") or f"customer {customer.get('id')}"


def _warm_speller(language: str, names: tuple[str, ...]) -> Speller:
    """Load the dictionary (a few hundred ms the first time) on a worker."""
    speller = Speller(language, names=names)
    speller.misspellings("warm")
    return speller


class _Refused(Exception):
    """The composer cannot open this card; the message says why, politely."""


class Confirmation(QLabel):
    """A short word that the card is queued, gone by itself: the rep goes on at once."""

    def __init__(self, text: str, anchor: QWidget | None, where: QPoint | None = None) -> None:
        super().__init__(text, anchor, Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAccessibleName("Card queued")
        self.setStyleSheet("QLabel { background: #1f3b2d; color: white; padding: 10px 18px;"
                           " border-radius: 6px; font-weight: 600; }")
        self.adjustSize()
        if where is None and anchor is not None:
            frame = anchor.frameGeometry()
            where = QPoint(frame.center().x(), frame.bottom() - 60)
        if where is not None:
            self.move(where.x() - self.width() // 2, where.y() - self.height() // 2)
        QTimer.singleShot(CONFIRMATION_MS, self.close)


class ComposerWindow(QMainWindow):
    """The window a rep writes a card in. Deletes itself when closed (the draft stays)."""

    card_saved = Signal(int)    # the draft was written to the store (note, template)
    card_queued = Signal(int)

    def __init__(self, store_path: Path, *, call_id: int | None = None, card_id: int | None = None,
                 preferences: Preferences | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preferences = preferences if preferences is not None else Preferences()
        self.actor = current_actor()
        self.store: Store | None = None
        self.templates: dict[str, Template] = cards.shipped_templates()
        self.card_id: int | None = None
        self.refusal: str = ""               # why this composer cannot open (shown, then it closes)
        self.refusal_box: QMessageBox | None = None
        self.queue_question: QMessageBox | None = None
        self.confirmation: Confirmation | None = None
        self._queued = False
        self._closed = False
        self._saved_note = ""
        self._view_chosen_by_rep = False
        self._thumbnails_started = False
        self._note_ok = False
        try:
            self.store = open_store(store_path)  # this window's own connection, on the GUI thread
            self._open_card(call_id, card_id)
        except _Refused as refusal:
            self.refusal = str(refusal)
        except Exception as error:  # a damaged store, a missing card: said, not raised at the caller
            if not is_user_error(error):
                log.error("the composer could not open", exc_info=error)
            self.refusal = failure_text(error)
        if self.refusal:
            self._build_refusal()
            return
        self._build()
        self._load()

    # -- opening ------------------------------------------------------------------------------
    def _open_card(self, call_id: int | None, card_id: int | None) -> None:
        if not self.templates:
            raise _Refused("No card templates are installed, so there is nothing to write a card on.")
        if card_id is not None:
            card = self.store.get_card(card_id)
            if card["status"] != CardState.DRAFT.value:
                raise _Refused(f"Card {card_id} is {card['status']}: only a draft can be changed.")
            self.card_id = card_id
        elif call_id is not None:
            call = self.store.get_call(call_id)
            if call["customer_id"] is None:
                when = call_time(call["started_at"])
                phone = display_phone(call["phone"], self.preferences.region)
                raise _Refused(
                    f"The call from {phone or 'an unknown number'} on {when} is not matched to a customer, "
                    "so there is no one to mail a card to yet.\n\nImport the customer directory, or pick "
                    "the customer for this call, and then write the card.")
            slug = self.preferences.default_template
            if slug not in self.templates:
                slug = next(iter(self.templates))
            self.card_id = cards.new_card(self.store, call_id=call_id, template_slug=slug,
                                          note=self.templates[slug].suggested_note,
                                          rep=self.preferences.rep_name or None, actor=self.actor)
        else:
            raise ValueError("ComposerWindow needs a call_id or a card_id")
        self.card = self.store.get_card(self.card_id)
        self.customer = self.store.get_customer(self.card["customer_id"])
        self.call = self.store.get_call(self.card["call_id"]) if self.card["call_id"] else None

    def _build_refusal(self) -> None:
        self.setWindowTitle("New card")
        label = QLabel(self.refusal)
        label.setWordWrap(True)
        label.setMargin(24)
        self.setCentralWidget(label)
        self.resize(460, 180)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self.refusal and self.refusal_box is None:
            QTimer.singleShot(0, self._refuse)

    def _refuse(self) -> None:
        self.refusal_box = show_message(self, "New card", self.refusal, QMessageBox.Icon.Information)
        self.refusal_box.finished.connect(lambda _result: self.close())

    # -- building -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.gallery = TemplateGallery(self.templates)
        self.gallery.template_picked.connect(self._template_picked)
        self.gallery.chosen.connect(lambda: self.note.setFocus())

        self.recipient = RecipientForm()
        self.recipient.confirmed.connect(self._recipient_confirmed)

        self.note = NoteEditor()
        self.note_heading = QLabel("&Note")
        self.note_heading.setBuddy(self.note)
        self.note_heading.setObjectName("sectionHeading")
        self.field_button = QToolButton()
        self.field_button.setText("Insert field ▾")
        self.field_button.setToolTip("Insert a merge field, filled in for each customer (Ctrl+Shift+F)")
        self.field_button.setAccessibleName("Insert field")
        self.field_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.field_button.setMenu(self.note.field_menu(self.field_button))
        self.field_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Ctrl+Shift+F from the note
        self.fit_meter = FitMeter()

        self.queue_button = QPushButton("&Queue card")
        self.queue_button.setObjectName("queueButton")
        self.queue_button.setAccessibleName("Queue card")
        self.queue_button.setEnabled(False)
        self.queue_button.setMinimumHeight(34)
        self.queue_button.clicked.connect(self.queue_card)
        self.queue_reason = QLabel()
        self.queue_reason.setWordWrap(True)
        self.queue_reason.setAccessibleName("Why the card cannot be queued")
        self._set_color(self.queue_reason, "#6b4e16")

        self.preview = LivePreview()
        self.preview.outcome.connect(self._preview_outcome)
        self.preview.buttons.idClicked.connect(lambda _id: self._rep_chose_view())

        # The gallery is a strip across the top: the preview gets the window's width.
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._pane(self._editor_column(), margins=(12, 6, 10, 8)))
        splitter.addWidget(self._pane(self.preview, margins=(6, 6, 12, 8)))
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([440, 860])
        self.splitter = splitter
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._pane(self.gallery, margins=(12, 10, 12, 6)))
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Plain)
        self._set_color(rule, "#d5d9de")
        layout.addWidget(rule)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.setStyleSheet(
            "QLabel#sectionHeading { font-weight: 600; color: #2b3440; }"
            "QLabel#customerName { font-size: 15pt; font-weight: 600; color: #1f2933; }"
            "QToolButton::menu-indicator { image: none; width: 0; }"
            "QPushButton#queueButton { background: #2f5d8a; color: white; border: 1px solid #254b70;"
            " border-radius: 4px; padding: 6px 20px; font-weight: 600; }"
            "QPushButton#queueButton:hover { background: #356a9c; }"
            "QPushButton#queueButton:focus { border: 2px solid #16324d; }"
            "QPushButton#queueButton:disabled { background: #c9d1d9; color: #6a737d; border-color: #b7c0c9; }"
        )

        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.timeout.connect(self.save_now)
        # A parent window may delete this one on its way out without closing it first.
        QApplication.instance().aboutToQuit.connect(self.save_now)

        self.saved_label = QLabel()
        self.saved_label.setAccessibleName("Draft")
        hint = QLabel(SHORTCUT_HINT)
        self._set_color(hint, "#6a737d")
        self.statusBar().addWidget(self.saved_label, 1)
        self.statusBar().addPermanentWidget(hint)
        self._make_actions()

        chain = [self.gallery.occasion, self.gallery.list, *self.recipient.tab_chain(), self.note,
                 self.queue_button, *self.preview.buttons.buttons()]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self._restore_geometry()

    def _editor_column(self) -> QWidget:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        self.customer_label = QLabel()
        self.customer_label.setObjectName("customerName")
        self.customer_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.call_label = QLabel()
        self.call_label.setWordWrap(True)
        self._set_color(self.call_label, "#5b616b")
        layout.addWidget(self.customer_label)
        layout.addWidget(self.call_label)

        self.recent_label = QLabel()
        self.recent_label.setWordWrap(True)
        self.recent_label.setAccessibleName("Recent cards")
        self.recent_label.setStyleSheet("QLabel { background: #fdf6e3; border: 1px solid #ecd9a6; border-radius: 4px;"
                                        " padding: 6px 8px; color: #5c4813; }")
        self.recent_label.hide()
        layout.addWidget(self.recent_label)

        layout.addSpacing(4)
        recipient_heading = QLabel("Recipient")
        recipient_heading.setObjectName("sectionHeading")
        layout.addWidget(recipient_heading)
        layout.addWidget(self.recipient)

        layout.addSpacing(6)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_heading)
        note_row.addStretch(1)
        note_row.addWidget(self.field_button)
        layout.addLayout(note_row)
        layout.addWidget(self.note, 1)
        layout.addWidget(self.fit_meter)

        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Plain)
        self._set_color(rule, "#d5d9de")
        layout.addWidget(rule)
        queue_row = QHBoxLayout()
        queue_row.addWidget(self.queue_reason, 1)
        queue_row.addWidget(self.queue_button, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(queue_row)
        column.setMinimumWidth(380)
        return column

    @staticmethod
    def _pane(widget: QWidget, margins: tuple[int, int, int, int]) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(*margins)
        layout.addWidget(widget)
        return pane

    @staticmethod
    def _set_color(widget: QWidget, color: str) -> None:
        palette = widget.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(color))
        widget.setPalette(palette)

    def _make_actions(self) -> None:
        def action(text: str, keys: list[str], slot) -> QAction:
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(lambda _checked=False: slot())
            self.addAction(act)
            return act

        self.queue_action = action("Queue card", ["Ctrl+Return", "Ctrl+Enter"], self.queue_card)
        self.view_actions = [action(f"Preview view {n}", [f"Ctrl+{n}"], lambda n=n: self._view_shortcut(n))
                             for n in (1, 2, 3)]
        action("Insert field", ["Ctrl+Shift+F"], self._insert_field_shortcut)
        action("Spelling suggestions", ["Ctrl+Space"], self._spelling_shortcut)
        action("Save draft", ["Ctrl+S"], self._save_shortcut)
        action("Close", ["Ctrl+W"], self.close)
        self.queue_button.setToolTip("Queue this card for mailing (Ctrl+Return)")

    # -- filling in ---------------------------------------------------------------------------
    def _load(self) -> None:
        self._show_customer()
        self.gallery.set_current(self.card["template_slug"])
        self.recipient.set_customer(self.customer)
        self.note.setPlainText(self.card["note"])
        self.note.moveCursor(self.note.textCursor().MoveOperation.End)
        self._saved_note = self.card["note"]
        self.note.textChanged.connect(self._note_changed)
        warning = cards.recent_cards_warning(self.store, self.card_id)
        if warning:
            self.recent_label.setText(f"{warning}.")
            self.recent_label.show()
        self.inputs = cards.preview_inputs(self.store, self.card_id)
        self.preview.set_inputs(self.inputs, view=note_view(self.inputs.template))
        self.preview.set_note(self.card["note"])
        self._update_queue_state()
        self.saved_label.setText(f"Draft {self.card_id} · saved as you type")
        language = self.preferences.spell_language
        language = language if language in LANGUAGES else "en"
        self._language = language
        names = self._names()
        run_task(lambda _control: _warm_speller(language, names), self._speller_ready,
                 lambda error: log.warning("no spell checking: %s", error), context=self)
        self.note.setFocus()

    def _show_customer(self) -> None:
        name = customer_display_name(self.customer)
        self.setWindowTitle(f"Card for {name}")
        self.customer_label.setText(name)
        if self.call is not None:
            length = call_length(self.call.get("duration_s"))
            parts = [f"Call on {call_time(self.call['started_at'])}" + (f" ({length})" if length else "")]
            if self.call.get("reason"):
                parts.append(one_line(self.call["reason"]))
            if self.call.get("rep"):
                parts.append(f"with {self.call['rep']}")
            self.call_label.setText(" · ".join(parts))
        else:
            self.call_label.setText("")
        self.call_label.setVisible(bool(self.call_label.text()))

    def _names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.customer.get("first_name"), self.customer.get("last_name"),
                                 self.customer.get("company")) if n)

    def _speller_ready(self, speller: Speller) -> None:
        self.note.set_speller(speller)

    @property
    def template(self) -> Template:
        return self.inputs.template

    # -- the note ---------------------------------------------------------------------------
    def _note_changed(self) -> None:
        text = self.note.toPlainText()
        if not self._view_chosen_by_rep and self.preview.view != note_view(self.template):
            self.preview.set_view(note_view(self.template))
        self.preview.set_note(text)
        if text != self._saved_note and not self.save_timer.isActive():
            self.save_timer.start(SAVE_DELAY_MS)  # not restarted by later keys: saved within a second

    def save_now(self) -> bool:
        """Write the note to the draft if it changed. False when the store refused."""
        self.save_timer.stop()
        if self.card_id is None or self._queued:
            return True
        text = self.note.toPlainText()
        if text == self._saved_note:
            return True
        try:
            self.store.update_draft(self.card_id, actor=self.actor, note=text)
        except Exception as error:  # the store busy or locked, the card queued elsewhere, a full disk...
            log.warning("draft %s not saved: %s", self.card_id, error)
            self.saved_label.setText(f"Not saved yet: {failure_text(error)}")
            if not self._closed:
                self.save_timer.start(SAVE_RETRY_MS)  # and again, even if the rep types no more
            return False
        self._saved_note = text
        self.saved_label.setText(f"Draft {self.card_id} · saved {datetime.now():%H:%M:%S}")
        self.card_saved.emit(self.card_id)
        return True

    def _save_shortcut(self) -> None:
        if self.save_now():
            self.statusBar().showMessage("Draft saved", 2000)

    def _insert_field_shortcut(self) -> None:
        self.note.setFocus()
        self.note.show_field_menu()

    def _spelling_shortcut(self) -> None:
        self.note.setFocus()
        if self.note.speller is None:
            self.statusBar().showMessage("The dictionary is still loading", 2000)
        elif not self.note.show_spelling_menu():
            self.statusBar().showMessage("No spelling mistakes in the note", 3000)

    # -- template -----------------------------------------------------------------------------
    def _template_picked(self, slug: str) -> None:
        if slug == self.card["template_slug"]:
            return
        old = self.template
        shipped_old = self.templates.get(old.slug)
        text = self.note.toPlainText()
        suggested = {old.suggested_note.strip(), shipped_old.suggested_note.strip() if shipped_old else ""}
        untouched = text.strip() in suggested - {""}  # the rep has not made the note their own
        try:
            cards.change_template(self.store, self.card_id, slug, actor=self.actor)
        except Exception as error:
            show_failure(self, "Change template", error)
            self.gallery.set_current(self.card["template_slug"])
            return
        self.card = self.store.get_card(self.card_id)
        self.inputs = cards.preview_inputs(self.store, self.card_id)
        if untouched and text != self.inputs.template.suggested_note:
            self.note.set_note(self.inputs.template.suggested_note)
        self.save_now()
        self.card_saved.emit(self.card_id)
        self._view_chosen_by_rep = False
        self.preview.set_inputs(self.inputs, view=design_view(self.inputs.template))
        self.statusBar().showMessage(f"Template: {self.inputs.template.name}", 2500)

    # -- recipient ----------------------------------------------------------------------------
    def _recipient_confirmed(self, values: dict) -> None:
        try:
            self.customer = self.store.update_customer(self.customer["id"], values)
        except Exception as error:
            show_failure(self, "Save the address", error)
            return
        self.recipient.show_problems(self.customer["address_problems"])
        self._show_customer()
        if self.note.speller is not None:
            self.note.set_speller(Speller(self._language, names=self._names()))
        self.inputs = cards.preview_inputs(self.store, self.card_id)
        self._view_chosen_by_rep = False
        self.preview.set_inputs(self.inputs, view=address_view(self.template, self.inputs.envelope is not None))
        self._update_queue_state()
        self.statusBar().showMessage("Address saved" if self.customer["mailable"] else "Address saved; it needs a fix",
                                     2500)

    # -- preview ------------------------------------------------------------------------------
    def _rep_chose_view(self) -> None:
        self._view_chosen_by_rep = True

    def _view_shortcut(self, number: int) -> None:
        self._view_chosen_by_rep = True
        self.preview.set_view_number(number)

    def _preview_outcome(self, outcome: PreviewOutcome) -> None:
        if not self._thumbnails_started:  # after the first preview: it goes first on the render thread
            self._thumbnails_started = True
            self.gallery.load_thumbnails()
        problem = outcome.problem
        if problem is None:
            self._note_ok = True
            self.fit_meter.show_fit(outcome.fit, outcome.inputs.template if outcome.inputs else None)
            self.note.highlighter.set_unprintable(frozenset())
        else:
            self._note_ok = False
            self.fit_meter.show_problem(problem)
            self.note.highlighter.set_unprintable(unprintable_characters(problem))
            self.preview.show_problem(f"This card cannot print yet: {describe_problem(problem)}")
        self._update_queue_state()

    # -- queuing ------------------------------------------------------------------------------
    def queue_blockers(self) -> list[str]:
        """What stands between this card and the mail, in a word or two each (the full reason
        is where the problem is: under the address field, under the note)."""
        blockers = []
        if not self.customer["mailable"]:
            fields = [p.get("field", "") for p in self.customer["address_problems"]]
            blockers.append(f"the address ({', '.join(dict.fromkeys(fields))})" if fields else "the address")
        if not self._note_ok:
            outcome = self.preview.last_outcome
            if outcome is not None and outcome.problem is not None:
                blockers.append(f"the note ({problem_kind(outcome.problem)})")
        return blockers

    def _update_queue_state(self) -> None:
        blockers = self.queue_blockers()
        ready = not blockers and self._note_ok  # and the note was checked at least once
        self.queue_button.setEnabled(ready)
        if ready:
            self.queue_reason.setText("")
            self.queue_button.setToolTip("Queue this card for mailing (Ctrl+Return)")
        else:
            reason = ("To queue, fix " + " and ".join(blockers) + ".") if blockers else "Checking the note…"
            self.queue_reason.setText(reason)
            self.queue_button.setToolTip(reason)

    def queue_card(self) -> None:
        """Ctrl+Return: queue the card (after "Queue anyway?" when the customer had a card lately)."""
        if self._queued or self.card_id is None:
            return
        if not self.queue_button.isEnabled():
            self.statusBar().showMessage(self.queue_reason.text() or "The card cannot be queued yet", 4000)
            return
        if not self.save_now():
            show_message(self, "Queue card", self.saved_label.text(), QMessageBox.Icon.Warning)
            return
        warning = cards.recent_cards_warning(self.store, self.card_id)
        if not warning:
            self._queue_now()
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Queue anyway?", f"{warning}.\n\nQueue this card anyway?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Yes).setText("Queue anyway")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def answered(_result: int) -> None:
            self.queue_question = None
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                self._queue_now()

        box.finished.connect(answered)
        self.queue_question = box
        box.open()

    def _queue_now(self) -> None:
        try:
            cards.queue(self.store, self.card_id, actor=self.actor)
        except Exception as error:  # the store's last word: not mailable, does not fit, cannot print
            show_failure(self, "Queue card", error)
            return
        self._queued = True
        self.card_queued.emit(self.card_id)
        name = customer_display_name(self.customer)
        self.confirmation = Confirmation(f"✓  Card for {name} queued for mailing", self.parentWidget() or None,
                                         None if self.parentWidget() else self._confirmation_point())
        self.confirmation.show()
        self.close()

    def _confirmation_point(self) -> QPoint:
        frame = self.frameGeometry()
        return QPoint(frame.center().x(), frame.bottom() - 80)

    # -- closing ------------------------------------------------------------------------------
    def _settings(self):
        """Where the window keeps its size: the preferences' QSettings."""
        settings = getattr(type(self.preferences), "settings", None)
        return self.preferences.settings if settings is not None else getattr(self.preferences, "_settings", None)

    def _restore_geometry(self) -> None:
        settings = self._settings()
        geometry = settings.value(GEOMETRY_KEY) if settings is not None else None
        if not isinstance(geometry, QByteArray) or not self.restoreGeometry(geometry):
            self.resize(1320, 820)
        splitter = settings.value(SPLITTER_KEY) if settings is not None else None
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def _save_geometry(self) -> None:
        settings = self._settings()
        if settings is not None:
            settings.setValue(GEOMETRY_KEY, self.saveGeometry())
            settings.setValue(SPLITTER_KEY, self.splitter.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._closed:
            self._closed = True
            if not self.refusal:
                self.save_now()   # the draft stays, with every word typed
                self.preview.abandon()
                self._save_geometry()
            if self.store is not None:
                self.store.close()
        super().closeEvent(event)
