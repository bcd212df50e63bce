"""Reports over a store built here with known answers."""

import csv
import json
import random
from datetime import datetime, timedelta

import pytest

from cardsender.reports import build_report, cards_per_week_by_rep
from cardsender.store import open_store
from builders import ADDRESS, add_calls, add_card

SINCE, UNTIL = "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"


@pytest.fixture
def known(store_path):
    """Four calls, three cards: Maria's two cards go to one customer (the second a repeat);
    James's only card is cancelled; one call gets no card."""
    store = open_store(store_path)
    ann = store.save_customer(dict(account_number="A1", first_name="Ann", last_name="Lee", **ADDRESS),
                              [("+18165550101", "phone")])[0]
    bob = store.save_customer(dict(account_number="A2", first_name="Bob", last_name="Ray", **ADDRESS),
                              [("+18165550102", "phone")])[0]
    calls = [("c1", "2026-11-02T10:00:00Z", "+18165550101", "Maria Lopez"),
             ("c2", "2026-11-03T10:00:00Z", "+18165550101", "Maria Lopez"),
             ("c3", "2026-11-10T09:00:00Z", "+18165550102", "=James Chen"),
             ("c4", "2026-11-10T12:00:00Z", "+18165550102", "=James Chen")]
    ids = add_calls(store, calls)
    version = store.pin_template("thanks", name="Thank you", definition="x")

    def card(call, customer, rep, created, **times):
        add_card(store, call_id=ids[call], customer_id=customer, rep=rep, template="thanks", version=version,
                 created=created, **times)

    card("c1", ann, "Maria Lopez", "2026-11-02T11:00:00Z", queued="2026-11-02T12:00:00Z", mailed="2026-11-04T12:00:00Z")
    card("c2", ann, "Maria Lopez", "2026-11-03T10:30:00Z", queued="2026-11-03T14:00:00Z")
    card("c3", bob, "=James Chen", "2026-11-10T10:00:00Z", cancelled="2026-11-10T11:00:00Z")
    yield store
    store.close()


def test_figures_by_rep_are_the_known_answers(known):
    report = build_report(known, since=SINCE, until=UNTIL, by="rep")
    maria, james = (next(r for r in report.rows if r.key == name) for name in ("Maria Lopez", "=James Chen"))
    assert (maria.calls, maria.with_card, maria.drafted, maria.queued, maria.mailed, maria.cancelled) == (2, 2, 2, 2, 1, 0)
    assert (maria.call_to_queued_median_h, maria.call_to_queued_p90_h) == (3.0, 3.8)  # 2 h and 4 h
    assert (maria.queued_to_mailed_median_h, maria.queued_to_mailed_p90_h) == (48.0, 48.0)
    assert maria.repeat_cards == 1 and maria.share_with_card == 1.0
    assert (james.calls, james.with_card, james.drafted, james.cancelled, james.queued) == (2, 0, 1, 1, 0)
    assert report.total.share_with_card == 0.5 and report.total.drafted == 3


def test_by_week_and_by_template_and_ranges(known):
    weeks = {r.key: r for r in build_report(known, since=SINCE, until=UNTIL, by="week").rows}
    assert set(weeks) == {"2026-11-02", "2026-11-09"}  # Mondays
    assert (weeks["2026-11-02"].calls, weeks["2026-11-02"].drafted) == (2, 2)
    assert (weeks["2026-11-09"].calls, weeks["2026-11-09"].cancelled) == (2, 1)
    by_template = build_report(known, since=SINCE, until=UNTIL, by="template")
    assert [(r.key, r.drafted, r.calls) for r in by_template.rows] == [("Thank you", 3, None)]
    later = build_report(known, since="2026-11-03T00:00:00Z", until=UNTIL, by="rep")
    maria = next(r for r in later.rows if r.key == "Maria Lopez")
    assert (maria.calls, maria.drafted, maria.repeat_cards) == (1, 1, 1)  # the earlier card still counts as before
    assert cards_per_week_by_rep(known, since=SINCE, until=UNTIL) == {
        "Maria Lopez": {"2026-11-02": 2}, "=James Chen": {"2026-11-09": 1}}


