"""Calls: deduplicated inserts and the queries the call list needs."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from cardsender.phones import phone_digits
from cardsender.store.database import NotFound

CALL_COLUMNS = (
    "source", "external_id", "dedupe_key", "started_at", "duration_s", "direction", "phone",
    "rep", "reason", "account_number", "caller_name", "imported_at",
)

_ROWS_PER_INSERT = 2000  # x 12 columns: under SQLite's limit of 32,766 parameters


def _insert_calls_sql(rows: int) -> str:
    one_row = f"({', '.join('?' * len(CALL_COLUMNS))})"
    return f"INSERT OR IGNORE INTO calls ({', '.join(CALL_COLUMNS)}) VALUES {', '.join([one_row] * rows)}"


_INSERT_CALLS = _insert_calls_sql(_ROWS_PER_INSERT)

_LIST_COLUMNS = """
    calls.id, calls.started_at, calls.duration_s, calls.direction, calls.phone, calls.rep,
    calls.reason, calls.source, calls.external_id, calls.account_number, calls.caller_name,
    calls.customer_id, customers.first_name, customers.last_name, customers.company,
    customers.mailable,
    (SELECT status FROM cards WHERE cards.call_id = calls.id ORDER BY cards.id DESC LIMIT 1) AS card_status
"""

_PHONE_QUERY = re.compile(r"[\d\s()+.\-/]+")
_MANY_KEYS = 1000  # where walking calls by time beats fetching by key (bench/queries.py)


class CallQueries:
    def insert_calls(self, rows: Sequence[dict[str, Any]]) -> tuple[int, int]:
        """Insert calls not already stored (same ``dedupe_key``) and match the new ones to
        customers, in one transaction. Returns ``(inserted, matched)``."""
        with self.transaction() as db:
            before = self._max_call_id()
            # Multi-row INSERTs of a few hundred rows each: sqlite-utils' insert_all spends more
            # time shaping each row than SQLite spends storing it, and few large statements
            # let SQLite work longer between handing the GIL back (bench/import_calls.py).
            for start in range(0, len(rows), _ROWS_PER_INSERT):
                batch = rows[start:start + _ROWS_PER_INSERT]
                statement = _INSERT_CALLS if len(batch) == _ROWS_PER_INSERT else _insert_calls_sql(len(batch))
                db.conn.execute(statement, [row[c] for row in batch for c in CALL_COLUMNS])
            inserted = self._max_call_id() - before
            db.execute("INSERT OR IGNORE INTO known_phones(phone) SELECT phone FROM calls WHERE id > ?", [before])
            db.execute(
                """INSERT INTO call_days (rep, day, calls)
                   SELECT rep, substr(started_at, 1, 10), count(*) FROM calls WHERE id > ?
                   GROUP BY rep COLLATE NOCASE, 2 ORDER BY 1, 2
                   ON CONFLICT (rep, day) DO UPDATE SET calls = calls + excluded.calls""", [before])
            matched = self.match_unmatched_calls(since_call_id=before) if inserted else 0
        return inserted, matched

    def _max_call_id(self) -> int:
        return self.db.execute("SELECT coalesce(max(id), 0) FROM calls").fetchone()[0]

    def count_calls(self) -> int:
        return self.db.execute("SELECT count(*) FROM calls").fetchone()[0]

    def recent_calls(
        self,
        *,
        rep: str | None = None,
        since: str | None = None,
        search: str | None = None,
        no_card: bool = False,
        before: tuple[str, int] | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """The most recent calls first. ``since`` is a UTC stamp; ``search`` is a customer's
        name (prefixes of its words) or three or more digits of a phone number; ``no_card``
        keeps calls that no card (other than a cancelled one) came from yet. ``before`` is the
        (started_at, id) of the last call shown: the page after it comes as fast as the first."""
        where, params = [], []
        if before:
            # The first term lets SQLite walk the time index from that point.
            where.append("calls.started_at <= ? AND (calls.started_at < ? OR calls.id < ?)")
            params += [before[0], before[0], before[1]]
        if no_card:
            where.append("NOT EXISTS (SELECT 1 FROM cards WHERE cards.call_id = calls.id AND cards.status != 'cancelled')")
        if rep:
            where.append("calls.rep = ? COLLATE NOCASE")
            params.append(rep)
        if since:
            where.append("calls.started_at >= ?")
            params.append(since)
        if search and search.strip():
            column, keys = self._search_keys(search.strip())
            if not keys:
                return []
            # Few matching numbers or customers: fetch their calls through the index and sort.
            # Many (three digits, a common name): walk the calls newest first and keep those
            # that match, which stops after `limit` rows. "+" keeps SQLite off the index.
            unindexed = "+" if len(keys) > _MANY_KEYS else ""
            where.append(f"{unindexed}{column} IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(keys))
        sql = f"SELECT {_LIST_COLUMNS} FROM calls LEFT JOIN customers ON customers.id = calls.customer_id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY calls.started_at DESC, calls.id DESC LIMIT ? OFFSET ?"
        return list(self.db.query(sql, [*params, limit, offset]))

    def _search_keys(self, text: str) -> tuple[str, list]:
        """What a search matches: phone numbers containing its digits, or the customers whose
        names (or account number, company, email) start with its words."""
        if _PHONE_QUERY.fullmatch(text):
            digits = phone_digits(text)
            if len(digits) < 3:
                return "calls.phone", []
            found = self.db.execute("SELECT phone FROM known_phones WHERE instr(phone, ?) > 0", [digits])
            return "calls.phone", [row[0] for row in found]
        words = re.findall(r"\w+", text)
        if not words:
            return "calls.customer_id", []
        query = " ".join(f'"{w}"*' for w in words)
        found = self.db.execute("SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?", [query])
        return "calls.customer_id", [row[0] for row in found]

    def list_reps(self) -> list[str]:
        """Every rep named in the call logs, for a filter list (names differing only in case
        count once). A skip-scan: one index step per rep, not a walk over every call."""
        return [row[0] for row in self.db.execute(
            """WITH RECURSIVE reps(name) AS (
                   SELECT (SELECT rep FROM calls WHERE rep > '' COLLATE NOCASE
                           ORDER BY rep COLLATE NOCASE LIMIT 1)
                   UNION ALL
                   SELECT (SELECT rep FROM calls WHERE rep > reps.name COLLATE NOCASE
                           ORDER BY rep COLLATE NOCASE LIMIT 1)
                   FROM reps WHERE reps.name IS NOT NULL
               )
               SELECT name FROM reps WHERE name IS NOT NULL"""
        )]

    def get_call(self, call_id: int) -> dict[str, Any]:
        rows = list(
            self.db.query(
                f"SELECT {_LIST_COLUMNS} FROM calls LEFT JOIN customers ON customers.id = calls.customer_id"
                " WHERE calls.id = ?",
                [call_id],
            )
        )
        if not rows:
            raise NotFound(f"no call with id {call_id}")
        return rows[0]

    def set_call_customer(self, call_id: int, customer_id: int) -> None:
        """A rep picked the customer of a call that matched nobody."""
        self.get_call(call_id)
        self.get_customer(customer_id)
        with self.transaction() as db:
            db["calls"].update(call_id, {"customer_id": customer_id})
