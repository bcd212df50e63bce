"""How calls read on screen: times, phone numbers, lengths, names. No Qt here."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import phonenumbers

from cardsender.environment import home_region  # noqa: F401  (shown and read alike)

NO_CUSTOMER = "(no customer matched)"
NO_CARD = "—"


def call_time(started_at: str, now: datetime | None = None) -> str:
    """A stored UTC stamp in this computer's zone: ``Mon 16 Nov 09:04``, with the year when
    it is not this year's."""
    moment = datetime.fromisoformat(started_at).astimezone()
    this_year = (now or datetime.now().astimezone()).year
    return moment.strftime("%a %d %b %H:%M" if moment.year == this_year else "%a %d %b %Y %H:%M")


@lru_cache(maxsize=65536)  # the list repeats the same customers' numbers; parsing costs ~50 µs
def display_phone(e164: str, region: str) -> str:
    """A number of the home region in its national format (``(816) 555-0101``), any other in
    the international one (``+44 20 7946 0761``). Compared by country code, not by region, so
    that fictional 555 numbers (valid for no region) still read nationally."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164  # the store keeps E.164, but a hand-edited store should still show
    national = number.country_code == phonenumbers.country_code_for_region(region)
    style = phonenumbers.PhoneNumberFormat.NATIONAL if national else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def call_length(seconds: int | None) -> str:
    """``m:ss`` (``75:03`` for a long call); empty when the log gave no length."""
    if seconds is None:
        return ""
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


def customer_name(call: dict) -> str:
    """The matched customer's name, else their company; empty for an unmatched call."""
    if call.get("customer_id") is None:
        return ""
    name = " ".join(p for p in (call.get("first_name"), call.get("last_name")) if p)
    return name or call.get("company") or ""


def one_line(text: str | None) -> str:
    """Multi-line reasons (some phone systems allow them) on one table line."""
    return " / ".join(part.strip() for part in (text or "").splitlines() if part.strip())
