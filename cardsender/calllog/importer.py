"""Importing a call-log export into the store: every good row in, every bad row reported."""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path

from cardsender.calllog.csvfile import BadRecord, DelimitedFile, FileProblem, read_delimited
from cardsender.calllog.parsing import ValueProblem, parse_datetime, parse_duration, zone_from_text
from cardsender.calllog.presets import Layout, PresetError, detect_layout, load_presets
from cardsender.model import ImportReport, utc_stamp
from cardsender.phones import DEFAULT_REGION, PhoneError, to_e164

CHUNK_ROWS = 5000


class ImportCancelled(Exception):
    """The person asked to stop; rows already imported stay (a re-import skips them)."""


def local_zone() -> tzinfo:
    from datetime import datetime

    return datetime.now().astimezone().tzinfo


def choose_layout(table: DelimitedFile, preset: str | Layout | None) -> Layout:
    if isinstance(preset, Layout):
        return preset
    presets, _problems = load_presets()
    if preset:
        if preset not in presets:
            raise PresetError(f"no preset called {preset!r}; the presets are: {', '.join(sorted(presets))}")
        return presets[preset]
    return detect_layout(table.header, presets, table.path.name)


def import_calls(
    store,
    path: str | Path,
    *,
    preset: str | Layout | None = None,
    tz: tzinfo | None = None,
    region: str = DEFAULT_REGION,
    actor: str = "",
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import a call log. ``preset`` is a preset name, a :class:`Layout` (from ``--map`` or a
    mapping file) or None to detect it from the header. Times written without a zone are read
    in ``tz`` (default: this computer's zone) unless the layout says they are UTC.

    ``progress(lines_done, lines_total)`` is called after each chunk; when ``cancelled()``
    returns true the import stops after the chunk in hand and raises ImportCancelled."""
    table = read_delimited(path)
    layout = choose_layout(table, preset)
    columns = layout.bind(table.header, table.path.name)
    report = ImportReport(file=str(path), kind="calls", layout=layout.name)
    reader = _RowReader(layout, columns, len(table.header), tz or local_zone(), region)
    imported_at = utc_stamp()
    chunk: list[dict] = []

    def flush(last_line: int) -> None:
        if chunk:
            inserted, matched = store.insert_calls(chunk)
            report.imported += inserted
            report.already_there += len(chunk) - inserted
            report.matched += matched
            chunk.clear()
        if progress:
            progress(last_line, table.line_count)
        if cancelled and cancelled():
            raise ImportCancelled(f"import of {table.path.name} stopped at line {last_line}")

    for record in table.records():
        if isinstance(record, BadRecord):
            report.reject(record.line, record.reason)
            continue
        try:
            call = reader.call(record.values)
        except (ValueProblem, PhoneError) as problem:
            report.reject(record.line, str(problem))
            continue
        call["imported_at"] = imported_at
        chunk.append(call)
        if len(chunk) >= CHUNK_ROWS:
            flush(record.line)
    flush(table.line_count)
    if report.imported or report.already_there or report.rejected:
        store.record_event("import.calls", actor or "cardsender", detail={
            k: v for k, v in report.as_dict().items() if k not in ("rejected_rows", "warnings")
        })
    return report


class _RowReader:
    """Turns one row of values into a call record, or says why it cannot."""

    def __init__(self, layout: Layout, columns: dict[str, int], width: int, tz: tzinfo, region: str):
        self.layout = layout
        self.columns = columns
        self.width = width
        self.zone = zone_from_text("UTC") if layout.time_zone == "UTC" else tz
        self.region = region

    def _get(self, values: list[str], name: str) -> str:
        index = self.columns.get(name)
        if index is None or index >= len(values):
            return ""
        return values[index].strip()

    def _time(self, values: list[str], name: str):
        text = self._get(values, name)
        if name == "started_at" and "started_at" not in self.columns:
            text = f"{self._get(values, 'date')} {self._get(values, 'time')}".strip()
        if not text:
            return None
        zone = self.zone
        zone_text = self._get(values, "timezone")
        if zone_text:
            zone = zone_from_text(zone_text)
        return parse_datetime(text, zone, self.layout.date_order)

    def call(self, values: list[str]) -> dict:
        if len(values) > self.width and any(v.strip() for v in values[self.width:]):
            raise ValueProblem(
                f"the row has {len(values)} fields but the header has {self.width} "
                "(a delimiter inside a field that is not quoted?)"
            )
        started = self._time(values, "started_at")
        if started is None:
            raise ValueProblem("the start time is empty")
        raw_direction = self._get(values, "direction")
        direction = self.layout.direction_of(raw_direction)
        if direction is None:
            if "direction" in self.columns:
                known = sorted({v for v in self.layout.directions} or {"inbound", "outbound"})
                raise ValueProblem(
                    f"the direction {raw_direction!r} is unknown to the {self.layout.name} layout "
                    f"(it knows: {', '.join(known)})"
                )
            direction = "inbound"
        if direction == "internal":
            raise ValueProblem(f"an internal call ({raw_direction}), not a call with a customer")
        duration = parse_duration(self._get(values, "duration"), self.layout.duration_unit)
        if duration is None and "ended_at" in self.columns:
            ended = self._time(values, "ended_at")
            begun = self._time(values, "connected_at") if "connected_at" in self.columns else None
            if ended is not None:
                duration = max(0, round((ended - (begun or started)).total_seconds()))
        if duration is not None and duration < 0:
            raise ValueProblem(f"the duration is negative ({duration} s)")
        phone_text = self._get(values, "phone")
        if not phone_text:
            phone_text = self._get(values, "caller" if direction == "inbound" else "callee")
        if not phone_text:
            raise ValueProblem(f"no customer phone number (an {direction} call with no {'caller' if direction == 'inbound' else 'number called'})")
        phone = to_e164(phone_text, self.region)
        started_at = started.strftime("%Y-%m-%dT%H:%M:%SZ")
        rep = self._get(values, "rep")
        external_id = self._get(values, "external_id")
        dedupe_key = (
            f"{self.layout.system}:{external_id}" if external_id
            else f"{phone}|{started_at}|{rep.lower()}"
        )
        return {
            "source": self.layout.system,
            "external_id": external_id or None,
            "dedupe_key": dedupe_key,
            "started_at": started_at,
            "duration_s": duration,
            "direction": direction,
            "phone": phone,
            "rep": rep,
            "reason": self._get(values, "reason"),
            "account_number": self._get(values, "account_number"),
            "caller_name": self._get(values, "customer_name"),
        }


__all__ = ["FileProblem", "ImportCancelled", "import_calls", "local_zone"]
