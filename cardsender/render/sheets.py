"""The mailroom's PDFs: cards imposed on real stock, envelopes or labels in the same order, the
printable manifest, and a calibration page per stock.

A sheet's front holds each card's outside (or a postcard's front); its back holds the inside,
placed under the outside for the stock's flip edge, so duplex printing is right by
construction. Printer offsets move a whole side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from cardsender import __version__
from cardsender.render.card import CardPainter, CardProblem, PreparedCard
from cardsender.render.envelope import draw_envelope
from cardsender.render.fonts import FontBook, draw_text
from cardsender.stocks import Envelope, LabelSheet, Sheet
from cardsender.templates import INCH

MARK_LENGTH = 0.1875 * INCH
Offsets = dict[str, tuple[float, float]]  # "front"/"back": (dx, dy) in inches


def _canvas(out, book: FontBook, title: str, size: tuple[float, float]) -> Canvas:
    canvas = Canvas(str(out) if isinstance(out, Path) else out, pagesize=size, invariant=1,
                    initialFontName=book.register(book.text_face.key))
    canvas.setTitle(title)
    canvas.setAuthor("cardsender")
    canvas.setCreator(f"cardsender {__version__}")
    canvas.setViewerPreference("PrintScaling", "None")
    return canvas


def render_card_sheets(cards: Sequence[PreparedCard], sheet: Sheet, book: FontBook, out, *,
                       offsets: Offsets | None = None, title: str = "",
                       progress: Callable[[int], None] | None = None,
                       cancelled: Callable[[], bool] | None = None) -> int:
    """Impose ``cards`` in order on ``sheet`` (a new sheet whenever the format changes, so the
    order holds for stuffing) and return the number of sheets. When ``cancelled()`` turns
    true, stops between sheets and raises InterruptedError (the file is left unfinished)."""
    offsets = offsets or {"front": (0.0, 0.0), "back": (0.0, 0.0)}
    canvas = _canvas(out, book, title or f"cards on {sheet.title}", (sheet.width, sheet.height))
    canvas.setViewerPreference("Duplex", "DuplexFlipLongEdge" if sheet.flip == "long" else "DuplexFlipShortEdge")
    painter = CardPainter(canvas, book)
    sheets = 0
    done = 0
    for group in _sheetfuls(cards, sheet):
        if cancelled and cancelled():
            raise InterruptedError("stopped between sheets")
        fmt = group[0].template.format
        page = sheet.for_format(fmt)
        positions = page.positions(fmt)
        bleed = 0.0 if page.precut else fmt.bleed
        flat_w = fmt.width * len(fmt.spreads[0])
        for side in ("front", "back"):
            canvas.setPageSize((page.width, page.height))
            dx, dy = (v * INCH for v in offsets[side])
            for card, (x, y) in zip(group, positions):
                if side == "front":
                    painter.draw_spread(card, 0, x + dx, y + dy, bleed)
                    continue
                bx, by, turned = page.back_position(x, y, fmt)
                canvas.saveState()
                if turned:  # turned on the sheet's other edge: the inside prints upside down
                    canvas.translate(bx + dx + flat_w, by + dy + fmt.height)
                    canvas.rotate(180)
                    painter.draw_spread(card, 1, 0, 0, bleed)
                else:
                    painter.draw_spread(card, 1, bx + dx, by + dy, bleed)
                canvas.restoreState()
            if not page.precut:
                _cut_marks(canvas, page, [(page.back_position(x, y, fmt)[:2] if side == "back" else (x, y))
                                          for x, y in positions[:len(group)]], flat_w, fmt.height, (dx, dy))
            canvas.showPage()
        sheets += 1
        done += len(group)
        if progress:
            progress(done)
    canvas.save()
    return sheets


def _sheetfuls(cards: Sequence[PreparedCard], sheet: Sheet) -> Iterable[list[PreparedCard]]:
    group: list[PreparedCard] = []
    capacity = 0
    for card in cards:
        fmt = card.template.format
        if fmt.key not in sheet.formats:
            raise CardProblem(f"a {fmt.title} does not go on {sheet.title}")
        if group and (fmt.key != group[0].template.format.key or len(group) >= capacity):
            yield group
            group = []
        if not group:
            capacity = len(sheet.for_format(fmt).positions(fmt))
            if capacity == 0:
                raise CardProblem(f"a {fmt.title} does not fit on {sheet.title}")
        group.append(card)
    if group:
        yield group


def _cut_marks(canvas, page: Sheet, corners, width: float, height: float, shift: tuple[float, float]) -> None:
    """Marks in the sheet's margin along every cut line: the usual way for cards ganged up
    with only their bleeds between them."""
    dx, dy = shift
    xs = sorted({round(x + dx + e, 3) for x, _ in corners for e in (0, width)})
    ys = sorted({round(y + dy + e, 3) for _, y in corners for e in (0, height)})
    lowest, highest = min(y for _, y in corners) + dy, max(y for _, y in corners) + dy + height
    leftmost, rightmost = min(x for x, _ in corners) + dx, max(x for x, _ in corners) + dx + width
    canvas.setStrokeColor(HexColor("#000000"))
    canvas.setLineWidth(0.25)
    gap = 0.1875 * INCH  # past the bleed
    for x in xs:
        canvas.line(x, highest + gap, x, min(page.height, highest + gap + MARK_LENGTH))
        canvas.line(x, lowest - gap, x, max(0, lowest - gap - MARK_LENGTH))
    for y in ys:
        canvas.line(leftmost - gap, y, max(0, leftmost - gap - MARK_LENGTH), y)
        canvas.line(rightmost + gap, y, min(page.width, rightmost + gap + MARK_LENGTH), y)


def render_envelopes(items: Sequence[tuple[Envelope, tuple[str, ...], tuple[str, ...], str]], book: FontBook,
                     out, *, title: str = "envelopes") -> None:
    """One envelope a page, in the order given: (envelope, recipient lines, return lines, marker)."""
    first = items[0][0]
    canvas = _canvas(out, book, title, (first.width, first.height))
    for envelope, recipient, sender, marker in items:
        canvas.setPageSize((envelope.width, envelope.height))
        draw_envelope(canvas, book, envelope, 0, 0, recipient_lines=recipient, return_lines=sender, marker=marker)
        canvas.showPage()
    canvas.save()


LABEL_PAD = (0.12 * INCH, 0.06 * INCH)  # left/right, top/bottom
LABEL_LEADING = 1.1


def label_size(lines: Sequence[str], labels: LabelSheet, book: FontBook) -> float | None:
    """The largest size (10 to 7 pt) at which an address fits a label, or None."""
    face = book.text_face.key
    room_w, room_h = labels.label_width - 2 * LABEL_PAD[0], labels.label_height - 2 * LABEL_PAD[1]
    return next((size for size in (10, 9, 8, 7) if all(book.width(l, face, size) <= room_w for l in lines)
                 and len(lines) * size * LABEL_LEADING <= room_h), None)


def render_labels(items: Sequence[tuple[tuple[str, ...], str]], labels: LabelSheet, book: FontBook, out, *,
                  title: str = "labels") -> int:
    """Address labels in the order given ((recipient lines, marker) each); returns sheets."""
    canvas = _canvas(out, book, title, (labels.width, labels.height))
    face = book.text_face.key
    pdf_face = book.register(face)
    sheets = 0
    for index, (lines, marker) in enumerate(items):
        if index and index % labels.per_sheet == 0:
            canvas.showPage()
        if index % labels.per_sheet == 0:
            sheets += 1
        x, y = labels.label_origin(index)
        size = label_size(lines, labels, book)
        if size is None:
            raise CardProblem(f"the address {' / '.join(lines)!r} does not fit on a {labels.title} label")
        top = y + (labels.label_height + len(lines) * size * LABEL_LEADING) / 2 - size
        for number, line in enumerate(lines):
            draw_text(canvas, book, line, face, size, x + LABEL_PAD[0], top - number * size * LABEL_LEADING)
        canvas.setFont(pdf_face, 4.5)
        canvas.setFillColor(HexColor("#808080"))
        canvas.drawRightString(x + labels.label_width - LABEL_PAD[0] / 2, y + 2, marker)
        canvas.setFillColor(HexColor("#000000"))
    canvas.showPage()
    canvas.save()
    return sheets


def render_manifest(header: Sequence[tuple[str, str]], columns: Sequence[str], rows: Sequence[Sequence[str]],
                    book: FontBook, out, *, title: str) -> None:
    """A printable list (US letter, landscape): the batch's facts, then one row per card."""
    width, height = 11 * INCH, 8.5 * INCH
    canvas = _canvas(out, book, title, (width, height))
    face = book.text_face.key
    bold = book.register("lato-bold") if "lato-bold" in book.faces else book.register(face)
    widths = [0.45, 0.6, 2.4, 1.9, 0.95, 0.5, 1.6, 1.8]
    left, line = 0.5 * INCH, 13.0

    def start_page(number: int) -> float:
        canvas.setFont(bold, 14)
        canvas.drawString(left, height - 0.6 * INCH, title)
        canvas.setFont(book.register(face), 8)
        canvas.drawRightString(width - left, height - 0.6 * INCH, f"page {number}")
        y = height - 0.85 * INCH
        for label, value in header:
            canvas.drawString(left, y, f"{label}: {value}")
            y -= 11
        y -= 6
        canvas.setFont(bold, 8)
        x = left
        for column, w in zip(columns, widths):
            canvas.drawString(x, y, column)
            x += w * INCH
        canvas.line(left, y - 3, width - left, y - 3)
        return y - line

    page = 1
    y = start_page(page)
    for row in rows:
        if y < 0.5 * INCH:
            canvas.showPage()
            page += 1
            y = start_page(page)
        x = left
        for value, w in zip(row, widths):
            text = str(value)
            while text and book.width(text, face, 8) > w * INCH - 4:
                text = text[:-1]
            draw_text(canvas, book, text, face, 8, x, y)
            x += w * INCH
        y -= line
    canvas.showPage()
    canvas.save()



