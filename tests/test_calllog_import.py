"""Call-log import through the real reader, presets and store."""

import tomllib
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cardsender.calllog.csvfile import FileProblem
from cardsender.calllog.customers import import_customers
from cardsender.calllog.importer import import_calls
from cardsender.calllog.parsing import parse_datetime, parse_duration, zone_from_text
from cardsender.calllog.presets import PresetError, layout_from_map, load_presets
from cardsender.phones import to_e164
from conftest import DATA

SAMPLES = sorted(p.stem.removesuffix(".expected") for p in (DATA / "calllog").glob("*.expected.toml"))
CHICAGO = ZoneInfo("America/Chicago")

GENERIC = (
    "call_id,started_at,duration,direction,phone,rep,reason,account_number\r\n"
    "g1,2026-11-16T09:00:00-06:00,245,inbound,(816) 555-0101,Maria Lopez,Billing question,\r\n"
    "g2,2026-11-16T10:00:00-06:00,0:03:10,outbound,18165550102,James Chen,Outage follow-up,\r\n"
    "g3,2026-11-16T11:00:00-06:00,60,inbound,+1 312 555 0199,Aisha Patel,Move out,AC-200\r\n"
)
CUSTOMERS = (
    "account_number,first_name,last_name,phone,address_line1,city,region,postal_code,country\n"
    "AC-100,Ann,Lee,816-555-0101,1200 Main St,Kansas City,MO,64105,US\n"
    "AC-200,Bob,Ray,,500 State St,Chicago,IL,60605,US\n"
)


def test_every_preset_ships_loadable_and_has_a_sample():
    presets, problems = load_presets()
    assert problems == []
    expected = {"generic", "twilio", "ringcentral-simple", "ringcentral-detailed", "five9", "genesys-cloud",
                "aircall", "dialpad", "teams-pstn", "talkdesk"}
    assert expected <= set(presets)
    assert expected - {"generic"} <= set(SAMPLES)


@pytest.mark.parametrize("name", SAMPLES)
def test_preset_sample_imports_as_expected(store, name):
    expected = tomllib.loads((DATA / "calllog" / f"{name}.expected.toml").read_text(encoding="utf-8"))
    path = DATA / "calllog" / f"{name}.csv"
    report = import_calls(store, path, tz=ZoneInfo(expected["tz"]))  # the preset is detected
    assert report.layout == expected["preset"]
    assert (report.imported, len(report.rejected)) == (expected["imported"], expected["rejected"]), report.rejected
    assert all(r.line > 1 and r.reason for r in report.rejected)
    first = store.db.execute("SELECT * FROM calls ORDER BY id LIMIT 1")
    row = dict(zip([c[0] for c in first.description], first.fetchone()))
    for key, value in expected["first"].items():
        assert row[key] == value, key
    again = import_calls(store, path, preset=expected["preset"], tz=ZoneInfo(expected["tz"]))
    assert (again.imported, again.already_there) == (0, expected["imported"])


def test_detailed_layout_wins_over_the_simple_one_it_contains():
    presets, _ = load_presets()
    detailed, simple = presets["ringcentral-detailed"], presets["ringcentral-simple"]
    assert set(d.lower() for d in simple.detect) <= set(d.lower() for d in detailed.detect)
    assert len(detailed.detect) > len(simple.detect)


def test_broken_preset_is_named_and_the_others_still_load(tmp_path):
    (tmp_path / "good.toml").write_text('name="good"\ndetect=["a"]\n[columns]\nstarted_at="a"\nphone="b"\n')
    (tmp_path / "typo.toml").write_text('name="typo"\ndetect=["a"]\n[columns]\nstarted="a"\n')
    (tmp_path / "badfmt.toml").write_text('name="badfmt"\ndetect=["a"]\n[columns]\nphone="a"\n[format]\nduration="minutes"\n')
    (tmp_path / "nottoml.toml").write_text("name = \n")
    presets, problems = load_presets(tmp_path)
    assert list(presets) == ["good"]
    joined = "\n".join(problems)
    assert "typo.toml: columns.started is not a field" in joined
    assert "badfmt.toml: format.duration = 'minutes'" in joined
    assert "nottoml.toml: not valid TOML" in joined


