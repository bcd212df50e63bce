"""The schema, one forward step per version. Step N takes a store at version N-1 to N.

Never edit a step that has shipped: add the next one. Each step runs inside the transaction
that also sets ``PRAGMA user_version``, so a failed step leaves the file as it was.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils


def _v1_initial(db: sqlite_utils.Database) -> None:
    statements = [
        """CREATE TABLE customers (
            id INTEGER PRIMARY KEY,
            account_number TEXT UNIQUE,
            first_name TEXT NOT NULL DEFAULT '',
            last_name TEXT NOT NULL DEFAULT '',
            company TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',
            address_line1 TEXT NOT NULL DEFAULT '',
            address_line2 TEXT NOT NULL DEFAULT '',
            city TEXT NOT NULL DEFAULT '',
            region TEXT NOT NULL DEFAULT '',
            postal_code TEXT NOT NULL DEFAULT '',
            country TEXT NOT NULL DEFAULT '',
            mailable INTEGER NOT NULL DEFAULT 0,
            address_problems TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        # A customer has several numbers; a number can (rarely) belong to a household.
        """CREATE TABLE customer_phones (
            phone TEXT NOT NULL,
            customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
            kind TEXT NOT NULL DEFAULT 'phone',
            PRIMARY KEY (phone, customer_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX customer_phones_customer ON customer_phones(customer_id)",
        # Full-text search over names, kept in step by triggers.
        """CREATE VIRTUAL TABLE customers_fts USING fts5(
            first_name, last_name, company, account_number, email,
            content='customers', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
        )""",
        """CREATE TRIGGER customers_fts_ai AFTER INSERT ON customers BEGIN
            INSERT INTO customers_fts(rowid, first_name, last_name, company, account_number, email)
            VALUES (new.id, new.first_name, new.last_name, new.company, new.account_number, new.email);
        END""",
        """CREATE TRIGGER customers_fts_ad AFTER DELETE ON customers BEGIN
            INSERT INTO customers_fts(customers_fts, rowid, first_name, last_name, company, account_number, email)
            VALUES ('delete', old.id, old.first_name, old.last_name, old.company, old.account_number, old.email);
        END""",
        """CREATE TRIGGER customers_fts_au AFTER UPDATE ON customers BEGIN
            INSERT INTO customers_fts(customers_fts, rowid, first_name, last_name, company, account_number, email)
            VALUES ('delete', old.id, old.first_name, old.last_name, old.company, old.account_number, old.email);
            INSERT INTO customers_fts(rowid, first_name, last_name, company, account_number, email)
            VALUES (new.id, new.first_name, new.last_name, new.company, new.account_number, new.email);
        END""",
        """CREATE TABLE calls (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            external_id TEXT,
            dedupe_key TEXT NOT NULL UNIQUE,
            started_at TEXT NOT NULL,
            duration_s INTEGER,
            direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
            phone TEXT NOT NULL DEFAULT '',
            rep TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            account_number TEXT NOT NULL DEFAULT '',
            caller_name TEXT NOT NULL DEFAULT '',
            customer_id INTEGER REFERENCES customers(id) ON DELETE SET NULL,
            imported_at TEXT NOT NULL
        )""",
        "CREATE INDEX calls_started ON calls(started_at)",
        "CREATE INDEX calls_rep_started ON calls(rep COLLATE NOCASE, started_at)",
        "CREATE INDEX calls_phone ON calls(phone)",
        "CREATE INDEX calls_customer_started ON calls(customer_id, started_at) WHERE customer_id IS NOT NULL",
        "CREATE INDEX calls_unmatched_account ON calls(account_number) WHERE customer_id IS NULL AND account_number != ''",
        # Every number seen in a call or a customer record: a search for a few digits scans
        # these distinct numbers, not a million calls. (A trigram index made imports 4x
        # slower for a few milliseconds saved per search: bench/import_calls.py, bench/queries.py.)
        "CREATE TABLE known_phones (phone TEXT PRIMARY KEY) WITHOUT ROWID",
        """CREATE TABLE templates (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL,
            version INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            name TEXT NOT NULL,
            occasion TEXT NOT NULL DEFAULT '',
            format TEXT NOT NULL DEFAULT '',
            definition TEXT NOT NULL,
            files BLOB,
            pinned_at TEXT NOT NULL,
            UNIQUE (slug, version),
            UNIQUE (slug, content_hash)
        )""",
        """CREATE TABLE batches (
            id INTEGER PRIMARY KEY,
            status TEXT NOT NULL DEFAULT 'printing'
                CHECK (status IN ('printing', 'printed', 'mailed', 'void', 'failed')),
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            stock TEXT NOT NULL DEFAULT '',
            envelope TEXT NOT NULL DEFAULT '',
            output_dir TEXT NOT NULL DEFAULT '',
            card_count INTEGER NOT NULL DEFAULT 0,
            mailed_at TEXT,
            voided_at TEXT
        )""",
        """CREATE TABLE cards (
            id INTEGER PRIMARY KEY,
            status TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'queued', 'batched', 'mailed', 'cancelled')),
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            call_id INTEGER REFERENCES calls(id),
            template_slug TEXT NOT NULL,
            template_version INTEGER NOT NULL,
            rep TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            merge_values TEXT NOT NULL DEFAULT '{}',
            recipient TEXT,
            batch_id INTEGER REFERENCES batches(id),
            batch_seq INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            queued_at TEXT,
            mailed_at TEXT,
            FOREIGN KEY (template_slug, template_version) REFERENCES templates(slug, version),
            CHECK ((status = 'batched' OR status = 'mailed') = (batch_id IS NOT NULL))
        )""",
        "CREATE INDEX cards_status ON cards(status, queued_at)",
        "CREATE INDEX cards_customer ON cards(customer_id, created_at)",
        "CREATE INDEX cards_call ON cards(call_id)",
        "CREATE INDEX cards_rep ON cards(rep COLLATE NOCASE, created_at)",
        "CREATE UNIQUE INDEX cards_batch_seq ON cards(batch_id, batch_seq) WHERE batch_id IS NOT NULL",
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            kind TEXT NOT NULL,
            card_id INTEGER REFERENCES cards(id),
            batch_id INTEGER REFERENCES batches(id),
            from_state TEXT,
            to_state TEXT,
            detail TEXT NOT NULL DEFAULT '{}'
        )""",
        "CREATE INDEX events_card ON events(card_id, at)",
        "CREATE INDEX events_batch ON events(batch_id, at)",
        "CREATE INDEX events_kind ON events(kind, at)",
    ]
    for statement in statements:
        db.execute(statement)


