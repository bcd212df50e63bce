"""What the rep asked to see in the call list, and the store query that answers it.

No Qt here: the filter bar fills a :class:`CallFilter`, and a refresh turns it into a
:class:`CallQuery` at one instant, so every page of one list uses the same ``since``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from cardsender.model import utc_stamp


class Period(enum.Enum):
    TODAY = "Today"
    LAST_7_DAYS = "Last 7 days"
    LAST_30_DAYS = "Last 30 days"
    ALL = "All"

    @property
    def label(self) -> str:
        return self.value


def period_start(period: Period, now: datetime) -> str | None:
    """The UTC stamp a period starts at, seen from ``now`` (an aware time): today starts at
    local midnight; the last N days are the N x 24 hours before ``now`` (as ``calls --since
    7d`` counts them); All has no start."""
    if now.tzinfo is None:
        raise ValueError("period_start needs an aware time")
    local_now = now.astimezone()
    if period is Period.TODAY:
        # Midnight of the local date, in the zone in force at midnight (a DST change may
        # fall between midnight and now).
        return utc_stamp(datetime.combine(local_now.date(), time()).astimezone())
    if period is Period.LAST_7_DAYS:
        return utc_stamp(now - timedelta(days=7))
    if period is Period.LAST_30_DAYS:
        return utc_stamp(now - timedelta(days=30))
    return None


@dataclass(frozen=True)
class CallQuery:
    """The arguments of ``store.recent_calls`` for one list (without the page)."""

    rep: str | None = None
    since: str | None = None
    search: str | None = None
    no_card: bool = False

    def store_arguments(self) -> dict[str, Any]:
        return {"rep": self.rep, "since": self.since, "search": self.search, "no_card": self.no_card}


@dataclass(frozen=True)
class CallFilter:
    """The filter bar's state: ``rep`` None means every rep."""

    rep: str | None = None
    period: Period = Period.LAST_7_DAYS
    search: str = ""
    no_card: bool = False

    def query(self, now: datetime) -> CallQuery:
        return CallQuery(
            rep=self.rep or None,
            since=period_start(self.period, now),
            search=self.search.strip() or None,
            no_card=self.no_card,
        )
