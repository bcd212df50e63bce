"""Reading delimited text files the way phone systems and spreadsheets really write them.

UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text"), Windows-1252; comma, semicolon,
tab or pipe delimited whatever the file is called; CR, LF or CRLF line ends; quoted fields
with embedded newlines. A record that cannot be read is reported with its line and the reading
goes on with the next line.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import NamedTuple

# Our own limit replaces the csv module's (131,072): a longer field is reported with its row
# rather than stopping the file.
csv.field_size_limit(1 << 30)
MAX_FIELD_CHARS = 100_000

_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_SIGNATURES = {
    b"PK\x03\x04": "an Excel workbook (.xlsx) or another zip file",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls)",
    b"%PDF": "a PDF document",
    b"{\\rtf": "a Rich Text document",
}


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says what to do about it."""


class Record(NamedTuple):  # a tuple: made once per row of files a million rows long
    line: int  # 1-based line on which the record starts
    values: list[str]


class BadRecord(NamedTuple):
    line: int
    reason: str


@dataclass
class DelimitedFile:
    path: Path
    encoding: str
    delimiter: str
    header: list[str]
    header_line: int
    _lines: list[str]

    @property
    def delimiter_name(self) -> str:
        return _DELIMITER_NAMES[self.delimiter]

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def records(self) -> Iterator[Record | BadRecord]:
        return _records(self._lines, self.header_line, self.delimiter, len(self.header))


def read_delimited(path: str | Path) -> DelimitedFile:
    """Open a delimited text file and read its header row."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileProblem(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FileProblem(f"{path} is a folder, not a file") from None
    except OSError as error:
        raise FileProblem(f"{path}: cannot be read ({error.strerror})") from None
    text, encoding = decode_text(data, path.name)
    lines = list(io.StringIO(text, newline=""))
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index == len(lines):
        raise FileProblem(f"{path.name} has no header row: it holds only blank lines")
    delimiter = None
    hint = re.fullmatch(r"\s*sep=(.)\s*", lines[index])  # Excel's "sep=;" first line
    if hint:
        delimiter = hint.group(1)
        index += 1
    delimiter = delimiter or sniff_delimiter(lines[index])
    try:
        raw_header = next(csv.reader([lines[index]], delimiter=delimiter, strict=True))
    except (csv.Error, StopIteration):
        raise FileProblem(f"{path.name}: the header row on line {index + 1} cannot be read") from None
    header = [_clean_header(name, i) for i, name in enumerate(raw_header)]
    return DelimitedFile(path, encoding, delimiter, header, index + 1, lines)


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    if not data:
        raise FileProblem(f"{name} is empty (0 bytes)")
    for signature, what in _SIGNATURES.items():
        if data.startswith(signature):
            raise FileProblem(
                f"{name} is {what}, not a text export: save it as CSV or as Unicode text and import that"
            )
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        head = data[:4096]
        nuls = head.count(0)
        if nuls > len(head) // 4:
            # UTF-16 without a byte-order mark: ASCII text has its NULs on one side.
            even = head[0::2].count(0)
            candidates = ["utf-16-be" if even > nuls // 2 else "utf-16-le"]
        else:
            candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _looks_like_text(text):
            break
        return text, {"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8", "cp1252": "Windows-1252"}.get(
            encoding, encoding.upper()
        )
    raise FileProblem(
        f"{name} is not a text file in an encoding cardsender reads (UTF-8, UTF-16 or Windows-1252)"
    )


def _looks_like_text(text: str) -> bool:
    """Bytes can decode without error and still be binary (any even run of bytes is UTF-16)."""
    sample = text[:4096]
    odd = sum(1 for c in sample if c not in "\t\r\n" and unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs"))
    return odd <= len(sample) // 100


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header row most often, counting outside quotes."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _clean_header(name: str, index: int) -> str:
    name = name.replace("\ufeff", "").strip().strip('"').strip()
    return name or f"column {index + 1}"


def _records(lines: list[str], start: int, delimiter: str, width: int) -> Iterator[Record | BadRecord]:
    """Records from ``lines[start:]``. After a record that cannot be read, reading starts
    again on the line after the one where that record began, so one stray quote costs one row."""
    pos = start
    while pos < len(lines):
        reader = csv.reader(islice(lines, pos, None), delimiter=delimiter)
        first = pos  # index of the line the next record starts on
        restart = None
        try:
            for values in reader:
                consumed = pos + reader.line_num  # lines read so far, as an index
                if not values or (values == [""] and width != 1):
                    first = consumed
                    continue
                if consumed - first > 1 and len(values) != width:
                    yield BadRecord(
                        first + 1,
                        'a quote (") opened on this line is never closed, so the row runs into '
                        f"the lines below it (to line {consumed})",
                    )
                    restart = first + 1
                    break
                if max(map(len, values)) > MAX_FIELD_CHARS:
                    longest = max(range(len(values)), key=lambda i: len(values[i]))
                    yield BadRecord(
                        first + 1,
                        f"field {longest + 1} is {len(values[longest]):,} characters long "
                        f"(more than {MAX_FIELD_CHARS:,}); the row was skipped",
                    )
                else:
                    yield Record(first + 1, values)
                first = consumed
        except csv.Error as error:
            yield BadRecord(first + 1, f"cannot be read as delimited text ({error})")
            restart = max(pos + reader.line_num, first + 1)
        if restart is None:
            return
        pos = restart
