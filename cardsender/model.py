"""Plain data shared by every layer: card states, import reports, time stamps."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timezone


class CardState(str, enum.Enum):
    DRAFT = "draft"
    QUEUED = "queued"
    BATCHED = "batched"
    MAILED = "mailed"
    CANCELLED = "cancelled"


# Which state may follow which. A voided batch sends its cards from batched back to queued.
CARD_TRANSITIONS: dict[CardState, frozenset[CardState]] = {
    CardState.DRAFT: frozenset({CardState.QUEUED, CardState.CANCELLED}),
    CardState.QUEUED: frozenset({CardState.BATCHED, CardState.CANCELLED, CardState.DRAFT}),
    CardState.BATCHED: frozenset({CardState.MAILED, CardState.QUEUED}),
    CardState.MAILED: frozenset(),
    CardState.CANCELLED: frozenset(),
}


def utc_stamp(moment: datetime | None = None) -> str:
    """A UTC instant as the store writes it: ``2026-11-16T20:51:34Z`` (sorts as text)."""
    moment = moment or datetime.now(timezone.utc)
    if moment.tzinfo is None:
        raise ValueError("a time stamp needs a time zone")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did: counts, and every row it could not take, with its line and reason."""

    file: str
    kind: str  # "calls" or "customers"
    layout: str = ""  # the preset or layout the file was read with
    imported: int = 0
    already_there: int = 0
    updated: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    warnings: list[RejectedRow] = field(default_factory=list)
    matched: int = 0  # calls newly matched to a customer by this import

    def reject(self, line: int, reason: str) -> None:
        self.rejected.append(RejectedRow(line, reason))

    def warn(self, line: int, reason: str) -> None:
        self.warnings.append(RejectedRow(line, reason))

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "kind": self.kind,
            "layout": self.layout,
            "imported": self.imported,
            "already_there": self.already_there,
            "updated": self.updated,
            "rejected": len(self.rejected),
            "matched": self.matched,
            "rejected_rows": [{"line": r.line, "reason": r.reason} for r in self.rejected],
            "warnings": [{"line": r.line, "reason": r.reason} for r in self.warnings],
        }
