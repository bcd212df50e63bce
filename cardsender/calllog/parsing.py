"""Dates, times and durations as phone systems write them, read into UTC and seconds."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class ValueProblem(ValueError):
    """A value that cannot be read; the message is for a person."""


_EPOCH = re.compile(r"\d{9,10}(\.\d+)?|\d{12,13}")
_RFC2822 = re.compile(r"([A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")
_SLASHED = re.compile(
    r"(?:[A-Za-z]{2,9}\.?,?\s+)?"  # a weekday: "Wed 6/6/2016"
    r"(?P<a>\d{1,4})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{2,4})"
    r"(?:[\sT,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
    r"\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
)
_NAMED_FORMATS = (
    "%b %d, %Y %I:%M:%S %p", "%b %d, %Y %I:%M %p", "%b %d, %Y %H:%M:%S", "%B %d, %Y %I:%M:%S %p",
    "%B %d, %Y %I:%M %p", "%d-%b-%Y %H:%M:%S", "%d %b %Y %H:%M:%S", "%d %B %Y %H:%M:%S",
)
_OFFSET = re.compile(r"(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?")
_HMS = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,]\d+)?")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def parse_datetime(text: str, zone: tzinfo, date_order: str = "MDY") -> datetime:
    """Read a date-time and return it in UTC. A value without a zone is a time in ``zone``."""
    value = text.strip()
    if not value:
        raise ValueProblem("the start time is empty")
    try:  # the common case first: ISO 8601
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = _read(value, date_order)
    if moment is None:
        raise ValueProblem(f"the start time {value!r} is not a date and time cardsender knows")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(timezone.utc)


def _read(value: str, date_order: str) -> datetime | None:
    if _EPOCH.fullmatch(value):
        seconds = float(value) / (1000 if len(value) >= 12 and "." not in value else 1)
        return datetime.fromtimestamp(seconds, timezone.utc)
    if _RFC2822.match(value):
        try:
            return parsedate_to_datetime(value)
        except (TypeError, ValueError):
            pass
    match = _SLASHED.fullmatch(value)
    if match:
        return _from_parts(match, date_order)
    for fmt in _NAMED_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


def _from_parts(match: re.Match, date_order: str) -> datetime | None:
    a, b, c = match["a"], match["b"], match["c"]
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    else:
        order = "DMY" if match["sep"] == "." else date_order
        first, second = int(a), int(b)
        month, day = (first, second) if order == "MDY" else (second, first)
        year = int(c) + (2000 if len(c) == 2 else 0)
    hour, minute, second_ = int(match["H"] or 0), int(match["M"] or 0), int(match["S"] or 0)
    micro = int((match["f"] or "0")[:6].ljust(6, "0"))
    ampm = (match["ampm"] or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        moment = datetime(year, month, day, hour, minute, second_, micro)
    except ValueError:
        return None
    if match["zone"]:
        return moment.replace(tzinfo=zone_from_text(match["zone"]))
    return moment


@lru_cache(maxsize=512)
def zone_from_text(text: str) -> tzinfo:
    """An IANA zone name (``America/Chicago``), ``UTC``/``GMT``/``Z`` or an offset (``+02:00``)."""
    value = text.strip()
    if value.upper() in ("", "Z", "UTC", "GMT", "ETC/UTC"):
        return timezone.utc
    offset = _OFFSET.fullmatch(value)
    if offset:
        sign = -1 if offset[1] == "-" else 1
        return timezone(sign * timedelta(hours=int(offset[2]), minutes=int(offset[3] or 0)))
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueProblem(f"{value!r} is not a time zone (use a name like America/Chicago or an offset like -06:00)") from None


def parse_duration(text: str, unit: str = "auto") -> int | None:
    """Seconds from ``65``, ``65.4``, ``65000`` (ms), ``1:05`` or ``0:01:05``; None when empty."""
    value = text.strip()
    if not value:
        return None
    if unit in ("hms", "auto") and ":" in value:
        match = _HMS.fullmatch(value)
        if not match:
            raise ValueProblem(f"the duration {value!r} is not H:MM:SS")
        hours, minutes, seconds = int(match[1] or 0), int(match[2]), int(match[3])
        return hours * 3600 + minutes * 60 + seconds
    if not _NUMBER.fullmatch(value):
        raise ValueProblem(f"the duration {value!r} is not a number of seconds")
    number = float(value.replace(",", "."))
    return round(number / 1000) if unit == "ms" else round(number)