def _v2_settings(db: sqlite_utils.Database) -> None:
    # What the whole team shares: the sender's company, return address and country.
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")


def _v3_signatures(db: sqlite_utils.Database) -> None:
    # A rep's handwritten signature, drawn on their cards instead of their name in a script face.
    db.execute("""CREATE TABLE rep_signatures (
        rep TEXT PRIMARY KEY COLLATE NOCASE,
        image BLOB NOT NULL,
        updated_at TEXT NOT NULL
    )""")


def _v4_report_facts(db: sqlite_utils.Database) -> None:
    # Reports over a million calls cannot visit each call: calls are counted by rep and day as
    # they are imported, and a card keeps the two facts of its call that reports need (they
    # never change), so no report reaches into the calls table row by row.
    db.execute("""CREATE TABLE call_days (
        rep TEXT NOT NULL COLLATE NOCASE,
        day TEXT NOT NULL,
        calls INTEGER NOT NULL,
        PRIMARY KEY (rep, day)
    ) WITHOUT ROWID""")
    db.execute("""INSERT INTO call_days (rep, day, calls)
                  SELECT rep, substr(started_at, 1, 10), count(*) FROM calls GROUP BY rep COLLATE NOCASE, 2""")
    db.execute("ALTER TABLE cards ADD COLUMN call_started_at TEXT")
    db.execute("ALTER TABLE cards ADD COLUMN call_rep TEXT")
    db.execute("""UPDATE cards SET call_started_at = (SELECT started_at FROM calls WHERE calls.id = cards.call_id),
                                    call_rep = (SELECT rep FROM calls WHERE calls.id = cards.call_id)
                  WHERE call_id IS NOT NULL""")
    db.execute("CREATE INDEX cards_call_started ON cards(call_started_at) WHERE call_started_at IS NOT NULL")


