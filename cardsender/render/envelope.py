"""Envelopes: return address top left, stamp top right, the recipient in the USPS read area."""

from __future__ import annotations

from reportlab.lib.colors import CMYKColor, HexColor

from cardsender.render.card import CardProblem
from cardsender.render.fonts import FontBook, draw_text
from cardsender.stocks import Envelope
from cardsender.templates import BARCODE_ZONE_HEIGHT, INCH, READ_AREA_BOTTOM, READ_AREA_TOP

EDGE = 0.375 * INCH
STAMP = (0.875 * INCH, 1.0 * INCH)
ADDRESS_SIZES = (11.0, 10.0, 9.0, 8.0)  # USPS asks for 8 pt or more


def draw_envelope(canvas, book: FontBook, envelope: Envelope, x: float, y: float, *,
                  recipient_lines: tuple[str, ...], return_lines: tuple[str, ...], cmyk: bool = False,
                  marker: str = "") -> None:
    """One envelope face with its bottom-left corner at (x, y)."""
    face = book.text_face.key
    pdf_face = book.register(face)
    black = CMYKColor(0, 0, 0, 1) if cmyk else HexColor("#000000")
    grey = CMYKColor(0, 0, 0, 0.45) if cmyk else HexColor("#8a8a8a")
    width, height = envelope.width, envelope.height
    canvas.saveState()
    canvas.setFillColor(black)
    for number, line in enumerate(return_lines):
        draw_text(canvas, book, line, face, 8, x + EDGE, y + height - EDGE - 8 - number * 10)
    stamp_x, stamp_y = x + width - 0.25 * INCH - STAMP[0], y + height - 0.25 * INCH - STAMP[1]
    canvas.setStrokeColor(grey)
    canvas.setLineWidth(0.5)
    canvas.setDash(2, 2)
    canvas.rect(stamp_x, stamp_y, STAMP[0], STAMP[1], stroke=1, fill=0)
    canvas.setDash()
    canvas.setFillColor(grey)
    canvas.setFont(pdf_face, 5)
    for number, word in enumerate(("PLACE", "STAMP", "HERE")):
        canvas.drawCentredString(stamp_x + STAMP[0] / 2, stamp_y + STAMP[1] / 2 + 6 - number * 6, word)
    # The recipient: left-aligned, from about the middle, inside the read area (1/2 in from the
    # sides, between 5/8 in and 2 3/4 in above the bottom), clear of the barcode zone below.
    left = x + max(0.5 * INCH, width * 0.4)
    room = x + width - 0.5 * INCH - left
    size = next((s for s in ADDRESS_SIZES if all(book.width(l, face, s) <= room for l in recipient_lines)), None)
    if size is None:
        raise CardProblem(f"the recipient's address is too wide for a {envelope.title} "
                          f"({max(recipient_lines, key=len)!r})")
    line_height = size * 1.2
    first = y + min(READ_AREA_TOP - size, height / 2 + line_height)
    last = first - (len(recipient_lines) - 1) * line_height
    if last < y + READ_AREA_BOTTOM + 0.15 * INCH:
        raise CardProblem(f"the recipient's address has too many lines ({len(recipient_lines)}) for a {envelope.title}")
    canvas.setFillColor(black)
    for number, line in enumerate(recipient_lines):
        draw_text(canvas, book, line, face, size, left, first - number * line_height)
    if marker:  # batch and sequence number, tiny, bottom left: clear of the barcode zone
        canvas.setFillColor(grey)
        canvas.setFont(pdf_face, 5)
        canvas.drawString(x + 0.2 * INCH, y + BARCODE_ZONE_HEIGHT / 3, marker)
    canvas.restoreState()