def test_reimport_and_overlapping_export_add_nothing_twice(store, write_file):
    first = import_calls(store, write_file("a.csv", GENERIC), tz=CHICAGO)
    assert (first.imported, first.already_there, first.rejected) == (3, 0, [])
    overlap = GENERIC.splitlines()[0] + "\r\n" + "\r\n".join(GENERIC.splitlines()[2:]) + (
        "\r\ng4,2026-11-16T12:00:00-06:00,30,inbound,8165550104,Tom Becker,Meter reading,\r\n")
    second = import_calls(store, write_file("b.csv", overlap), tz=CHICAGO)
    assert (second.imported, second.already_there) == (1, 2)
    assert store.count_calls() == 4


def test_without_call_ids_dedupe_is_on_phone_start_and_rep(store, write_file):
    text = ("started_at,phone,direction,rep\n2026-11-16 09:00,8165550101,inbound,Maria Lopez\n"
            "2026-11-16 09:00,8165550101,inbound,James Chen\n2026-11-16 09:00,(816) 555-0101,in,maria lopez\n")
    report = import_calls(store, write_file("noid.csv", text), tz=CHICAGO)
    assert (report.imported, report.already_there) == (2, 1)


@pytest.mark.parametrize("order", ["calls first", "customers first"])
def test_calls_match_customers_whichever_file_comes_first(store, write_file, order):
    calls, customers = write_file("calls.csv", GENERIC), write_file("customers.csv", CUSTOMERS)
    if order == "calls first":
        import_calls(store, calls, tz=CHICAGO)
        report = import_customers(store, customers)
        assert report.matched == 2
    else:
        import_customers(store, customers)
        report = import_calls(store, calls, tz=CHICAGO)
        assert report.matched == 2
    by_id = {c["external_id"]: c for c in store.recent_calls()}
    ann = by_id["g1"]["customer_id"]
    assert store.get_customer(ann)["account_number"] == "AC-100"
    assert by_id["g2"]["customer_id"] is None  # a number nobody has
    # g3's number is nobody's, but its account number is Bob's
    assert store.get_customer(by_id["g3"]["customer_id"])["first_name"] == "Bob"


def test_bad_rows_are_reported_by_line_and_good_rows_go_in(store, write_file):
    text = GENERIC + (
        "b1,,60,inbound,8165550105,Maria Lopez,x,\r\n"
        "b2,yesterday at noon,60,inbound,8165550105,Maria Lopez,x,\r\n"
        "b3,2026-11-16T12:00:00Z,60,sideways,8165550105,Maria Lopez,x,\r\n"
        "b4,2026-11-16T12:00:00Z,60,inbound,12,Maria Lopez,x,\r\n"
        "b5,2026-11-16T12:00:00Z,-5,inbound,8165550105,Maria Lopez,x,\r\n"
        "b6,2026-11-16T12:00:00Z,60,internal,8165550105,Maria Lopez,x,\r\n"
        "b7,2026-11-16T12:00:00Z,60,inbound,8165550105,Maria Lopez,x,,extra,fields\r\n"
    )
    report = import_calls(store, write_file("mixed.csv", text), tz=CHICAGO)
    assert report.imported == 3
    reasons = {r.line: r.reason for r in report.rejected}
    assert sorted(reasons) == [5, 6, 7, 8, 9, 10, 11]
    assert "start time is empty" in reasons[5]
    assert "'yesterday at noon' is not a date" in reasons[6]
    assert "direction 'sideways'" in reasons[7]
    assert "'12' is not a phone number" in reasons[8]
    assert "duration '-5'" in reasons[9]
    assert "internal call" in reasons[10]
    assert "10 fields but the header has 8" in reasons[11]


def test_header_only_file_imports_nothing_and_says_so(store, write_file):
    report = import_calls(store, write_file("empty.csv", GENERIC.splitlines()[0] + "\r\n"), tz=CHICAGO)
    assert (report.imported, report.already_there, report.rejected) == (0, 0, [])


def test_missing_required_column_is_refused_naming_it(store, write_file):
    with pytest.raises(FileProblem, match="needs a start time.*started_at \\('started_at'\\)"):
        import_calls(store, write_file("x.csv", "call_id,phone,direction\n1,8165550101,inbound\n"), preset="generic")


