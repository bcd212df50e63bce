"""Card formats and templates: data files, loaded and checked field by field.

A template is a folder holding ``template.toml`` and its art (docs/templates.md). It is data:
it can name only files inside its own folder, and nothing in it runs.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tomllib
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from cardsender.resources import asset_path

INCH = 72.0
MM = INCH / 25.4
OCCASIONS = ("thank-you", "apology", "patience", "welcome", "congratulations", "sympathy", "holidays",
             "anniversary", "other")
MERGE_FIELDS = ("first_name", "last_name", "full_name", "rep_name", "company")
ART_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
# The USPS address side of a postcard (DMM 202, Publication 28), from its bottom-left corner.
READ_AREA_BOTTOM = 0.625 * INCH      # the address block stays above this...
READ_AREA_TOP = 2.75 * INCH          # ...and below this
BARCODE_ZONE_HEIGHT = 0.625 * INCH   # the bottom 5/8 in of the rightmost 4 3/4 in stays blank
BARCODE_ZONE_WIDTH = 4.75 * INCH
ADDRESS_HALF = 3.0 * INCH            # the right half of the address side starts here
NOTE_HALF_END = 2.9 * INCH           # the note's half ends here
DESCENDER_ROOM = 0.12 * INCH         # below a baseline, for g, j, p, q, y

_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_FIELD = re.compile(r"\{([^{}]*)\}")


class TemplateError(Exception):
    """A template or format file that cannot be used; the message names the file and field."""


class MergeError(ValueError):
    """A merge field that is unknown or has no value; the message names it."""


@dataclass(frozen=True)
class CardFormat:
    key: str
    title: str
    width: float  # trim width of one panel, points
    height: float
    folded: bool
    bleed: float
    safe: float
    envelope: str = ""

    @property
    def panels(self) -> tuple[str, ...]:
        return ("front", "back", "inside-left", "inside-right") if self.folded else ("front", "address")

    @property
    def note_panel(self) -> str:
        return "inside-right" if self.folded else "address"

    @property
    def spreads(self) -> tuple[tuple[str, ...], ...]:
        """What each printed page holds, left to right: a folded card's outside then inside
        spread, or a postcard's front then address side."""
        if self.folded:
            return (("back", "front"), ("inside-left", "inside-right"))
        return (("front",), ("address",))


@dataclass(frozen=True)
class TextSpot:
    text: str
    font: str
    size: float
    color: str
    at: tuple[float, float]  # points from the panel's top-left trim corner, y down


@dataclass(frozen=True)
class NoteSpec:
    panel: str
    box: tuple[float, float, float, float]  # x, y, width, height in points, y down
    font: str
    min_size: float
    max_size: float
    leading: float
    color: str
    align: str


@dataclass(frozen=True)
class Template:
    slug: str
    folder: Path
    name: str
    occasion: str
    format: CardFormat
    description: str
    suggested_note: str
    colors: dict[str, str]
    colors_cmyk: dict[str, tuple[float, float, float, float]]
    art: dict[str, Path]
    note: NoteSpec
    greeting: TextSpot | None
    signature: TextSpot
    definition: str = field(repr=False, default="")

    def bundle(self) -> bytes:
        """The template's files packed (zip, fixed order and times) for pinning a version."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted({*self.art.values()}):
                info = zipfile.ZipInfo(path.name, date_time=(2000, 1, 1, 0, 0, 0))
                archive.writestr(info, path.read_bytes())
        return out.getvalue()

    @cached_property  # the art is read and packed once per loaded template
    def content_hash(self) -> str:
        return hashlib.sha256(self.definition.encode() + b"\0" + self.bundle()).hexdigest()


# -- formats ----------------------------------------------------------------------------------
def load_formats(path: Path | None = None) -> dict[str, CardFormat]:
    path = path or asset_path("formats.toml")
    data = _read_toml(path)
    formats = {}
    for key, spec in data.items():
        where = f"{path}: [{key}]"
        if "trim" in spec:
            width, height = (_number(v, f"{where} trim") * INCH for v in _pair(spec["trim"], f"{where} trim"))
        elif "trim_mm" in spec:
            width, height = (_number(v, f"{where} trim_mm") * MM for v in _pair(spec["trim_mm"], f"{where} trim_mm"))
        else:
            raise TemplateError(f"{where}: trim (inches) or trim_mm is missing")
        formats[key] = CardFormat(
            key=key, title=str(spec.get("title", key)), width=width, height=height,
            folded=bool(spec.get("folded", False)), bleed=_number(spec.get("bleed", 0.125), f"{where} bleed") * INCH,
            safe=_number(spec.get("safe", 0.1875), f"{where} safe") * INCH, envelope=str(spec.get("envelope", "")),
        )
    return formats


# -- templates --------------------------------------------------------------------------------
TEMPLATES_ENV = "CARDSENDER_TEMPLATES"


def templates_dir() -> Path:
    """The company's own templates folder ($CARDSENDER_TEMPLATES), else the shipped ones."""
    chosen = os.environ.get(TEMPLATES_ENV)
    return Path(chosen).expanduser() if chosen else asset_path("templates")


