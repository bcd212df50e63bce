from datetime import datetime, timedelta, timezone

import pytest

from cardsender.demo import CALL_CENTRE_ZONE, load_demo


@pytest.mark.parametrize("now", [
    datetime(2026, 11, 22, 18, 0, tzinfo=timezone.utc),  # a Sunday
    datetime(2026, 11, 23, 7, 0, tzinfo=CALL_CENTRE_ZONE),  # Monday before opening: the thinnest window
])
def test_demo_is_a_realistic_two_weeks_and_loads_once(store, now):
    summary = load_demo(store, actor="tester", now=now)
    assert summary["customers_added"] >= 300 and summary["calls_added"] >= 2000
    countries = dict(store.db.execute("SELECT country, count(*) FROM customers GROUP BY country").fetchall())
    assert countries["US"] > sum(countries.values()) / 2
    assert len([c for c in countries if c != "US"]) >= 3
    assert store.db.execute("SELECT count(*) FROM customers WHERE NOT mailable").fetchone()[0] > 0
    first, last, reps, unmatched = store.db.execute(
        "SELECT min(started_at), max(started_at), count(DISTINCT rep), sum(customer_id IS NULL) FROM calls"
    ).fetchone()
    assert reps >= 8 and unmatched > 0
    assert first >= (now - timedelta(days=14)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert last <= now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    again = load_demo(store, actor="tester", now=now)
    assert (again["customers_added"], again["calls_added"]) == (0, 0)
    assert again["calls"] == summary["calls"]