def test_unknown_layout_is_refused_listing_the_columns_needed(store, write_file):
    path = write_file("odd.csv", "When,Who,Agent\n2026-11-16 09:00,8165550101,Maria\n")
    with pytest.raises(FileProblem) as error:
        import_calls(store, path, tz=CHICAGO)
    message = str(error.value)
    assert "match no preset" in message and "When, Who, Agent" in message
    assert "started_at" in message and "phone" in message and "--map" in message
    report = import_calls(store, path, tz=CHICAGO, preset=layout_from_map(["started_at=When", "phone=Who", "rep=Agent"]))
    assert report.imported == 1 and store.recent_calls()[0]["rep"] == "Maria"


def test_map_arguments_are_checked():
    with pytest.raises(PresetError, match="'start' is not a field"):
        layout_from_map(["start=When"])
    with pytest.raises(PresetError, match="FIELD=COLUMN"):
        layout_from_map(["started_at"])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-11-16T14:03:22Z", "2026-11-16T14:03:22+00:00"),
        ("2026-11-16T14:03:22.083+01:00", "2026-11-16T13:03:22.083000+00:00"),
        ("2026-11-16 08:03:22", "2026-11-16T14:03:22+00:00"),
        ("2026-07-15 00:05:54.388365", "2026-07-15T05:05:54.388365+00:00"),  # summer: UTC-5
        ("Mon, 16 Nov 2026 15:04:05 +0000", "2026-11-16T15:04:05+00:00"),
        ("Thu, 27 Oct 2016 14:51:34", "2016-10-27T19:51:34+00:00"),
        ("11/16/2026 2:03:22 PM", "2026-11-16T20:03:22+00:00"),
        ("11/16/2026 12:03:22 AM", "2026-11-16T06:03:22+00:00"),
        ("Wed 6/6/2016 6:26:52 PM", "2016-06-06T23:26:52+00:00"),
        ("1763300000", "2025-11-16T13:33:20+00:00"),
        ("1763300000123", "2025-11-16T13:33:20.123000+00:00"),
    ],
)
def test_dates_as_phone_systems_write_them(text, expected):
    assert parse_datetime(text, CHICAGO).isoformat() == expected


def test_separate_time_zone_column(store, write_file):
    text = "started_at,timezone,phone,direction\n2026-11-16 10:04:05,America/New_York,8165550101,inbound\n" \
           "2026-11-16 10:04:05,+01:00,8165550102,inbound\n"
    import_calls(store, write_file("tz.csv", text), tz=CHICAGO,
                 preset=layout_from_map(["started_at=started_at", "timezone=timezone", "phone=phone", "direction=direction"]))
    assert sorted(c["started_at"] for c in store.recent_calls()) == ["2026-11-16T09:04:05Z", "2026-11-16T15:04:05Z"]


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 31)).map(lambda d: d.replace(microsecond=0)),
       st.sampled_from(["iso", "iso-z", "rfc2822", "us", "epoch"]))
def test_any_instant_survives_every_format(moment, style):
    instant = moment.replace(tzinfo=timezone.utc)
    local = instant.astimezone(CHICAGO)
    text = {
        "iso": local.isoformat(),
        "iso-z": instant.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "rfc2822": instant.strftime("%a, %d %b %Y %H:%M:%S +0000"),
        "us": f"{local.month}/{local.day}/{local.year} {local.hour % 12 or 12}:{local:%M:%S} {'AM' if local.hour < 12 else 'PM'}",
        "epoch": str(int(instant.timestamp())),
    }[style]
    parsed = parse_datetime(text, CHICAGO)
    if style == "us" and local.fold:  # the repeated hour when clocks go back reads as its first
        assert parsed - instant in (timedelta(0), timedelta(hours=-1))
    else:
        assert parsed == instant


@pytest.mark.parametrize("text, unit, seconds", [
    ("245", "seconds", 245), ("245.6", "auto", 246), ("245000", "ms", 245), ("0:04:05", "hms", 245),
    ("04:05", "auto", 245), ("1:00:00", "auto", 3600), ("", "auto", None),
])
def test_durations(text, unit, seconds):
    assert parse_duration(text, unit) == seconds


def test_time_zone_names_and_offsets():
    assert zone_from_text("UTC") is timezone.utc
    assert zone_from_text("-06:00").utcoffset(None) == timedelta(hours=-6)
    assert zone_from_text("GMT+0530").utcoffset(None) == timedelta(hours=5, minutes=30)
    assert str(zone_from_text("Europe/Berlin")) == "Europe/Berlin"