def load_templates(folder: Path | None = None, formats: dict[str, CardFormat] | None = None
                   ) -> tuple[dict[str, Template], list[str]]:
    """Every template under ``folder``, and a message for each that could not be loaded (the
    others still load)."""
    formats = formats or load_formats()
    templates: dict[str, Template] = {}
    problems: list[str] = []
    folder = folder or templates_dir()
    if not folder.is_dir():
        return {}, [f"{folder}: no such templates folder"]
    for child in sorted(folder.iterdir()):
        if not child.is_dir() or child.name.startswith((".", "_")):
            continue
        try:
            templates[child.name] = load_template(child, formats)
        except TemplateError as error:
            problems.append(str(error))
    return templates, problems


def load_template(folder: Path, formats: dict[str, CardFormat] | None = None, *, slug: str | None = None) -> Template:
    formats = formats or load_formats()
    slug = slug or folder.name
    toml_path = folder / "template.toml"
    if not _SLUG.fullmatch(slug):
        raise TemplateError(f"{folder}: the folder name must be lower-case letters, digits and hyphens")
    if not toml_path.is_file():
        raise TemplateError(f"{toml_path}: missing")
    definition = toml_path.read_text(encoding="utf-8")
    data = _parse_toml(definition, toml_path)
    where = str(toml_path)

    def text(key: str, *, required: bool = True) -> str:
        value = data.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise TemplateError(f"{where}: {key} must be {'a non-empty ' if required else 'a '}string")
        return value.strip()

    fmt_key = text("format")
    if fmt_key not in formats:
        raise TemplateError(f"{where}: format {fmt_key!r} is not one of {', '.join(formats)}")
    fmt = formats[fmt_key]
    occasion = text("occasion")
    if occasion not in OCCASIONS:
        raise TemplateError(f"{where}: occasion {occasion!r} is not one of {', '.join(OCCASIONS)}")
    colors = {}
    for name, value in _table(data, "colors", where).items():
        if not isinstance(value, str) or not _HEX.fullmatch(value):
            raise TemplateError(f"{where}: colors.{name} must be a colour like \"#27324a\"")
        colors[name] = value
    colors_cmyk = {}
    for name, value in _table(data, "colors_cmyk", where, required=False).items():
        if name not in colors:
            raise TemplateError(f"{where}: colors_cmyk.{name} names no colour in [colors]")
        if not (isinstance(value, list) and len(value) == 4 and all(isinstance(v, (int, float)) and 0 <= v <= 100 for v in value)):
            raise TemplateError(f"{where}: colors_cmyk.{name} must be four percentages [c, m, y, k]")
        colors_cmyk[name] = tuple(float(v) / 100 for v in value)
    art = {}
    for panel, file_name in _table(data, "art", where).items():
        if panel not in fmt.panels:
            raise TemplateError(f"{where}: art.{panel} is not a panel of {fmt_key} ({', '.join(fmt.panels)})")
        art[panel] = _own_file(folder, file_name, f"{where}: art.{panel}")
    if "front" not in art:
        raise TemplateError(f"{where}: art.front is missing")
    for panel, path in art.items():
        if path.suffix.lower() != ".svg":
            _check_raster(path, fmt, f"{where}: art.{panel}")

    def color(spec: dict, key: str) -> str:
        name = spec.get("color", "ink")
        if name not in colors:
            raise TemplateError(f"{where}: {key}.color {name!r} is not a colour in [colors]")
        return name

    def spot(key: str) -> TextSpot:
        spec = _table(data, key, where)
        return TextSpot(
            text=_string(spec.get("text"), f"{where}: {key}.text"),
            font=_string(spec.get("font"), f"{where}: {key}.font"),
            size=_number(spec.get("size"), f"{where}: {key}.size"),
            color=color(spec, key),
            at=tuple(v * INCH for v in _point(spec.get("at"), f"{where}: {key}.at", fmt)),
        )

    note_spec = _table(data, "note", where)
    panel = note_spec.get("panel", fmt.note_panel)
    if panel != fmt.note_panel:
        raise TemplateError(f"{where}: note.panel must be {fmt.note_panel!r} for {fmt_key}")
    box = _box(note_spec.get("box"), f"{where}: note.box", fmt)
    sizes = note_spec.get("size")
    if not (isinstance(sizes, list) and len(sizes) == 2 and all(isinstance(v, (int, float)) for v in sizes)
            and 4 <= sizes[0] <= sizes[1] <= 72):
        raise TemplateError(f"{where}: note.size must be [smallest, largest] in points, e.g. [12, 18]")
    align = note_spec.get("align", "left")
    if align not in ("left", "center"):
        raise TemplateError(f"{where}: note.align must be left or center")
    note = NoteSpec(
        panel=panel, box=tuple(v * INCH for v in box), font=_string(note_spec.get("font"), f"{where}: note.font"),
        min_size=float(sizes[0]), max_size=float(sizes[1]),
        leading=_number(note_spec.get("leading", 1.25), f"{where}: note.leading"), color=color(note_spec, "note"),
        align=align,
    )
    greeting = spot("greeting") if "greeting" in data else None
    signature = spot("signature")
    if not fmt.folded:
        _check_note_half(where, fmt, note, greeting, signature)
    for spec_text, key in ((greeting.text if greeting else "", "greeting.text"), (signature.text, "signature.text"),
                           (data.get("suggested_note", ""), "suggested_note")):
        unknown = [f for f in _FIELD.findall(spec_text) if f not in MERGE_FIELDS]
        if unknown:
            raise TemplateError(f"{where}: {key} uses {{{unknown[0]}}}, which is not a merge field "
                                f"({', '.join(MERGE_FIELDS)})")
    return Template(
        slug=slug, folder=folder, name=text("name"), occasion=occasion, format=fmt,
        description=text("description", required=False), suggested_note=text("suggested_note", required=False),
        colors=colors, colors_cmyk=colors_cmyk, art=art, note=note, greeting=greeting, signature=signature,
        definition=definition,
    )


