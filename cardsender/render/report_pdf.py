"""The one-page summary of a report: headline figures, two charts, and the table beneath.

Charts are reportlab's own (reportlab.graphics.charts): vector, embedded fonts, no new library.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from cardsender import __version__
from cardsender.render.fonts import FontBook
from cardsender.templates import INCH

PALETTE = ["#27324a", "#b5443a", "#5b8a72", "#d9a441", "#6c7a89", "#8e5572", "#3e7cb1", "#c97c5d", "#7a9e3b",
           "#4f4f4f"]


def cards_chart(per_week_by_rep: dict[str, dict[str, int]], face: str, width: float, height: float) -> Drawing:
    weeks = sorted({w for series in per_week_by_rep.values() for w in series})
    reps = sorted(per_week_by_rep, key=lambda r: -sum(per_week_by_rep[r].values()))
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, "Cards per week, by rep", fontName=face, fontSize=10))
    if not weeks:
        drawing.add(String(0, height / 2, "no cards in this range", fontName=face, fontSize=9))
        return drawing
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 30, width - 160, height - 60
    chart.data = [[per_week_by_rep[rep].get(week, 0) for week in weeks] for rep in reps]
    chart.categoryAxis.categoryNames = [week[5:] for week in weeks]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = face
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    for index in range(len(reps)):
        chart.bars[index].fillColor = HexColor(PALETTE[index % len(PALETTE)])
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 120, height - 30
    legend.fontName, legend.fontSize = face, 7
    legend.alignment = "right"
    legend.columnMaximum = 12  # one column: reportlab's default of three spreads it across the page
    legend.deltay = 10
    legend.colorNamePairs = [(HexColor(PALETTE[i % len(PALETTE)]), rep[:18]) for i, rep in enumerate(reps)]
    drawing.add(legend)
    return drawing


def turnaround_chart(report, face: str, width: float, height: float) -> Drawing:
    rows = [r for r in report.rows if r.call_to_queued_median_h is not None][:10]
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, "Hours from call to queued (median and 90th percentile)", fontName=face,
                       fontSize=10))
    if not rows:
        drawing.add(String(0, height / 2, "no cards queued in this range", fontName=face, fontSize=9))
        return drawing
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 30, width - 160, height - 60
    chart.data = [[r.call_to_queued_median_h for r in rows], [r.call_to_queued_p90_h or 0 for r in rows]]
    chart.categoryAxis.categoryNames = [r.key[:12] for r in rows]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = face
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor, chart.bars[1].fillColor = HexColor(PALETTE[0]), HexColor(PALETTE[3])
    chart.bars[0].strokeColor = chart.bars[1].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 120, height - 30
    legend.fontName, legend.fontSize = face, 7
    legend.alignment = "right"
    legend.columnMaximum = 2
    legend.deltay = 10
    legend.colorNamePairs = [(HexColor(PALETTE[0]), "median"), (HexColor(PALETTE[3]), "90th percentile")]
    drawing.add(legend)
    return drawing


def render_report_pdf(report, per_week_by_rep, book: FontBook, out, *, company: str = "") -> None:
    from reportlab.graphics import renderPDF, shapes

    width, height = 11 * INCH, 8.5 * INCH
    face = book.register(book.text_face.key)
    bold = book.register("lato-bold") if "lato-bold" in book.faces else face
    shapes.STATE_DEFAULTS["fontName"] = face
    canvas = Canvas(str(out) if isinstance(out, Path) else out, pagesize=(width, height), invariant=1,
                    initialFontName=face)
    canvas.setTitle("cardsender report")
    canvas.setCreator(f"cardsender {__version__}")
    left = 0.5 * INCH
    canvas.setFont(bold, 16)
    canvas.drawString(left, height - 0.6 * INCH, f"Follow-up cards{' · ' + company if company else ''}")
    canvas.setFont(face, 9)
    canvas.drawString(left, height - 0.8 * INCH, f"{report.since[:10]} to {report.until[:10]} (UTC), by {report.by}")
    total = report.total
    share = "" if total.share_with_card is None else f"{total.share_with_card:.1%} of {total.calls:,} calls got a card"
    headline = [f"{total.drafted:,} drafted", f"{total.queued:,} queued", f"{total.mailed:,} mailed",
                f"{total.cancelled:,} cancelled", share,
                f"call to queued: median {_h(total.call_to_queued_median_h)}, 90% {_h(total.call_to_queued_p90_h)}",
                f"queued to mailed: median {_h(total.queued_to_mailed_median_h)}, 90% {_h(total.queued_to_mailed_p90_h)}",
                f"{total.repeat_cards:,} repeat cards within 30 days"]
    canvas.setFont(bold, 9)
    canvas.drawString(left, height - 1.05 * INCH, " · ".join(h for h in headline[:5] if h))
    canvas.setFont(face, 9)
    canvas.drawString(left, height - 1.22 * INCH, " · ".join(headline[5:]))
    renderPDF.draw(cards_chart(per_week_by_rep, face, 5 * INCH, 2.6 * INCH), canvas, left, height - 4.0 * INCH)
    renderPDF.draw(turnaround_chart(report, face, 5 * INCH, 2.6 * INCH), canvas, left + 5 * INCH, height - 4.0 * INCH)
    columns = [("", 1.9), ("calls", 0.6), ("with card", 0.7), ("drafted", 0.6), ("queued", 0.6), ("mailed", 0.6),
               ("cancelled", 0.7), ("to queued h (med/90)", 1.4), ("to mailed h (med/90)", 1.4), ("repeat", 0.6)]
    y = height - 4.35 * INCH
    canvas.setFont(bold, 8)
    x = left
    for title, w in columns:
        canvas.drawString(x, y, title or report.by)
        x += w * INCH
    canvas.line(left, y - 3, width - left, y - 3)
    canvas.setFont(face, 8)
    shown = report.rows[:24]
    for figures in [*shown, report.total]:
        y -= 11
        values = [figures.key or "(none)", _n(figures.calls), _n(figures.with_card), _n(figures.drafted),
                  _n(figures.queued), _n(figures.mailed), _n(figures.cancelled),
                  f"{_h(figures.call_to_queued_median_h)} / {_h(figures.call_to_queued_p90_h)}",
                  f"{_h(figures.queued_to_mailed_median_h)} / {_h(figures.queued_to_mailed_p90_h)}",
                  _n(figures.repeat_cards)]
        if figures is report.total:
            canvas.setFont(bold, 8)
        x = left
        for value, (_, w) in zip(values, columns):
            text = str(value)
            while text and book.width(text, book.text_face.key, 8) > w * INCH - 4:
                text = text[:-1]
            for pdf_name, part in book.runs(text, book.text_face.key):
                canvas.setFont(bold if figures is report.total else pdf_name, 8)
                canvas.drawString(x, y, part)
            x += w * INCH
    if len(report.rows) > len(shown):
        canvas.setFont(face, 7)
        canvas.drawString(left, y - 12, f"... and {len(report.rows) - len(shown)} more rows in the CSV export")
    canvas.showPage()
    canvas.save()


def _h(value) -> str:
    return "–" if value is None else f"{value:,.1f}"


def _n(value) -> str:
    return "–" if value is None else f"{value:,}"
