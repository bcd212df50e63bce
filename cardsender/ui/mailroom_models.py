"""The mailroom window's data: the queue counted by format and template (with a choice of which
groups to batch), the batch history, and one batch's cards. Read by workers from their own
store; shown through Qt models that format each row once when it arrives."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from cardsender.mailroom import marker
from cardsender.stocks import Envelope, LabelSheet, Sheet
from cardsender.templates import CardFormat
from cardsender.ui.formatting import call_time

Index = QModelIndex | QPersistentModelIndex


# -- the queue -------------------------------------------------------------------------------
@dataclass
class TemplateGroup:
    slug: str
    name: str
    card_ids: list[int] = field(default_factory=list)


@dataclass
class FormatGroup:
    key: str
    title: str
    templates: list[TemplateGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(t.card_ids) for t in self.templates)


@dataclass
class QueueSummary:
    formats: list[FormatGroup]

    @property
    def total(self) -> int:
        return sum(f.count for f in self.formats)


def queue_summary(store, formats: dict[str, CardFormat]) -> QueueSummary:
    """The queued cards grouped by format, then template (its versions together), the largest
    groups first. One query for the cards, one per pinned template version."""
    versions: dict[tuple[str, int], dict[str, Any]] = {}
    groups: dict[str, dict[str, TemplateGroup]] = {}
    newest: dict[str, int] = {}  # the version whose name a template group shows
    for card in store.queued_for_batch():
        key = (card["template_slug"], card["template_version"])
        if key not in versions:
            versions[key] = store.get_template_version(*key)
        version = versions[key]
        group = groups.setdefault(version["format"], {}).setdefault(
            card["template_slug"], TemplateGroup(card["template_slug"], version["name"]))
        if version["version"] >= newest.get(card["template_slug"], 0):
            newest[card["template_slug"]] = version["version"]
            group.name = version["name"]
        group.card_ids.append(card["id"])
    result = []
    for format_key, templates in groups.items():
        fmt = formats.get(format_key)
        title = fmt.title if fmt else f"{format_key} (a format no longer known)"
        ordered = sorted(templates.values(), key=lambda t: (-len(t.card_ids), t.name.casefold()))
        result.append(FormatGroup(format_key, title, ordered))
    result.sort(key=lambda f: (-f.count, f.title.casefold()))
    return QueueSummary(result)


def cards_per_sheet(sheet: Sheet, formats: dict[str, CardFormat]) -> dict[str, int]:
    """How many cards of each format the stock takes per sheet (formats it lists but cannot
    hold are left out)."""
    fits = {}
    for key in sheet.formats:
        fmt = formats.get(key)
        if fmt is not None:
            count = len(sheet.for_format(fmt).positions(fmt))
            if count:
                fits[key] = count
    return fits


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else (nouns or noun + 's')}"


class QueueColumn(enum.IntEnum):
    NAME = 0
    CARDS = 1
    ON_STOCK = 2

    @property
    def title(self) -> str:
        return ("Format / template", "Cards", "On this stock")[self]


_TOP = 0xFFFFFFFF  # the internal id of a format row; a template row's is its format's row


class QueueSummaryModel(QAbstractItemModel):
    """Formats with their templates under them, each with a check box: what the next batch
    takes. A choice survives a refresh (groups are known by format and template); a group new
    to the queue comes in chosen."""

    choice_changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._formats: list[FormatGroup] = []
        self._left_out: set[tuple[str, str]] = set()  # (format, template slug) not chosen
        self._fits: dict[str, int] = {}
        self._stock_title = ""

    # -- content -------------------------------------------------------------------------------
    def set_summary(self, summary: QueueSummary) -> None:
        self.beginResetModel()
        self._formats = summary.formats
        present = {(f.key, t.slug) for f in self._formats for t in f.templates}
        self._left_out &= present
        self.endResetModel()
        self.choice_changed.emit()

    def set_stock(self, fits: dict[str, int], title: str) -> None:
        self._fits, self._stock_title = dict(fits), title
        if self._formats:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._formats) - 1, len(QueueColumn) - 1))
            for row, group in enumerate(self._formats):
                parent = self.index(row, 0)
                if group.templates:
                    self.dataChanged.emit(self.index(0, 0, parent),
                                          self.index(len(group.templates) - 1, len(QueueColumn) - 1, parent))
        self.choice_changed.emit()

    @property
    def formats(self) -> list[FormatGroup]:
        return self._formats

    @property
    def total(self) -> int:
        return sum(f.count for f in self._formats)

    def is_chosen(self, format_key: str, slug: str) -> bool:
        return (format_key, slug) not in self._left_out

    def all_chosen(self) -> bool:
        return not self._left_out

    def chosen_card_ids(self) -> list[int]:
        return [card_id for f in self._formats for t in f.templates if self.is_chosen(f.key, t.slug)
                for card_id in t.card_ids]

    def chosen_count(self) -> int:
        return sum(len(t.card_ids) for f in self._formats for t in f.templates if self.is_chosen(f.key, t.slug))

    def chosen_fitting_count(self) -> int:
        """Chosen cards whose format goes on the stock."""
        return sum(len(t.card_ids) for f in self._formats if f.key in self._fits
                   for t in f.templates if self.is_chosen(f.key, t.slug))

    def chosen_formats_not_fitting(self) -> list[FormatGroup]:
        return [f for f in self._formats if f.key not in self._fits
                and any(self.is_chosen(f.key, t.slug) for t in f.templates)]

    # -- choosing ------------------------------------------------------------------------------
    def choose_all(self, chosen: bool = True) -> None:
        self._left_out = set() if chosen else {(f.key, t.slug) for f in self._formats for t in f.templates}
        self._choice_changed_everywhere()

    def choose_only(self, format_key: str, slug: str | None = None) -> None:
        """Only this format (or only this template of it)."""
        self._left_out = {(f.key, t.slug) for f in self._formats for t in f.templates
                          if f.key != format_key or (slug is not None and t.slug != slug)}
        self._choice_changed_everywhere()

    def choose_fitting(self) -> None:
        """Only the formats the stock takes."""
        self._left_out = {(f.key, t.slug) for f in self._formats for t in f.templates if f.key not in self._fits}
        self._choice_changed_everywhere()

    def set_chosen(self, format_key: str, slug: str | None, chosen: bool) -> None:
        for group in self._formats:
            if group.key != format_key:
                continue
            for template in group.templates:
                if slug is None or template.slug == slug:
                    if chosen:
                        self._left_out.discard((group.key, template.slug))
                    else:
                        self._left_out.add((group.key, template.slug))
        self._choice_changed_everywhere()

    def _choice_changed_everywhere(self) -> None:
        for row, group in enumerate(self._formats):
            parent = self.index(row, 0)
            self.dataChanged.emit(parent, parent, [Qt.ItemDataRole.CheckStateRole])
            if group.templates:
                self.dataChanged.emit(self.index(0, 0, parent), self.index(len(group.templates) - 1, 0, parent),
                                      [Qt.ItemDataRole.CheckStateRole])
        self.choice_changed.emit()

    # -- the tree ------------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(QueueColumn) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP) if row < len(self._formats) else QModelIndex()
        if parent.internalId() != _TOP or parent.row() >= len(self._formats):
            return QModelIndex()
        if row >= len(self._formats[parent.row()].templates):
            return QModelIndex()
        return self.createIndex(row, column, parent.row())

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(index.internalId(), 0, _TOP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._formats)
        if parent.internalId() == _TOP and parent.column() == 0 and parent.row() < len(self._formats):
            return len(self._formats[parent.row()].templates)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(QueueColumn)

    def _node(self, index: Index) -> tuple[FormatGroup, TemplateGroup | None]:
        if index.internalId() == _TOP:
            return self._formats[index.row()], None
        group = self._formats[index.internalId()]
        return group, group.templates[index.row()]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return QueueColumn(section).title
        if role == Qt.ItemDataRole.TextAlignmentRole and section == QueueColumn.CARDS:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == QueueColumn.NAME:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def _check_state(self, group: FormatGroup, template: TemplateGroup | None) -> Qt.CheckState:
        if template is not None:
            return Qt.CheckState.Checked if self.is_chosen(group.key, template.slug) else Qt.CheckState.Unchecked
        chosen = [self.is_chosen(group.key, t.slug) for t in group.templates]
        if all(chosen):
            return Qt.CheckState.Checked
        return Qt.CheckState.PartiallyChecked if any(chosen) else Qt.CheckState.Unchecked

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        group, template = self._node(index)
        column = QueueColumn(index.column())
        fits = self._fits.get(group.key, 0)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == QueueColumn.NAME:
                return template.name if template else group.title
            if column == QueueColumn.CARDS:
                return f"{len(template.card_ids) if template else group.count:,}"
            if template is None:
                return f"{fits} per sheet" if fits else "does not fit"
            return ""
        if role == Qt.ItemDataRole.CheckStateRole and column == QueueColumn.NAME:
            return self._check_state(group, template)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == QueueColumn.CARDS:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.FontRole and template is None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and not fits and column == QueueColumn.ON_STOCK:
            return QApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.ToolTipRole:
            if template is not None:
                return f"{template.name} ({template.slug}): {plural(len(template.card_ids), 'queued card')}"
            if fits:
                return f"{group.title}: {fits} per sheet of {self._stock_title}"
            return f"{group.title} cards do not go on {self._stock_title}: they stay in the queue"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole or index.column() != QueueColumn.NAME:
            return False
        group, template = self._node(index)
        state = Qt.CheckState(value) if not isinstance(value, Qt.CheckState) else value
        if template is None:
            # A partly chosen format becomes wholly chosen, as a tri-state box does.
            chosen = self._check_state(group, None) != Qt.CheckState.Checked
        else:
            chosen = state == Qt.CheckState.Checked
        self.set_chosen(group.key, template.slug if template else None, chosen)
        return True


# -- the batches -----------------------------------------------------------------------------
class BatchColumn(enum.IntEnum):
    BATCH = 0
    STATUS = 1
    CREATED = 2
    BY = 3
    CARDS = 4
    STOCK = 5
    ENVELOPES = 6

    @property
    def title(self) -> str:
        return ("Batch", "Status", "Created", "By", "Cards", "Stock", "Envelopes or labels")[self]


STATUS_TEXT = {"printing": "being made…", "printed": "printed", "mailed": "mailed", "void": "void",
               "failed": "not made"}
NOT_MADE = ("failed",)  # stopped or failed: no files, no cards (shown only when asked)


def batch_folder(batch: dict[str, Any]) -> Path:
    return Path(batch["output_dir"]) / f"batch-{batch['id']:04d}"


class BatchHistoryModel(QAbstractTableModel):
    """``store.list_batches`` rows, newest first, with stock and envelope titles."""

    def __init__(self, sheets: dict[str, Sheet], envelopes: dict[str, Envelope], labels: dict[str, LabelSheet],
                 parent=None) -> None:
        super().__init__(parent)
        self._sheets, self._envelopes, self._labels = sheets, envelopes, labels
        self._batches: list[dict[str, Any]] = []
        self._texts: list[tuple[str, ...]] = []

    def envelope_text(self, key: str) -> str:
        if not key:
            return "each card's own envelope"
        if key in self._labels:
            return self._labels[key].title
        if key in self._envelopes:
            return self._envelopes[key].title
        return key

    def set_batches(self, batches: list[dict[str, Any]], *, show_not_made: bool = False) -> None:
        now = datetime.now().astimezone()
        shown = [b for b in batches if show_not_made or b["status"] not in NOT_MADE]
        self.beginResetModel()
        self._batches = shown
        self._texts = [
            (str(b["id"]), STATUS_TEXT.get(b["status"], b["status"]),
             call_time(b["created_at"], now) if b["created_at"] else "", b["created_by"],
             "" if b["status"] in NOT_MADE + ("printing",) else f"{b['card_count']:,}",
             self._sheets[b["stock"]].title if b["stock"] in self._sheets else b["stock"],
             "" if b["status"] in NOT_MADE else self.envelope_text(b["envelope"]))
            for b in shown
        ]
        self.endResetModel()

    def batch_at(self, row: int) -> dict[str, Any]:
        return self._batches[row]

    def row_of(self, batch_id: int) -> int | None:
        return next((row for row, b in enumerate(self._batches) if b["id"] == batch_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._batches)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(BatchColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return BatchColumn(section).title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            right = section in (BatchColumn.BATCH, BatchColumn.CARDS)
            return (Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._batches):
            return None
        batch = self._batches[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (BatchColumn.BATCH, BatchColumn.CARDS):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ForegroundRole and batch["status"] in ("void", "printing") + NOT_MADE:
            return QApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.ToolTipRole:
            status = batch["status"]
            if status == "mailed" and batch["mailed_at"]:
                return f"Batch {batch['id']} was mailed {call_time(batch['mailed_at'])}"
            if status == "void" and batch["voided_at"]:
                return f"Batch {batch['id']} was voided {call_time(batch['voided_at'])}; its cards went back to the queue"
            if status == "failed":
                return f"Batch {batch['id']} was stopped or failed: it has no files and no cards"
            if status == "printing":
                return f"Batch {batch['id']} is being made (here or on another computer)"
            if index.column() == BatchColumn.STOCK:
                return f"{self._texts[index.row()][index.column()]} ({batch['stock']})"
            return str(batch_folder(batch))
        return None


# -- one batch's cards (for a reprint) -------------------------------------------------------
def recipient_name(recipient: dict[str, Any]) -> str:
    name = " ".join(p for p in (recipient.get("first_name"), recipient.get("last_name")) if p)
    return name or recipient.get("company") or ""


class BatchCardColumn(enum.IntEnum):
    MARKER = 0
    CUSTOMER = 1
    CITY = 2
    TEMPLATE = 3
    REP = 4

    @property
    def title(self) -> str:
        return ("Number", "Customer", "City", "Template", "Rep")[self]


class BatchCardsModel(QAbstractTableModel):
    """``store.batch_cards`` rows in printing order, numbered as printed on card and envelope."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._batch_id = 0
        self._cards: list[dict[str, Any]] = []
        self._texts: list[tuple[str, ...]] = []

    def set_cards(self, batch_id: int, cards: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._batch_id = batch_id
        self._cards = list(cards)
        self._texts = [
            (marker(batch_id, c["batch_seq"]) if c["batch_seq"] else "", recipient_name(c["recipient"]),
             ", ".join(p for p in (c["recipient"].get("city"), c["recipient"].get("country")) if p),
             c["template_name"], c["rep"])
            for c in cards
        ]
        self.endResetModel()

    def card_at(self, row: int) -> dict[str, Any]:
        return self._cards[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._cards)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(BatchCardColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return BatchCardColumn(section).title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._cards):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            card = self._cards[index.row()]
            return f"Card {card['id']}, {card['status']}"
        return None
