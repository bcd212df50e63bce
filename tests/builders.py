"""Stores with known answers, built through the real store API (reports and their window)."""

from cardsender.model import CardState

ADDRESS = dict(address_line1="1200 Main St", city="Kansas City", region="MO", postal_code="64105", country="US")


def add_calls(store, calls: list[tuple[str, str, str, str]]) -> dict[str, int]:
    """Calls given as (external id, started at, phone, rep); returns their ids by external id."""
    store.insert_calls([{"source": "t", "external_id": cid, "dedupe_key": cid, "started_at": at, "duration_s": 60,
                         "direction": "inbound", "phone": phone, "rep": rep, "reason": "", "account_number": "",
                         "caller_name": "", "imported_at": at} for cid, at, phone, rep in calls])
    return {c["external_id"]: c["id"] for c in store.recent_calls(limit=len(calls) + 100)}


def add_card(store, *, call_id: int, customer_id: int, rep: str, template: str, version: int, created: str,
             queued: str | None = None, mailed: str | None = None, cancelled: str | None = None) -> int:
    """A card taken through its life by the store's own transitions, then given the times the
    test fixes (the clock of each step)."""
    card_id = store.create_card(customer_id=customer_id, call_id=call_id, template_slug=template,
                                template_version=version, rep=rep, actor="t")
    times = {"created_at": created, "updated_at": created}
    if queued:
        store.queue_card(card_id, actor="t")
        times.update(queued_at=queued, updated_at=queued)
    if mailed:
        with store.transaction() as db:
            batch = db["batches"].insert({"created_at": mailed, "created_by": "t"}).last_pk
        store.transition_cards([card_id], CardState.BATCHED, actor="t", changes={"batch_id": batch, "batch_seq": 1})
        store.transition_cards([card_id], CardState.MAILED, actor="t")
        times.update(mailed_at=mailed, updated_at=mailed)
    if cancelled:
        store.cancel_card(card_id, actor="t")
        times.update(updated_at=cancelled)
    store.db["cards"].update(card_id, times)
    return card_id
