"""Cards from call to proof: the work that joins the store and the renderer.

A card is data (customer, template slug and pinned version, note, rep, merge values); its PDF is
drawn from that data by the one renderer. A card renders from the template version pinned
when it was made, so a card reprinted a year later looks as it did when the rep approved it.
"""

from __future__ import annotations

import atexit
import io
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cardsender.address import mailing_lines
from cardsender.errors import UserError
from cardsender.model import CardState
from cardsender.render.card import PreparedCard, prepare_card
from cardsender.render.fonts import FontBook, font_book
from cardsender.render.proof import render_proof
from cardsender.stocks import Envelope, load_envelopes
from cardsender.templates import Template, load_template, load_templates, unpack_bundle

SETTING_COMPANY = "company"
SETTING_RETURN_ADDRESS = "return_address"
SETTING_COUNTRY = "country"

_unpacked: dict[tuple[str, int], Template] = {}
_unpack_root: Path | None = None


def shipped_templates() -> dict[str, Template]:
    templates, _problems = load_templates()
    return templates


def pin(store, template: Template) -> int:
    """The version number of this exact template in the store (pinned now if new)."""
    return store.pin_template(template.slug, name=template.name, definition=template.definition,
                              files=template.bundle(), occasion=template.occasion, format=template.format.key)


def pinned_template(store, slug: str, version: int) -> Template:
    """A card's template as it was pinned: the shipped folder when it is unchanged, else the
    pinned TOML and art unpacked to a private temporary folder."""
    key = (slug, version)
    if key in _unpacked:
        return _unpacked[key]
    row = store.get_template_version(slug, version)
    shipped = shipped_templates().get(slug)
    if shipped is not None and shipped.content_hash == row["content_hash"]:
        template = shipped
    else:
        global _unpack_root
        if _unpack_root is None:
            _unpack_root = Path(tempfile.mkdtemp(prefix="cardsender-templates-"))
            atexit.register(shutil.rmtree, _unpack_root, True)
        folder = unpack_bundle(row["definition"], row["files"], _unpack_root / f"{slug}-v{version}" / slug)
        template = load_template(folder)
    _unpacked[key] = template
    return template


def sender(store) -> dict:
    return {
        "company": store.get_setting(SETTING_COMPANY, ""),
        "return_lines": tuple(store.get_setting(SETTING_RETURN_ADDRESS, [])),
        "country": store.get_setting(SETTING_COUNTRY, "US"),
    }


def signs_as(store, rep: str) -> str:
    """How a rep signs their cards ("Maria Lopez, Customer Care"): set once, the same on every
    desktop; their name as the call logs write it until then."""
    return store.get_setting(f"signs_as:{rep.lower()}") or rep


def set_signs_as(store, rep: str, line: str, *, actor: str) -> None:
    store.set_setting(f"signs_as:{rep.lower()}", line.strip() or None, actor=actor)


def merge_values_for(store, card: dict) -> dict[str, str]:
    """The merge fields of a card: frozen when it was queued, else taken fresh."""
    if card["status"] != CardState.DRAFT.value and card["merge_values"]:
        return card["merge_values"]
    customer = store.get_customer(card["customer_id"])
    full = " ".join(p for p in (customer["first_name"], customer["last_name"]) if p)
    return {
        "first_name": customer["first_name"], "last_name": customer["last_name"], "full_name": full,
        "rep_name": signs_as(store, card["rep"]), "company": sender(store)["company"],
    }


def prepared(store, card_id: int, book: FontBook | None = None, *, marker: str = "") -> PreparedCard:
    """A stored card, merged, fitted and checked, ready to draw. Raises MergeError,
    FontError, NoteDoesNotFit or CardProblem with a message for the rep."""
    book = book or font_book()
    card = store.get_card(card_id)
    template = pinned_template(store, card["template_slug"], card["template_version"])
    recipient = card["recipient"] or store.get_customer(card["customer_id"])
    who = sender(store)
    return prepare_card(
        template, card["note"], merge_values_for(store, card), book,
        recipient_lines=tuple(mailing_lines(recipient, who["country"])), return_lines=who["return_lines"],
        marker=marker, signature_image=store.signature_image(card["rep"]),
    )


def _template(slug: str) -> Template:
    template = shipped_templates().get(slug)
    if template is None:
        raise UserError(f"no template called {slug!r}; the templates are: {', '.join(sorted(shipped_templates()))}")
    return template


def new_card(store, *, call_id: int, template_slug: str, note: str, rep: str | None, actor: str) -> int:
    """A draft card for the customer of a call, in a template (pinned now)."""
    call = store.get_call(call_id)
    if call["customer_id"] is None:
        raise UserError(f"call {call_id} ({call['phone']}) matches no customer: import the customer "
                        "directory, or pick the customer in the app")
    version = pin(store, _template(template_slug))
    return store.create_card(customer_id=call["customer_id"], call_id=call_id, template_slug=template_slug,
                             template_version=version, rep=(rep or call["rep"] or actor), note=note, actor=actor)


