"""Shared pieces of the benchmarks: a generated call log and timing helpers."""

from __future__ import annotations

import random
import statistics
import time
from datetime import datetime, timedelta, timezone

REPS = ["Maria Lopez", "James Chen", "Aisha Patel", "Tom Becker", "Sofia Rossi", "David Kim",
        "Grace Okafor", "Liam Murphy", "Priya Nair", "Jamal Washington"] + [f"Agent {i:02d}" for i in range(30)]
REASONS = ["Billing question", "Outage report", "Payment arrangement", "Move in / start service",
           "Move out / stop service", "High bill complaint", "Meter reading", "Autopay setup"]
AREA_CODES = [201, 212, 216, 303, 312, 404, 415, 417, 503, 602, 617, 620, 702, 785, 816, 913, 917, 975]


def phone_pool(count: int, seed: int = 1) -> list[str]:
    """Distinct US numbers written the ways exports write them."""
    rng = random.Random(seed)
    styles = ["({a}) {b}-{c}", "{a}-{b}-{c}", "+1 {a} {b} {c}", "1{a}{b}{c}", "{a}{b}{c}"]
    numbers = set()
    while len(numbers) < count:
        numbers.add((rng.choice(AREA_CODES), rng.randint(200, 999), rng.randint(0, 9999)))
    return [rng.choice(styles).format(a=a, b=b, c=f"{c:04d}") for a, b, c in sorted(numbers)]


def write_generic_call_log(path, rows: int, distinct_numbers: int = 50_000, seed: int = 2) -> None:
    rng = random.Random(seed)
    numbers = phone_pool(distinct_numbers)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("call_id,started_at,duration,direction,phone,rep,reason,account_number\r\n")
        for i in range(rows):
            moment = start + timedelta(seconds=i * 30 + rng.randint(0, 29))
            out.write(
                f"C{i:08d},{moment.astimezone(timezone(timedelta(hours=-6))).isoformat()},"
                f"{rng.randint(20, 1800)},{'inbound' if rng.random() < 0.85 else 'outbound'},"
                f"\"{rng.choice(numbers)}\",{rng.choice(REPS)},{rng.choice(REASONS)},\r\n"
            )


def timed(fn, repeat: int = 1):
    """(median seconds, last result) over ``repeat`` runs."""
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result
