"""Budget: the report over 1,000,000 calls and 100,000 cards comes back in under 1 s.

    python bench/reports.py [--keep PATH]

Uses the store bench/queries.py builds (1,000,000 calls, 100,000 customers; built here when
missing), adds 100,000 cards with realistic states and times, then times build_report by rep,
template and week over the whole year (median of 5), and the report and chart the Reports view
computes together, beside a baseline in the same process: a bare read of the stamps of the
year's cards, with no arithmetic at all. A store from before schema v5 is migrated (its cards
counted by day) when opened; that is timed too.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import timed  # noqa: E402
from queries import build  # noqa: E402

from cardsender.reports import build_report, cards_per_week_by_rep  # noqa: E402
from cardsender.store import open_store  # noqa: E402

CARDS = 100_000


def add_cards(store, count: int) -> None:
    rng = random.Random(11)
    calls = store.db.execute("SELECT id, customer_id, started_at, rep FROM calls WHERE customer_id IS NOT NULL").fetchall()
    version = store.pin_template("bench", name="Bench card", definition="bench")
    rows = []
    for number, (call_id, customer, started, rep) in enumerate(rng.sample(calls, count)):
        created = datetime.fromisoformat(started) + timedelta(minutes=rng.randint(2, 600))
        status = rng.choices(["draft", "queued", "batched", "mailed", "cancelled"], [3, 10, 5, 75, 7])[0]
        queued = created + timedelta(minutes=rng.randint(1, 90)) if status in ("queued", "batched", "mailed") else None
        mailed = queued + timedelta(hours=rng.randint(4, 120)) if status == "mailed" else None
        stamp = lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ") if d else None  # noqa: E731
        rows.append({"status": status, "customer_id": customer, "call_id": call_id, "template_slug": "bench",
                     "template_version": version, "rep": rep, "created_at": stamp(created),
                     "updated_at": stamp(mailed or queued or created), "queued_at": stamp(queued),
                     "mailed_at": stamp(mailed), "batch_id": 1 if status in ("batched", "mailed") else None,
                     "batch_seq": number if status in ("batched", "mailed") else None})
    with store.transaction() as db:
        db["batches"].insert({"id": 1, "status": "mailed", "created_at": "2026-01-01T00:00:00Z", "created_by": "bench"},
                             replace=True)
        db["cards"].insert_all(rows, batch_size=5000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", metavar="PATH", help="the store to use (and keep)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(args.keep) if args.keep else Path(folder) / "bench.sqlite3"
        began = time.perf_counter()
        store = open_store(path)
        print(f"opened the store in {time.perf_counter() - began:.2f} s (a migration included, if one was due)")
        if store.count_calls() < 1_000_000:
            build(store, 100_000, 1_000_000)
        have = store.db.execute("SELECT count(*) FROM cards").fetchone()[0]
        if have < CARDS:
            began = time.perf_counter()
            add_cards(store, CARDS - have)
            print(f"added {CARDS - have:,} cards in {time.perf_counter() - began:.1f} s (set-up, not timed)")
        print(f"store: {store.count_calls():,} calls, {store.db.execute('SELECT count(*) FROM cards').fetchone()[0]:,} cards")
        since, until = "2025-11-22T00:00:00Z", "2026-11-23T00:00:00Z"
        base_s, _ = _timed(lambda: store.db.execute(
            "SELECT created_at, queued_at, mailed_at FROM cards WHERE created_at >= ? AND created_at < ?",
            [since, until]).fetchall())
        print(f"baseline: a bare read of the year's card stamps {base_s * 1000:7.1f} ms")
        worst = 0.0
        for by in ("rep", "template", "week"):
            seconds, report = _timed(lambda: build_report(store, since=since, until=until, by=by))
            worst = max(worst, seconds)
            print(f"report by {by:9} {seconds * 1000:7.1f} ms  ({len(report.rows)} rows, "
                  f"{report.total.drafted:,} cards, {report.total.calls or 0:,} calls; {seconds / base_s:.1f}x baseline)")
        seconds, _ = _timed(lambda: cards_per_week_by_rep(store, since=since, until=until))
        print(f"cards per week by rep (the view's chart) {seconds * 1000:7.1f} ms")
        seconds, _ = _timed(lambda: (build_report(store, since=since, until=until, by="rep"),
                                     cards_per_week_by_rep(store, since=since, until=until)))
        worst = max(worst, seconds)
        print(f"report by rep and the chart together (what the Reports view computes) {seconds * 1000:7.1f} ms")
        store.close()
    print(f"budget 1 s: {'within' if worst < 1 else 'OVER'} (slowest {worst:.2f} s)")
    return 0 if worst < 1 else 1


def _timed(fn):
    return timed(fn, repeat=5)


if __name__ == "__main__":
    raise SystemExit(main())
