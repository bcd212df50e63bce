"""The command line as a user or a script meets it: the real entry point in a child process."""

import json

from conftest import DATA

CALL_KEYS = {"id", "started_at", "duration_s", "direction", "phone", "rep", "reason", "source", "external_id",
             "customer_id", "customer_name", "mailable", "card_status"}


def test_demo_then_calls_json_has_stable_keys_and_filters(cli):
    first = cli("demo", "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["customers_added"] >= 300 and summary["calls_added"] >= 2000
    second = json.loads(cli("demo", "--json").stdout)
    assert (second["customers_added"], second["calls_added"]) == (0, 0)

    calls = json.loads(cli("calls", "--json", "--limit", "500").stdout)
    assert len(calls) == 500 and all(set(c) == CALL_KEYS for c in calls)
    assert calls == sorted(calls, key=lambda c: c["started_at"], reverse=True)
    assert any(c["customer_id"] is None for c in calls) and any(c["customer_id"] for c in calls)

    mine = json.loads(cli("calls", "--json", "--rep", "grace okafor", "--since", "3d").stdout)
    assert mine and {c["rep"] for c in mine} == {"Grace Okafor"}

    someone = next(c for c in calls if c["customer_name"])
    last_name = someone["customer_name"].split()[-1]
    found = json.loads(cli("calls", "--json", "--search", last_name).stdout)
    assert found and all(last_name in c["customer_name"] for c in found)
    digits = someone["phone"][-7:]
    by_phone = json.loads(cli("calls", "--json", "--search", f"{digits[:3]}-{digits[3:]}").stdout)
    assert by_phone and all(digits in c["phone"] for c in by_phone)

    table = cli("calls", "--limit", "3")
    assert table.returncode == 0 and len(table.stdout.splitlines()) == 4


def test_import_calls_reports_counts_and_rejected_lines(cli):
    result = cli("import", "calls", str(DATA / "calllog" / "five9.csv"), "--tz", "America/Chicago", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["layout"] == "five9" and report["imported"] > 0
    assert report["rejected"] == len(report["rejected_rows"]) > 0
    assert all(isinstance(r["line"], int) and r["reason"] for r in report["rejected_rows"])
    text = cli("import", "calls", str(DATA / "calllog" / "five9.csv"), "--tz", "America/Chicago")
    assert f"0 imported, {report['imported']} already there" in text.stdout


def test_user_errors_are_one_line_exit_1_no_traceback(cli, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    odd = tmp_path / "odd.csv"
    odd.write_text("When,Who\n2026-11-16 09:00,8165550101\n")
    cases = [
        (("import", "calls", str(empty)), "empty.csv is empty (0 bytes)"),
        (("import", "calls", str(tmp_path / "missing.csv")), "no such file"),
        (("import", "calls", str(odd)), "match no preset"),
        (("import", "calls", str(odd), "--preset", "nosuch"), "no preset called 'nosuch'"),
        (("import", "calls", str(odd), "--map", "start=When"), "'start' is not a field"),
        (("import", "calls", str(odd), "--tz", "Mars/Olympus"), "not a time zone"),
        (("calls", "--since", "soonish"), "--since 'soonish'"),
    ]
    for args, message in cases:
        result = cli(*args)
        assert result.returncode == 1, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("cardsender: error: ") and message in lines[0], lines
        assert "Traceback" not in result.stderr


def test_map_imports_a_layout_no_preset_knows(cli, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("When,Who,Agent\n2026-11-16 09:00,8165550101,Maria Lopez\n")
    result = cli("import", "calls", str(odd), "--map", "started_at=When", "--map", "phone=Who",
                 "--map", "rep=Agent", "--tz", "UTC", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["imported"] == 1
    calls = json.loads(cli("calls", "--json").stdout)
    assert (calls[0]["started_at"], calls[0]["phone"], calls[0]["rep"]) == ("2026-11-16T09:00:00Z", "+18165550101", "Maria Lopez")


def test_usage_errors_exit_2(cli):
    assert cli("calls", "--limit", "zero").returncode == 2
    assert cli("import").returncode == 2
    assert cli("frobnicate").returncode == 2


def test_a_store_that_is_not_one_is_refused_and_left_alone(cli, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 200)
    result = cli("calls", "--db", str(notes), db=False)
    assert result.returncode == 1 and "is not a cardsender store" in result.stderr
    assert notes.read_text().startswith("not a database")


def test_environment_variable_picks_the_store(cli, tmp_path, monkeypatch):
    chosen = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv("CARDSENDER_DB", str(chosen))
    assert cli("calls", db=False).returncode == 0
    assert chosen.exists()
