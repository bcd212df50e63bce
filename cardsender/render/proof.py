"""Print-ready proofs: one PDF page per spread, with bleed, crop marks and page boxes.

The same drawing code makes the rep's live preview and the print shop's file, so what the rep
approves is what prints.
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.colors import CMYKColor, HexColor
from reportlab.pdfgen.canvas import Canvas

from cardsender import __version__
from cardsender.render.card import CardPainter, PreparedCard
from cardsender.render.envelope import draw_envelope
from cardsender.render.fonts import FontBook
from cardsender.stocks import Envelope
from cardsender.templates import INCH

MARGIN = 0.5 * INCH        # room outside the bleed for crop marks and the slug line
MARK_GAP = 1 / 16 * INCH   # crop marks start this far outside the bleed
MARK_LENGTH = 0.25 * INCH
SPREAD_NAMES = {True: ("outside", "inside"), False: ("front", "address side")}


def render_proof(card: PreparedCard, book: FontBook, out: str | Path | io.BytesIO, *,
                 cmyk: bool = False, title: str = "", envelope: Envelope | None = None) -> None:
    """Write ``card`` as a print-ready PDF: a page per spread, trim size exact, 0.125 in of
    bleed, TrimBox and BleedBox on every page, crop (and fold) marks outside the bleed, fonts
    embedded and subset, art vector, byte-identical for the same input. With ``envelope``, a
    last page shows the envelope the card goes in (no bleed: it is printed on the envelope)."""
    fmt = card.template.format
    spread_width = fmt.width * len(fmt.spreads[0])
    page = (spread_width + 2 * MARGIN, fmt.height + 2 * MARGIN)
    text_face = book.register(book.text_face.key)
    target = str(out) if isinstance(out, Path) else out
    canvas = Canvas(target, pagesize=page, invariant=1, initialFontName=text_face,
                    enforceColorSpace="cmyk" if cmyk else None)
    canvas.setTitle(title or f"{card.template.name}: proof")
    canvas.setAuthor("cardsender")
    canvas.setCreator(f"cardsender {__version__}")
    canvas.setViewerPreference("PrintScaling", "None")
    painter = CardPainter(canvas, book, cmyk=cmyk)
    trim = (MARGIN, MARGIN, MARGIN + spread_width, MARGIN + fmt.height)
    bleed = (trim[0] - fmt.bleed, trim[1] - fmt.bleed, trim[2] + fmt.bleed, trim[3] + fmt.bleed)
    for index, name in enumerate(SPREAD_NAMES[fmt.folded]):
        canvas.setTrimBox(trim)
        canvas.setBleedBox(bleed)
        painter.draw_spread(card, index, MARGIN, MARGIN, fmt.bleed)
        _marks(canvas, trim, fmt.bleed, fold_at=MARGIN + fmt.width if fmt.folded else None, cmyk=cmyk)
        canvas.setFillColor(CMYKColor(0, 0, 0, 1) if cmyk else HexColor("#000000"))
        canvas.setFont(text_face, 6)
        canvas.drawString(MARGIN, MARGIN / 3, f"{title or card.template.name} · {card.template.slug} · "
                                              f"{fmt.title} · {name}")
        canvas.showPage()
    if envelope is not None:  # the envelope it goes in, on a page of its own size
        canvas.setPageSize((envelope.width, envelope.height))
        draw_envelope(canvas, book, envelope, 0, 0, recipient_lines=card.recipient_lines,
                      return_lines=card.return_lines, cmyk=cmyk)
        canvas.showPage()
    canvas.save()


def _marks(canvas, trim: tuple[float, float, float, float], bleed: float, fold_at: float | None, cmyk: bool) -> None:
    """Crop marks at the trim corners and fold marks, all outside the bleed."""
    x0, y0, x1, y1 = trim
    # Registration black prints on every plate, so the marks show on each one.
    canvas.setStrokeColor(CMYKColor(1, 1, 1, 1) if cmyk else HexColor("#000000"))
    canvas.setLineWidth(0.25)
    start = bleed + MARK_GAP
    for x, sign_x in ((x0, -1), (x1, 1)):
        for y, sign_y in ((y0, -1), (y1, 1)):
            canvas.line(x + sign_x * start, y, x + sign_x * (start + MARK_LENGTH), y)
            canvas.line(x, y + sign_y * start, x, y + sign_y * (start + MARK_LENGTH))
    if fold_at is not None:
        canvas.setDash(2, 2)
        canvas.line(fold_at, y1 + start, fold_at, y1 + start + MARK_LENGTH)
        canvas.line(fold_at, y0 - start, fold_at, y0 - start - MARK_LENGTH)
        canvas.setDash()
