"""Budgets: with 1,000,000 calls stored, the 200 most recent calls for one rep in under 20 ms;
a search by customer name or phone digits in under 50 ms.

    python bench/queries.py [--calls N] [--customers N] [--keep PATH]

Builds a store (100,000 customers, 1,000,000 calls over a year, 85% matched to a customer),
then times each query (median of 25 warm runs) through the store's own query methods, beside
a baseline in the same process: the 200 latest call ids with no join and no filter.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import AREA_CODES, REASONS, REPS, timed  # noqa: E402

from cardsender.store import open_store  # noqa: E402

FIRST = ["Maria", "James", "Aisha", "Tom", "Sofia", "David", "Grace", "Liam", "Priya", "Jamal", "Emma", "Noah",
         "Olivia", "Lucas", "Mia", "Ethan", "Zoë", "José", "Chloe", "Omar", "Hana", "Ivan", "Lena", "Kofi"]
LAST = ["Smith", "Johnson", "Lopez", "Chen", "Patel", "Becker", "Rossi", "Kim", "Okafor", "Murphy", "Nair",
        "Washington", "Garcia", "Nguyen", "Müller", "Brown", "Wilson", "Taylor", "Anderson", "Thomas",
        "Moore", "Martin", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Young", "Allen"]
BUDGETS_MS = {"rep": 20.0, "search": 50.0}


def build(store, customers: int, calls: int) -> tuple[list[str], list[str]]:
    rng = random.Random(5)
    numbers = set()
    while len(numbers) < int(customers * 1.3):
        numbers.add(f"+1{rng.choice(AREA_CODES)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}")
    numbers = sorted(numbers)
    rng.shuffle(numbers)
    customer_numbers = numbers[:customers]
    began = time.perf_counter()
    with store.transaction():
        for i, phone in enumerate(customer_numbers):
            store.save_customer({
                "account_number": f"AC-{i:07d}", "first_name": rng.choice(FIRST) if i % 17 else f"Rare{i}",
                "last_name": rng.choice(LAST), "address_line1": f"{rng.randint(1, 9999)} Main St",
                "city": "Kansas City", "region": "MO", "postal_code": "64105", "country": "US",
            }, [(phone, "phone")])
    print(f"built {customers:,} customers in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    start = datetime(2025, 11, 22, tzinfo=timezone.utc)
    step = 365 * 86400 / calls
    chunk = []
    for i in range(calls):
        phone = rng.choice(customer_numbers) if rng.random() < 0.85 else rng.choice(numbers[customers:])
        started = (start + timedelta(seconds=i * step)).strftime("%Y-%m-%dT%H:%M:%SZ")
        chunk.append({
            "source": "bench", "external_id": f"B{i}", "dedupe_key": f"bench:B{i}", "started_at": started,
            "duration_s": rng.randint(20, 1800), "direction": "inbound", "phone": phone,
            "rep": rng.choice(REPS), "reason": rng.choice(REASONS), "account_number": "", "caller_name": "",
            "imported_at": started,
        })
        if len(chunk) == 20_000:
            store.insert_calls(chunk)
            chunk = []
    if chunk:
        store.insert_calls(chunk)
    print(f"built {calls:,} calls in {time.perf_counter() - began:.1f} s "
          f"({store.db.execute('SELECT count(*) FROM calls WHERE customer_id IS NOT NULL').fetchone()[0]:,} matched)")
    return customer_numbers, numbers


def measure(label: str, fn, budget_ms: float | None, baseline_ms: float, rows_note=True) -> bool:
    fn()  # warm
    seconds, result = timed(fn, repeat=25)
    ms = seconds * 1000
    verdict = "" if budget_ms is None else (" within" if ms < budget_ms else " OVER") + f" {budget_ms:.0f} ms"
    print(f"{label:52} {ms:7.2f} ms  {ms / baseline_ms:6.1f}x baseline  {len(result):4} rows{verdict}")
    return budget_ms is None or ms < budget_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--keep", metavar="PATH", help="build (or reuse) the store at PATH instead of a temporary one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(args.keep) if args.keep else Path(folder) / "bench.sqlite3"
        fresh = not path.exists()
        store = open_store(path)
        if fresh:
            customer_numbers, _ = build(store, args.customers, args.calls)
        else:
            customer_numbers = [r[0] for r in store.db.execute("SELECT phone FROM customer_phones LIMIT 1000")]
        count = store.count_calls()
        print(f"store: {count:,} calls, {store.count_customers():,} customers")
        base_s, _ = timed(lambda: store.db.execute(
            "SELECT id FROM calls ORDER BY started_at DESC LIMIT 200").fetchall(), repeat=25)
        base_ms = base_s * 1000
        print(f"{'baseline: 200 latest call ids, no join, no filter':52} {base_ms:7.2f} ms")
        week_ago = "2026-11-15T00:00:00Z"
        phone = customer_numbers[42]
        checks = [
            ("200 most recent calls for one rep", lambda: store.recent_calls(rep="Grace Okafor", limit=200), "rep"),
            ("200 most recent calls for one rep, any case", lambda: store.recent_calls(rep="grace okafor", limit=200), "rep"),
            ("200 most recent calls, all reps", lambda: store.recent_calls(limit=200), "rep"),
            ("one rep, last 7 days", lambda: store.recent_calls(rep="Grace Okafor", since=week_ago, limit=200), "rep"),
            ("search name: common last name 'smith'", lambda: store.recent_calls(search="smith", limit=200), "search"),
            ("search name: 'maria lo' (prefixes)", lambda: store.recent_calls(search="maria lo", limit=200), "search"),
            ("search name: a rare name", lambda: store.recent_calls(search="Rare42517", limit=200), "search"),
            ("search phone: full number as typed", lambda: store.recent_calls(search=f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}", limit=200), "search"),
            ("search phone: last 4 digits", lambda: store.recent_calls(search=phone[-4:], limit=200), "search"),
            ("search phone: 7 digits", lambda: store.recent_calls(search=phone[-7:], limit=200), "search"),
            ("search phone: 3 digits (area code)", lambda: store.recent_calls(search=phone[2:5], limit=200), "search"),
            ("search + rep: 'smith' for one rep", lambda: store.recent_calls(search="smith", rep="Grace Okafor", limit=200), "search"),
        ]
        ok = all([measure(label, fn, BUDGETS_MS[kind], base_ms) for label, fn, kind in checks])
        store.close()
    print("all budgets met" if ok else "SOME BUDGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
