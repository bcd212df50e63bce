"""The raw facts reports are made of: every query here, the arithmetic in cardsender/reports.py.

Calls and cards come back counted by rep (and template) and UTC day, from the day tables kept
as calls are imported and as cards change (call_days, card_days; see migrations v4 and v5): a
report over a year reads a few thousand rows, never a row per call. The part of a day at either
end of a range that starts or ends mid-day is counted from the calls and cards themselves. Only
the turnaround comes back one row per card: its percentiles need every value.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

_CARD_COUNTS = ("drafted", "queued", "mailed", "cancelled", "repeats")


class ReportQueries:
    def call_counts(self, since: str, until: str) -> list[dict[str, Any]]:
        """Calls that started in [since, until), and of those how many a live card followed,
        by rep and UTC day: {rep, day, calls, with_card}."""
        days, edges = _whole_days(since, until)
        rows: list[dict[str, Any]] = []
        if days:
            rows += self.db.query("SELECT rep, day, calls, with_card FROM call_days WHERE day >= ? AND day < ?", days)
        for start, end in edges:
            rows += self.db.query(
                """SELECT rep, substr(started_at, 1, 10) AS day, count(*) AS calls, 0 AS with_card FROM calls
                   WHERE started_at >= ? AND started_at < ? GROUP BY rep COLLATE NOCASE, day""", [start, end])
            rows += self.db.query(
                """SELECT call_rep AS rep, substr(call_started_at, 1, 10) AS day, 0 AS calls,
                          count(DISTINCT call_id) AS with_card
                   FROM cards WHERE status != 'cancelled' AND call_started_at >= ? AND call_started_at < ?
                   GROUP BY call_rep COLLATE NOCASE, day""", [start, end])
        return rows

    def card_counts(self, since: str, until: str) -> list[dict[str, Any]]:
        """Cards drafted, queued, mailed and cancelled in [since, until), and the live repeat
        cards made in it, by rep, template and UTC day of each event:
        {rep, template_slug, template_version, day, drafted, queued, mailed, cancelled, repeats}."""
        days, edges = _whole_days(since, until)
        columns = "rep, template_slug, template_version, day, " + ", ".join(_CARD_COUNTS)
        rows: list[dict[str, Any]] = []
        if days:
            # A day whose cards all moved away (to another day, rep or template) keeps a row of zeros.
            rows += self.db.query(f"""SELECT {columns} FROM card_days WHERE day >= ? AND day < ?
                                      AND (drafted OR queued OR mailed OR cancelled OR repeats)""", days)
        for start, end in edges:
            events = " UNION ALL ".join(
                f"""SELECT rep, template_slug, template_version, substr({stamp}, 1, 10) AS day,
                           {", ".join(f"{count} AS {name}" if name == event else f"0 AS {name}" for name in _CARD_COUNTS)}
                    FROM cards WHERE {stamp} >= :start AND {stamp} < :end{extra}"""
                for event, stamp, count, extra in (
                    ("drafted", "created_at", "1", ""), ("queued", "queued_at", "1", ""),
                    ("mailed", "mailed_at", "1", ""), ("cancelled", "updated_at", "1", " AND status = 'cancelled'"),
                    ("repeats", "created_at", "1", " AND is_repeat AND status != 'cancelled'")))
            rows += self.db.query(
                f"""SELECT rep, template_slug, template_version, day, {", ".join(f"sum({n}) AS {n}" for n in _CARD_COUNTS)}
                    FROM ({events}) GROUP BY rep, template_slug, template_version, day""", {"start": start, "end": end})
        return rows

    def template_names(self) -> dict[tuple[str, int], str]:
        return {(slug, version): name for slug, version, name in
                self.db.execute("SELECT slug, version, name FROM templates")}

    def turnaround_hours(self, since: str, until: str, *, rep: bool, template: bool, day: bool) -> list[tuple]:
        """For each card queued in [since, until): (rep, template slug, template version, UTC day
        queued, hours from the call to queued, hours from queued to mailed). What the report does
        not group on comes back as None: a report reads 100,000 of these rows, and a value not
        made costs nothing."""
        wanted = (("rep", rep), ("template_slug", template), ("template_version", template),
                  ("substr(queued_at, 1, 10)", day))
        return self.db.execute(
            f"""SELECT {", ".join(column if want else "NULL" for column, want in wanted)},
                       round((julianday(queued_at) - julianday(call_started_at)) * 24, 3),
                       round((julianday(mailed_at) - julianday(queued_at)) * 24, 3)
                FROM cards WHERE queued_at >= ? AND queued_at < ?""", [since, until]).fetchall()


def _whole_days(since: str, until: str) -> tuple[list[str] | None, list[tuple[str, str]]]:
    """The whole UTC days in [since, until) as [first day, day after the last] (None when there
    are none), and the parts of a day left at either end."""
    start_full = since if since.endswith("T00:00:00Z") else _next_day(since[:10])
    end_full = until[:10] + "T00:00:00Z"
    if start_full >= end_full:
        return None, [(since, until)]
    return [start_full[:10], end_full[:10]], [(a, b) for a, b in ((since, start_full), (end_full, until)) if a < b]


def _next_day(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat() + "T00:00:00Z"
