"""Customer directory import: tolerant reading, per-country address checks, updates."""

from cardsender.calllog.customers import import_customers

HEADER = "account_number,first_name,last_name,phone,mobile,email,address_line1,address_line2,city,region,postal_code,country\n"


def test_addresses_are_checked_per_country_and_bad_ones_are_flagged_not_dropped(store, write_file):
    text = HEADER + (
        "AC-1,Ann,Lee,(816) 555-0101,,ann@example.com,1200 Main St,Apt 4B,Kansas City,MO,64105,US\n"
        "AC-2,Bob,Ray,816-555-0102,,,1200 Main St,,Kansas City,MO,94105,US\n"      # California ZIP in MO
        "AC-3,Siobhán,Ó Briain,020 7946 0018,,,Flat 2,14 Abbey Road,London,,NW8 9AY,GB\n"
        "AC-4,Jörg,Müller,030 12345678,,,Hauptstraße 12,,München,,80331,DE\n"
        "AC-5,Dee,Nobody,913-555-0105,,,,,Overland Park,KS,66204,US\n"             # no street
        "AC-6,Cal,Gary,+1 403 555 0106,,,221 King St W,,Calgary,AB,,CA\n"         # no postal code
    )
    report = import_customers(store, write_file("directory.csv", text))
    assert (report.imported, len(report.rejected)) == (6, 0)
    by_account = {row["account_number"]: row for row in store.db.query("SELECT * FROM customers")}
    assert [a for a, c in by_account.items() if c["mailable"]] == ["AC-1", "AC-3", "AC-4"]
    warnings = {w.line: w.reason for w in report.warnings}
    assert "postal code cannot be right" in warnings[3]
    assert "street address is missing" in warnings[6]
    assert "postal code is missing" in warnings[7]
    phones = dict(store.db.execute("SELECT customer_id, phone FROM customer_phones").fetchall())
    assert phones[by_account["AC-3"]["id"]] == "+442079460018"  # read as a UK number: the row is GB
    assert phones[by_account["AC-4"]["id"]] == "+493012345678"


def test_reimport_updates_changed_customers_and_counts_the_rest(store, write_file):
    row = "AC-1,Ann,Lee,(816) 555-0101,,,1200 Main St,,Kansas City,MO,64105,US\n"
    import_customers(store, write_file("a.csv", HEADER + row))
    moved = row.replace("1200 Main St", "77 Elm St").replace("64105", "64106")
    report = import_customers(store, write_file("b.csv", HEADER + row.replace("AC-1", "AC-2") + moved))
    assert (report.imported, report.updated, report.already_there) == (1, 1, 0)
    again = import_customers(store, write_file("b.csv", HEADER + row.replace("AC-1", "AC-2") + moved))
    assert (again.imported, again.updated, again.already_there) == (0, 0, 2)
    assert store.db.execute("SELECT address_line1 FROM customers WHERE account_number = 'AC-1'").fetchone()[0] == "77 Elm St"


def test_crm_headers_semicolons_and_windows_1252_are_understood(store, write_file):
    text = ("Customer ID;Full Name;Telephone;Street;City;State;ZIP Code;Country\r\n"
            "A-9;José Núñez;(312) 555-0109;500 State St;Chicago;IL;60605;United States\r\n")
    report = import_customers(store, write_file("crm.csv", text, encoding="cp1252"))
    assert report.imported == 1 and not report.warnings
    customer = store.get_customer(1)
    assert (customer["first_name"], customer["last_name"], customer["country"]) == ("José", "Núñez", "US")
    assert customer["mailable"] and customer["phones"][0]["phone"] == "+13125550109"


def test_rows_that_cannot_be_customers_are_rejected_by_line(store, write_file):
    text = HEADER + (
        "AC-1,Ann,Lee,(816) 555-0101,,,1200 Main St,,Kansas City,MO,64105,US\n"
        ",,,,,,1 Main St,,Kansas City,MO,64105,US\n"                 # no name
        ",Nora,Name,,,,1 Main St,,Kansas City,MO,64105,US\n"         # nothing to know her by
        "AC-4,Pat,Phoneless,12,,,1 Main St,,Kansas City,MO,64105,US\n"  # a bad phone is a warning
    )
    report = import_customers(store, write_file("d.csv", text))
    assert report.imported == 2
    assert [(r.line, r.reason) for r in report.rejected] == [
        (3, "no name: first_name, last_name and company are all empty"),
        (4, "neither an account number nor a phone number to know this customer by"),
    ]
    assert any(w.line == 5 and "'12' is not a phone number" in w.reason for w in report.warnings)


def test_a_file_that_is_not_a_directory_is_refused(store, write_file):
    import pytest

    from cardsender.calllog.csvfile import FileProblem

    with pytest.raises(FileProblem, match="does not look like a customer directory.*Its columns are: When, Where"):
        import_customers(store, write_file("x.csv", "When,Where\n1,2\n"))
