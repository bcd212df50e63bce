"""Drawing a card: its spreads, at any place on any canvas (a proof, a preview, a batch sheet).

Art is stored once per PDF (a form per template version and panel), fonts are subset and
embedded by reportlab, and every colour can be written as CMYK.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.graphics import renderPDF, shapes
from reportlab.lib.colors import CMYKColor, Color, HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc

from cardsender.render.fit import FittedNote, fit_note
from cardsender.render.fonts import FontBook, FontError, draw_text
from cardsender.templates import (
    ADDRESS_HALF,
    BARCODE_ZONE_HEIGHT,
    BARCODE_ZONE_WIDTH,
    INCH,
    NOTE_HALF_END,
    READ_AREA_BOTTOM,
    READ_AREA_TOP,
    Template,
    TextSpot,
    merge,
)

STAMP = (0.875 * INCH, 1.0 * INCH)
ADDRESS_SIZES = (10.0, 9.0, 8.0)     # USPS asks for 8 pt or more


class CardProblem(Exception):
    """A card that cannot be drawn as asked; the message says what and where."""


@dataclass(frozen=True)
class PreparedCard:
    """A card ready to draw: its template and its merged, fitted, checked words."""

    template: Template
    greeting: str | None
    note: FittedNote
    signature: str
    recipient_lines: tuple[str, ...] = ()
    return_lines: tuple[str, ...] = ()
    marker: str = ""
    signature_image: bytes | None = None


def signature_image_size(image: bytes, template: Template) -> tuple[float, float]:
    """A signature image is drawn about 1.8 times the signature's point size tall, narrower
    when that would run past the safe area (or, on a postcard, into the address half)."""
    from PIL import Image

    with Image.open(io.BytesIO(image)) as picture:
        width, height = picture.size
    spot, fmt = template.signature, template.format
    room = (NOTE_HALF_END if not fmt.folded else fmt.width - fmt.safe) - spot.at[0]
    scale = min(spot.size * 1.8 / height, room / width)
    return width * scale, height * scale


def check_signature_image(image: bytes) -> None:
    """A signature image must be a PNG or JPEG sharp enough to print (300 ppi at about 1 in tall)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(image)) as picture:
            kind, (_, height) = picture.format, picture.size
    except (OSError, UnidentifiedImageError):
        raise CardProblem("the signature image is not a PNG or JPEG file") from None
    if kind not in ("PNG", "JPEG"):
        raise CardProblem(f"the signature image is {kind}; use PNG (transparent background) or JPEG")
    if height < 150:
        raise CardProblem(f"the signature image is {height} pixels tall; it needs 150 or more to print sharply")


def prepare_card(template: Template, note: str, values: dict[str, str], book: FontBook, *,
                 recipient_lines: tuple[str, ...] = (), return_lines: tuple[str, ...] = (),
                 marker: str = "", signature_image: bytes | None = None) -> PreparedCard:
    """Merge, check and fit a card's words. Raises MergeError, FontError or NoteDoesNotFit
    with a message for the rep."""
    spec = template.note
    merged_note = merge(note, values)
    if not merged_note.strip():
        raise CardProblem("the note is empty")
    greeting = merge(template.greeting.text, values, "the greeting") if template.greeting else None
    signature = merge(template.signature.text, values, "the signature")
    fitted = fit_note(merged_note, book, spec.font, spec.box[2], spec.box[3], spec.min_size, spec.max_size, spec.leading)
    for text, spot, what in ((greeting, template.greeting, "the greeting"), (signature, template.signature, "the signature")):
        if text:
            try:
                book.runs(text, spot.font)
            except FontError as error:
                raise FontError(f"{what}: {error}") from None
    if not template.format.folded:
        for line in (*recipient_lines, *return_lines):
            book.runs(line, book.text_face.key)
        for text, spot in ((greeting, template.greeting), (signature, template.signature)):
            if text and spot.at[0] + book.width(text, spot.font, spot.size) > NOTE_HALF_END:
                raise CardProblem(f"{text!r} is too wide for the postcard's note side")
    if signature_image is not None:
        check_signature_image(signature_image)
    return PreparedCard(template, greeting, fitted, signature, tuple(recipient_lines), tuple(return_lines), marker,
                        signature_image)


@lru_cache(maxsize=64)
def _svg_drawing(path: Path, mtime: float):
    from svglib.svglib import svg2rlg

    drawing = svg2rlg(str(path))
    if drawing is None:
        raise CardProblem(f"{path} cannot be read as SVG")
    _merge_circles(drawing)
    return drawing


