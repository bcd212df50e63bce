"""The row of filters above the call list: rep, period, "No card yet", and the search box."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from cardsender.ui.call_filter import CallFilter, Period

SEARCH_DELAY_MS = 200  # typing "Okafor" asks the store once, not six times
ALL_REPS = "All reps"


class FilterBar(QWidget):
    filter_changed = Signal()
    rep_chosen = Signal(str)  # by the rep, not by a refill of the list; "" for all reps

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rep_combo = QComboBox()
        self.rep_combo.setAccessibleName("Rep")
        self.rep_combo.setToolTip("Show one rep's calls; the choice is remembered")
        self.rep_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.rep_combo.addItem(ALL_REPS, None)

        self.period_combo = QComboBox()
        self.period_combo.setAccessibleName("Period")
        for period in Period:
            self.period_combo.addItem(period.label, period)
        self.period_combo.setCurrentIndex(self.period_combo.findData(CallFilter().period))

        self.no_card_check = QCheckBox("&No card yet")
        self.no_card_check.setAccessibleName("No card yet")
        self.no_card_check.setToolTip("Only calls no card has been made for (cancelled cards do not count)")

        self.search_edit = QLineEdit()
        self.search_edit.setAccessibleName("Search calls")
        self.search_edit.setPlaceholderText("Search name or phone digits")
        self.search_edit.setToolTip("A customer's name (the start of its words), or three or more digits "
                                    "of a phone number (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(self.search_edit.fontMetrics().horizontalAdvance("x" * 34))

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.filter_changed)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self._search_now)

        self.rep_combo.currentIndexChanged.connect(self.filter_changed)
        self.rep_combo.activated.connect(lambda _index: self.rep_chosen.emit(self.rep_combo.currentData() or ""))
        self.period_combo.currentIndexChanged.connect(self.filter_changed)
        self.no_card_check.toggled.connect(self.filter_changed)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_buddy_label("&Rep:", self.rep_combo))
        layout.addWidget(self.rep_combo)
        layout.addSpacing(12)
        layout.addWidget(_buddy_label("&Period:", self.period_combo))
        layout.addWidget(self.period_combo)
        layout.addSpacing(12)
        layout.addWidget(self.no_card_check)
        layout.addStretch(1)
        layout.addWidget(self.search_edit)

        QWidget.setTabOrder(self.rep_combo, self.period_combo)
        QWidget.setTabOrder(self.period_combo, self.no_card_check)
        QWidget.setTabOrder(self.no_card_check, self.search_edit)

    @property
    def first_control(self) -> QWidget:
        return self.rep_combo

    @property
    def last_control(self) -> QWidget:
        return self.search_edit

    def current_filter(self) -> CallFilter:
        return CallFilter(
            rep=self.rep_combo.currentData(),
            period=self.period_combo.currentData(),
            search=self.search_edit.text(),
            no_card=self.no_card_check.isChecked(),
        )

    def set_reps(self, reps: list[str], preferred: str | None) -> None:
        """Fill the rep list, keeping the rep shown (else ``preferred``) selected; says
        ``filter_changed`` only when the selection really changed."""
        before = self.rep_combo.currentData()
        wanted = before or preferred
        with QSignalBlocker(self.rep_combo):
            self.rep_combo.clear()
            self.rep_combo.addItem(ALL_REPS, None)
            for rep in reps:
                self.rep_combo.addItem(rep, rep)
            index = self.rep_combo.findData(wanted) if wanted else 0
            self.rep_combo.setCurrentIndex(max(index, 0))
        if self.rep_combo.currentData() != before:
            self.filter_changed.emit()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _search_now(self) -> None:
        self._search_timer.stop()
        self.filter_changed.emit()


def _buddy_label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label
