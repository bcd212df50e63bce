"""Reading exports as phone systems and spreadsheets write them, and broken ones."""

import random

import pytest

from cardsender.calllog.csvfile import BadRecord, FileProblem, Record, read_delimited

ROWS = [["call_id", "started_at", "phone", "note"], ["c1", "2026-11-16 09:00", "8165550101", "Zoë paid €20"],
        ["c2", "2026-11-16 10:00", "8165550102", "ok"]]


def as_text(delimiter, newline="\r\n"):
    return newline.join(delimiter.join(row) for row in ROWS) + newline


@pytest.mark.parametrize(
    "encoding, prefix, label",
    [("utf-8", b"", "UTF-8"), ("utf-8", b"\xef\xbb\xbf", "UTF-8 with BOM"), ("utf-16-le", b"\xff\xfe", "UTF-16"),
     ("utf-16-be", b"\xfe\xff", "UTF-16"), ("utf-16-le", b"", "UTF-16-LE"), ("cp1252", b"", "Windows-1252")],
)
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_encodings_and_delimiters(write_file, encoding, prefix, label, delimiter):
    path = write_file("export.csv", prefix + as_text(delimiter).encode(encoding))
    table = read_delimited(path)
    assert table.encoding == label
    assert table.delimiter == delimiter
    assert table.header == ROWS[0]
    assert [r.values for r in table.records()] == ROWS[1:]


def test_quoted_newlines_crlf_and_line_numbers(write_file):
    text = 'id,reason,phone\r\n1,"Outage\r\nfollow-up, with comma",8165550101\r\n\r\n2,"said ""thanks""",8165550102\r\n'
    records = list(read_delimited(write_file("x.csv", text)).records())
    assert records == [Record(2, ["1", "Outage\r\nfollow-up, with comma", "8165550101"]),
                       Record(5, ["2", 'said "thanks"', "8165550102"])]


def test_excel_sep_line_sets_the_delimiter(write_file):
    table = read_delimited(write_file("x.csv", "sep=;\r\na;b,c\r\n1;2,3\r\n"))
    assert table.header == ["a", "b,c"] and [r.values for r in table.records()] == [["1", "2,3"]]


def test_unbalanced_quote_costs_one_row(write_file):
    text = 'id,reason,phone\n1,ok,8165550101\n2,"never closed,8165550102\n3,fine,8165550103\n4,fine too,8165550104\n'
    records = list(read_delimited(write_file("x.csv", text)).records())
    assert records[0] == Record(2, ["1", "ok", "8165550101"])
    assert isinstance(records[1], BadRecord) and records[1].line == 3 and "never closed" in records[1].reason
    assert records[2:] == [Record(4, ["3", "fine", "8165550103"]), Record(5, ["4", "fine too", "8165550104"])]


def test_one_megabyte_field_is_reported_and_reading_goes_on(write_file):
    text = "id,reason,phone\n1," + "x" * 1_048_576 + ",8165550101\n2,ok,8165550102\n"
    records = list(read_delimited(write_file("x.csv", text)).records())
    assert isinstance(records[0], BadRecord) and "1,048,576 characters" in records[0].reason
    assert records[1] == Record(3, ["2", "ok", "8165550102"])


@pytest.mark.parametrize(
    "content, message",
    [(b"", "is empty \\(0 bytes\\)"), (b"\r\n\r\n  \n", "no header row"),
     (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "Excel workbook"),
     (random.Random(7).randbytes(4096), "not a text file"), (bytes(range(256)) * 8, "not a text file")],
    ids=["zero-bytes", "blank-lines", "xlsx", "random-bytes", "byte-ramp"],
)
def test_files_that_cannot_be_read_say_why(write_file, content, message):
    with pytest.raises(FileProblem, match=message):
        read_delimited(write_file("calls.csv", content))


def test_missing_file_is_a_clear_problem(tmp_path):
    with pytest.raises(FileProblem, match="no such file"):
        read_delimited(tmp_path / "nope.csv")
