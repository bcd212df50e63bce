"""Importing a customer directory: names, account numbers, phones, email, mailing address."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from cardsender.address import check_address, country_code
from cardsender.calllog.csvfile import BadRecord, FileProblem, read_delimited
from cardsender.calllog.importer import ImportCancelled
from cardsender.model import ImportReport
from cardsender.phones import DEFAULT_REGION, PhoneError, to_e164

CHUNK_ROWS = 500

# Header names as CRMs and billing systems write them, compared without case, spaces or
# punctuation. The first entry of each list is our own documented name (docs/customers.md).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "account_number": ("account_number", "account", "account no", "acct", "acct no", "account id",
                       "customer id", "customer number", "customer no"),
    "first_name": ("first_name", "given name", "first", "forename"),
    "last_name": ("last_name", "surname", "family name", "last"),
    "name": ("name", "full name", "customer name", "contact name", "account name"),
    "company": ("company", "company name", "business", "organization", "organisation"),
    "phone": ("phone", "phone number", "telephone", "tel", "home phone", "primary phone", "work phone"),
    "mobile": ("mobile", "mobile phone", "cell", "cell phone"),
    "other_phone": ("phone2", "phone 2", "other phone", "alternate phone", "secondary phone"),
    "email": ("email", "email address", "e-mail"),
    "address_line1": ("address_line1", "address 1", "address", "street", "street address",
                      "mailing street", "mailing address", "line 1"),
    "address_line2": ("address_line2", "address 2", "line 2", "apt", "suite", "unit"),
    "city": ("city", "town", "post town", "locality", "suburb", "mailing city"),
    "region": ("region", "state", "province", "county", "state/province", "state or province", "mailing state"),
    "postal_code": ("postal_code", "zip", "zip code", "postcode", "zip/postal code", "mailing postal code",
                    "mailing zip"),
    "country": ("country", "country code", "mailing country"),
}
PHONE_KINDS = {"phone": "phone", "mobile": "mobile", "other_phone": "other"}


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def bind_customer_columns(header: list[str], file_name: str) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        index.setdefault(_key(name), i)
    bound = {}
    for field, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            if _key(alias) in index:
                bound[field] = index[_key(alias)]
                break
    has_name = any(f in bound for f in ("first_name", "last_name", "name", "company"))
    has_key = any(f in bound for f in ("account_number", "phone", "mobile", "other_phone"))
    if not (has_name and has_key):
        raise FileProblem(
            f"{file_name} does not look like a customer directory: it needs a name column "
            "(first_name and last_name, or name) and an account_number or phone column. "
            f"Its columns are: {', '.join(header)}"
        )
    return bound


def import_customers(
    store,
    path: str | Path,
    *,
    region: str = DEFAULT_REGION,
    actor: str = "",
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import or update customers. A customer whose address fails its country's checks is
    still stored, flagged not mailable, and the problem is reported with its line.

    ``progress(lines_done, lines_total)`` is called after each chunk; when ``cancelled()``
    returns true the import stops after the chunk in hand and raises ImportCancelled (what
    was saved stays; a re-import skips it)."""
    table = read_delimited(path)
    columns = bind_customer_columns(table.header, table.path.name)
    report = ImportReport(file=str(path), kind="customers", layout="customer directory")
    if not {"address_line1", "city", "postal_code"} <= columns.keys():
        report.warn(table.header_line, "the file has no complete mailing address columns "
                    "(address_line1, city, postal_code): its customers cannot be mailed until added")
    pending: list[tuple[dict, list]] = []
    for record in table.records():
        if isinstance(record, BadRecord):
            report.reject(record.line, record.reason)
            continue
        def get(field: str, values: list[str] = record.values) -> str:
            i = columns.get(field)
            return values[i].strip() if i is not None and i < len(values) else ""

        customer = {f: get(f) for f in COLUMN_ALIASES if f not in ("name", *PHONE_KINDS)}
        if not customer["first_name"] and not customer["last_name"] and get("name"):
            first, _, last = get("name").rpartition(" ")
            customer["first_name"], customer["last_name"] = (first, last) if first else (last, "")
        if not (customer["first_name"] or customer["last_name"] or customer["company"]):
            report.reject(record.line, "no name: first_name, last_name and company are all empty")
            continue
        customer["country"] = country_code(customer["country"]) if customer["country"] else region
        phones = []
        for field, kind in PHONE_KINDS.items():
            raw = get(field)
            if not raw:
                continue
            try:
                phones.append((to_e164(raw, customer["country"] if len(customer["country"]) == 2 else region), kind))
            except PhoneError as problem:
                report.warn(record.line, f"{field}: {problem}; the customer was imported without it")
        if not customer["account_number"] and not phones:
            report.reject(record.line, "neither an account number nor a phone number to know this customer by")
            continue
        check = check_address(customer)
        if not check.mailable:
            report.warn(record.line, f"customer {customer['account_number'] or _display(customer)} "
                        f"is not mailable: {check.summary()}")
        pending.append((customer, phones))
        if len(pending) >= CHUNK_ROWS:
            _save(store, pending, report)
            if progress:
                progress(record.line, table.line_count)
            if cancelled and cancelled():
                raise ImportCancelled(f"import of {table.path.name} stopped at line {record.line}", report)
    _save(store, pending, report)
    report.matched = store.match_unmatched_calls()
    if progress:
        progress(table.line_count, table.line_count)
    store.record_event("import.customers", actor or "cardsender", detail={
        k: v for k, v in report.as_dict().items() if k not in ("rejected_rows", "warnings")
    })
    return report


def _display(customer: dict) -> str:
    return " ".join(p for p in (customer["first_name"], customer["last_name"]) if p) or customer["company"]


def _save(store, pending: list[tuple[dict, list]], report: ImportReport) -> None:
    """One transaction per chunk of customers."""
    with store.transaction():
        for customer, phones in pending:
            _id, outcome = store.save_customer(customer, phones)
            if outcome == "created":
                report.imported += 1
            elif outcome == "updated":
                report.updated += 1
            else:
                report.already_there += 1
    pending.clear()
