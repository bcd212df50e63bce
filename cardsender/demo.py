"""The demo data set: the shipped customer directory and two weeks of calls ending today.

Calls are made up from ``assets/demo/demo.toml`` with a fixed seed and carry stable call ids
(``demo-00001``...), so running the demo twice adds nothing the second time.
"""

from __future__ import annotations

import csv
import random
import tomllib
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from cardsender.calllog.customers import import_customers
from cardsender.model import utc_stamp
from cardsender.phones import to_e164
from cardsender.resources import asset_path

SEED = 2026
DAYS = 14
CALL_CENTRE_ZONE = ZoneInfo("America/Chicago")
WEEKDAY_CALLS = 230  # a day's calls for the whole team, Monday to Friday
SATURDAY_CALLS = 45
UNKNOWN_SHARE = 0.08  # calls from numbers that match no customer


def demo_config() -> dict:
    with asset_path("demo", "demo.toml").open("rb") as handle:
        return tomllib.load(handle)


def _demo_phones() -> list[list[str]]:
    """Each demo customer's numbers in E.164, in file order."""
    phones = []
    with asset_path("demo", "customers.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            numbers = [to_e164(row[k], row["country"]) for k in ("phone", "mobile") if row[k].strip()]
            phones.append(numbers)
    return phones


def generate_calls(now: datetime, config: dict, customer_phones: list[list[str]]) -> list[dict]:
    """Two weeks of a call centre's calls up to ``now``, the same for the same day."""
    rng = random.Random(SEED)
    reps = config["reps"]
    reasons = config["reasons"]
    weights = [r["weight"] for r in reasons]
    unknown = [to_e164(n, "US") for n in config["unknown_caller_numbers"]]
    # A few customers call often, most call once or twice: weight customers like a long tail.
    customer_weights = [1 / (i + 1) ** 0.6 for i in range(len(customer_phones))]
    order = list(range(len(customer_phones)))
    rng.shuffle(order)
    local_now = now.astimezone(CALL_CENTRE_ZONE)
    calls = []
    for days_back in range(DAYS - 1, -1, -1):
        day = (local_now - timedelta(days=days_back)).date()
        weekday = day.weekday()
        if weekday == 6:
            continue
        count = SATURDAY_CALLS if weekday == 5 else WEEKDAY_CALLS
        opens, closes = (time(9), time(13)) if weekday == 5 else (time(8), time(18))
        start = datetime.combine(day, opens, CALL_CENTRE_ZONE)
        span = (datetime.combine(day, closes, CALL_CENTRE_ZONE) - start).total_seconds()
        for _ in range(round(count * rng.uniform(0.85, 1.15))):
            started = start + timedelta(seconds=rng.uniform(0, span))
            reason = rng.choices(reasons, weights)[0]
            inbound = rng.random() < reason.get("inbound_share", 0.9)
            if inbound and rng.random() < UNKNOWN_SHARE:
                phone = rng.choice(unknown)
            else:
                numbers = customer_phones[order[rng.choices(range(len(order)), customer_weights)[0]]]
                phone = numbers[-1] if len(numbers) > 1 and rng.random() < 0.3 else numbers[0]
            minutes = min(45.0, rng.lognormvariate(1.4, 0.6))
            calls.append({
                "started": started,
                "duration_s": int(minutes * 60),
                "direction": "inbound" if inbound else "outbound",
                "phone": phone,
                "rep": rng.choice(reps),
                "reason": reason["reason"],
            })
    calls = [c for c in calls if c["started"] <= now]
    calls.sort(key=lambda c: c["started"])
    rows = []
    for number, call in enumerate(calls, start=1):
        external_id = f"demo-{number:05d}"
        rows.append({
            "source": "demo", "external_id": external_id, "dedupe_key": f"demo:{external_id}",
            "started_at": utc_stamp(call["started"]), "duration_s": call["duration_s"],
            "direction": call["direction"], "phone": call["phone"], "rep": call["rep"],
            "reason": call["reason"], "account_number": "", "caller_name": "",
            "imported_at": utc_stamp(now),
        })
    return rows


def load_demo(store, *, actor: str, now: datetime | None = None) -> dict:
    """Import the demo customers and calls into ``store``; returns what was added."""
    now = now or datetime.now(timezone.utc)
    customers = import_customers(store, asset_path("demo", "customers.csv"), actor=actor)
    config = demo_config()
    for key, value in (("company", config["company"]), ("return_address", config["return_address"]), ("country", "US")):
        if store.get_setting(key) is None:
            store.set_setting(key, value, actor=actor)
    rows = generate_calls(now, config, _demo_phones())
    inserted, _matched = store.insert_calls(rows)
    store.record_event("demo.loaded", actor, detail={"customers_added": customers.imported, "calls_added": inserted})
    return {
        "store": str(store.path),
        "customers_added": customers.imported,
        "calls_added": inserted,
        "customers": store.count_customers(),
        "calls": store.count_calls(),
    }


NOTE_OPENINGS = ("Thank you for your call today, {first_name}.", "It was good to talk with you today, {first_name}.",
                 "Thanks for taking the time to call us, {first_name}.")


def queue_demo_cards(store, count: int, *, actor: str, seed: int = 7) -> int:
    """Add ``count`` queued cards (varied templates, customers and reps) for calls in the store,
    so a mailroom, a test or a benchmark can start from a full queue."""
    from cardsender import cards

    rng = random.Random(seed + store.count_calls() + len(store.list_cards(limit=100000)))
    templates = sorted(cards.shipped_templates().values(), key=lambda t: t.slug)
    calls = [c for c in store.recent_calls(limit=100000) if c["customer_id"] and c["mailable"]]
    if not calls:
        raise ValueError("no calls with a mailable customer: run `cardsender demo` first")
    made = 0
    with store.transaction():
        for _ in range(count):
            call = rng.choice(calls)
            template = rng.choice(templates)
            note = template.suggested_note if rng.random() < 0.6 else f"{rng.choice(NOTE_OPENINGS)} {template.suggested_note}"
            card_id = cards.new_card(store, call_id=call["id"], template_slug=template.slug, note=note, rep=None,
                                     actor=actor)
            try:
                cards.queue(store, card_id, actor=actor)
                made += 1
            except Exception:  # a note too long for its card stays a draft: real queues have those too
                store.cancel_card(card_id, actor=actor)
    return made
