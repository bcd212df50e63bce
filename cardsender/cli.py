"""The command line (see DESIGN.md, "The command line contract").

A user error prints one line, ``cardsender: error: ...``, on stderr and exits 1; a usage error
exits 2; ``--json`` prints machine-readable output with stable keys. No Qt is imported here:
the desktop client is reached through one lazy import in :func:`run_gui`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import traceback
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from cardsender import APP_NAME, __version__
from cardsender.environment import current_actor, home_region
from cardsender.errors import UserError, is_user_error
from cardsender.model import CardState

SETTINGS = ("company", "return_address", "country")

EXIT_USER_ERROR = 1


# -- parsing the command line -----------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help="the store file (default: $CARDSENDER_DB, else the user's data folder)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print machine-readable JSON")

    parser = argparse.ArgumentParser(
        prog=APP_NAME, parents=[common],
        description="Send a personal, printed follow-up card after a customer-service call. "
                    "With no command, opens the desktop client.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--self-check", action="store_true",
                        help="check this installation (store, data files, a proof of every template, Qt) "
                             "and exit: 0 when all is well, 1 naming what failed")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("gui", parents=[common], help="open the desktop client (the default)")

    demo = commands.add_parser("demo", parents=[common], help="fill the store with a realistic demo data set")
    demo.add_argument("--queue", metavar="N", type=_positive_int, help="also add N queued cards")
    demo.set_defaults(handler=cmd_demo)

    imports = commands.add_parser("import", parents=[common], help="import a call log or a customer directory")
    what = imports.add_subparsers(dest="what", metavar="WHAT", required=True)
    calls_in = what.add_parser("calls", parents=[common], help="import a phone system's call-log export")
    calls_in.add_argument("file", metavar="FILE")
    calls_in.add_argument("--preset", metavar="NAME", help="the export's layout (default: detected from the header)")
    calls_in.add_argument("--map", metavar="FIELD=COLUMN", action="append", default=[],
                          help="read FIELD from COLUMN (repeat; for layouts no preset knows)")
    calls_in.add_argument("--map-file", metavar="FILE", help="a mapping file (TOML, like a preset)")
    calls_in.add_argument("--tz", metavar="ZONE",
                          help="time zone of times written without one (default: this computer's)")
    calls_in.add_argument("--region", metavar="CC", default=None,
                          help="country of phone numbers written without a country code "
                               "(default: $CARDSENDER_REGION, else US)")
    calls_in.add_argument("--rep", metavar="NAME", default="",
                          help="the rep of rows that name none (an export of one person's own calls)")
    calls_in.set_defaults(handler=cmd_import_calls)
    customers_in = what.add_parser("customers", parents=[common], help="import a customer directory")
    customers_in.add_argument("file", metavar="FILE")
    customers_in.add_argument("--region", metavar="CC", default=None,
                              help="country of customers whose row names none (default: $CARDSENDER_REGION, else US)")
    customers_in.set_defaults(handler=cmd_import_customers)

    calls = commands.add_parser("calls", parents=[common], help="recent calls, newest first")
    calls.add_argument("--rep", metavar="NAME", help="only this rep's calls (as the call log names them)")
    calls.add_argument("--since", metavar="WHEN", help="from a date (2026-11-20), a time (ISO 8601) or an age (7d, 12h)")
    calls.add_argument("--search", metavar="TEXT", help="a customer's name, or three or more digits of a phone number")
    calls.add_argument("--limit", metavar="N", type=_positive_int, default=50, help="at most N calls (default 50)")
    calls.set_defaults(handler=cmd_calls)
    templates = commands.add_parser("templates", parents=[common], help="the card templates")
    templates.set_defaults(handler=cmd_templates)

    card = commands.add_parser("card", parents=[common], help="make, proof, queue or cancel a card")
    card_commands = card.add_subparsers(dest="card_command", metavar="ACTION", required=True)
    card_new = card_commands.add_parser("new", parents=[common], help="a draft card for a call's customer")
    card_new.add_argument("--call", metavar="ID", type=_positive_int, required=True)
    card_new.add_argument("--template", metavar="SLUG", required=True)
    note = card_new.add_mutually_exclusive_group(required=True)
    note.add_argument("--note", metavar="TEXT", help="the note (merge fields like {first_name} allowed)")
    note.add_argument("--note-file", metavar="FILE", help="read the note from a UTF-8 text file")
    card_new.add_argument("--rep", metavar="NAME", help="the rep who signs (default: the call's rep)")
    card_new.set_defaults(handler=cmd_card_new)
    card_proof = card_commands.add_parser("proof", parents=[common], help="a print-ready PDF of one card")
    card_proof.add_argument("id", metavar="ID", type=_positive_int)
    card_proof.add_argument("-o", "--output", metavar="FILE", required=True)
    card_proof.add_argument("--cmyk", action="store_true", help="write colours as CMYK")
    card_proof.set_defaults(handler=cmd_card_proof)
    for action, helptext in (("queue", "queue a card for mailing"), ("cancel", "cancel a card")):
        sub = card_commands.add_parser(action, parents=[common], help=helptext)
        sub.add_argument("id", metavar="ID", type=_positive_int)
        sub.set_defaults(handler=cmd_card_state, action=action)

    cards = commands.add_parser("cards", parents=[common], help="cards and their states")
    cards.add_argument("--status", choices=[s.value for s in CardState])
    cards.add_argument("--rep", metavar="NAME")
    cards.add_argument("--limit", metavar="N", type=_positive_int, default=100)
    cards.set_defaults(handler=cmd_cards)

    signature = commands.add_parser("signature", parents=[common],
                                    help="a rep's signature image, printed on their cards instead of their name")
    signature.add_argument("rep", metavar="REP", help="the rep, as the call logs name them")
    signature.add_argument("image", metavar="FILE", nargs="?",
                           help="a PNG (transparent background) or JPEG, 150 pixels tall or more")
    signature.add_argument("--remove", action="store_true", help="go back to the name in a script face")
    signature.set_defaults(handler=cmd_signature)

    batch = commands.add_parser("batch", parents=[common], help="the mailroom's batches")
    batch_commands = batch.add_subparsers(dest="batch_command", metavar="ACTION", required=True)
    batch_new = batch_commands.add_parser("new", parents=[common], help="batch queued cards into print files")
    batch_new.add_argument("-o", "--output", metavar="DIR", required=True, help="the folder for the batch's folder")
    batch_new.add_argument("--stock", metavar="STOCK", default="note-cards-letter", help="see `cardsender stocks`")
    where = batch_new.add_mutually_exclusive_group()
    where.add_argument("--envelope", metavar="KEY", help="one envelope for all (default: each card's own)")
    where.add_argument("--labels", metavar="KEY", help="address labels instead of envelopes")
    batch_new.add_argument("--limit", metavar="N", type=_positive_int, help="at most N cards")
    batch_new.add_argument("--cards", metavar="ID,ID", help="only these queued cards")
    batch_new.add_argument("--printer", metavar="NAME", default="", help="use this printer's offsets for the stock")
    batch_new.set_defaults(handler=cmd_batch_new)
    for action, helptext in (("mailed", "mark a batch mailed"), ("void", "void a batch: its cards go back to the queue")):
        sub = batch_commands.add_parser(action, parents=[common], help=helptext)
        sub.add_argument("id", metavar="ID", type=_positive_int)
        sub.set_defaults(handler=cmd_batch_state, action=action)
    batch_reprint = batch_commands.add_parser("reprint", parents=[common], help="reprint one card or its envelope")
    batch_reprint.add_argument("id", metavar="ID", type=_positive_int)
    batch_reprint.add_argument("--card", metavar="CARD", type=_positive_int, required=True)
    batch_reprint.add_argument("--envelope", action="store_true", help="its envelope, not the card")
    batch_reprint.add_argument("--printer", metavar="NAME", default="")
    batch_reprint.add_argument("-o", "--output", metavar="FILE", required=True)
    batch_reprint.set_defaults(handler=cmd_batch_reprint)
    batches = commands.add_parser("batches", parents=[common], help="the batches, newest first")
    batches.set_defaults(handler=cmd_batches)

    stocks = commands.add_parser("stocks", parents=[common], help="paper stocks, envelopes and label sheets")
    stock_commands = stocks.add_subparsers(dest="stock_command", metavar="ACTION")
    offset = stock_commands.add_parser("offset", parents=[common], help="set a printer's offsets for a stock")
    offset.add_argument("stock", metavar="STOCK")
    offset.add_argument("--printer", metavar="NAME", required=True)
    offset.add_argument("--front", metavar="DX,DY", type=_offset, default=(0.0, 0.0), help="inches, + right and up")
    offset.add_argument("--back", metavar="DX,DY", type=_offset, default=(0.0, 0.0))
    offset.set_defaults(handler=cmd_stock_offset)
    calibrate = stock_commands.add_parser("calibrate", parents=[common], help="a calibration page for a stock")
    calibrate.add_argument("stock", metavar="STOCK")
    calibrate.add_argument("--printer", metavar="NAME", default="")
    calibrate.add_argument("-o", "--output", metavar="FILE", required=True)
    calibrate.set_defaults(handler=cmd_stock_calibrate)
    stocks.set_defaults(handler=cmd_stocks)

    report = commands.add_parser("report", parents=[common], help="what was sent, by whom, how fast")
    report.add_argument("--since", metavar="DATE", required=True, help="from this day (2026-11-01), UTC")
    report.add_argument("--until", metavar="DATE", help="up to this day, not included (default: tomorrow)")
    report.add_argument("--by", choices=("rep", "template", "week"), default="rep")
    report.add_argument("--csv", metavar="FILE", help="also write the table as CSV (safe to open in a spreadsheet)")
    report.add_argument("--pdf", metavar="FILE", help="also write a one-page PDF summary with charts")
    report.set_defaults(handler=cmd_report)

    settings = commands.add_parser("settings", parents=[common],
                                   help="the sender's company, return address and country")
    settings.add_argument("key", nargs="?", choices=SETTINGS, help="a setting to change")
    settings.add_argument("value", nargs="?", help="its new value (return_address: lines separated by |)")
    settings.set_defaults(handler=cmd_settings)
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _offset(text: str) -> tuple[float, float]:
    try:
        dx, dy = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: write DX,DY in inches, e.g. 0.03,-0.02") from None
    if abs(dx) > 1 or abs(dy) > 1:
        raise argparse.ArgumentTypeError("an offset of more than an inch is a mistake, not printer drift")
    return dx, dy


def parse_since(text: str, now: datetime | None = None) -> str:
    """A UTC stamp from ``7d``/``12h``, a local date ``2026-11-20`` or an ISO 8601 time."""
    from cardsender.model import utc_stamp

    now = now or datetime.now(timezone.utc)
    value = text.strip()
    age = re.fullmatch(r"(\d+)\s*([dhm])", value)
    if age:
        amount = int(age[1])
        delta = {"d": timedelta(days=amount), "h": timedelta(hours=amount), "m": timedelta(minutes=amount)}[age[2]]
        return utc_stamp(now - delta)
    try:
        day = date.fromisoformat(value)
        return utc_stamp(datetime(day.year, day.month, day.day).astimezone())
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UserError(f"--since {text!r}: write a date (2026-11-20), a time (2026-11-20T09:00) or an age (7d, 12h)") from None
    return utc_stamp(moment if moment.tzinfo else moment.astimezone())


# -- running ---------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.db = getattr(args, "db", None)
    args.json = getattr(args, "json", False)
    if args.self_check:
        if args.command:
            parser.error("--self-check takes no command")
        args.handler = cmd_self_check
    elif args.command in (None, "gui"):
        return run_gui(args.db)
    try:
        return args.handler(args) or 0
    except KeyboardInterrupt:
        print(f"{APP_NAME}: stopped", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # every failure reaches the user as one line
        return report_error(error)


def report_error(error: Exception) -> int:
    if is_user_error(error):
        print(f"{APP_NAME}: error: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    log = _write_crash_log(error)
    print(f"{APP_NAME}: error: something went wrong inside cardsender ({type(error).__name__}: {error}); "
          f"details are in {log}", file=sys.stderr)
    return EXIT_USER_ERROR


def _write_crash_log(error: Exception) -> Path:
    import platformdirs

    folder = platformdirs.user_log_path(APP_NAME, appauthor=False)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "crash.log"
    with path.open("a", encoding="utf-8") as log:
        log.write(f"--- {datetime.now().isoformat()} {APP_NAME} {__version__} {sys.argv!r}\n")
        log.write("".join(traceback.format_exception(error)))
    return path


def run_gui(db: str | None) -> int:
    """The one place outside cardsender/ui/ that reaches for the desktop client."""
    try:
        from cardsender.ui.app import run
    except ImportError as error:
        print(f"{APP_NAME}: error: the desktop client cannot start ({error}); "
              "install the package with its GUI dependencies", file=sys.stderr)
        return EXIT_USER_ERROR
    return run(db)


def cmd_self_check(args) -> int:
    from cardsender.selfcheck import self_check_command

    return self_check_command(args.db, as_json=args.json, out=sys.stdout, err=sys.stderr)


def _open_store(args):
    from cardsender.store import open_store

    return open_store(args.db)


def _print_json(value) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def _region(args) -> str:
    if not args.region:
        return home_region()
    region = args.region.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", region):
        raise UserError(f"--region {region!r}: use a two-letter country code such as US, GB or DE")
    return region


# -- commands --------------------------------------------------------------------------------
def cmd_import_calls(args) -> int:
    from cardsender.calllog.importer import import_calls
    from cardsender.calllog.parsing import zone_from_text
    from cardsender.calllog.presets import layout_from_map, load_mapping_file

    if sum(bool(x) for x in (args.preset, args.map, args.map_file)) > 1:
        raise UserError("use one of --preset, --map or --map-file")
    layout = args.preset
    if args.map:
        layout = layout_from_map(args.map)
    elif args.map_file:
        layout = load_mapping_file(args.map_file)
    tz = zone_from_text(args.tz) if args.tz else None
    with _open_store(args) as store:
        report = import_calls(store, args.file, preset=layout, tz=tz, region=_region(args),
                              actor=current_actor(), default_rep=args.rep)
    _print_report(report, args.json)
    return 0


def cmd_import_customers(args) -> int:
    from cardsender.calllog.customers import import_customers

    with _open_store(args) as store:
        report = import_customers(store, args.file, region=_region(args), actor=current_actor())
    _print_report(report, args.json)
    return 0


def _print_report(report, as_json: bool) -> None:
    if as_json:
        _print_json(report.as_dict())
        return
    name = Path(report.file).name
    parts = [f"{report.imported:,} imported"]
    if report.kind == "customers":
        parts.append(f"{report.updated:,} updated")
    parts += [f"{report.already_there:,} already there", f"{len(report.rejected):,} rejected"]
    print(f"{name} ({report.layout}): " + ", ".join(parts))
    if report.matched:
        print(f"{report.matched:,} calls matched to customers")
    shown = 50
    for row in report.rejected[:shown]:
        print(f"  rejected {row}")
    if len(report.rejected) > shown:
        print(f"  ... and {len(report.rejected) - shown:,} more rejected rows (--json lists them all)")
    for row in report.warnings[:shown]:
        print(f"  warning  {row}")
    if len(report.warnings) > shown:
        print(f"  ... and {len(report.warnings) - shown:,} more warnings (--json lists them all)")


def cmd_calls(args) -> int:
    since = parse_since(args.since) if args.since else None
    with _open_store(args) as store:
        rows = store.recent_calls(rep=args.rep, since=since, search=args.search, limit=args.limit)
    calls = [call_json(row) for row in rows]
    if args.json:
        _print_json(calls)
        return 0
    if not calls:
        print("no calls found")
        return 0
    print(f"{'ID':>7}  {'WHEN':16}  {'CUSTOMER':26}  {'PHONE':15}  {'REP':16}  {'LENGTH':>6}  {'CARD':9}  REASON")
    for call in calls:
        when = datetime.fromisoformat(call["started_at"]).astimezone().strftime("%Y-%m-%d %H:%M")
        who = call["customer_name"] if call["customer_id"] else "(no customer matched)"
        length = "" if call["duration_s"] is None else f"{call['duration_s'] // 60}:{call['duration_s'] % 60:02d}"
        print(f"{call['id']:>7}  {when:16}  {who[:26]:26}  {call['phone']:15}  {call['rep'][:16]:16}  "
              f"{length:>6}  {call['card_status'] or '-':9}  {' / '.join(call['reason'].splitlines())}")
    return 0


def call_json(row: dict) -> dict:
    """A call as ``calls --json`` prints it (keys documented in README.md)."""
    name = " ".join(p for p in (row["first_name"], row["last_name"]) if p) or row["company"] or ""
    return {
        "id": row["id"],
        "started_at": row["started_at"],
        "duration_s": row["duration_s"],
        "direction": row["direction"],
        "phone": row["phone"],
        "rep": row["rep"],
        "reason": row["reason"],
        "source": row["source"],
        "external_id": row["external_id"],
        "customer_id": row["customer_id"],
        "customer_name": name or None,
        "mailable": None if row["customer_id"] is None else bool(row["mailable"]),
        "card_status": row["card_status"],
    }


def cmd_demo(args) -> int:
    from cardsender.demo import load_demo, queue_demo_cards

    with _open_store(args) as store:
        summary = load_demo(store, actor=current_actor())
        if args.queue:
            summary["cards_queued"] = queue_demo_cards(store, args.queue, actor=current_actor())
    if args.json:
        _print_json(summary)
    else:
        print(f"demo data in {summary['store']}: {summary['customers_added']:,} customers and "
              f"{summary['calls_added']:,} calls added ({summary['customers']:,} customers and "
              f"{summary['calls']:,} calls in the store)")
        if args.queue:
            print(f"{summary['cards_queued']:,} cards queued for the mailroom")
    return 0


def cmd_templates(args) -> int:
    from cardsender.templates import load_templates

    templates, problems = load_templates()
    for problem in problems:
        print(f"{APP_NAME}: warning: {problem}", file=sys.stderr)
    rows = [{"slug": t.slug, "name": t.name, "occasion": t.occasion, "format": t.format.key,
             "description": t.description} for t in templates.values()]
    if args.json:
        _print_json(rows)
        return 0
    for row in rows:
        print(f"{row['slug']:30} {row['format']:14} {row['occasion']:16} {row['name']}")
    return 0


def cmd_card_new(args) -> int:
    from cardsender.cards import new_card, prepared

    if args.note_file:
        try:
            note = Path(args.note_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UserError(f"--note-file {args.note_file}: cannot be read ({error})") from None
    else:
        note = args.note
    with _open_store(args) as store:
        card_id = new_card(store, call_id=args.call, template_slug=args.template, note=note, rep=args.rep,
                           actor=current_actor())
        try:
            status = prepared(store, card_id).note.describe()
            ready = True
        except Exception as error:
            if not is_user_error(error):
                raise
            status, ready = str(error), False
    if args.json:
        _print_json({"id": card_id, "status": "draft", "ready": ready, "fit": status})
    else:
        print(f"card {card_id}: draft, {status}" + ("" if ready else " (fix it before queuing)"))
    return 0


def cmd_card_proof(args) -> int:
    from cardsender.cards import write_proof

    out = Path(args.output)
    with _open_store(args) as store:
        partial = out.with_name(out.name + ".partial")
        try:
            write_proof(store, args.id, partial, cmyk=args.cmyk)
            partial.replace(out)
        finally:
            partial.unlink(missing_ok=True)
    if args.json:
        _print_json({"id": args.id, "file": str(out)})
    else:
        print(f"card {args.id}: proof written to {out}")
    return 0


def cmd_card_state(args) -> int:
    from cardsender.cards import queue

    with _open_store(args) as store:
        if args.action == "queue":
            card = queue(store, args.id, actor=current_actor())
        else:
            store.cancel_card(args.id, actor=current_actor())
            card = store.get_card(args.id)
    if args.json:
        _print_json({"id": card["id"], "status": card["status"]})
    else:
        print(f"card {card['id']}: {card['status']}")
    return 0


def cmd_cards(args) -> int:
    with _open_store(args) as store:
        rows = store.list_cards(status=args.status, rep=args.rep, limit=args.limit)
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("no cards")
    for row in rows:
        print(f"{row['id']:>6}  {row['status']:9}  {row['created_at']}  {row['rep'][:18]:18}  "
              f"{row['template_slug']} v{row['template_version']}  customer {row['customer_id']}")
    return 0


def cmd_settings(args) -> int:
    with _open_store(args) as store:
        if args.key and args.value is not None:
            value = args.value
            if args.key == "return_address":
                value = [line.strip() for line in value.split("|") if line.strip()]
            elif args.key == "country":
                value = value.strip().upper()
                if not re.fullmatch(r"[A-Z]{2}", value):
                    raise UserError("country: use a two-letter code such as US or GB")
            store.set_setting(args.key, value, actor=current_actor())
        values = {key: store.get_setting(key) for key in SETTINGS}
    if args.json:
        _print_json(values)
    else:
        for key, value in values.items():
            shown = " | ".join(value) if isinstance(value, list) else (value or "(not set)")
            print(f"{key:15} {shown}")
    return 0


def cmd_signature(args) -> int:
    from cardsender.render.card import check_signature_image

    if bool(args.image) == bool(args.remove):
        raise UserError("give a signature image FILE, or --remove")
    image = None
    if args.image:
        try:
            image = Path(args.image).read_bytes()
        except OSError as error:
            raise UserError(f"{args.image}: cannot be read ({error.strerror})") from None
        check_signature_image(image)
    with _open_store(args) as store:
        store.set_signature_image(args.rep, image, actor=current_actor())
    print(f"{args.rep}: signature image {'removed' if image is None else 'saved'}")
    return 0


def cmd_batch_new(args) -> int:
    from cardsender.mailroom import create_batch

    card_ids = None
    if args.cards:
        try:
            card_ids = [int(v) for v in args.cards.split(",") if v.strip()]
        except ValueError:
            raise UserError(f"--cards {args.cards!r}: write card ids separated by commas") from None
    with _open_store(args) as store:
        result = create_batch(store, Path(args.output), stock=args.stock, envelope=args.envelope, labels=args.labels,
                              card_ids=card_ids, limit=args.limit, printer=args.printer, actor=current_actor())
    if args.json:
        _print_json({"id": result.batch_id, "folder": str(result.folder), "cards": result.cards,
                     "sheets": result.sheets, "files": {k: str(v) for k, v in result.files.items()},
                     "notes": result.left_in_queue})
        return 0
    print(f"batch {result.batch_id}: {result.cards:,} cards on {result.sheets:,} sheets in {result.folder}")
    for kind, path in result.files.items():
        print(f"  {kind:13} {path.name}")
    for note in result.left_in_queue:
        print(f"  note: {note}")
    return 0


def cmd_batch_state(args) -> int:
    with _open_store(args) as store:
        if args.action == "mailed":
            store.mark_batch_mailed(args.id, actor=current_actor())
        else:
            store.void_batch(args.id, actor=current_actor())
        batch = store.get_batch(args.id)
    if args.json:
        _print_json({"id": batch["id"], "status": batch["status"], "cards": batch["card_count"]})
    else:
        print(f"batch {batch['id']}: {batch['status']} ({batch['card_count']} cards"
              + (", back in the queue)" if args.action == "void" else ")"))
    return 0


def cmd_batch_reprint(args) -> int:
    from cardsender.mailroom import reprint

    out = Path(args.output)
    with _open_store(args) as store:
        reprint(store, args.id, args.card, out, envelope=args.envelope, printer=args.printer)
    print(f"batch {args.id}: {'envelope' if args.envelope else 'card'} {args.card} written to {out}")
    return 0


def cmd_batches(args) -> int:
    with _open_store(args) as store:
        rows = store.list_batches()
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("no batches")
    for row in rows:
        print(f"{row['id']:>5}  {row['status']:8}  {row['created_at']}  {row['card_count']:>5} cards  "
              f"{row['stock']}  {row['envelope'] or '-'}  by {row['created_by']}")
    return 0


def cmd_stocks(args) -> int:
    from cardsender.stocks import load_envelopes, load_label_sheets, load_sheets
    from cardsender.templates import load_formats

    formats = load_formats()
    sheets = [{"key": s.key, "title": s.title, "precut": s.precut,
               "cards_per_sheet": {f: len(s.for_format(formats[f]).positions(formats[f])) for f in s.formats}}
              for s in load_sheets().values()]
    envelopes = [{"key": e.key, "title": e.title} for e in load_envelopes().values()]
    labels = [{"key": l.key, "title": l.title, "per_sheet": l.per_sheet} for l in load_label_sheets().values()]
    if args.json:
        _print_json({"sheets": sheets, "envelopes": envelopes, "labels": labels})
        return 0
    print("sheets:")
    for s in sheets:
        fits = ", ".join(f"{n} {f}" for f, n in s["cards_per_sheet"].items())
        print(f"  {s['key']:20} {s['title']} ({fits})")
    print("envelopes:")
    for e in envelopes:
        print(f"  {e['key']:20} {e['title']}")
    print("labels:")
    for l in labels:
        print(f"  {l['key']:20} {l['title']}")
    return 0


def cmd_stock_offset(args) -> int:
    from cardsender.stocks import load_sheets

    if args.stock not in load_sheets():
        raise UserError(f"no stock called {args.stock!r}")
    with _open_store(args) as store:
        store.set_printer_offsets(args.stock, args.printer, front=args.front, back=args.back, actor=current_actor())
    print(f"{args.stock} on {args.printer}: front {args.front[0]:+.3f},{args.front[1]:+.3f} in, "
          f"back {args.back[0]:+.3f},{args.back[1]:+.3f} in")
    return 0


def cmd_stock_calibrate(args) -> int:
    from cardsender.mailroom import calibration_page

    with _open_store(args) as store:
        calibration_page(store, args.stock, Path(args.output), printer=args.printer)
    print(f"calibration page for {args.stock} written to {args.output}")
    return 0


def cmd_report(args) -> int:
    from cardsender.csvfiles import write_csv
    from cardsender.reports import CSV_COLUMNS, build_report, cards_per_week_by_rep, parse_day, report_rows

    since = parse_day(args.since)
    until = parse_day(args.until) if args.until else (
        datetime.now(timezone.utc) + timedelta(days=1)).strftime("%Y-%m-%dT00:00:00Z")
    with _open_store(args) as store:
        report = build_report(store, since=since, until=until, by=args.by)
        if args.pdf:
            from cardsender.render.fonts import font_book
            from cardsender.render.report_pdf import render_report_pdf

            render_report_pdf(report, cards_per_week_by_rep(store, since=since, until=until), font_book(),
                              Path(args.pdf), company=store.get_setting("company", ""))
    if args.csv:
        write_csv(Path(args.csv), CSV_COLUMNS, report_rows(report))
    if args.json:
        _print_json(report.as_dict())
        return 0
    print(f"{since[:10]} to {until[:10]} (UTC), by {args.by}")
    print(f"{args.by:24} {'calls':>7} {'w/card':>7} {'share':>6} {'drafted':>7} {'queued':>7} {'mailed':>7} "
          f"{'cancel':>6} {'to queue h':>11} {'to mail h':>10} {'repeat':>6}")
    for figures in [*report.rows, report.total]:
        share = "" if figures.share_with_card is None else f"{figures.share_with_card:.0%}"
        print(f"{(figures.key or '(none)')[:24]:24} {_num(figures.calls):>7} {_num(figures.with_card):>7} {share:>6} "
              f"{figures.drafted:>7,} {figures.queued:>7,} {figures.mailed:>7,} {figures.cancelled:>6,} "
              f"{_num(figures.call_to_queued_median_h):>11} {_num(figures.queued_to_mailed_median_h):>10} "
              f"{figures.repeat_cards:>6,}")
    return 0


def _num(value) -> str:
    if value is None:
        return "-"
    return f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
