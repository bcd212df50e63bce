"""Importing a call-log export into the store: every good row in, every bad row reported."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, tzinfo
from pathlib import Path

from cardsender.calllog.csvfile import BadRecord, DelimitedFile, FileProblem, read_delimited
from cardsender.calllog.parsing import ValueProblem, parse_datetime, parse_duration, zone_from_text
from cardsender.calllog.presets import FIELDS, Layout, PresetError, detect_layout, load_presets
from cardsender.model import ImportReport, utc_stamp
from cardsender.phones import DEFAULT_REGION, PhoneError, to_e164

# Rows per transaction. Calls are indexed by phone, which lands every row on a different index
# page: large chunks rewrite each page once per chunk instead of once per few rows.
CHUNK_ROWS = 20_000


class ImportCancelled(Exception):
    """The person asked to stop; rows already imported stay (a re-import skips them).
    ``report`` says what was done before the stop."""

    def __init__(self, message: str, report: ImportReport):
        super().__init__(message)
        self.report = report


def local_zone() -> tzinfo:
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
    default_rep: str = "",
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import a call log. ``preset`` is a preset name, a :class:`Layout` (from ``--map`` or a
    mapping file) or None to detect it from the header. Times written without a zone are read
    in ``tz`` (default: this computer's zone) unless the layout says they are UTC. Rows that
    name no rep get ``default_rep`` (an export of one person's own calls).

    ``progress(lines_done, lines_total)`` is called after each chunk; when ``cancelled()``
    returns true the import stops after the chunk in hand and raises ImportCancelled."""
    table = read_delimited(path)
    layout = choose_layout(table, preset)
    columns = layout.bind(table.header, table.path.name)
    report = ImportReport(file=str(path), kind="calls", layout=layout.name)
    reader = _RowReader(layout, columns, len(table.header), tz or local_zone(), region, default_rep.strip())
    with _collector_paused():
        _read_rows(store, table, reader, report, utc_stamp(), progress, cancelled)
    if report.imported or report.already_there or report.rejected:
        store.record_event("import.calls", actor or "cardsender", detail={
            k: v for k, v in report.as_dict().items() if k not in ("rejected_rows", "warnings")
        })
    return report


@contextlib.contextmanager
def _collector_paused():
    """Python's cycle collector rescans every live row of a chunk each time it runs, which
    costs an import a fifth of its time; rows make no reference cycles, so pause it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_rows(store, table, reader, report, imported_at, progress, cancelled) -> None:
    chunk: list[dict] = []
    # SQLite stores a chunk with the GIL released, so one writer thread stores chunk N while
    # this thread reads chunk N+1 (bench/import_calls.py). Only one thread uses the store at a
    # time: the next chunk is handed over only after the previous one is stored.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cardsender-import") as writer:
        storing: Future | None = None

        def finish_storing() -> None:
            nonlocal storing
            if storing is not None:
                inserted, matched, count = storing.result()
                report.imported += inserted
                report.already_there += count - inserted
                report.matched += matched
                storing = None

        def store_chunk(rows: list[dict]) -> tuple[int, int, int]:
            return (*store.insert_calls(rows), len(rows))

        def flush(last_line: int) -> None:
            nonlocal storing
            finish_storing()
            if chunk:
                storing = writer.submit(store_chunk, chunk.copy())
                chunk.clear()
            if progress:
                progress(last_line, table.line_count)
            if cancelled and cancelled():
                finish_storing()
                raise ImportCancelled(f"import of {table.path.name} stopped at line {last_line}", report)

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
        finish_storing()


class _RowReader:
    """Turns one row of values into a call record, or says why it cannot.

    This runs once per row of exports a million rows long, so column positions are looked up
    once, here, rather than by name for every row."""

    def __init__(self, layout: Layout, columns: dict[str, int], width: int, tz: tzinfo, region: str,
                 default_rep: str = ""):
        self.layout = layout
        self.default_rep = default_rep
        self.width = width
        self.zone = zone_from_text("UTC") if layout.time_zone == "UTC" else tz
        self.region = region
        self.has = columns.keys()
        # A field the file lacks reads the empty string padded after the last column.
        self.at = {name: columns.get(name, width) for name in FIELDS}
        self.padding = [""] * (width + 1)

    def _time(self, values: list[str], name: str) -> datetime | None:
        if name == "started_at" and "started_at" not in self.has:
            day, clock = values[self.at["date"]].strip(), values[self.at["time"]].strip()
            if bool(day) != bool(clock):
                raise ValueProblem(f"the start time is incomplete (date {day!r}, time {clock!r})")
            text = f"{day} {clock}".strip()
        else:
            text = values[self.at[name]].strip()
        if not text:
            return None
        zone_text = values[self.at["timezone"]].strip()
        zone = zone_from_text(zone_text) if zone_text else self.zone
        return parse_datetime(text, zone, self.layout.date_order)

    def call(self, values: list[str]) -> dict:
        at = self.at
        if len(values) > self.width and any(v.strip() for v in values[self.width:]):
            raise ValueProblem(
                f"the row has {len(values)} fields but the header has {self.width} "
                "(a delimiter inside a field that is not quoted?)"
            )
        if len(values) <= self.width:
            values += self.padding[len(values):]
        started = self._time(values, "started_at")
        if started is None:
            raise ValueProblem("the start time is empty")
        raw_direction = values[at["direction"]].strip()
        direction = self.layout.direction_of(raw_direction)
        if direction is None:
            if "direction" in self.has:
                known = sorted(self.layout.directions or {"inbound", "outbound"})
                raise ValueProblem(
                    f"the direction {raw_direction!r} is unknown to the {self.layout.name} layout "
                    f"(it knows: {', '.join(known)})"
                )
            direction = "inbound"
        if direction == "internal":
            raise ValueProblem(f"an internal call ({raw_direction}), not a call with a customer")
        duration = parse_duration(values[at["duration"]].strip(), self.layout.duration_unit)
        if duration is None and "ended_at" in self.has:
            ended = self._time(values, "ended_at")
            begun = self._time(values, "connected_at") if "connected_at" in self.has else None
            if ended is not None:
                duration = max(0, round((ended - (begun or started)).total_seconds()))
        phone_text = values[at["phone"]].strip()
        if not phone_text:
            party = "caller" if direction == "inbound" else "callee"
            phone_text = values[at[party]].strip()
            if not phone_text:
                called = "caller" if direction == "inbound" else "number called"
                raise ValueProblem(f"no customer phone number (an {direction} call with no {called})")
        phone = to_e164(phone_text, self.region)
        # isoformat() is several times faster than strftime() on a million rows.
        started_at = started.isoformat(timespec="seconds")[:19] + "Z"
        rep = values[at["rep"]].strip() or self.default_rep
        external_id = values[at["external_id"]].strip()
        return {
            "source": self.layout.system,
            "external_id": external_id or None,
            "dedupe_key": (
                f"{self.layout.system}:{external_id}" if external_id
                else f"{phone}|{started_at}|{rep.lower()}"
            ),
            "started_at": started_at,
            "duration_s": duration,
            "direction": direction,
            "phone": phone,
            "rep": rep,
            "reason": values[at["reason"]].strip(),
            "account_number": values[at["account_number"]].strip(),
            "caller_name": values[at["customer_name"]].strip(),
        }


__all__ = ["FileProblem", "ImportCancelled", "import_calls", "local_zone"]