def _card_events(row: str, sign: int) -> str:
    """The report counts one card adds (``sign`` 1) or takes away (-1): a row per event, each
    on its UTC day. ``row`` is NEW or OLD in a trigger, or ``cards`` for every card."""
    key = f"{row}.rep AS rep, {row}.template_slug AS slug, {row}.template_version AS version"
    source = " FROM cards" if row == "cards" else ""
    return f"""
        SELECT substr({row}.created_at, 1, 10) AS day, {key}, {sign} AS drafted, 0 AS queued, 0 AS mailed,
               0 AS cancelled, {sign} * ({row}.is_repeat AND {row}.status != 'cancelled') AS repeats{source}
        UNION ALL SELECT substr({row}.queued_at, 1, 10), {key}, 0, {sign}, 0, 0, 0{source} WHERE {row}.queued_at IS NOT NULL
        UNION ALL SELECT substr({row}.mailed_at, 1, 10), {key}, 0, 0, {sign}, 0, 0{source} WHERE {row}.mailed_at IS NOT NULL
        UNION ALL SELECT substr({row}.updated_at, 1, 10), {key}, 0, 0, 0, {sign}, 0{source} WHERE {row}.status = 'cancelled'"""


def _add_card_days(events: str) -> str:
    return f"""INSERT INTO card_days (day, rep, template_slug, template_version, drafted, queued, mailed, cancelled, repeats)
        SELECT day, rep, slug, version, sum(drafted), sum(queued), sum(mailed), sum(cancelled), sum(repeats)
        FROM ({events}) WHERE true GROUP BY day, rep, slug, version
        ON CONFLICT DO UPDATE SET drafted = drafted + excluded.drafted, queued = queued + excluded.queued,
            mailed = mailed + excluded.mailed, cancelled = cancelled + excluded.cancelled,
            repeats = repeats + excluded.repeats"""


# A card is a repeat when its customer had another live card made in the 30 days before it (of
# two made at the same moment, the later id is the repeat).
_IS_REPEAT = """EXISTS (SELECT 1 FROM cards AS earlier
                 WHERE earlier.customer_id = cards.customer_id AND earlier.status != 'cancelled'
                   AND earlier.created_at >= strftime('%Y-%m-%dT%H:%M:%SZ', cards.created_at, '-30 days')
                   AND (earlier.created_at < cards.created_at
                        OR (earlier.created_at = cards.created_at AND earlier.id < cards.id)))"""


def _refresh_repeats(customer: str, start: str, end: str) -> str:
    """Work out again whether the customer's cards made from ``start`` to 30 days after ``end``
    are repeats (a card made, cancelled or moved in time there changes them)."""
    return f"""UPDATE cards SET is_repeat = {_IS_REPEAT}
               WHERE customer_id = {customer} AND created_at >= {start}
                 AND created_at <= strftime('%Y-%m-%dT%H:%M:%SZ', {end}, '+30 days')"""


def _with_card_change(row: str, change: str) -> str:
    """Count the card's call as followed by a card (``change`` +1) or no longer (-1), unless
    another live card already followed it."""
    return f"""UPDATE call_days SET with_card = with_card + ({change})
               WHERE rep = {row}.call_rep AND day = substr({row}.call_started_at, 1, 10)
                 AND NOT EXISTS (SELECT 1 FROM cards WHERE call_id = {row}.call_id AND status != 'cancelled'
                                 AND id != {row}.id)"""


