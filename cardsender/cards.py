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
from pathlib import Path

from cardsender.address import mailing_lines
from cardsender.errors import UserError
from cardsender.model import CardState
from cardsender.render.card import PreparedCard, prepare_card
from cardsender.render.fonts import FontBook, font_book
from cardsender.render.proof import render_proof
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


def merge_values_for(store, card: dict) -> dict[str, str]:
    """The merge fields of a card: frozen when it was queued, else taken fresh."""
    if card["status"] != CardState.DRAFT.value and card["merge_values"]:
        return card["merge_values"]
    customer = store.get_customer(card["customer_id"])
    full = " ".join(p for p in (customer["first_name"], customer["last_name"]) if p)
    return {
        "first_name": customer["first_name"], "last_name": customer["last_name"], "full_name": full,
        "rep_name": card["rep"], "company": sender(store)["company"],
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


def new_card(store, *, call_id: int, template_slug: str, note: str, rep: str | None, actor: str) -> int:
    """A draft card for the customer of a call, in a template (pinned now)."""
    call = store.get_call(call_id)
    if call["customer_id"] is None:
        raise UserError(f"call {call_id} ({call['phone']}) matches no customer: import the customer "
                        "directory, or pick the customer in the app")
    template = shipped_templates().get(template_slug)
    if template is None:
        raise UserError(f"no template called {template_slug!r}; the templates are: "
                        f"{', '.join(sorted(shipped_templates()))}")
    version = pin(store, template)
    return store.create_card(customer_id=call["customer_id"], call_id=call_id, template_slug=template_slug,
                             template_version=version, rep=(rep or call["rep"] or actor), note=note, actor=actor)


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
