"""My cards: a rep's cards by state (drafts, queued, batched, mailed, cancelled), to reopen a
draft, cancel a card that has not gone to print, or start a new card from an old one for
another call."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cardsender.environment import current_actor
from cardsender.model import CardState
from cardsender.store import Store, open_store
from cardsender.ui.call_filter import CallQuery
from cardsender.ui.calls_model import CallTableModel, recent_calls_page
from cardsender.ui.filter_bar import FilterBar
from cardsender.ui.formatting import customer_name
from cardsender.ui.messages import show_failure
from cardsender.ui.preferences import (
    CALL_PICKER_GEOMETRY,
    MY_CARDS_GEOMETRY,
    MY_CARDS_HEADER,
    Preferences,
)
from cardsender.ui.tables import list_table, select_by_id, selected_row
from cardsender.ui.tasks import TaskControl, run_task

CARDS_SHOWN = 500  # the newest of a state; older ones are for the command line's `cards --json`

STATES = (CardState.DRAFT, CardState.QUEUED, CardState.BATCHED, CardState.MAILED, CardState.CANCELLED)
_STATE_TITLES = {CardState.DRAFT: "&Drafts", CardState.QUEUED: "&Queued", CardState.BATCHED: "&Batched",
                 CardState.MAILED: "&Mailed", CardState.CANCELLED: "Cance&lled"}
_EMPTY = {
    CardState.DRAFT: "No drafts. A card you start writing stays here until you queue it.",
    CardState.QUEUED: "No queued cards: nothing is waiting for the mailroom.",
    CardState.BATCHED: "No batched cards: nothing is at the printer.",
    CardState.MAILED: "No mailed cards yet.",
    CardState.CANCELLED: "No cancelled cards.",
}
_NOUNS = {CardState.DRAFT: "draft", CardState.QUEUED: "queued card", CardState.BATCHED: "batched card",
          CardState.MAILED: "mailed card", CardState.CANCELLED: "cancelled card"}
CANCELLABLE = (CardState.DRAFT.value, CardState.QUEUED.value)


class CardColumn(enum.IntEnum):
    CUSTOMER = 0
    TEMPLATE = 1
    REP = 2
    CREATED = 3
    UPDATED = 4
    QUEUED = 5
    MAILED = 6
    BATCH = 7

    @property
    def title(self) -> str:
        return {CardColumn.CUSTOMER: "Customer", CardColumn.TEMPLATE: "Template", CardColumn.REP: "Rep",
                CardColumn.CREATED: "Created", CardColumn.UPDATED: "Last change", CardColumn.QUEUED: "Queued",
                CardColumn.MAILED: "Mailed", CardColumn.BATCH: "Batch"}[self]


# Which dates mean something in which state: the rest are hidden, not shown empty.
_COLUMNS_SHOWN = {
    CardState.DRAFT: {CardColumn.CREATED, CardColumn.UPDATED},
    CardState.QUEUED: {CardColumn.CREATED, CardColumn.QUEUED},
    CardState.BATCHED: {CardColumn.CREATED, CardColumn.QUEUED, CardColumn.BATCH},
    CardState.MAILED: {CardColumn.CREATED, CardColumn.QUEUED, CardColumn.MAILED, CardColumn.BATCH},
    CardState.CANCELLED: {CardColumn.CREATED, CardColumn.UPDATED},
}

CARD_ROLE = Qt.ItemDataRole.UserRole + 1


def cards_in_own_store(store_path: Path, state: CardState, rep: str | None) -> list[dict[str, Any]]:
    with open_store(store_path) as store:
        return store.list_cards(status=state.value, rep=rep, limit=CARDS_SHOWN)


def card_time(stamp: str, this_year: int) -> str:
    """``22 Nov 08:25`` in this computer's zone (with the year when not this year's): short, so
    that four dates fit beside a name and a template."""
    moment = datetime.fromisoformat(stamp).astimezone()
    return moment.strftime("%d %b %H:%M" if moment.year == this_year else "%d %b %Y %H:%M").lstrip("0")


def card_customer(card: dict[str, Any]) -> str:
    return customer_name({**card, "customer_id": card["customer_id"]}) or f"customer {card['customer_id']}"


class CardsTableModel(QAbstractTableModel):
    """Rows of ``store.list_cards``, formatted once when they arrive."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._cards: list[dict[str, Any]] = []
        self._texts: list[tuple[str, ...]] = []

    def set_cards(self, cards: list[dict[str, Any]]) -> None:
        this_year = datetime.now().astimezone().year

        def when(stamp: str | None) -> str:
            return card_time(stamp, this_year) if stamp else ""

        self.beginResetModel()
        self._cards = list(cards)
        self._texts = [
            (card_customer(c), c["template_name"], c["rep"], when(c["created_at"]), when(c["updated_at"]),
             when(c["queued_at"]), when(c["mailed_at"]), str(c["batch_id"]) if c["batch_id"] else "")
            for c in cards
        ]
        self.endResetModel()

    def card_at(self, row: int) -> dict[str, Any]:
        return self._cards[row]

    def row_of(self, card_id: int) -> int | None:
        return next((row for row, card in enumerate(self._cards) if card["id"] == card_id), None)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._cards)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(CardColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return CardColumn(section).title
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._cards):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][index.column()]
        if role == CARD_ROLE:
            return self._cards[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            card = self._cards[index.row()]
            if index.column() == CardColumn.CUSTOMER:
                return f"Card {card['id']}" + (f", written after call {card['call_id']}" if card["call_id"] else "")
            if index.column() == CardColumn.TEMPLATE:
                return f"{card['template_name']} (version {card['template_version']})"
        return None


class CallPickerDialog(QDialog):
    """Pick one of the recent calls (the same filters as the main list)."""

    calls_shown = Signal()

    def __init__(self, store: Store, preferences: Preferences, *, title: str, ok_text: str,
                 clock: Callable[[], datetime] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.store = store
        self.preferences = preferences
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._task: TaskControl | None = None
        self._generation = 0

        self.filter_bar = FilterBar()
        self.model = CallTableModel(store, parent=self)
        self.table = list_table("Recent calls", stretch_last=False)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # the reason
        self.table.doubleClicked.connect(lambda _index: self.accept())

        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        QWidget.setTabOrder(self.filter_bar.last_control, self.table)

        geometry = preferences.layout(CALL_PICKER_GEOMETRY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(self.fontMetrics().horizontalAdvance("x") * 130, self.fontMetrics().height() * 32)
        me = preferences.rep_name
        self.filter_bar.set_reps(store.list_reps(), me or None)
        self.filter_bar.filter_changed.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.refresh()

    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        query = self.filter_bar.current_filter().query(self._clock())
        store_path, page_size = self.store.path, self.model.page_size
        if self._task is not None:
            self._task.abandon()

        def first_page(_control: TaskControl) -> list[dict[str, Any]]:
            with open_store(store_path) as store:
                return recent_calls_page(store, query, page_size)

        self._task = run_task(first_page, on_done=lambda calls: self._show(generation, query, calls),
                              on_error=lambda error: self._failed(generation, error), context=self)

    def _show(self, generation: int, query: CallQuery, calls: list[dict[str, Any]]) -> None:
        if generation != self._generation:
            return
        self._task = None
        self.model.show_first_page(query, calls)
        if calls:
            self.table.selectRow(0)
        self._selection_changed()
        self.calls_shown.emit()

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._task = None
            show_failure(self, self.windowTitle(), error)

    def chosen_call(self) -> dict[str, Any] | None:
        row = selected_row(self.table)
        return None if row is None else self.model.call_at(row)

    def select_call(self, call_id: int) -> bool:
        return select_by_id(self.table, self.model.call_at, self.model.rowCount(), call_id)

    def _selection_changed(self) -> None:
        call = self.chosen_call()
        self.ok_button.setEnabled(call is not None)
        if call is None:
            self.hint.setText("No call chosen." if self.model.rowCount() else "No calls match these filters.")
        elif call["customer_id"] is None:
            self.hint.setText("No customer matched this call: you will be asked who called first.")
        else:
            self.hint.setText("")

    def done(self, result: int) -> None:
        self.preferences.set_layout(CALL_PICKER_GEOMETRY, self.saveGeometry())
        if self._task is not None:
            self._task.abandon()
        super().done(result)


class MyCardsWindow(QWidget):
    """The rep's cards in one state at a time. Asks its owner to open a card in the composer
    (``open_card_requested``); says ``cards_changed`` when it cancelled or made a card."""

    open_card_requested = Signal(int)
    cards_changed = Signal()
    cards_loaded = Signal()  # the list shows the current state's cards (tests wait for it)

    def __init__(self, store: Store, preferences: Preferences, *,
                 clock: Callable[[], datetime] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.store = store
        self.preferences = preferences
        self._clock = clock
        self._task: TaskControl | None = None
        self._generation = 0
        self._select_after_load: int | None = None
        self.picker: CallPickerDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.customer_dialog = None

        self.state_tabs = QTabBar()
        self.state_tabs.setAccessibleName("Card state")
        self.state_tabs.setDrawBase(False)
        self.state_tabs.setExpanding(False)
        for state in STATES:
            self.state_tabs.addTab(_STATE_TITLES[state].replace("&", ""))
            self.state_tabs.setTabToolTip(self.state_tabs.count() - 1, f"{_STATE_TITLES[state].replace('&', '')} "
                                          "(Ctrl+Page Down for the next state)")
        self.all_reps_check = QCheckBox("All &reps")
        self.all_reps_check.setAccessibleName("All reps' cards")

        self.model = CardsTableModel(self)
        self.table = self._make_table()
        self.status_label = QLabel()
        self.status_label.setAccessibleName("Cards shown")

        self.open_action = self._action("&Open", self.open_selected, [QKeySequence(Qt.Key.Key_Return),
                                                                        QKeySequence(Qt.Key.Key_Enter)],
                                        "Open the draft in the composer (Enter)")
        self.open_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.duplicate_action = self._action("&Duplicate for another call…", self.duplicate_selected,
                                             [QKeySequence("Ctrl+D")],
                                             "A new draft with this card's template and note, for another call (Ctrl+D)")
        self.cancel_action = self._action("Ca&ncel card…", self.cancel_selected, [QKeySequence(Qt.Key.Key_Delete)],
                                          "Cancel a draft or a queued card: it will not be printed (Delete)")
        self.refresh_action = self._action("&Refresh", self.refresh, [QKeySequence(Qt.Key.Key_F5)])
        self.next_state_action = self._action("Next state", lambda: self._step_state(1),
                                              [QKeySequence("Ctrl+PgDown"), QKeySequence("Ctrl+Tab")])
        self.previous_state_action = self._action("Previous state", lambda: self._step_state(-1),
                                                  [QKeySequence("Ctrl+PgUp"), QKeySequence("Ctrl+Shift+Tab")])
        self.close_action = self._action("&Close", self.close, [QKeySequence(QKeySequence.StandardKey.Close),
                                                                QKeySequence(Qt.Key.Key_Escape)])
        for action in (self.open_action, self.duplicate_action, self.cancel_action, self.refresh_action,
                       self.next_state_action, self.previous_state_action, self.close_action):
            self.addAction(action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

        self.open_button = self._button(self.open_action)
        self.duplicate_button = self._button(self.duplicate_action)
        self.cancel_button = self._button(self.cancel_action)

        top = QHBoxLayout()
        top.addWidget(self.state_tabs)
        top.addStretch(1)
        top.addWidget(self.all_reps_check)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.duplicate_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        for before, after in ((self.state_tabs, self.all_reps_check), (self.all_reps_check, self.table),
                              (self.table, self.open_button), (self.open_button, self.duplicate_button),
                              (self.duplicate_button, self.cancel_button)):
            QWidget.setTabOrder(before, after)

        self._restore_layout()
        self._apply_rep()
        wanted = preferences.my_cards_state
        self.state_tabs.setCurrentIndex(next((i for i, s in enumerate(STATES) if s.value == wanted), 0))
        self.state_tabs.currentChanged.connect(self._state_changed)
        self.all_reps_check.toggled.connect(self._all_reps_toggled)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.refresh()

    # -- building ------------------------------------------------------------------------------
    def _make_table(self) -> QTableView:
        table = list_table("Cards", widths={
            CardColumn.CUSTOMER: "Maple Street Tailors Inc.", CardColumn.TEMPLATE: "Thank you for calling (2)",
            CardColumn.REP: "Jamal Washington", CardColumn.CREATED: "30 Sep 23:59", CardColumn.UPDATED: "30 Sep 23:59",
            CardColumn.QUEUED: "30 Sep 23:59", CardColumn.MAILED: "30 Sep 23:59", CardColumn.BATCH: "Batch"})
        table.setModel(self.model)
        return table

    def _action(self, text: str, slot: Callable[[], object], shortcuts: list[QKeySequence],
                tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setShortcuts(shortcuts)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _button(self, action: QAction) -> QPushButton:
        button = QPushButton(action.text().replace(" for another call", ""))
        button.setToolTip(action.toolTip())
        button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
        button.clicked.connect(action.trigger)
        action.enabledChanged.connect(button.setEnabled)
        return button

    def _context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = QMenu(self)
        for action in (self.open_action, self.duplicate_action, self.cancel_action):
            menu.addAction(action)
        menu.popup(self.table.viewport().mapToGlobal(position))

    # -- what is shown -------------------------------------------------------------------------
    @property
    def state(self) -> CardState:
        return STATES[max(self.state_tabs.currentIndex(), 0)]

    def show_state(self, state: CardState) -> None:
        self.state_tabs.setCurrentIndex(STATES.index(state))

    @property
    def rep(self) -> str | None:
        """The rep whose cards are shown; None for everyone's."""
        me = self.preferences.rep_name
        return None if (not me or self.all_reps_check.isChecked()) else me

    def _apply_rep(self) -> None:
        """Whose cards: the rep's own by default; every rep's when asked, or when this desktop
        does not know its rep's name yet (Settings)."""
        me = self.preferences.rep_name
        with_all = not me or self.preferences.my_cards_all_reps
        self.all_reps_check.blockSignals(True)
        self.all_reps_check.setChecked(with_all)
        self.all_reps_check.blockSignals(False)
        self.all_reps_check.setEnabled(bool(me))
        self.all_reps_check.setToolTip(
            f"Show every rep's cards, not only {me}'s" if me
            else "Every rep's cards are shown: set your name in Edit › Settings to see only yours")
        self._show_title()

    def preferences_changed(self) -> None:
        """The rep's name may have changed in Settings."""
        self._apply_rep()
        self.refresh()

    def _show_title(self) -> None:
        rep = self.rep
        self.setWindowTitle(f"My cards — {rep}" if rep else "Cards — all reps")
        for column in CardColumn:
            hidden = column not in _COLUMNS_SHOWN[self.state] | {CardColumn.CUSTOMER, CardColumn.TEMPLATE}
            if column == CardColumn.REP:
                hidden = rep is not None
            self.table.setColumnHidden(column, hidden)

    def _state_changed(self, _index: int) -> None:
        self.preferences.my_cards_state = self.state.value
        self.refresh()

    def _step_state(self, step: int) -> None:
        self.state_tabs.setCurrentIndex((self.state_tabs.currentIndex() + step) % self.state_tabs.count())

    def _all_reps_toggled(self, checked: bool) -> None:
        self.preferences.my_cards_all_reps = checked
        self.refresh()

    def refresh(self) -> None:
        """The current state's cards, read by a worker; only the latest answer is shown."""
        self._generation += 1
        generation = self._generation
        state, rep, store_path = self.state, self.rep, self.store.path
        self._show_title()
        if self._task is not None:
            self._task.abandon()
        selected = self.selected_card()
        if self._select_after_load is None and selected is not None:
            self._select_after_load = selected["id"]
        self.status_label.setText("Loading cards…")
        self._task = run_task(
            lambda _control: cards_in_own_store(store_path, state, rep),
            on_done=lambda cards: self._show_cards(generation, state, cards),
            on_error=lambda error: self._load_failed(generation, error),
            context=self,
        )

    def _show_cards(self, generation: int, state: CardState, cards: list[dict[str, Any]]) -> None:
        if generation != self._generation:
            return
        self._task = None
        self.model.set_cards(cards)
        row = self.model.row_of(self._select_after_load) if self._select_after_load is not None else None
        self._select_after_load = None
        if cards:
            self.table.selectRow(row if row is not None else 0)
        count = len(cards)
        if not count:
            self.status_label.setText(_EMPTY[state])
        elif count >= CARDS_SHOWN:
            self.status_label.setText(f"The newest {CARDS_SHOWN:,} {_NOUNS[state]}s")
        else:
            self.status_label.setText(f"{count:,} {_NOUNS[state]}{'s' if count != 1 else ''}")
        self._update_actions()
        self.cards_loaded.emit()

    def _load_failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._task = None
            self.status_label.setText("The cards could not be read.")
            show_failure(self, "My cards", error)

    def selected_card(self) -> dict[str, Any] | None:
        row = selected_row(self.table)
        return None if row is None else self.model.card_at(row)

    def select_card(self, card_id: int) -> bool:
        row = self.model.row_of(card_id)
        if row is not None:
            self.table.selectRow(row)
        return row is not None

    def _update_actions(self) -> None:
        card = self.selected_card()
        self.open_action.setEnabled(card is not None and card["status"] == CardState.DRAFT.value)
        self.duplicate_action.setEnabled(card is not None)
        self.cancel_action.setEnabled(card is not None and card["status"] in CANCELLABLE)

    # -- actions -------------------------------------------------------------------------------
    def open_selected(self) -> None:
        card = self.selected_card()
        if card is not None and card["status"] == CardState.DRAFT.value:
            self.open_card_requested.emit(card["id"])

    def cancel_selected(self) -> None:
        """Ask, then cancel: a cancelled card can never be queued again (duplicate it instead)."""
        card = self.selected_card()
        if card is None or card["status"] not in CANCELLABLE:
            return
        what = "draft" if card["status"] == CardState.DRAFT.value else "queued card"
        box = QMessageBox(QMessageBox.Icon.Question, "Cancel card",
                          f"Cancel the {what} to {card_customer(card)} ({card['template_name']})?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setInformativeText("It will not be printed or mailed, and cannot be queued again; "
                               "Duplicate makes a new draft from it.")
        box.button(QMessageBox.StandardButton.Yes).setText("Cancel &card")
        box.button(QMessageBox.StandardButton.No).setText("&Keep it")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda result: self._cancel_answered(card["id"], result))
        self.confirm_box = box
        box.open()

    def _cancel_answered(self, card_id: int, result: int) -> None:
        self.confirm_box = None
        if result != QMessageBox.StandardButton.Yes:
            return
        self.cancel_card(card_id)

    def cancel_card(self, card_id: int) -> None:
        try:
            self.store.cancel_card(card_id, actor=current_actor())  # one small transaction
        except Exception as error:  # the mailroom may have batched it meanwhile: say so
            show_failure(self, "Cancel card", error)
        self.refresh()
        self.cards_changed.emit()

    def duplicate_selected(self) -> None:
        card = self.selected_card()
        if card is None:
            return
        picker = CallPickerDialog(
            self.store, self.preferences, title=f"Duplicate “{card['template_name']}” for which call?",
            ok_text="&Duplicate to this call", clock=self._clock, parent=self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.accepted.connect(lambda: self._call_picked(card["id"], picker.chosen_call()))
        picker.finished.connect(lambda _result: setattr(self, "picker", None))
        self.picker = picker
        picker.open()

    def _call_picked(self, card_id: int, call: dict[str, Any] | None) -> None:
        if call is None:
            return
        if call["customer_id"] is None:
            from cardsender.ui.customer_dialog import CustomerDialog

            dialog = CustomerDialog(self.store, call, preferences=self.preferences, parent=self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(lambda: self.duplicate_card(card_id, call["id"]))
            dialog.finished.connect(lambda _result: setattr(self, "customer_dialog", None))
            self.customer_dialog = dialog
            dialog.open()
            return
        self.duplicate_card(card_id, call["id"])

    def duplicate_card(self, card_id: int, call_id: int) -> int | None:
        from cardsender.cards import duplicate_card

        try:
            new_id = duplicate_card(self.store, card_id, call_id=call_id, actor=current_actor())
        except Exception as error:
            show_failure(self, "Duplicate card", error)
            return None
        self._select_after_load = new_id
        if self.state is CardState.DRAFT:
            self.refresh()
        else:
            self.show_state(CardState.DRAFT)
        self.cards_changed.emit()
        self.open_card_requested.emit(new_id)
        return new_id

    # -- window --------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry = self.preferences.layout(MY_CARDS_GEOMETRY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(self.fontMetrics().horizontalAdvance("x") * 132, self.fontMetrics().height() * 34)
        header = self.preferences.layout(MY_CARDS_HEADER)
        if header is not None:
            self.table.horizontalHeader().restoreState(header)

    def save_layout(self) -> None:
        self.preferences.set_layout(MY_CARDS_GEOMETRY, self.saveGeometry())
        self.preferences.set_layout(MY_CARDS_HEADER, self.table.horizontalHeader().saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)
