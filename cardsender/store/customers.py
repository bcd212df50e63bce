"""Customers, their phone numbers, and matching calls to them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from cardsender.address import ADDRESS_FIELDS, check_address
from cardsender.model import utc_stamp
from cardsender.phones import phone_digits
from cardsender.store.database import NotFound

CUSTOMER_FIELDS = ("account_number", "first_name", "last_name", "company", "email", *ADDRESS_FIELDS)

_PHONE_LIKE = re.compile(r"[\d\s()+.\-/]+")


class CustomerQueries:
    def save_customer(
        self, customer: dict[str, Any], phones: Iterable[tuple[str, str]] = (), *, customer_id: int | None = None,
        create_only: bool = False,
    ) -> tuple[int, str]:
        """Insert or update one customer: the one with ``customer_id`` when given, else the one
        with the same account number, else one with the same name and a shared phone.

        ``phones`` are ``(e164, kind)`` pairs; an updated customer's numbers are replaced.
        The address is checked here, so ``mailable`` always agrees with the address stored.
        Returns ``(id, "created" | "updated" | "unchanged")``. Runs in the caller's transaction
        when there is one.
        """
        phones = list(dict.fromkeys(phones))
        values = {name: (customer.get(name) or "").strip() for name in CUSTOMER_FIELDS}
        check = check_address(values)
        values["mailable"] = int(check.mailable)
        values["address_problems"] = json.dumps(check.problems)
        values["updated_at"] = utc_stamp()
        account = values["account_number"] or None
        values["account_number"] = account
        with self.transaction() as db:
            existing = customer_id or self._find_customer(account, values, [] if create_only else [p for p, _ in phones])
            if existing is None:
                values["created_at"] = values["updated_at"]
                customer_id = db["customers"].insert(values).last_pk
                outcome = "created"
            else:
                customer_id, outcome = existing, "updated"
                if self._same_customer(customer_id, values, phones):
                    return customer_id, "unchanged"
                db["customers"].update(customer_id, values)
                db.execute("DELETE FROM customer_phones WHERE customer_id = ?", [customer_id])
            db["customer_phones"].insert_all(
                ({"phone": p, "customer_id": customer_id, "kind": k} for p, k in phones), ignore=True
            )
            self._remember_phones(p for p, _ in phones)
        return customer_id, outcome

    def _same_customer(self, customer_id: int, values: dict, phones: list[tuple[str, str]]) -> bool:
        names = [*CUSTOMER_FIELDS, "mailable", "address_problems"]
        row = self.db.execute(f"SELECT {', '.join(names)} FROM customers WHERE id = ?", [customer_id]).fetchone()
        stored_phones = set(self.db.execute(
            "SELECT phone, kind FROM customer_phones WHERE customer_id = ?", [customer_id]
        ).fetchall())
        return list(row) == [values[n] for n in names] and stored_phones == set(phones)

    def _find_customer(self, account: str | None, values: dict, phones: list[str]) -> int | None:
        if account:
            row = self.db.execute("SELECT id FROM customers WHERE account_number = ?", [account]).fetchone()
            return row[0] if row else None
        if not phones:
            return None
        marks = ",".join("?" * len(phones))
        row = self.db.execute(
            f"""SELECT c.id FROM customers c JOIN customer_phones p ON p.customer_id = c.id
                WHERE p.phone IN ({marks}) AND c.account_number IS NULL
                  AND c.last_name = ? COLLATE NOCASE AND c.first_name = ? COLLATE NOCASE
                ORDER BY c.id LIMIT 1""",
            [*phones, values["last_name"], values["first_name"]],
        ).fetchone()
        return row[0] if row else None

    def update_customer(self, customer_id: int, changes: dict[str, Any], phones: Iterable[tuple[str, str]] | None = None) -> dict:
        """Change a customer's fields (an address fixed by a rep, say); the address is checked again."""
        current = self.get_customer(customer_id)
        merged = {name: current[name] or "" for name in CUSTOMER_FIELDS}
        merged.update({k: v for k, v in changes.items() if k in CUSTOMER_FIELDS})
        with self.transaction():
            if phones is None:
                phones = [(p["phone"], p["kind"]) for p in current["phones"]]
            self.save_customer(merged, phones, customer_id=customer_id)
        return self.get_customer(customer_id)

    def get_customer(self, customer_id: int) -> dict:
        rows = list(self.db.query("SELECT * FROM customers WHERE id = ?", [customer_id]))
        if not rows:
            raise NotFound(f"no customer with id {customer_id}")
        customer = rows[0]
        customer["address_problems"] = json.loads(customer["address_problems"])
        customer["mailable"] = bool(customer["mailable"])
        customer["phones"] = list(
            self.db.query("SELECT phone, kind FROM customer_phones WHERE customer_id = ? ORDER BY kind DESC, phone", [customer_id])
        )
        return customer

    def search_customers(self, text: str, limit: int = 50) -> list[dict[str, Any]]:
        """Customers for a rep picking who called: those whose name, company, account number or
        email start with the words of ``text``, and (for three or more digits) those with a
        phone number containing its digits. By last name, then first name; ``phones`` is
        their numbers (E.164) separated by spaces."""
        text = text.strip()
        words = re.findall(r"\w+", text)
        sources, params = [], []
        if words:
            sources.append("SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?")
            params.append(" ".join(f'"{w}"*' for w in words))
        digits = phone_digits(text) if _PHONE_LIKE.fullmatch(text) else ""
        if len(digits) >= 3:
            sources.append("SELECT customer_id FROM customer_phones WHERE instr(phone, ?) > 0")
            params.append(digits)
        if not sources:
            return []
        rows = self.db.query(
            f"""SELECT c.id, c.account_number, c.first_name, c.last_name, c.company, c.email,
                       c.address_line1, c.address_line2, c.city, c.region, c.postal_code, c.country,
                       c.mailable, c.address_problems,
                       (SELECT group_concat(phone, ' ') FROM customer_phones p WHERE p.customer_id = c.id) AS phones
                FROM customers c WHERE c.id IN ({" UNION ".join(sources)})
                ORDER BY c.last_name COLLATE NOCASE, c.first_name COLLATE NOCASE, c.company COLLATE NOCASE, c.id
                LIMIT ?""",
            [*params, limit],
        )
        return [{**row, "mailable": bool(row["mailable"]), "address_problems": json.loads(row["address_problems"]),
                 "phones": row["phones"] or ""} for row in rows]

    def count_customers(self) -> int:
        return self.db.execute("SELECT count(*) FROM customers").fetchone()[0]

    def _remember_phones(self, phones: Iterable[str]) -> None:
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO known_phones(phone) VALUES (?)", ((p,) for p in phones if p)
        )

    def match_unmatched_calls(self, since_call_id: int = 0, *, phone: str | None = None) -> int:
        """Give every call with no customer the customer its account number or phone belongs to.

        Account numbers win over phones. A number shared by several customers goes to the
        oldest record. Returns how many calls were matched. ``since_call_id`` limits the work to
        calls inserted after that id (a call import matches only what it added); ``phone``, to
        the calls from one number (a customer just entered for one of them)."""
        if phone is not None:
            with self.transaction() as db:
                before = db.conn.total_changes
                db.execute(
                    """UPDATE calls SET customer_id =
                           (SELECT min(customer_id) FROM customer_phones p WHERE p.phone = calls.phone)
                       WHERE phone = ? AND customer_id IS NULL""", [phone])
                return db.conn.total_changes - before
        # "+customer_id" keeps SQLite from walking every unmatched call through the
        # customer_id index: an import matches only the id range it added.
        with self.transaction() as db:
            before = db.conn.total_changes
            if db.execute("SELECT 1 FROM customers WHERE account_number IS NOT NULL LIMIT 1").fetchone():
                db.execute(
                    """UPDATE calls SET customer_id =
                           (SELECT id FROM customers WHERE customers.account_number = calls.account_number)
                       WHERE id > ? AND +customer_id IS NULL AND account_number != ''
                         AND account_number IN (SELECT account_number FROM customers)""",
                    [since_call_id],
                )
            if db.execute("SELECT 1 FROM customer_phones LIMIT 1").fetchone():
                db.execute(
                    """UPDATE calls SET customer_id =
                           (SELECT min(customer_id) FROM customer_phones p WHERE p.phone = calls.phone)
                       WHERE id > ? AND +customer_id IS NULL AND phone IN (SELECT phone FROM customer_phones)""",
                    [since_call_id],
                )
            return db.conn.total_changes - before
