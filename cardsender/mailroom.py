"""The mailroom: queued cards into batches of files a printer or a print shop takes as they are.

A batch writes, into its own folder, the cards imposed on the chosen stock, the envelopes or
labels in exactly the same order, and a manifest (CSV and PDF). Cards move to batched in the
same transaction that records the batch, after every file is complete; a failure or a cancel
leaves every card queued and no file under a final name.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cardsender.address import mailing_lines
from cardsender.cards import prepared, sender
from cardsender.errors import UserError, is_user_error
from cardsender.render.fonts import font_book
from cardsender.render.sheets import (
    label_size,
    render_calibration,
    render_card_sheets,
    render_envelopes,
    render_labels,
    render_manifest,
)
from cardsender.csvfiles import write_csv
from cardsender.stocks import load_envelopes, load_label_sheets, load_sheets
from cardsender.store import CardStateError
from cardsender.templates import load_formats

ATTEMPTS = 3  # another batch run may take some of the same cards: start again this often
MANIFEST_COLUMNS = ("seq", "card", "customer", "city", "postal code", "country", "rep", "template")


class BatchCancelled(Exception):
    """The person stopped the batch; every card is still queued."""


@dataclass
class BatchResult:
    batch_id: int
    folder: Path
    files: dict[str, Path]
    cards: int
    sheets: int
    left_in_queue: list[str] = field(default_factory=list)  # why some queued cards were not taken


def marker(batch_id: int, sequence: int) -> str:
    """What is printed on a card, its envelope and the manifest, to pair them: ``B0007·012``."""
    return f"B{batch_id:04d}·{sequence:03d}"


def _name(recipient: dict) -> str:
    return " ".join(p for p in (recipient.get("first_name"), recipient.get("last_name")) if p) or recipient.get("company", "")


def create_batch(store, out_dir: Path, *, stock: str, envelope: str | None = None, labels: str | None = None,
                 card_ids: Sequence[int] | None = None, limit: int | None = None, printer: str = "",
                 actor: str, progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> BatchResult:
    """Batch every queued card (or ``card_ids``, or the first ``limit`` in mailing order) that
    fits ``stock``. Envelopes: ``envelope``, else each card format's own; or ``labels``."""
    sheets, formats = load_sheets(), load_formats()
    if stock not in sheets:
        raise UserError(f"no stock called {stock!r}; the stocks are: {', '.join(sheets)}")
    if envelope and labels:
        raise UserError("choose envelopes or labels, not both")
    envelopes, label_sheets = load_envelopes(), load_label_sheets()
    if envelope and envelope not in envelopes:
        raise UserError(f"no envelope called {envelope!r}; the envelopes are: {', '.join(envelopes)}")
    if labels and labels not in label_sheets:
        raise UserError(f"no label sheet called {labels!r}; the label sheets are: {', '.join(label_sheets)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sheet = sheets[stock]
    for attempt in range(ATTEMPTS):
        queued = store.queued_for_batch(card_ids=card_ids, limit=None)
        fitting, left = [], []
        for card in queued:
            fmt = formats.get(_format_of(store, card))
            if fmt is None or fmt.key not in sheet.formats or not sheet.for_format(fmt).positions(fmt):
                left.append(card["id"])
            else:
                fitting.append(card)
        notes = [f"{len(left)} queued card{'s' if len(left) != 1 else ''} left in the queue: "
                 f"their format does not go on {sheet.title}"] if left else []
        fitting, problems = _printable(store, fitting, label_sheets.get(labels) if labels else None)
        notes += [f"card {card_id} left in the queue: {reason}" for card_id, reason in problems]
        if limit:
            fitting = fitting[:limit]
        if not fitting:
            raise UserError(f"no queued cards to batch on {sheet.title}" + (f" ({notes[0]})" if notes else ""))
        batch_id = store.reserve_batch(actor=actor, stock=stock, envelope=labels or envelope or "",
                                       output_dir=str(out_dir))
        folder = out_dir / f"batch-{batch_id:04d}"
        partial = out_dir / f".batch-{batch_id:04d}.partial"
        try:
            files, sheet_count = _write_files(store, batch_id, fitting, sheet, partial, envelopes, envelope,
                                              label_sheets.get(labels) if labels else None, printer,
                                              progress, cancelled)
            if folder.exists():  # left by a run that died between its rename and its commit
                folder.rename(out_dir / f"batch-{batch_id:04d}.stale")
            store.complete_batch(batch_id, [c["id"] for c in fitting], actor=actor,
                                 before_commit=lambda: partial.rename(folder))
        except CardStateError:
            # Another batch run took some of these cards first: nothing of ours changed.
            shutil.rmtree(partial, ignore_errors=True)
            store.fail_batch(batch_id, "another batch took some of its cards; started again", actor=actor)
            continue
        except BaseException as error:
            shutil.rmtree(partial, ignore_errors=True)
            reason = "cancelled" if isinstance(error, BatchCancelled) else str(error) or type(error).__name__
            store.fail_batch(batch_id, reason, actor=actor)
            raise
        return BatchResult(batch_id, folder, {k: folder / v.name for k, v in files.items()}, len(fitting),
                           sheet_count, notes)
    raise UserError("other batch runs kept taking the same cards; try again")


def _printable(store, queued: list[dict], label_sheet) -> tuple[list[dict], list[tuple[int, str]]]:
    """The cards that can be printed as they are, and why any other cannot (they stay queued:
    one bad address does not hold up the rest of the mail)."""
    book = font_book()
    country = sender(store)["country"]
    good, problems = [], []
    for card in queued:
        try:
            prepared(store, card["id"], book)
        except Exception as error:
            if not is_user_error(error):
                raise
            problems.append((card["id"], str(error)))
            continue
        if label_sheet is not None and label_size(mailing_lines(card["recipient"], country), label_sheet, book) is None:
            problems.append((card["id"], f"its address does not fit on a {label_sheet.title} label"))
            continue
        good.append(card)
    return good, problems


def _format_of(store, card: dict, _known: dict = {}) -> str:  # noqa: B006 (a cache of pinned versions)
    key = (str(store.path), card["template_slug"], card["template_version"])
    if key not in _known:
        _known[key] = store.get_template_version(card["template_slug"], card["template_version"])["format"]
    return _known[key]


def _write_files(store, batch_id, cards, sheet, partial: Path, envelopes, envelope_key, label_sheet, printer,
                 progress, cancelled) -> tuple[dict[str, Path], int]:
    partial.mkdir(parents=True)
    book = font_book()
    who = sender(store)
    total = len(cards)
    prepared_cards = []
    for sequence, card in enumerate(cards, start=1):
        if cancelled and cancelled():
            raise BatchCancelled(f"batch {batch_id} stopped; every card is still queued")
        prepared_cards.append(prepared(store, card["id"], book, marker=marker(batch_id, sequence)))
        if progress and sequence % 50 == 0:
            progress(sequence, total * 2)
    stem = f"batch-{batch_id:04d}"
    files = {"cards": partial / f"{stem}-cards.pdf"}
    offsets = store.printer_offsets(sheet.key, printer) if printer else None
    try:
        sheet_count = render_card_sheets(prepared_cards, sheet, book, files["cards"], offsets=offsets,
                                         title=f"Batch {batch_id}: cards on {sheet.title}", cancelled=cancelled,
                                         progress=(lambda done: progress(total + done, total * 2)) if progress else None)
    except InterruptedError:
        raise BatchCancelled(f"batch {batch_id} stopped; every card is still queued") from None
    recipients = [tuple(mailing_lines(c["recipient"], who["country"])) for c in cards]
    if label_sheet is not None:
        files["labels"] = partial / f"{stem}-labels.pdf"
        render_labels([(lines, marker(batch_id, i)) for i, lines in enumerate(recipients, start=1)],
                      label_sheet, book, files["labels"], title=f"Batch {batch_id}: labels")
    else:
        items = []
        for sequence, (card, lines) in enumerate(zip(prepared_cards, recipients), start=1):
            key = envelope_key or card.template.format.envelope
            if key:
                items.append((envelopes[key], lines, who["return_lines"], marker(batch_id, sequence)))
        if items:
            files["envelopes"] = partial / f"{stem}-envelopes.pdf"
            render_envelopes(items, book, files["envelopes"], title=f"Batch {batch_id}: envelopes")
    rows = [(str(i), str(c["id"]), _name(c["recipient"]), c["recipient"].get("city", ""),
             c["recipient"].get("postal_code", ""), c["recipient"].get("country", ""), c["rep"],
             p.template.name) for i, (c, p) in enumerate(zip(cards, prepared_cards), start=1)]
    files["manifest_csv"] = partial / f"{stem}-manifest.csv"
    write_csv(files["manifest_csv"], MANIFEST_COLUMNS, rows)
    files["manifest_pdf"] = partial / f"{stem}-manifest.pdf"
    render_manifest([("Stock", sheet.title), ("Cards", str(len(cards))), ("Sheets", str(sheet_count)),
                     ("Envelopes", "labels" if label_sheet else (envelope_key or "each card's own")),
                     ("Pairing", "each card, envelope and label carries its batch and sequence number, e.g. "
                      + marker(batch_id, 1))], MANIFEST_COLUMNS, rows, book, files["manifest_pdf"],
                    title=f"Batch {batch_id} manifest")
    return files, sheet_count


def reprint(store, batch_id: int, card_id: int, out: Path, *, envelope: bool = False, printer: str = "") -> Path:
    """One card (on its batch's stock, alone on a sheet) or its envelope, as first printed."""
    batch = store.get_batch(batch_id)
    card = store.get_card(card_id)
    if card["batch_id"] != batch_id:
        raise UserError(f"card {card_id} is not in batch {batch_id}")
    book = font_book()
    mark = marker(batch_id, card["batch_seq"])
    ready = prepared(store, card_id, book, marker=mark)
    if envelope:
        key = batch["envelope"] if batch["envelope"] in load_envelopes() else ready.template.format.envelope
        if not key:
            raise UserError(f"card {card_id} has no envelope (a {ready.template.format.title})")
        render_envelopes([(load_envelopes()[key], ready.recipient_lines, ready.return_lines, mark)], book, out,
                         title=f"Batch {batch_id}: envelope {mark} (reprint)")
    else:
        sheet = load_sheets()[batch["stock"]]
        offsets = store.printer_offsets(sheet.key, printer) if printer else None
        render_card_sheets([ready], sheet, book, out, offsets=offsets, title=f"Batch {batch_id}: card {mark} (reprint)")
    return out


def calibration_page(store, stock: str, out: Path, *, printer: str = "") -> Path:
    sheets = load_sheets()
    if stock not in sheets:
        raise UserError(f"no stock called {stock!r}; the stocks are: {', '.join(sheets)}")
    offsets = store.printer_offsets(stock, printer) if printer else None
    render_calibration(sheets[stock], load_formats(), font_book(), out, offsets=offsets, printer=printer)
    return out
