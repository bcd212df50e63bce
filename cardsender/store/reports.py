"""The raw facts reports are made of: every query here, the arithmetic in cardsender/reports.py.

Calls come back counted by rep and day (at most reps x days rows, from the index on rep and
start time, never a row per call); cards come back one row each, times as julian days.
"""

from __future__ import annotations

from typing import Any


class ReportQueries:
    def call_counts(self, since: str, until: str) -> list[dict[str, Any]]:
        """Calls that started in [since, until) counted by rep and UTC day."""
        # call_days holds whole days; the part of a day at either end of the range is counted
        # from the calls themselves.
        start_full = since if since.endswith("T00:00:00Z") else _next_day(since[:10])
        end_full = until[:10] + "T00:00:00Z"
        rows: list[dict[str, Any]] = []
        if start_full < end_full:
            rows += self.db.query("SELECT rep, day, calls FROM call_days WHERE day >= ? AND day < ?",
                                  [start_full[:10], end_full[:10]])
            edges = [(since, start_full), (end_full, until)]
        else:
            edges = [(since, until)]
        for start, end in edges:
            if start < end:
                rows += self.db.query(
                    """SELECT rep, substr(started_at, 1, 10) AS day, count(*) AS calls FROM calls
                       WHERE started_at >= ? AND started_at < ? GROUP BY rep COLLATE NOCASE, day""", [start, end])
        return rows

    def calls_with_card_counts(self, since: str, until: str) -> list[dict[str, Any]]:
        """Of those calls, how many a card (not cancelled) came from, by rep and UTC day."""
        return list(self.db.query(
            """SELECT call_rep AS rep, substr(call_started_at, 1, 10) AS day, count(DISTINCT call_id) AS calls
               FROM cards WHERE status != 'cancelled' AND call_started_at >= ? AND call_started_at < ?
               GROUP BY call_rep, day""", [since, until]))

    def card_event_counts(self, since: str, until: str) -> list[dict[str, Any]]:
        """Cards drafted, queued, mailed and cancelled in [since, until), counted by rep,
        template and UTC day of the event."""
        rows: list[dict[str, Any]] = []
        for event, when, extra in (("drafted", "created_at", ""), ("queued", "queued_at", ""),
                                   ("mailed", "mailed_at", ""), ("cancelled", "updated_at", " AND status = 'cancelled'")):
            # Grouped on plain columns (no join, no collation): the caller names templates and
            # folds the case of reps' names over these few hundred rows.
            rows += self.db.query(
                f"""SELECT ? AS event, rep, template_slug, template_version, substr({when}, 1, 10) AS day,
                           count(*) AS n
                    FROM cards WHERE {when} >= ? AND {when} < ?{extra}
                    GROUP BY rep, template_slug, template_version, day""", [event, since, until])
        return rows

    def template_names(self) -> dict[tuple[str, int], str]:
        return {(slug, version): name for slug, version, name in
                self.db.execute("SELECT slug, version, name FROM templates")}

    def turnaround_hours(self, since: str, until: str) -> list[tuple]:
        """For cards queued in [since, until): (rep, template, day queued, hours from the call
        to queued, hours from queued to mailed) - the only facts that come back one per card."""
        return self.db.execute(
            """SELECT rep, template_slug, template_version, substr(queued_at, 1, 10),
                      round((julianday(queued_at) - julianday(call_started_at)) * 24, 3),
                      round((julianday(mailed_at) - julianday(queued_at)) * 24, 3)
               FROM cards WHERE queued_at >= ? AND queued_at < ?""", [since, until]).fetchall()

    def repeat_card_counts(self, since: str, until: str, days: int) -> list[dict[str, Any]]:
        """Live cards made in [since, until) to a customer who had another live card in the
        ``days`` before, by rep, template and UTC day."""
        return list(self.db.query(
            """SELECT rep, template_slug, template_version, substr(created_at, 1, 10) AS day, count(*) AS n FROM (
                   SELECT rep, template_slug, template_version, created_at,
                          julianday(created_at) - lag(julianday(created_at))
                              OVER (PARTITION BY customer_id ORDER BY created_at) AS gap
                   FROM cards WHERE status != 'cancelled' AND created_at >= date(?, ?) AND created_at < ?)
               WHERE created_at >= ? AND gap <= ?
               GROUP BY rep, template_slug, template_version, day""",
            [since, f"-{days} days", until, since, days]))

def _next_day(day: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=1)).isoformat() + "T00:00:00Z"
