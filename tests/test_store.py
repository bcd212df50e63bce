import sqlite3
import stat
import sys

import pytest

from cardsender.model import CardState
from cardsender.store import LATEST_VERSION, CardStateError, Store, StoreError, open_store, resolve_db_path
from cardsender.store.migrations import MIGRATIONS

KC_ADDRESS = dict(address_line1="1200 Main St", city="Kansas City", region="MO", postal_code="64105", country="US")


def add_customer(store, account="AC-1", **changes):
    customer = dict(account_number=account, first_name="Ann", last_name="Lee", **KC_ADDRESS)
    customer.update(changes)
    return store.save_customer(customer, [("+18165550101", "phone")])[0]


def add_card(store, customer_id):
    version = store.pin_template("thank-you", name="Thank you", definition="[card]\nname='Thank you'\n")
    return store.create_card(customer_id=customer_id, template_slug="thank-you", template_version=version,
                             rep="Maria Lopez", note="Thanks, Ann!", actor="maria")


def test_new_store_is_private_wal_with_foreign_keys_and_latest_schema(store, store_path):
    assert store.schema_version == LATEST_VERSION
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    if sys.platform != "win32":
        assert stat.S_IMODE(store_path.stat().st_mode) == 0o600
    tables = set(store.db.table_names())
    assert {"customers", "customer_phones", "calls", "templates", "cards", "batches", "events"} <= tables


@pytest.mark.parametrize("start", range(0, LATEST_VERSION))
def test_migrations_run_at_open_from_every_earlier_version(store_path, start):
    # Build a store at version `start` by hand, as an older cardsender left it.
    base = Store(store_path, migrate=False)
    base.migrate(target=start) if start else None
    assert base.schema_version == start
    base.close()
    with open_store(store_path) as store:
        assert store.schema_version == LATEST_VERSION
        add_customer(store)  # the migrated schema takes real data
    if start:
        assert store_path.with_name(f"{store_path.name}.v{start}.bak").exists()


def test_store_from_a_newer_version_is_refused_untouched(store_path):
    conn = sqlite3.connect(store_path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer cardsender"):
        open_store(store_path)


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="not a cardsender store"):
        open_store(bogus)
    assert bogus.read_text().startswith("these are my notes")


def test_failed_migration_step_leaves_file_at_its_version(store_path, monkeypatch):
    from cardsender.store import migrations

    def broken(db):
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("step failed")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, broken])
    from cardsender.store import database
    monkeypatch.setattr(database, "MIGRATIONS", [*MIGRATIONS, broken])
    store = Store(store_path, migrate=False)
    store.migrate(target=LATEST_VERSION)
    with pytest.raises(RuntimeError):
        store.migrate(target=LATEST_VERSION + 1)
    assert store.schema_version == LATEST_VERSION
    assert "half_done" not in store.db.table_names()
    store.close()


def test_db_location_flag_beats_environment_beats_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("CARDSENDER_DB", raising=False)
    default = resolve_db_path()
    assert default.name == "cardsender.sqlite3" and "cardsender" in str(default.parent)
    monkeypatch.setenv("CARDSENDER_DB", str(tmp_path / "env.sqlite3"))
    assert resolve_db_path() == tmp_path / "env.sqlite3"
    assert resolve_db_path(tmp_path / "flag.sqlite3") == tmp_path / "flag.sqlite3"


def test_card_life_is_recorded_as_events_and_transitions_are_checked(store):
    card = add_card(store, add_customer(store))
    queued = store.queue_card(card, actor="maria")
    assert queued["status"] == "queued" and queued["queued_at"]
    with pytest.raises(CardStateError, match="cannot become mailed"):
        store.transition_cards([card], CardState.MAILED, actor="mailroom")
    store.cancel_card(card, actor="maria")
    with pytest.raises(CardStateError, match="is cancelled"):
        store.queue_card(card, actor="maria")
    history = [(e["actor"], e["from_state"], e["to_state"]) for e in store.events(card_id=card)]
    assert history == [("maria", None, "draft"), ("maria", "draft", "queued"), ("maria", "queued", "cancelled")]


def test_transition_of_several_cards_is_all_or_nothing(store):
    customer = add_customer(store)
    first, second = add_card(store, customer), add_card(store, customer)
    store.queue_card(first, actor="maria")  # second stays a draft: it cannot be cancelled twice...
    store.cancel_card(second, actor="maria")
    with pytest.raises(CardStateError):
        store.transition_cards([first, second], CardState.CANCELLED, actor="lead")
    assert store.get_card(first)["status"] == "queued"  # ...so the first did not move either


def test_queue_snapshots_address_and_later_edits_do_not_change_it(store):
    customer = add_customer(store)
    card = add_card(store, customer)
    store.queue_card(card, actor="maria")
    store.update_customer(customer, {"address_line1": "77 Elm St", "postal_code": "64106"})
    assert store.get_customer(customer)["address_line1"] == "77 Elm St"
    assert store.get_card(card)["recipient"]["address_line1"] == "1200 Main St"
    assert store.get_card(card)["recipient"]["postal_code"] == "64105"


def test_queue_refused_for_a_customer_who_is_not_mailable(store):
    customer = add_customer(store, postal_code="")
    card = add_card(store, customer)
    with pytest.raises(CardStateError, match="not mailable.*postal code is missing"):
        store.queue_card(card, actor="maria")
    assert store.get_card(card)["status"] == "draft"
    store.update_customer(customer, {"postal_code": "64105"})  # fixed by a rep
    assert store.queue_card(card, actor="maria")["status"] == "queued"


