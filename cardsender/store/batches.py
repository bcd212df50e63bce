"""Batches: the mailroom's runs of queued cards, and the printer offsets of each stock.

A batch is reserved first (so its number can be printed on its cards), then completed in one
transaction that re-checks every card is still queued: two batch runs at once never put one
card in two batches, and a failed run leaves every card where it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from cardsender.model import CardState, utc_stamp
from cardsender.store.cards import CardStateError
from cardsender.store.database import NotFound


class BatchQueries:
    def queued_for_batch(self, *, card_ids: Sequence[int] | None = None, limit: int | None = None) -> list[dict]:
        """Queued cards in mailing order: country, then postal code (then oldest first)."""
        where, params = ["status = 'queued'"], []
        if card_ids is not None:
            where.append(f"id IN ({','.join('?' * len(card_ids))})")
            params += list(card_ids)
        rows = [{**row, "recipient": json.loads(row["recipient"] or "{}")} for row in self.db.query(
            f"SELECT id, template_slug, template_version, rep, recipient, queued_at FROM cards "
            f"WHERE {' AND '.join(where)} ORDER BY id", params)]
        rows.sort(key=lambda r: (r["recipient"].get("country", ""), r["recipient"].get("postal_code", "").upper(),
                                 r["queued_at"] or "", r["id"]))
        return rows[:limit] if limit else rows

    def reserve_batch(self, *, actor: str, stock: str, envelope: str, output_dir: str) -> int:
        with self.transaction() as db:
            batch_id = db["batches"].insert({
                "status": "printing", "created_at": utc_stamp(), "created_by": actor, "stock": stock,
                "envelope": envelope, "output_dir": output_dir, "card_count": 0,
            }).last_pk
            self.record_event("batch.started", actor, batch_id=batch_id, to_state="printing")
        return batch_id

    def complete_batch(self, batch_id: int, card_ids: Sequence[int], *, actor: str,
                       before_commit: Callable[[], None] | None = None) -> None:
        """Move the cards, in this order, into the batch, and the batch to printed: all in one
        transaction, refused (CardStateError) when any card is no longer queued.
        ``before_commit`` runs inside it last (moving the finished files to their names); if it
        fails, nothing changes."""
        with self.transaction():
            batch = self.get_batch(batch_id)
            if batch["status"] != "printing":
                raise CardStateError(f"batch {batch_id} is {batch['status']}")
            for sequence, card_id in enumerate(card_ids, start=1):
                self.transition_cards([card_id], CardState.BATCHED, actor=actor,
                                      changes={"batch_id": batch_id, "batch_seq": sequence},
                                      detail={"batch": batch_id, "sequence": sequence})
            self.db["batches"].update(batch_id, {"status": "printed", "card_count": len(card_ids)})
            self.record_event("batch.printed", actor, batch_id=batch_id, from_state="printing", to_state="printed",
                              detail={"cards": len(card_ids)})
            if before_commit:
                before_commit()

    def fail_batch(self, batch_id: int, reason: str, *, actor: str) -> None:
        with self.transaction() as db:
            db["batches"].update(batch_id, {"status": "failed"})
            self.record_event("batch.failed", actor, batch_id=batch_id, from_state="printing", to_state="failed",
                              detail={"reason": reason})

    def mark_batch_mailed(self, batch_id: int, *, actor: str) -> None:
        self._finish_batch(batch_id, "mailed", CardState.MAILED, actor)

    def void_batch(self, batch_id: int, *, actor: str) -> None:
        """Its cards go back to the queue, to be batched again."""
        self._finish_batch(batch_id, "void", CardState.QUEUED, actor)

    def _finish_batch(self, batch_id: int, status: str, card_state: CardState, actor: str) -> None:
        with self.transaction() as db:
            batch = self.get_batch(batch_id)
            if batch["status"] != "printed":
                raise CardStateError(f"batch {batch_id} is {batch['status']}; only a printed batch can be {status}")
            cards = [row[0] for row in db.execute(
                "SELECT id FROM cards WHERE batch_id = ? ORDER BY batch_seq", [batch_id])]
            self.transition_cards(cards, card_state, actor=actor, detail={"batch": batch_id})
            now = utc_stamp()
            db["batches"].update(batch_id, {"status": status, "mailed_at" if status == "mailed" else "voided_at": now})
            self.record_event(f"batch.{status}", actor, batch_id=batch_id, from_state="printed", to_state=status,
                              detail={"cards": len(cards)})

    def get_batch(self, batch_id: int) -> dict[str, Any]:
        rows = list(self.db.query("SELECT * FROM batches WHERE id = ?", [batch_id]))
        if not rows:
            raise NotFound(f"no batch with id {batch_id}")
        return rows[0]

    def list_batches(self, *, limit: int = 100) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM batches ORDER BY id DESC LIMIT ?", [limit]))

    def batch_cards(self, batch_id: int) -> list[dict[str, Any]]:
        """A batch's cards in printing order, with what the manifest needs."""
        rows = self.db.query(
            """SELECT cards.id, cards.batch_seq, cards.rep, cards.template_slug, cards.template_version,
                      cards.recipient, cards.status, templates.name AS template_name
               FROM cards JOIN templates ON templates.slug = cards.template_slug
                                        AND templates.version = cards.template_version
               WHERE cards.batch_id = ? ORDER BY cards.batch_seq""", [batch_id])
        return [{**row, "recipient": json.loads(row["recipient"] or "{}")} for row in rows]

    # -- printer offsets ---------------------------------------------------------------------
    def printer_offsets(self, stock: str, printer: str) -> dict[str, tuple[float, float]]:
        """How far (inches, + right and up) to move a stock's front and back on a printer."""
        value = self.get_setting(f"offsets:{stock}:{printer.lower()}") or {}
        return {"front": tuple(value.get("front", (0.0, 0.0))), "back": tuple(value.get("back", (0.0, 0.0)))}

    def set_printer_offsets(self, stock: str, printer: str, *, front: tuple[float, float],
                            back: tuple[float, float], actor: str) -> None:
        self.set_setting(f"offsets:{stock}:{printer.lower()}", {"front": list(front), "back": list(back)}, actor=actor)
