"""Call-log layouts: the presets shipped in ``assets/calllog-presets/`` and custom mappings.

A preset is data (TOML, see docs/calllog-presets.md): which column holds which field, how its
dates and durations are written, and what its direction values mean.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from cardsender.calllog.csvfile import FileProblem
from cardsender.resources import asset_path

FIELDS = (
    "external_id", "started_at", "date", "time", "timezone", "duration", "connected_at",
    "ended_at", "direction", "caller", "callee", "phone", "rep", "reason", "account_number",
    "customer_name",
)
NEEDED = "a start time (started_at, or date and time) and the customer's number (phone, or caller and callee)"
_FORMAT_CHOICES = {
    "time_zone": ("UTC", "local"),
    "duration": ("seconds", "ms", "hms", "auto"),
    "date_order": ("MDY", "DMY"),
}
_MEANINGS = ("inbound", "outbound", "internal")
# Direction words most systems use; a preset's own values come first.
COMMON_DIRECTIONS = {
    "inbound": "inbound", "in": "inbound", "incoming": "inbound", "received": "inbound",
    "outbound": "outbound", "out": "outbound", "outgoing": "outbound", "placed": "outbound",
    "dialed": "outbound", "internal": "internal",
}


class PresetError(Exception):
    """A preset or mapping file that cannot be used; the message names the file and field."""


@dataclass(frozen=True)
class Layout:
    name: str
    title: str
    system: str
    columns: dict[str, tuple[str, ...]]
    detect: tuple[str, ...] = ()
    time_zone: str = "local"
    duration_unit: str = "auto"
    date_order: str = "MDY"
    directions: dict[str, str] = field(default_factory=dict)
    default_direction: str | None = None

    def direction_of(self, value: str) -> str | None:
        key = value.strip().lower()
        if not key and self.default_direction:
            return self.default_direction
        return self.directions.get(key) or COMMON_DIRECTIONS.get(key)

    def matches(self, header: list[str]) -> bool:
        names = {h.strip().lower() for h in header}
        return bool(self.detect) and all(d.lower() in names for d in self.detect)

    def bind(self, header: list[str], file_name: str) -> dict[str, int]:
        """Which column index holds each field in this file; refuses a file that lacks a
        column the layout needs."""
        index = {}
        for i, name in enumerate(header):
            index.setdefault(name.strip().lower(), i)
        bound: dict[str, int] = {}
        missing: list[str] = []
        for name, alternatives in self.columns.items():
            found = next((index[a.lower()] for a in alternatives if a.lower() in index), None)
            if found is None:
                missing.append(f"{name} ({' or '.join(repr(a) for a in alternatives)})")
            else:
                bound[name] = found
        has_start = "started_at" in bound or ("date" in bound and "time" in bound)
        has_phone = "phone" in bound or "caller" in bound or "callee" in bound
        if not (has_start and has_phone):
            found = ", ".join(header)
            raise FileProblem(
                f"{file_name} cannot be read with the {self.title} layout: it needs {NEEDED}. "
                f"Not in the file: {'; '.join(missing) or 'nothing mapped'}. Its columns are: {found}"
            )
        return bound


def _as_tuple(value, where: str) -> tuple[str, ...]:
    if isinstance(value, str) and value.strip():
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(value)
    raise PresetError(f"{where} must be a column name or a list of column names")


def layout_from_data(data: dict, source: str, *, name: str, need_detect: bool) -> Layout:
    """Build a layout from parsed TOML, naming ``source`` and the field in every complaint."""
    known = {"name", "title", "system", "detect", "columns", "format", "direction"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise PresetError(f"{source}: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")
    columns_data = data.get("columns")
    if not isinstance(columns_data, dict) or not columns_data:
        raise PresetError(f"{source}: [columns] is missing or empty")
    columns = {}
    for key, value in columns_data.items():
        if key not in FIELDS:
            raise PresetError(f"{source}: columns.{key} is not a field (fields: {', '.join(FIELDS)})")
        columns[key] = _as_tuple(value, f"{source}: columns.{key}")
    detect: tuple[str, ...] = ()
    if need_detect:
        detect = _as_tuple(data.get("detect"), f"{source}: detect")
    fmt = data.get("format", {})
    if not isinstance(fmt, dict):
        raise PresetError(f"{source}: [format] must be a table")
    for key, value in fmt.items():
        choices = _FORMAT_CHOICES.get(key)
        if choices is None:
            raise PresetError(f"{source}: format.{key} is not a format setting ({', '.join(_FORMAT_CHOICES)})")
        if value not in choices:
            raise PresetError(f"{source}: format.{key} = {value!r}; use one of {', '.join(choices)}")
    directions: dict[str, str] = {}
    default_direction = None
    for meaning, values in data.get("direction", {}).items():
        if meaning == "default":
            if values not in ("inbound", "outbound"):
                raise PresetError(f"{source}: direction.default must be inbound or outbound")
            default_direction = values
            continue
        if meaning not in _MEANINGS:
            raise PresetError(f"{source}: direction.{meaning} is not one of {', '.join(_MEANINGS)}")
        for value in _as_tuple(values, f"{source}: direction.{meaning}"):
            directions[value.strip().lower()] = meaning
    title = data.get("title") or name
    return Layout(
        name=name, title=str(title), system=str(data.get("system") or name), columns=columns,
        detect=detect, time_zone=fmt.get("time_zone", "local"), duration_unit=fmt.get("duration", "auto"),
        date_order=fmt.get("date_order", "MDY"), directions=directions, default_direction=default_direction,
    )


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise PresetError(f"{path}: cannot be read ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise PresetError(f"{path}: not valid TOML ({error})") from None


def presets_dir() -> Path:
    return asset_path("calllog-presets")


def load_presets(folder: Path | None = None) -> tuple[dict[str, Layout], list[str]]:
    """Every preset in the folder, and a message for each file that could not be loaded (the
    others still load)."""
    presets: dict[str, Layout] = {}
    problems: list[str] = []
    for path in sorted((folder or presets_dir()).glob("*.toml")):
        try:
            data = _read_toml(path)
            if data.get("name", path.stem) != path.stem:
                raise PresetError(f"{path}: name {data.get('name')!r} must equal the file name {path.stem!r}")
            presets[path.stem] = layout_from_data(data, str(path), name=path.stem, need_detect=True)
        except PresetError as error:
            problems.append(str(error))
    return presets, problems


def load_mapping_file(path: str | Path) -> Layout:
    path = Path(path)
    data = _read_toml(path)
    data.pop("detect", None)
    return layout_from_data(data, str(path), name=data.pop("name", "custom"), need_detect=False)


def layout_from_map(pairs: list[str]) -> Layout:
    """A layout from ``--map FIELD=COLUMN`` arguments."""
    columns: dict[str, tuple[str, ...]] = {}
    for pair in pairs:
        field_name, sep, column = pair.partition("=")
        field_name = field_name.strip()
        if not sep or not column.strip():
            raise PresetError(f"--map {pair!r}: write FIELD=COLUMN, e.g. started_at='Start Time'")
        if field_name not in FIELDS:
            raise PresetError(f"--map {pair!r}: {field_name!r} is not a field (fields: {', '.join(FIELDS)})")
        columns[field_name] = (column.strip(),)
    return Layout(name="custom", title="custom mapping", system="custom", columns=columns, default_direction="inbound")


def detect_layout(header: list[str], presets: dict[str, Layout], file_name: str) -> Layout:
    """The preset whose detection columns the header holds (the most specific one)."""
    matching = [p for p in presets.values() if p.matches(header)]
    if matching:
        return max(matching, key=lambda p: len(p.detect))
    raise FileProblem(
        f"cannot tell which phone system wrote {file_name}: its columns ({', '.join(header)}) match "
        f"no preset ({', '.join(sorted(presets))}). Name one with --preset, or map the columns with "
        f"--map FIELD=COLUMN (or --map-file); it needs {NEEDED}, and can use "
        f"{', '.join(f for f in FIELDS if f not in ('started_at', 'date', 'time', 'phone', 'caller', 'callee'))}"
    )