def test_only_drafts_can_be_edited_and_template_versions_are_pinned(store):
    customer = add_customer(store)
    v1 = store.pin_template("thank-you", name="Thank you", definition="a")
    assert store.pin_template("thank-you", name="Thank you", definition="a") == v1
    v2 = store.pin_template("thank-you", name="Thank you", definition="b")
    assert v2 == v1 + 1 and store.get_template_version("thank-you", v1)["definition"] == "a"
    card = store.create_card(customer_id=customer, template_slug="thank-you", template_version=v1,
                             rep="Maria Lopez", actor="maria")
    store.update_draft(card, note="Hello Ann", actor="maria")
    store.queue_card(card, actor="maria")
    with pytest.raises(CardStateError, match="only a draft"):
        store.update_draft(card, note="changed", actor="maria")
    assert store.get_card(card)["note"] == "Hello Ann"


def test_a_card_cannot_sit_in_two_batches(store):
    card = add_card(store, add_customer(store))
    store.queue_card(card, actor="maria")
    with store.transaction() as db:
        batch = db["batches"].insert({"created_at": "2026-11-20T10:00:00Z", "created_by": "mailroom"}).last_pk
    store.transition_cards([card], CardState.BATCHED, actor="mailroom", changes={"batch_id": batch, "batch_seq": 1})
    with pytest.raises(CardStateError):
        store.transition_cards([card], CardState.BATCHED, actor="mailroom", changes={"batch_id": batch + 1})
    assert store.get_card(card)["batch_id"] == batch
    store.transition_cards([card], CardState.QUEUED, actor="mailroom")  # the batch was voided
    assert store.get_card(card)["batch_id"] is None


def test_editing_a_customer_without_account_number_changes_that_customer(store):
    customer, _ = store.save_customer(dict(first_name="Ann", last_name="Lee", **KC_ADDRESS), [("+18165550101", "phone")])
    store.update_customer(customer, {"first_name": "Anne", "last_name": "Lee-Park"})
    assert store.count_customers() == 1
    assert store.get_customer(customer)["first_name"] == "Anne"


def test_search_customers_by_name_prefix_account_and_phone_digits(store):
    ann = add_customer(store, "AC-100")
    bob = store.save_customer(dict(account_number="AC-200", first_name="Bob", last_name="Leeds", company="Leeds & Co",
                                   **KC_ADDRESS), [("+13125550199", "phone"), ("+13125550100", "mobile")])[0]
    store.save_customer(dict(account_number="ZZ-9", first_name="Cy", last_name="Ng", city="Nowhere", country="US"), [])
    assert [c["id"] for c in store.search_customers("le")] == [ann, bob]  # by last name: Lee, Leeds
    assert [c["id"] for c in store.search_customers("ann lee")] == [ann]
    assert [c["id"] for c in store.search_customers("leeds co")] == [bob]
    assert [c["id"] for c in store.search_customers("AC-200")] == [bob]
    assert [c["id"] for c in store.search_customers("(312) 555-01")] == [bob]
    assert [c["id"] for c in store.search_customers("0101")] == [ann]
    found = store.search_customers("bob")[0]
    assert set(found["phones"].split()) == {"+13125550199", "+13125550100"}
    assert found["mailable"] is True and found["city"] == "Kansas City"
    cy = store.search_customers("ng")[0]
    assert cy["mailable"] is False and cy["address_problems"] and cy["phones"] == ""
    assert store.search_customers("  ") == [] and store.search_customers("12") == [] and store.search_customers("--") == []
    assert len(store.search_customers("le", limit=1)) == 1


def test_a_new_customer_never_overwrites_another_and_matches_their_number(store):
    first, _ = store.save_customer(dict(first_name="Ann", last_name="Lee", **KC_ADDRESS), [("+18165550111", "phone")])
    second, outcome = store.save_customer(dict(first_name="Ann", last_name="Lee", **KC_ADDRESS),
                                          [("+18165550111", "phone")], create_only=True)
    assert outcome == "created" and second != first and store.count_customers() == 2
    store.insert_calls([{"source": "t", "external_id": f"x{i}", "dedupe_key": f"x{i}",
                         "started_at": f"2026-11-1{i}T10:00:00Z", "duration_s": 1, "direction": "inbound",
                         "phone": "+18165550199", "rep": "", "reason": "", "account_number": "",
                         "caller_name": "", "imported_at": "2026-11-20T00:00:00Z"} for i in range(3)])
    third, _ = store.save_customer(dict(first_name="Cy", last_name="Ng", **KC_ADDRESS), [("+18165550199", "phone")],
                                   create_only=True)
    assert store.match_unmatched_calls(phone="+18165550199") == 3
    assert {c["customer_id"] for c in store.recent_calls()} == {third}


def test_two_openers_of_an_old_store_migrate_it_once(store_path):
    import threading

    from cardsender.store.migrations import LATEST_VERSION as latest

    old = Store(store_path, migrate=False)
    old.migrate(target=1)
    add_customer(old)
    old.close()
    errors, stores = [], []

    def open_it():
        try:
            stores.append(open_store(store_path))
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and all(s.schema_version == latest for s in stores)
    assert stores[0].count_customers() == 1
    for opened in stores:
        opened.close()
