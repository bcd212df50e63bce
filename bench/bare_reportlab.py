"""The baseline for bench/render_cards.py: the same pages drawn with reportlab alone.

It is handed each card's words already merged, fitted and split into lines, and draws the same
art (as forms, once per file, clipped at the fold), the same fonts, colours and lines of text at
the same places, and the same postcard address side, so the difference in time is what the
app adds around reportlab.
"""

from __future__ import annotations

from reportlab.graphics import renderPDF
from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas
from svglib.svglib import svg2rlg

INCH = 72.0


def draw_bare(cards, book, out, page_size) -> None:
    text_font = book.register(book.text_face.key)
    canvas = Canvas(out, pagesize=page_size, invariant=1, initialFontName=text_font)
    forms = set()
    grey, black = HexColor("#8a8a8a"), HexColor("#000000")
    for card in cards:
        template = card.template
        fmt = template.format
        full_w, full_h = fmt.width + 2 * fmt.bleed, fmt.height + 2 * fmt.bleed
        for panels in fmt.spreads:
            for position, panel in enumerate(panels):
                left = 36 + position * fmt.width
                path = template.art.get(panel)
                if path is not None:
                    name = f"{template.slug}-{panel}"
                    if name not in forms:
                        drawing = svg2rlg(str(path))
                        canvas.beginForm(name, 0, 0, full_w, full_h)
                        canvas.scale(full_w / drawing.width, full_h / drawing.height)
                        renderPDF.draw(drawing, canvas, 0, 0)
                        canvas.endForm()
                        forms.add(name)
                    canvas.saveState()
                    clip = canvas.beginPath()
                    clip.rect(left - fmt.bleed, 36 - fmt.bleed, fmt.width + 2 * fmt.bleed, fmt.height + 2 * fmt.bleed)
                    canvas.clipPath(clip, stroke=0, fill=0)
                    canvas.translate(left - fmt.bleed, 36 - fmt.bleed)
                    canvas.doForm(name)
                    canvas.restoreState()
                if panel == fmt.note_panel:
                    note = template.note
                    top = 36 + fmt.height - note.box[1]
                    for spot, text in ((template.greeting, card.greeting), (template.signature, card.signature)):
                        if spot and text:
                            canvas.setFillColor(HexColor(template.colors[spot.color]))
                            canvas.setFont(book.register(spot.font), spot.size)
                            canvas.drawString(left + spot.at[0], 36 + fmt.height - spot.at[1], text)
                    canvas.setFillColor(HexColor(template.colors[note.color]))
                    face = book.register(note.font)
                    for number, line in enumerate(card.note.lines):
                        canvas.setFont(face, card.note.size)
                        canvas.drawString(left + note.box[0], top - card.note.size * 0.9 - number * card.note.line_height, line)
                if panel == "address":
                    canvas.setStrokeColor(grey)
                    canvas.setLineWidth(0.5)
                    canvas.line(left + 3 * INCH, 36 + fmt.height - 0.35 * INCH, left + 3 * INCH, 36 + 0.925 * INCH)
                    canvas.setDash(2, 2)
                    canvas.rect(left + fmt.width - 1.125 * INCH, 36 + fmt.height - 1.25 * INCH, 0.875 * INCH, INCH)
                    canvas.setDash()
                    canvas.setFillColor(grey)
                    canvas.setFont(text_font, 5)
                    for i, word in enumerate(("PLACE", "STAMP", "HERE")):
                        canvas.drawCentredString(left + fmt.width - 0.6875 * INCH, 36 + fmt.height - 0.75 * INCH + 6 - i * 6, word)
                    canvas.setFillColor(black)
                    canvas.setFont(text_font, 7)
                    for i, line in enumerate(card.return_lines):
                        canvas.drawString(left + 3.2 * INCH, 36 + fmt.height - 0.45 * INCH - i * 8.5, line)
                    canvas.setFont(text_font, 10)
                    for i, line in enumerate(card.recipient_lines):
                        canvas.drawString(left + 3.2 * INCH, 36 + 1.5 * INCH - i * 12, line)
            canvas.showPage()
    canvas.save()
