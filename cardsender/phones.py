"""Phone numbers as the store keeps them: E.164 (``+18165550101``)."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

DEFAULT_REGION = "US"

_E164 = re.compile(r"\+[1-9]\d{7,14}")
_NOT_DIALLABLE = re.compile(r"[^\d+]")


class PhoneError(ValueError):
    """A phone number that cannot be read; the message says why, for a person."""


@lru_cache(maxsize=131072)
def to_e164(raw: str, region: str = DEFAULT_REGION) -> str:
    """Return ``raw`` in E.164, reading national numbers as numbers of ``region``.

    Call logs repeat the same customers' numbers many times, so results are cached.
    Exports also write international numbers as bare digits (``61413097129``): when the
    digits are not a number of ``region``, they are tried again as ``+61413097129``.
    """
    text = raw.strip()
    if not text:
        raise PhoneError("no phone number")
    if _E164.fullmatch(text):
        return text
    candidates = [text]
    digits = _NOT_DIALLABLE.sub("", text)
    if digits and not digits.startswith("+"):
        candidates.append("+" + digits)
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number) or (
            candidate is text and phonenumbers.is_possible_number(number)
        ):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    raise PhoneError(f"{raw.strip()!r} is not a phone number (read as a {region} number)")


def phone_digits(text: str) -> str:
    """The digits of a search string, for matching a part of a number."""
    return re.sub(r"\D", "", text)