_KAPPA = 0.5522847498  # control-point distance of a four-curve circle, as a share of the radius
_CIRCLE_STYLE = ("fillColor", "fillOpacity", "strokeColor", "strokeWidth", "strokeOpacity", "strokeDashArray",
                 "fillMode")


def _merge_circles(group) -> None:
    """Draw runs of alike circles (snow, confetti, dots) as one path each.

    A circle costs a graphics-state change and an arc computation every time a PDF is drawn;
    a few hundred dots made a proof three times slower. Consecutive circles of one style in one
    group become one path with the curves worked out once, in the same place in the drawing
    order. (Where two translucent dots of one run overlap, the overlap no longer darkens twice.)"""
    contents = getattr(group, "contents", None)
    if contents is None:
        return
    merged: list = []
    run: list[shapes.Circle] = []

    def flush() -> None:
        if len(run) < 2:
            merged.extend(run)
        else:
            path = shapes.Path()
            for name in _CIRCLE_STYLE:
                setattr(path, name, getattr(run[0], name, None))
            for circle in run:
                x, y, r = circle.cx, circle.cy, circle.r
                k = r * _KAPPA
                path.moveTo(x + r, y)
                path.curveTo(x + r, y + k, x + k, y + r, x, y + r)
                path.curveTo(x - k, y + r, x - r, y + k, x - r, y)
                path.curveTo(x - r, y - k, x - k, y - r, x, y - r)
                path.curveTo(x + k, y - r, x + r, y - k, x + r, y)
                path.closePath()
            merged.append(path)
        run.clear()

    for child in contents:
        if isinstance(child, shapes.Circle) and (not run or all(
                getattr(child, n, None) == getattr(run[0], n, None) for n in _CIRCLE_STYLE)):
            run.append(child)
            continue
        flush()
        if isinstance(child, shapes.Circle):
            run.append(child)
        else:
            _merge_circles(child)
            merged.append(child)
    flush()
    group.contents = merged


# A piece of art's PDF drawing operators, worked out once per process and replayed into every
# later PDF: turning a detailed SVG into operators took most of a proof's time. The key holds
# the template's content hash, so changed art is drawn afresh. Only art that needs no page
# resources (no transparency states) is kept.
_ART_OPERATORS: dict[str, tuple[str, ...]] = {}


def _give_form_its_transparency(canvas, name: str) -> None:
    """reportlab gathers a form's transparency states (opacity in the art) but leaves them out
    of the form's resources, so viewers drop them ("ExtGState 'gRLs0' is unknown") and
    translucent shapes print solid. Write the resources with the states in."""
    form = canvas._doc.idToObject[pdfdoc.xObjectName(name)]
    states = getattr(form, "ExtGState", None)
    if not states or not getattr(states, "dict", None):
        return
    resources = pdfdoc.PDFResourceDictionary()
    resources.basicFonts()
    resources.basicProcs()
    if form.XObjects:
        resources.XObject = form.XObjects
    resources.ExtGState = states
    form.Resources = resources


