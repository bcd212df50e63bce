"""Cards, pinned template versions and the events log.

Every change of a card's state goes through :meth:`CardQueries.transition_cards`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from cardsender.model import CARD_TRANSITIONS, CardState, utc_stamp
from cardsender.store.database import NotFound


class CardStateError(Exception):
    """A card cannot make the change asked for; the message says why."""


class CardQueries:
    # -- templates ---------------------------------------------------------------------------
    def pin_template(
        self, slug: str, *, name: str, definition: str, files: bytes | None = None,
        occasion: str = "", format: str = "",
    ) -> int:
        """Keep this exact template (its TOML and packed art) and return its version number.

        The same content pins once; changed content becomes the next version, and versions that
        cards use are never changed."""
        digest = hashlib.sha256(definition.encode() + b"\0" + (files or b"")).hexdigest()
        with self.transaction() as db:
            row = db.execute(
                "SELECT version FROM templates WHERE slug = ? AND content_hash = ?", [slug, digest]
            ).fetchone()
            if row:
                return row[0]
            version = db.execute(
                "SELECT coalesce(max(version), 0) + 1 FROM templates WHERE slug = ?", [slug]
            ).fetchone()[0]
            db["templates"].insert({
                "slug": slug, "version": version, "content_hash": digest, "name": name,
                "occasion": occasion, "format": format, "definition": definition, "files": files,
                "pinned_at": utc_stamp(),
            })
            return version

    def get_template_version(self, slug: str, version: int) -> dict[str, Any]:
        rows = list(self.db.query("SELECT * FROM templates WHERE slug = ? AND version = ?", [slug, version]))
        if not rows:
            raise NotFound(f"no template {slug!r} version {version}")
        return rows[0]

    # -- cards -------------------------------------------------------------------------------
    def create_card(
        self, *, customer_id: int, template_slug: str, template_version: int, rep: str,
        note: str = "", call_id: int | None = None, merge_values: dict[str, str] | None = None,
        actor: str,
    ) -> int:
        self.get_customer(customer_id)
        self.get_template_version(template_slug, template_version)
        call = self.get_call(call_id) if call_id is not None else None
        now = utc_stamp()
        with self.transaction() as db:
            card_id = db["cards"].insert({
                "call_started_at": call["started_at"] if call else None, "call_rep": call["rep"] if call else None,
                "status": CardState.DRAFT.value, "customer_id": customer_id, "call_id": call_id,
                "template_slug": template_slug, "template_version": template_version, "rep": rep,
                "note": note, "merge_values": json.dumps(merge_values or {}),
                "created_at": now, "updated_at": now,
            }).last_pk
            self.record_event("card.created", actor, card_id=card_id, to_state=CardState.DRAFT.value)
        return card_id

    def update_draft(self, card_id: int, *, actor: str, **changes: Any) -> None:
        """Save what a rep is typing. Only a draft can change."""
        allowed = {"note", "template_slug", "template_version", "merge_values"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"a draft has no field {sorted(unknown)[0]!r}")
        if "merge_values" in changes:
            changes["merge_values"] = json.dumps(changes["merge_values"])
        with self.transaction() as db:
            card = self.get_card(card_id)
            if card["status"] != CardState.DRAFT.value:
                raise CardStateError(f"card {card_id} is {card['status']}, only a draft can be edited")
            db["cards"].update(card_id, {**changes, "updated_at": utc_stamp()})

    def get_card(self, card_id: int) -> dict[str, Any]:
        rows = list(self.db.query("SELECT * FROM cards WHERE id = ?", [card_id]))
        if not rows:
            raise NotFound(f"no card with id {card_id}")
        card = rows[0]
        card["merge_values"] = json.loads(card["merge_values"])
        card["recipient"] = json.loads(card["recipient"]) if card["recipient"] else None
        return card

    def list_cards(self, *, status: str | None = None, rep: str | None = None, customer_id: int | None = None,
                   since: str | None = None, limit: int = 500) -> list[dict]:
        """Cards newest first, with their customer's name and the template's name."""
        where, params = [], []
        if status:
            where.append("cards.status = ?")
            params.append(status)
        if rep:
            where.append("cards.rep = ? COLLATE NOCASE")
            params.append(rep)
        if customer_id is not None:
            where.append("cards.customer_id = ?")
            params.append(customer_id)
        if since:
            where.append("cards.created_at >= ?")
            params.append(since)
        sql = """SELECT cards.id, cards.status, cards.customer_id, cards.call_id, cards.template_slug,
                        cards.template_version, cards.rep, cards.created_at, cards.updated_at, cards.queued_at,
                        cards.mailed_at, cards.batch_id, customers.first_name, customers.last_name,
                        customers.company, templates.name AS template_name
                 FROM cards JOIN customers ON customers.id = cards.customer_id
                 JOIN templates ON templates.slug = cards.template_slug AND templates.version = cards.template_version"""
        if where:
            sql += " WHERE " + " AND ".join(where)
        return list(self.db.query(sql + " ORDER BY cards.id DESC LIMIT ?", [*params, limit]))

    def transition_cards(
        self, card_ids: Sequence[int], to: CardState, *, actor: str,
        changes: dict[str, Any] | None = None, detail: dict[str, Any] | None = None,
    ) -> None:
        """Move cards to state ``to``, all or none, with one event per card (who, when, from, to).

        This is the only place a card's state changes. ``changes`` are other columns set in the
        same step (the recipient snapshot when queuing, the batch when batching)."""
        to = CardState(to)
        now = utc_stamp()
        with self.transaction() as db:
            for card_id in card_ids:
                card = self.get_card(card_id)
                current = CardState(card["status"])
                if to not in CARD_TRANSITIONS[current]:
                    raise CardStateError(f"card {card_id} is {current.value} and cannot become {to.value}")
                update = {"status": to.value, "updated_at": now, **(changes or {})}
                if to is CardState.QUEUED:
                    update.setdefault("queued_at", now)
                if to is CardState.MAILED:
                    update["mailed_at"] = now
                if current is CardState.BATCHED and to is CardState.QUEUED:
                    update.update(batch_id=None, batch_seq=None)
                db["cards"].update(card_id, update)
                self.record_event(
                    "card.state", actor, card_id=card_id, from_state=current.value, to_state=to.value,
                    detail=detail,
                )

    def queue_card(self, card_id: int, *, actor: str, merge_values: dict[str, str] | None = None) -> dict[str, Any]:
        """Queue a card for mailing, taking a snapshot of the recipient's address (and of the
        merge values it was checked with) now.

        Refused with the reason when the customer's address is not mailable."""
        with self.transaction():
            card = self.get_card(card_id)
            customer = self.get_customer(card["customer_id"])
            if not customer["mailable"]:
                problems = "; ".join(f"{p['field']} {p['problem']}" for p in customer["address_problems"])
                raise CardStateError(
                    f"card {card_id} cannot be queued: the address of customer {customer['id']} "
                    f"is not mailable ({problems or 'not checked'})"
                )
            recipient = {k: customer[k] or "" for k in (
                "first_name", "last_name", "company", "address_line1", "address_line2", "city",
                "region", "postal_code", "country",
            )}
            changes = {"recipient": json.dumps(recipient)}
            if merge_values is not None:
                changes["merge_values"] = json.dumps(merge_values)
            self.transition_cards([card_id], CardState.QUEUED, actor=actor, changes=changes)
        return self.get_card(card_id)

    def cancel_card(self, card_id: int, *, actor: str) -> None:
        self.transition_cards([card_id], CardState.CANCELLED, actor=actor)

    # -- settings ----------------------------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any, *, actor: str) -> None:
        with self.transaction() as db:
            db["settings"].upsert({"key": key, "value": json.dumps(value)}, pk="key")
            self.record_event("setting.changed", actor, detail={"key": key, "value": value})

    def set_signature_image(self, rep: str, image: bytes | None, *, actor: str) -> None:
        """Keep (or with None, remove) a rep's signature image."""
        with self.transaction() as db:
            if image is None:
                db.execute("DELETE FROM rep_signatures WHERE rep = ?", [rep])
            else:
                db["rep_signatures"].upsert({"rep": rep, "image": image, "updated_at": utc_stamp()}, pk="rep")
            self.record_event("signature.changed", actor, detail={"rep": rep, "removed": image is None})

    def signature_image(self, rep: str) -> bytes | None:
        row = self.db.execute("SELECT image FROM rep_signatures WHERE rep = ?", [rep]).fetchone()
        return row[0] if row else None

    # -- events ------------------------------------------------------------------------------
    def record_event(
        self, kind: str, actor: str, *, card_id: int | None = None, batch_id: int | None = None,
        from_state: str | None = None, to_state: str | None = None, detail: dict | None = None,
    ) -> None:
        self.db["events"].insert({
            "at": utc_stamp(), "actor": actor, "kind": kind, "card_id": card_id,
            "batch_id": batch_id, "from_state": from_state, "to_state": to_state,
            "detail": json.dumps(detail or {}),
        })

    def events(self, *, card_id: int | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        where, params = [], []
        if card_id is not None:
            where.append("card_id = ?")
            params.append(card_id)
        if kind:
            where.append("kind = ?")
            params.append(kind)
        sql = "SELECT * FROM events" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        return [{**e, "detail": json.loads(e["detail"])} for e in self.db.query(sql, params)]