def _check_note_half(where: str, fmt: CardFormat, note: NoteSpec, greeting: TextSpot | None,
                     signature: TextSpot) -> None:
    """On a postcard's address side the words stay in the left half and out of the barcode
    clear zone (whose left edge is 4 3/4 in from the right)."""
    zone_left = fmt.width - BARCODE_ZONE_WIDTH
    zone_top = fmt.height - BARCODE_ZONE_HEIGHT  # y down, from the top
    x, y, w, h = note.box
    if x + w > NOTE_HALF_END or (y + h > zone_top and x + w > zone_left):
        raise TemplateError(f"{where}: note.box must stay in the left half ({NOTE_HALF_END / INCH:g} in) and above "
                            f"the barcode clear zone (the bottom {BARCODE_ZONE_HEIGHT / INCH:g} in)")
    for spot, key in ((greeting, "greeting"), (signature, "signature")):
        if spot and (spot.at[0] >= NOTE_HALF_END or spot.at[1] + DESCENDER_ROOM > zone_top):
            raise TemplateError(f"{where}: {key}.at must be in the left half and above the barcode clear zone "
                                f"(baseline at most {(zone_top - DESCENDER_ROOM) / INCH:.2f} in from the top)")


def unpack_bundle(definition: str, files: bytes | None, into: Path) -> Path:
    """Write a pinned template (its TOML and packed files) to ``into`` and return the folder."""
    into.mkdir(parents=True, exist_ok=True)
    (into / "template.toml").write_text(definition, encoding="utf-8")
    if files:
        with zipfile.ZipFile(io.BytesIO(files)) as archive:
            for info in archive.infolist():
                name = Path(info.filename).name  # never a path out of the folder
                (into / name).write_bytes(archive.read(info))
    return into