def _cmyk(color: Color) -> CMYKColor:
    if isinstance(color, CMYKColor):
        return color
    r, g, b = color.red, color.green, color.blue
    k = 1 - max(r, g, b)
    if k >= 1:
        return CMYKColor(0, 0, 0, 1, alpha=color.alpha)
    return CMYKColor((1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k, alpha=color.alpha)


def _cmyk_drawing(node, named: dict[str, tuple[float, float, float, float]]) -> None:
    """Turn every colour of an SVG drawing into CMYK, in place: a colour the template names
    gets the template's own CMYK values, any other a plain conversion."""
    for attr in ("fillColor", "strokeColor"):
        value = getattr(node, attr, None)
        if isinstance(value, Color) and not isinstance(value, CMYKColor):
            exact = named.get(value.hexval()[2:].lower())
            setattr(node, attr, CMYKColor(*exact, alpha=value.alpha) if exact else _cmyk(value))
    for child in getattr(node, "contents", ()):
        _cmyk_drawing(child, named)


class CardPainter:
    """Draws cards on one canvas, storing each piece of art once."""

    def __init__(self, canvas, book: FontBook, *, cmyk: bool = False):
        self.canvas = canvas
        self.book = book
        self.cmyk = cmyk
        self._forms: set[str] = set()
        self._colors: dict[tuple[str, str], Color] = {}
        # svglib's renderer starts every drawing in this font: name an embedded face so that
        # no unembedded Helvetica slips into the PDF.
        shapes.STATE_DEFAULTS["fontName"] = book.register(book.text_face.key)

    # -- colours -----------------------------------------------------------------------------
    def color(self, template: Template, name: str):
        key = (template.content_hash, name)
        known = self._colors.get(key)
        if known is None:
            if self.cmyk and name in template.colors_cmyk:
                known = CMYKColor(*template.colors_cmyk[name])
            elif self.cmyk:
                known = _cmyk(HexColor(template.colors[name]))
            else:
                known = HexColor(template.colors[name])
            self._colors[key] = known
        return known

    def black(self):
        return CMYKColor(0, 0, 0, 1) if self.cmyk else HexColor("#000000")

    # -- spreads -----------------------------------------------------------------------------
    def draw_spread(self, card: PreparedCard, index: int, x: float, y: float, bleed: float) -> None:
        """Spread ``index`` (0: outside or front, 1: inside or address side) with the bottom-left
        corner of its trim at (x, y); art runs ``bleed`` past the outer edges (0 on pre-cut
        office stock)."""
        fmt = card.template.format
        panels = fmt.spreads[index]
        for position, panel in enumerate(panels):
            left = x + position * fmt.width
            outer_left = position == 0
            outer_right = position == len(panels) - 1
            self._art(card.template, panel, left, y, bleed if outer_left else 0, bleed if outer_right else 0, bleed)
            if panel == fmt.note_panel:
                self._words(card, left, y)
            if panel == "address":
                self._address_side(card, left, y)
        if card.marker and index == 1:
            self._marker(card, x, y, bleed)

    def _art(self, template: Template, panel: str, left: float, bottom: float,
             bleed_left: float, bleed_right: float, bleed_vertical: float) -> None:
        path = template.art.get(panel)
        if path is None:
            return
        fmt = template.format
        full_w, full_h = fmt.width + 2 * fmt.bleed, fmt.height + 2 * fmt.bleed
        c = self.canvas
        c.saveState()
        clip = c.beginPath()
        if panel == "address":  # the address side's art stays in the note half, out of the barcode zone
            zone_left = fmt.width - BARCODE_ZONE_WIDTH
            clip.rect(left - bleed_left, bottom - bleed_vertical, zone_left + bleed_left, fmt.height + 2 * bleed_vertical)
            clip.rect(left + zone_left, bottom + BARCODE_ZONE_HEIGHT, NOTE_HALF_END - zone_left,
                      fmt.height - BARCODE_ZONE_HEIGHT + bleed_vertical)
        else:
            clip.rect(left - bleed_left, bottom - bleed_vertical, fmt.width + bleed_left + bleed_right,
                      fmt.height + 2 * bleed_vertical)
        c.clipPath(clip, stroke=0, fill=0)
        if path.suffix.lower() == ".svg":
            name = f"art-{template.content_hash[:16]}-{panel}{'-cmyk' if self.cmyk else ''}"
            if name not in self._forms:
                c.beginForm(name, 0, 0, full_w, full_h)
                cached = _ART_OPERATORS.get(name)
                if cached is not None:
                    c._code.extend(cached)
                else:
                    drawing = _svg_drawing(path, path.stat().st_mtime)
                    c.saveState()
                    c.scale(full_w / drawing.width, full_h / drawing.height)
                    if self.cmyk:
                        drawing = copy.deepcopy(drawing)
                        named = {template.colors[n].lstrip("#").lower(): v for n, v in template.colors_cmyk.items()}
                        _cmyk_drawing(drawing, named)
                    renderPDF.draw(drawing, c, 0, 0)
                    c.restoreState()
                    if c._extgstate.getState() is None:  # needs no resources: reusable as it is
                        _ART_OPERATORS[name] = tuple(c._code)
                c.endForm()
                _give_form_its_transparency(c, name)
                self._forms.add(name)
            c.translate(left - fmt.bleed, bottom - fmt.bleed)
            c.doForm(name)
        else:  # raster art: reportlab stores an image file once per PDF
            c.drawImage(str(path), left - fmt.bleed, bottom - fmt.bleed, full_w, full_h)
        c.restoreState()

    # -- words -------------------------------------------------------------------------------
    def _text(self, template: Template, spot_font: str, size: float, color: str, text: str,
              x: float, baseline: float) -> None:
        self.canvas.setFillColor(self.color(template, color))
        self._plain(text, spot_font, size, x, baseline)

    def _spot(self, template: Template, spot: TextSpot, text: str, left: float, bottom: float) -> None:
        fmt = template.format
        self._text(template, spot.font, spot.size, spot.color, text, left + spot.at[0], bottom + fmt.height - spot.at[1])

    def _words(self, card: PreparedCard, left: float, bottom: float) -> None:
        template = card.template
        spec = template.note
        top = bottom + template.format.height - spec.box[1]
        if card.greeting:
            self._spot(template, template.greeting, card.greeting, left, bottom)
        fitted = card.note
        for number, line in enumerate(fitted.lines):
            baseline = top - fitted.size * 0.9 - number * fitted.line_height
            x = left + spec.box[0]
            if spec.align == "center":
                x += (spec.box[2] - self.book.width(line, spec.font, fitted.size)) / 2
            if line:
                self._text(template, spec.font, fitted.size, spec.color, line, x, baseline)
        if card.signature_image is not None:
            spot = template.signature
            width, height = signature_image_size(card.signature_image, template)
            x, baseline = left + spot.at[0], bottom + template.format.height - spot.at[1]
            # reportlab names an image by its content, so a rep's signature is stored once per PDF.
            self.canvas.drawImage(ImageReader(io.BytesIO(card.signature_image)), x, baseline - height * 0.3,
                                  width, height, mask="auto")
        else:
            self._spot(template, template.signature, card.signature, left, bottom)

    def _address_side(self, card: PreparedCard, left: float, bottom: float) -> None:
        """The right half of a postcard's address side, laid out as USPS asks."""
        c = self.canvas
        fmt = card.template.format
        text_face = self.book.text_face.key
        grey = CMYKColor(0, 0, 0, 0.45) if self.cmyk else HexColor("#8a8a8a")
        c.setStrokeColor(grey)
        c.setLineWidth(0.5)
        c.line(left + ADDRESS_HALF, bottom + fmt.height - 0.35 * INCH, left + ADDRESS_HALF, bottom + BARCODE_ZONE_HEIGHT + 0.3 * INCH)
        stamp_x = left + fmt.width - 0.25 * INCH - STAMP[0]
        stamp_y = bottom + fmt.height - 0.25 * INCH - STAMP[1]
        c.setDash(2, 2)
        c.rect(stamp_x, stamp_y, STAMP[0], STAMP[1], stroke=1, fill=0)
        c.setDash()
        c.setFillColor(grey)
        label = self.book.register(text_face)
        c.setFont(label, 5)
        for i, word in enumerate(("PLACE", "STAMP", "HERE")):
            c.drawCentredString(stamp_x + STAMP[0] / 2, stamp_y + STAMP[1] / 2 + 6 - i * 6, word)
        c.setFillColor(self.black())
        for i, line in enumerate(card.return_lines):
            self._plain(line, text_face, 7, left + ADDRESS_HALF + 0.2 * INCH, bottom + fmt.height - 0.45 * INCH - i * 8.5)
        width = fmt.width - 0.5 * INCH - (ADDRESS_HALF + 0.2 * INCH)
        lines = card.recipient_lines
        size = next((s for s in ADDRESS_SIZES if all(self.book.width(l, text_face, s) <= width for l in lines)), None)
        if size is None:
            raise CardProblem("the recipient's address is too wide for a postcard's address block "
                              f"({max(lines, key=len)!r})")
        line_height = size * 1.2
        last_baseline = bottom + READ_AREA_BOTTOM + 0.35 * INCH
        first_baseline = last_baseline + (len(lines) - 1) * line_height
        if first_baseline + size > bottom + READ_AREA_TOP:
            raise CardProblem(f"the recipient's address has too many lines ({len(lines)}) for a postcard's read area")
        for i, line in enumerate(lines):
            self._plain(line, text_face, size, left + ADDRESS_HALF + 0.2 * INCH, first_baseline - i * line_height)

    def _plain(self, text: str, face: str, size: float, x: float, baseline: float) -> None:
        draw_text(self.canvas, self.book, text, face, size, x, baseline)

    def _marker(self, card: PreparedCard, x: float, y: float, bleed: float) -> None:
        """Batch and sequence number in small type where it will not show: in the bleed, which
        is trimmed away, when there is one; on precut stock at the foot of the inside beside the
        fold (a postcard: bottom left of the address side, clear of the barcode zone)."""
        c = self.canvas
        fmt = card.template.format
        c.setFillColor(CMYKColor(0, 0, 0, 0.5) if self.cmyk else HexColor("#808080"))
        face = self.book.register(self.book.text_face.key)
        c.setFont(face, 5)
        if bleed > 0:
            c.drawString(x + 0.2 * INCH, y - bleed * 0.7, card.marker)
        elif fmt.folded:
            c.drawRightString(x + fmt.width - 0.06 * INCH, y + 0.06 * INCH, card.marker)
        else:
            c.drawString(x + 0.2 * INCH, y + 0.08 * INCH, card.marker)