def test_report_command_writes_safe_csv_json_and_a_pdf(cli, known, tmp_path):
    out_csv, out_pdf = tmp_path / "r.csv", tmp_path / "r.pdf"
    result = cli("report", "--since", "2026-11-01", "--until", "2026-12-01", "--csv", str(out_csv), "--pdf",
                 str(out_pdf), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"]["drafted"] == 3 and data["by"] == "rep"
    with out_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert "'=James Chen" in [r["key"] for r in rows]  # a formula-looking name is neutralised
    assert out_pdf.read_bytes().startswith(b"%PDF")
    from test_render import run

    assert "Cards per week, by rep" in run("pdftotext", str(out_pdf), "-")
    bad = cli("report", "--since", "2026-12-01", "--until", "2026-11-01")
    assert bad.returncode == 1 and "the range is empty" in bad.stderr


@pytest.mark.parametrize("since, until", [
    ("2026-11-02T10:30:00Z", "2026-11-10T10:00:00Z"),   # both ends inside a day
    ("2026-11-02T00:00:00Z", "2026-11-10T11:59:59Z"),   # the end inside a day
    ("2026-11-10T08:00:00Z", "2026-11-10T13:00:00Z"),   # within one day
    ("2026-11-03T00:00:00Z", "2026-11-10T00:00:00Z"),   # whole days
])
def test_calls_counted_by_day_agree_with_the_calls_themselves(known, since, until):
    expected = sum(1 for c in known.recent_calls(limit=100) if since <= c["started_at"] < until)
    assert build_report(known, since=since, until=until, by="rep").total.calls == expected


def _recount(store) -> tuple[dict, dict, dict]:
    """What the day tables and repeat marks must hold, counted afresh from the cards themselves."""
    days: dict = {}
    cards = list(store.db.query("SELECT * FROM cards"))
    for card in cards:
        events = [("drafted", card["created_at"])]
        events += [("queued", card["queued_at"])] if card["queued_at"] else []
        events += [("mailed", card["mailed_at"])] if card["mailed_at"] else []
        events += [("cancelled", card["updated_at"])] if card["status"] == "cancelled" else []
        live = [c for c in cards if c["customer_id"] == card["customer_id"] and c["status"] != "cancelled"
                and (c["created_at"], c["id"]) < (card["created_at"], card["id"])]
        repeat = any((datetime.fromisoformat(card["created_at"]) - datetime.fromisoformat(c["created_at"]))
                     <= timedelta(days=30) for c in live)
        events += [("repeats", card["created_at"])] if repeat and card["status"] != "cancelled" else []
        for name, stamp in events:
            key = (stamp[:10], card["rep"], card["template_slug"], card["template_version"])
            days.setdefault(key, dict.fromkeys(("drafted", "queued", "mailed", "cancelled", "repeats"), 0))[name] += 1
    with_card: dict = {}
    for call in {c["call_id"]: c for c in cards if c["call_id"] and c["status"] != "cancelled"}.values():
        key = (call["call_rep"], call["call_started_at"][:10])
        with_card[key] = with_card.get(key, 0) + 1
    repeats = {c["id"]: any((datetime.fromisoformat(c["created_at"]) - datetime.fromisoformat(e["created_at"]))
                            <= timedelta(days=30) for e in cards if e["customer_id"] == c["customer_id"]
                            and e["status"] != "cancelled" and (e["created_at"], e["id"]) < (c["created_at"], c["id"]))
               for c in cards}
    return days, with_card, repeats


def _kept(store) -> tuple[dict, dict, dict]:
    days = {(r["day"], r["rep"], r["template_slug"], r["template_version"]):
            {k: r[k] for k in ("drafted", "queued", "mailed", "cancelled", "repeats")}
            for r in store.db.query("SELECT * FROM card_days") if any(r[k] for k in ("drafted", "queued", "mailed",
                                                                                      "cancelled", "repeats"))}
    with_card = {(r["rep"], r["day"]): r["with_card"] for r in store.db.query("SELECT * FROM call_days WHERE with_card")}
    repeats = {r["id"]: bool(r["is_repeat"]) for r in store.db.query("SELECT id, is_repeat FROM cards")}
    return days, with_card, repeats


def test_counts_kept_as_cards_change_match_a_recount_and_survive_migration(known):
    """A random life for forty cards (made, moved in time, queued, batched, mailed, voided,
    cancelled): the day tables and repeat marks the triggers keep always equal a recount; and
    a store migrated from v4 counts its old cards the same way."""
    store, rng = known, random.Random(5)
    calls = store.recent_calls()
    version = store.pin_template("thanks", name="Thank you", definition="x")
    customers = sorted({c["customer_id"] for c in calls})
    for step in range(40):
        call = rng.choice(calls)
        card = store.create_card(customer_id=rng.choice(customers), call_id=call["id"], template_slug="thanks",
                                 template_version=version, rep=rng.choice(["Maria Lopez", "maria lopez", "Ann"]),
                                 actor="t")
        made = f"2026-11-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z"
        store.db["cards"].update(card, {"created_at": made, "updated_at": made})
        action = rng.choice(["draft", "queue", "mail", "void", "cancel", "cancel-queued"])
        if action != "draft":
            store.queue_card(card, actor="t")
        if action in ("mail", "void"):
            batch = store.reserve_batch(actor="t", stock="s", envelope="e", output_dir="")
            store.complete_batch(batch, [card], actor="t")
            (store.mark_batch_mailed if action == "mail" else store.void_batch)(batch, actor="t")
        if action.startswith("cancel"):
            store.cancel_card(card, actor="t")
        if step % 7 == 0:  # an older card cancelled later changes which later cards are repeats
            older = rng.choice([c["id"] for c in store.db.query("SELECT id FROM cards WHERE status = 'draft'")] or [card])
            if store.get_card(older)["status"] != "cancelled":
                store.cancel_card(older, actor="t")
        assert _kept(store) == _recount(store), f"after step {step} ({action})"
    before = build_report(store, since=SINCE, until=UNTIL, by="week").as_dict()
    assert before["total"]["repeat_cards"] > 0 and before["total"]["with_card"] > 0
    # Take the store back to v4 (the app's v4 never had these) and open it: the migration counts.
    for statement in ("DROP TRIGGER cards_counted_when_made", "DROP TRIGGER cards_counted_when_changed",
                      "DROP TRIGGER cards_repeats_when_changed", "DROP TRIGGER cards_call_counted_when_cancelled",
                      "DROP TABLE card_days", "ALTER TABLE cards DROP COLUMN is_repeat",
                      "ALTER TABLE call_days DROP COLUMN with_card", "PRAGMA user_version = 4"):
        store.db.execute(statement)
    path = store.path
    store.close()
    migrated = open_store(path)
    try:
        assert _kept(migrated) == _recount(migrated)
        assert build_report(migrated, since=SINCE, until=UNTIL, by="week").as_dict() == before
    finally:
        migrated.close()