def _v5_card_days(db: sqlite_utils.Database) -> None:
    # Reports over 100,000 cards cannot visit each card for every figure: the cards' events are
    # counted by day, rep and template as they happen, the calls a card followed are counted in
    # call_days, and whether a card is a repeat is kept on the card. Triggers keep the counts,
    # so no write path (the app, an import, a test fixing the clock) can forget them. What
    # reports still read card by card is the turnaround, whose percentiles need every value.
    db.execute("ALTER TABLE cards ADD COLUMN is_repeat INTEGER NOT NULL DEFAULT 0")
    db.execute(f"UPDATE cards SET is_repeat = {_IS_REPEAT}")
    db.execute("""CREATE TABLE card_days (
        day TEXT NOT NULL,
        rep TEXT NOT NULL,
        template_slug TEXT NOT NULL,
        template_version INTEGER NOT NULL,
        drafted INTEGER NOT NULL DEFAULT 0,
        queued INTEGER NOT NULL DEFAULT 0,
        mailed INTEGER NOT NULL DEFAULT 0,
        cancelled INTEGER NOT NULL DEFAULT 0,
        repeats INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, rep, template_slug, template_version)
    ) WITHOUT ROWID""")
    db.execute(_add_card_days(_card_events("cards", 1)))
    db.execute("ALTER TABLE call_days ADD COLUMN with_card INTEGER NOT NULL DEFAULT 0")
    db.execute("""UPDATE call_days SET with_card = counted.calls FROM (
                      SELECT call_rep AS rep, substr(call_started_at, 1, 10) AS day, count(DISTINCT call_id) AS calls
                      FROM cards WHERE status != 'cancelled' AND call_id IS NOT NULL
                      GROUP BY call_rep COLLATE NOCASE, day) AS counted
                  WHERE call_days.rep = counted.rep AND call_days.day = counted.day""")
    db.execute(f"""CREATE TRIGGER cards_counted_when_made AFTER INSERT ON cards BEGIN
        {_add_card_days(_card_events("NEW", 1))};
        {_refresh_repeats("NEW.customer_id", "NEW.created_at", "NEW.created_at")};
        {_with_card_change("NEW", "1")} AND NEW.status != 'cancelled';
    END""")
    db.execute(f"""CREATE TRIGGER cards_counted_when_changed
        AFTER UPDATE OF rep, template_slug, template_version, status, created_at, queued_at, mailed_at, updated_at,
                        is_repeat ON cards BEGIN
        {_add_card_days(_card_events("OLD", -1) + " UNION ALL " + _card_events("NEW", 1))};
    END""")
    db.execute(f"""CREATE TRIGGER cards_repeats_when_changed AFTER UPDATE OF status, created_at, customer_id ON cards
        WHEN (OLD.status = 'cancelled') != (NEW.status = 'cancelled') OR OLD.created_at != NEW.created_at
             OR OLD.customer_id != NEW.customer_id BEGIN
        {_refresh_repeats("OLD.customer_id", "min(OLD.created_at, NEW.created_at)", "max(OLD.created_at, NEW.created_at)")};
        {_refresh_repeats("NEW.customer_id", "min(OLD.created_at, NEW.created_at)", "max(OLD.created_at, NEW.created_at)")};
    END""")
    db.execute(f"""CREATE TRIGGER cards_call_counted_when_cancelled AFTER UPDATE OF status ON cards
        WHEN (OLD.status = 'cancelled') != (NEW.status = 'cancelled') AND NEW.call_id IS NOT NULL BEGIN
        {_with_card_change("NEW", "iif(NEW.status = 'cancelled', -1, 1)")};
    END""")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1_initial, _v2_settings, _v3_signatures,
                                                             _v4_report_facts, _v5_card_days]
LATEST_VERSION = len(MIGRATIONS)