# -- merge fields -----------------------------------------------------------------------------
def merge(text: str, values: dict[str, str], where: str = "the note") -> str:
    """Fill ``{field}`` markers. An unknown field, or one with no value, is an error naming it."""

    def fill(match: re.Match) -> str:
        name = match.group(1).strip()
        if name not in MERGE_FIELDS:
            raise MergeError(f"{where} uses {{{name}}}, which is not a merge field ({', '.join(MERGE_FIELDS)})")
        value = (values.get(name) or "").strip()
        if not value:
            raise MergeError(f"{where} uses {{{name}}}, but this card has no {name.replace('_', ' ')}")
        return value

    return _FIELD.sub(fill, text)


# -- checking pieces --------------------------------------------------------------------------
def _read_toml(path: Path) -> dict:
    try:
        return _parse_toml(path.read_text(encoding="utf-8"), path)
    except OSError as error:
        raise TemplateError(f"{path}: cannot be read ({error.strerror})") from None


def _parse_toml(text: str, path: Path) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TemplateError(f"{path}: not valid TOML ({error})") from None


def _table(data: dict, key: str, where: str, required: bool = True) -> dict:
    value = data.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise TemplateError(f"{where}: [{key}] is missing")
    return value


def _string(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TemplateError(f"{where} must be a non-empty string")
    return value


def _number(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise TemplateError(f"{where} must be a number (not negative)")
    return float(value)


def _pair(value, where: str) -> tuple:
    if not (isinstance(value, list) and len(value) == 2):
        raise TemplateError(f"{where} must be [width, height]")
    return tuple(value)


def _point(value, where: str, fmt: CardFormat) -> tuple[float, float]:
    if not (isinstance(value, list) and len(value) == 2):
        raise TemplateError(f"{where} must be [x, y] in inches")
    x, y = (_number(v, where) for v in value)
    if x > fmt.width / INCH or y > fmt.height / INCH:
        raise TemplateError(f"{where} [{x}, {y}] is outside the {fmt.width / INCH:g} x {fmt.height / INCH:g} in panel")
    return x, y


def _box(value, where: str, fmt: CardFormat) -> tuple[float, float, float, float]:
    if not (isinstance(value, list) and len(value) == 4):
        raise TemplateError(f"{where} must be [x, y, width, height] in inches")
    x, y, w, h = (_number(v, where) for v in value)
    safe = fmt.safe / INCH
    panel_w, panel_h = fmt.width / INCH, fmt.height / INCH
    if w <= 0 or h <= 0 or x < safe - 1e-6 or y < safe - 1e-6 or x + w > panel_w - safe + 1e-6 or y + h > panel_h - safe + 1e-6:
        raise TemplateError(f"{where} {value} must lie inside the safe area ({safe:g} in inside the "
                            f"{panel_w:g} x {panel_h:g} in panel)")
    return x, y, w, h


MIN_PPI = 300


def _check_raster(path: Path, fmt: CardFormat, where: str) -> None:
    """Raster art must hold 300 pixels per inch or more at the size it prints."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            width, height = image.size
    except (OSError, UnidentifiedImageError):
        raise TemplateError(f"{where} {path.name!r} cannot be read as an image") from None
    ppi = min(width / ((fmt.width + 2 * fmt.bleed) / INCH), height / ((fmt.height + 2 * fmt.bleed) / INCH))
    if ppi < MIN_PPI - 0.5:
        raise TemplateError(f"{where} {path.name!r} is {ppi:.0f} ppi at the card's size; art needs {MIN_PPI} ppi or "
                            "more (or use SVG)")


def _own_file(folder: Path, name, where: str) -> Path:
    """A file inside the template's own folder: no absolute paths, no '..', no links out."""
    if not isinstance(name, str) or not name.strip():
        raise TemplateError(f"{where} must be a file name")
    candidate = Path(name)
    if candidate.is_absolute() or ".." in candidate.parts or len(candidate.parts) != 1:
        raise TemplateError(f"{where} {name!r} must be a file in the template's own folder")
    path = folder / candidate
    if path.is_symlink() or not path.resolve().is_relative_to(folder.resolve()):
        raise TemplateError(f"{where} {name!r} must be a file in the template's own folder, not a link")
    if path.suffix.lower() not in ART_SUFFIXES:
        raise TemplateError(f"{where} {name!r} must be SVG, PNG or JPEG")
    if not path.is_file():
        raise TemplateError(f"{where} {name!r} does not exist")
    return path