@pytest.mark.parametrize("text", ["+1 (816) 555-0101", "18165550101", "8165550101", "816.555.0101", "+18165550101"])
def test_us_numbers_in_every_spelling_become_e164(text):
    assert to_e164(text, "US") == "+18165550101"


def test_region_decides_national_numbers_and_bare_international_digits_work():
    assert to_e164("020 7946 0018", "GB") == "+442079460018"
    assert to_e164("61413097129", "US") == "+61413097129"  # Aircall writes no '+'


def test_split_date_and_time_need_both_halves_and_a_default_rep_fills_empty_ones(store, write_file):
    text = ("Date,Time,Phone Number,Type\nMon 11/16/2026,9:04:05 AM,(816) 555-0101,Incoming\n"
            "Mon 11/16/2026,,(816) 555-0102,Incoming\n")
    layout = layout_from_map(["date=Date", "time=Time", "phone=Phone Number", "direction=Type"])
    report = import_calls(store, write_file("rc.csv", text), preset=layout, tz=CHICAGO, default_rep="Maria Lopez")
    assert report.imported == 1
    assert report.rejected[0].line == 3 and "incomplete (date 'Mon 11/16/2026', time '')" in report.rejected[0].reason
    call = store.recent_calls()[0]
    assert (call["started_at"], call["rep"]) == ("2026-11-16T15:04:05Z", "Maria Lopez")


def test_mapping_file_reads_another_layout_with_its_formats(store, write_file):
    mapping = write_file("pbx.toml", '''title = "Our PBX"
system = "acme-pbx"
[columns]
external_id = "Ref"
started_at = "Start"
duration = "Talk (ms)"
direction = "Dir"
caller = "From"
callee = "To"
rep = "Agent"
[format]
time_zone = "UTC"
duration = "ms"
date_order = "DMY"
[direction]
inbound = ["IN"]
outbound = ["OUT"]
internal = ["EXT"]
''')
    text = ("Ref;Start;Talk (ms);Dir;From;To;Agent\n"
            "r1;16/11/2026 15:04;245000;IN;8165550101;200;Maria Lopez\n"
            "r2;16/11/2026 15:10;1000;EXT;201;202;Maria Lopez\n")
    from cardsender.calllog.presets import load_mapping_file

    report = import_calls(store, write_file("pbx.csv", text), preset=load_mapping_file(mapping))
    assert report.imported == 1 and "internal call (EXT)" in report.rejected[0].reason
    call = store.recent_calls()[0]
    assert (call["started_at"], call["duration_s"], call["phone"], call["source"]) == (
        "2026-11-16T15:04:00Z", 245, "+18165550101", "acme-pbx")


def test_progress_is_reported_and_cancel_keeps_what_was_stored(store, write_file, monkeypatch):
    from cardsender.calllog import importer

    monkeypatch.setattr(importer, "CHUNK_ROWS", 2)
    rows = "".join(f"c{i},2026-11-16T10:{i:02d}:00Z,60,inbound,81655501{i:02d},Maria Lopez,x,\r\n" for i in range(10))
    path = write_file("ten.csv", GENERIC.splitlines()[0] + "\r\n" + rows)
    seen = []
    with pytest.raises(importer.ImportCancelled, match="stopped at line"):
        import_calls(store, path, progress=lambda done, total: seen.append((done, total)),
                     cancelled=lambda: len(seen) >= 2)
    assert seen[0][1] == 11 and seen[0][0] < seen[1][0]
    kept = store.count_calls()
    assert 2 <= kept < 10
    again = import_calls(store, path)
    assert (again.imported, again.already_there) == (10 - kept, kept)


def test_paging_after_the_last_call_shown_walks_every_call_once(store, write_file):
    rows = "".join(f"p{i},2026-11-16T10:{i // 2:02d}:00Z,60,inbound,81655501{i % 50:02d},Maria Lopez,x,\r\n"
                   for i in range(45))  # pairs of calls share a start time
    import_calls(store, write_file("many.csv", GENERIC.splitlines()[0] + "\r\n" + rows))
    seen, before = [], None
    while True:
        page = store.recent_calls(limit=7, before=before)
        if not page:
            break
        seen += [c["id"] for c in page]
        before = (page[-1]["started_at"], page[-1]["id"])
    assert seen == [c["id"] for c in store.recent_calls(limit=100)] and len(set(seen)) == 45
