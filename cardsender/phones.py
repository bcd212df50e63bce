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


# North American numbering plan: area code and exchange never start with 0 or 1.
_NANP = re.compile(r"1?([2-9]\d\d[2-9]\d{6})")
_NANP_REGIONS = frozenset({"US", "CA", "PR", "VI", "GU", "AS", "MP"})


@lru_cache(maxsize=131072)
def to_e164(raw: str, region: str = DEFAULT_REGION) -> str:
    """Return ``raw`` in E.164, reading national numbers as numbers of ``region``.

    A number is accepted when it is possible for its country (right length and shape), as a
    call log may hold numbers newer than phonenumbers' metadata. Exports also write
    international numbers as bare digits (``61413097129``): when the digits are not a possible
    number of ``region``, they are tried as ``+61413097129``, which must then be a valid number.
    Call logs repeat the same customers' numbers many times, so results are cached.
    """
    text = raw.strip()
    if not text:
        raise PhoneError("no phone number")
    if _E164.fullmatch(text):
        return text
    digits = _NOT_DIALLABLE.sub("", text)
    if region in _NANP_REGIONS or digits.startswith("+1"):
        nanp = _NANP.fullmatch(digits[1:] if digits.startswith("+1") else digits)
        if nanp:  # what phonenumbers would answer, without its cost on a million rows
            return "+1" + nanp.group(1)
    try:
        number = phonenumbers.parse(text, region)
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    if digits and not digits.startswith("+"):
        try:
            number = phonenumbers.parse("+" + digits, region)
            if phonenumbers.is_valid_number(number):
                return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            pass
    raise PhoneError(f"{raw.strip()!r} is not a phone number (read as a {region} number)")


def phone_digits(text: str) -> str:
    """The digits of a search string, for matching a part of a number."""
    return re.sub(r"\D", "", text)