def render_calibration(sheet: Sheet, formats, book: FontBook, out, *, offsets: Offsets | None = None,
                       printer: str = "") -> None:
    """Print on plain paper, lay it on a sheet of the stock against the light, and measure how
    far the outlines sit from the stock's cards: those are the printer's offsets."""
    offsets = offsets or {"front": (0.0, 0.0), "back": (0.0, 0.0)}
    fmt = next(formats[key] for key in sheet.formats)
    page = sheet.for_format(fmt)
    canvas = _canvas(out, book, f"calibration: {sheet.title}", (page.width, page.height))
    canvas.setViewerPreference("Duplex", "DuplexFlipLongEdge" if sheet.flip == "long" else "DuplexFlipShortEdge")
    face = book.register(book.text_face.key)
    flat_w = fmt.width * len(fmt.spreads[0])
    for side in ("front", "back"):
        dx, dy = (v * INCH for v in offsets[side])
        canvas.setStrokeColor(HexColor("#000000"))
        canvas.setLineWidth(0.5)
        for number, (x, y) in enumerate(page.positions(fmt), start=1):
            if side == "back":
                x, y, _ = page.back_position(x, y, fmt)
            canvas.rect(x + dx, y + dy, flat_w, fmt.height)
            cx, cy = x + dx + flat_w / 2, y + dy + fmt.height / 2
            canvas.line(cx - 18, cy, cx + 18, cy)
            canvas.line(cx, cy - 18, cx, cy + 18)
            canvas.setFont(face, 9)
            canvas.drawCentredString(cx, cy + 24, f"{side} · slot {number}")
        for tick in range(int(page.width / (INCH / 8)) + 1):
            length = 14 if tick % 8 == 0 else 8 if tick % 4 == 0 else 4
            canvas.line(tick * INCH / 8, page.height / 2 - length / 2, tick * INCH / 8, page.height / 2 + length / 2)
        for tick in range(int(page.height / (INCH / 8)) + 1):
            length = 14 if tick % 8 == 0 else 8 if tick % 4 == 0 else 4
            canvas.line(page.width / 2 - length / 2, tick * INCH / 8, page.width / 2 + length / 2, tick * INCH / 8)
        canvas.setFont(face, 8)
        note = (f"{sheet.title}, {side}{' on ' + printer if printer else ''}: offsets now {offsets[side][0]:+.3f}, "
                f"{offsets[side][1]:+.3f} in. Lay this page on a sheet of the stock against the light and measure "
                "how far each outline sits from the card (+ right, + up); add that to the offsets with "
                "cardsender stocks offset.")
        y = page.height - 0.35 * INCH
        for chunk in _wrap_words(note, book, book.text_face.key, 8, page.width - 1 * INCH):
            canvas.drawString(0.5 * INCH, y, chunk)
            y -= 10
        canvas.showPage()
    canvas.save()


def _wrap_words(text: str, book: FontBook, face: str, size: float, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if book.width(candidate, face, size) > width and line:
            lines.append(line)
            candidate = word
        line = candidate
    return lines + [line] if line else lines