def change_template(store, card_id: int, template_slug: str, *, actor: str) -> None:
    """A draft moves to another template (its current version, pinned now)."""
    version = pin(store, _template(template_slug))
    store.update_draft(card_id, template_slug=template_slug, template_version=version, actor=actor)


def duplicate_card(store, card_id: int, *, call_id: int, actor: str) -> int:
    """A new draft with this card's template and note, for another call's customer."""
    card = store.get_card(card_id)
    call = store.get_call(call_id)
    if call["customer_id"] is None:
        raise UserError(f"call {call_id} ({call['phone']}) matches no customer: pick the customer first")
    return store.create_card(customer_id=call["customer_id"], call_id=call_id, template_slug=card["template_slug"],
                             template_version=card["template_version"], rep=card["rep"], note=card["note"],
                             actor=actor)


RECENT_CARD_DAYS = 30


def recent_cards_warning(store, card_id: int) -> str | None:
    """A word for the rep when this customer had another card, from anyone, in the last 30 days."""
    from datetime import datetime, timedelta, timezone

    from cardsender.model import utc_stamp

    card = store.get_card(card_id)
    since = utc_stamp(datetime.now(timezone.utc) - timedelta(days=RECENT_CARD_DAYS))
    others = [c for c in store.list_cards(customer_id=card["customer_id"], since=since, limit=20)
              if c["id"] != card_id and c["status"] != CardState.CANCELLED.value]
    if not others:
        return None
    latest = others[0]
    return (f"{latest['first_name'] or latest['company']} already has {'a card' if len(others) == 1 else f'{len(others)} cards'} "
            f"from the last {RECENT_CARD_DAYS} days: \"{latest['template_name']}\" from {latest['rep']}, "
            f"{latest['status']} on {latest['created_at'][:10]}")


@dataclass(frozen=True)
class PreviewInputs:
    """Everything but the note that a card's picture depends on, gathered once from the store
    so that a preview can be drawn on a worker thread without it."""

    template: Template
    values: dict
    recipient_lines: tuple[str, ...]
    return_lines: tuple[str, ...]
    signature_image: bytes | None
    envelope: Envelope | None


def preview_inputs(store, card_id: int, *, customer: dict | None = None) -> PreviewInputs:
    """The inputs of a draft's preview; ``customer`` (the recipient as the rep is editing it)
    replaces the stored address when given."""
    card = store.get_card(card_id)
    template = pinned_template(store, card["template_slug"], card["template_version"])
    recipient = customer or card["recipient"] or store.get_customer(card["customer_id"])
    who = sender(store)
    values = dict(merge_values_for(store, card))
    if customer:
        values.update(first_name=customer.get("first_name", ""), last_name=customer.get("last_name", ""),
                      full_name=" ".join(p for p in (customer.get("first_name"), customer.get("last_name")) if p))
    envelope = load_envelopes().get(template.format.envelope) if template.format.envelope else None
    return PreviewInputs(template, values, tuple(mailing_lines(recipient, who["country"])), who["return_lines"],
                         store.signature_image(card["rep"]), envelope)


def render_preview(inputs: PreviewInputs, note: str, book: FontBook | None = None) -> tuple[bytes, str]:
    """The proof of a card as it stands (with its envelope), and where its note stands
    ("fits at 14 pt"); raises MergeError, FontError, NoteDoesNotFit or CardProblem with the
    reason when it cannot print. The same drawing as the printed card."""
    book = book or font_book()
    card = prepare_card(inputs.template, note, inputs.values, book, recipient_lines=inputs.recipient_lines,
                        return_lines=inputs.return_lines, signature_image=inputs.signature_image)
    out = io.BytesIO()
    render_proof(card, book, out, envelope=inputs.envelope)
    return out.getvalue(), card.note.describe()


def queue(store, card_id: int, *, actor: str) -> dict:
    """Queue a card only when it can print as it is: the note fits, every character prints,
    every merge field has a value and the address is mailable (each refusal says why)."""
    card = store.get_card(card_id)
    if card["status"] != CardState.DRAFT.value:
        raise UserError(f"card {card_id} is {card['status']}; only a draft can be queued")
    prepared(store, card_id)
    return store.queue_card(card_id, actor=actor, merge_values=merge_values_for(store, card))


def write_proof(store, card_id: int, out: Path | io.BytesIO, *, cmyk: bool = False) -> None:
    """A print-ready PDF of one card (the same drawing as the preview and the batch)."""
    who = merge_values_for(store, store.get_card(card_id))["full_name"]
    render_proof(prepared(store, card_id), font_book(), out, cmyk=cmyk, title=f"Card {card_id} for {who}")
