"""The Reports window: for team leads, how many calls got a card, from whom, how quickly the
cards went out and which templates are used, over a period.

Two charts (Qt Charts), each with its table beneath: cards per week by rep (weeks x reps), and
turnaround (median and 90th percentile hours from call to queued and from queued to mailed) with
the figures table by rep, template or week. Headline totals sit above both. The figures export
as CSV (the spreadsheet-safe writer) and as the one-page PDF summary of ``cardsender report``.

The report is counted by ``cardsender.reports`` on a worker with its own store; only the latest
request's answer is shown, so changing the period while one is counted just drops the old one.
Days are UTC days, as in the command line's ``report``.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QDate, QEvent, QMargins, QModelIndex, QObject, QPersistentModelIndex, QSettings, Qt, QTimer, Signal,
)
from PySide6.QtGui import (
    QAction, QCloseEvent, QColor, QCursor, QFont, QKeySequence, QPainter, QPaintEvent, QPalette, QPen,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from cardsender.errors import UserError
from cardsender.render.report_pdf import PALETTE
from cardsender.reports import CSV_COLUMNS, Figures, Report, build_report, cards_per_week_by_rep, report_rows
from cardsender.store import open_store
from cardsender.ui.messages import failure_text, show_failure
from cardsender.ui.tables import ListTableModel, list_table
from cardsender.ui.tasks import TaskControl, run_task

log = logging.getLogger(__name__)

# QSettings keys (this desktop's)
GEOMETRY_KEY = "reports/geometry"
PERIOD_KEY = "reports/period"
CUSTOM_FIRST_KEY = "reports/custom_first"
CUSTOM_LAST_KEY = "reports/custom_last"
GROUPING_KEY = "reports/by"
TAB_KEY = "reports/tab"
SPLITTERS_KEY = "reports/splitters"
EXPORT_FOLDER_KEY = "reports/export_folder"

DATES_SETTLE_MS = 400      # dates typed or stepped through are counted once they rest
DIM_AFTER_MS = 250         # a count that takes longer fades the figures it will replace
CHART_REPS = 9             # reps with their own colour in the weekly chart; the rest are "Other reps"
TURNAROUND_ROWS = 12       # rows of the turnaround chart by rep or template (the table has them all)
NO_REP = "(no rep)"

# Call to queued in blues, queued to mailed in greens: the median dark, the 90th percentile light.
TURNAROUND_SERIES = (
    ("call_to_queued_median_h", "Call → queued, median", "#27324a"),
    ("call_to_queued_p90_h", "Call → queued, 90th percentile", "#8d9bb8"),
    ("queued_to_mailed_median_h", "Queued → mailed, median", "#3f7259"),
    ("queued_to_mailed_p90_h", "Queued → mailed, 90th percentile", "#9fc7b1"),
)


# == periods ======================================================================================
@dataclass(frozen=True)
class Period:
    """Whole UTC days, ``first`` to ``last`` included."""

    first: date
    last: date

    @property
    def since(self) -> str:
        return f"{self.first.isoformat()}T00:00:00Z"

    @property
    def until(self) -> str:
        return f"{(self.last + timedelta(days=1)).isoformat()}T00:00:00Z"

    @property
    def valid(self) -> bool:
        return self.first <= self.last

    def words(self) -> str:
        return f"{day_words(self.first)} to {day_words(self.last)}"


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _first_of_quarter(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier (the month's last day where it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day.day, (next_month - timedelta(days=1)).day))


# (key, label, tooltip); weeks start on Mondays so that the weekly chart's bars are whole weeks.
PRESETS: tuple[tuple[str, str, str], ...] = (
    ("weeks4", "Last 4 weeks", "This week so far and the three weeks before it"),
    ("weeks13", "Last 13 weeks", "This week so far and the twelve weeks before it"),
    ("month", "This month", "From the 1st of this month to today"),
    ("last_month", "Last month", "The whole of last month"),
    ("quarter", "This quarter", "From the start of this quarter to today"),
    ("last_quarter", "Last quarter", "The whole of the last quarter"),
    ("months12", "Last 12 months", "The twelve months up to today"),
    ("year", "This year", "From 1 January to today"),
    ("custom", "Custom dates", "The dates chosen beside this list"),
)
DEFAULT_PRESET = "weeks4"


def preset_period(key: str, today: date) -> Period:
    if key == "weeks4":
        return Period(monday(today) - timedelta(weeks=3), today)
    if key == "weeks13":
        return Period(monday(today) - timedelta(weeks=12), today)
    if key == "month":
        return Period(today.replace(day=1), today)
    if key == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return Period(last.replace(day=1), last)
    if key == "quarter":
        return Period(_first_of_quarter(today), today)
    if key == "last_quarter":
        last = _first_of_quarter(today) - timedelta(days=1)
        return Period(_first_of_quarter(last), last)
    if key == "months12":
        return Period(_months_before(today, 12) + timedelta(days=1), today)
    if key == "year":
        return Period(date(today.year, 1, 1), today)
    raise ValueError(f"no preset period {key!r}")


def weeks_of(period: Period) -> list[str]:
    """Every week (its Monday, ISO) that has a day in the period, with cards or not."""
    weeks, week = [], monday(period.first)
    while week <= period.last:
        weeks.append(week.isoformat())
        week += timedelta(weeks=1)
    return weeks


# == words and numbers ============================================================================
def day_words(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def week_words(monday_iso: str, *, year: bool = True) -> str:
    day = date.fromisoformat(monday_iso)
    return f"{day.day} {day:%b %Y}" if year else f"{day.day} {day:%b}"


def count_words(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def hours_words(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    return f"{value:,.1f}{unit}" if value < 100 else f"{value:,.0f}{unit}"


def duration_words(hours: float | None) -> str:
    """A headline time as a lead reads it: hours up to two days, days after that."""
    if hours is None:
        return "–"
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"


def share_words(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def key_words(by: str, key: str) -> str:
    if by == "week":
        return week_words(key)
    return key or (NO_REP if by == "rep" else "(no template)")


def nice_scale(top: float, *, whole: bool) -> tuple[float, int]:
    """An axis from 0 that holds ``top``: its end and its tick count, on steps of 1, 2 or 5
    times a power of ten, with at most 8 intervals (whole steps for counts)."""
    if top <= 0:
        return (5.0 if whole else 1.0), 6
    for exponent in range(-1 if not whole else 0, 12):
        for base in (1, 2, 5):
            step = base * 10 ** exponent
            intervals = math.ceil(top / step - 1e-9)
            if intervals <= 8:
                return intervals * step, max(intervals, 1) + 1
    return top, 6


# == the work, off the GUI thread ================================================================
@dataclass
class ReportData:
    """One period's report, as the worker counted it."""

    period: Period
    by: str
    report: Report
    per_week_by_rep: dict[str, dict[str, int]]
    totals: Figures      # with calls whatever the grouping (by template, calls don't apply to rows)
    company: str

    @property
    def has_cards(self) -> bool:
        t = self.totals
        return bool(t.drafted or t.queued or t.mailed or t.cancelled or self.per_week_by_rep)


def report_in_own_store(store_path: Path, period: Period, by: str) -> ReportData:
    """The worker's side: its own store, the figures by the grouping, the weekly cards by rep."""
    with open_store(store_path) as store:
        report = build_report(store, since=period.since, until=period.until, by=by)
        totals = report.total
        if totals.calls is None:
            totals = build_report(store, since=period.since, until=period.until, by="rep").total
        per_week = cards_per_week_by_rep(store, since=period.since, until=period.until)
        company = store.get_setting("company", "") or ""
    return ReportData(period, by, report, per_week, totals, company)


def _write_whole(out: Path, write: Callable[[Path], None]) -> Path:
    """Write to a file beside ``out``, then put it in place: a failed export never leaves half a
    file, nor spoils the one it was to replace. Disk problems become a message that says where."""
    part = out.with_name(f".{out.name}.part")
    try:
        write(part)
        os.replace(part, out)
    except OSError as error:
        part.unlink(missing_ok=True)
        raise UserError(f"{out.name} could not be saved in {out.parent}: {error.strerror or error}") from error
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return out


def export_csv_file(report: Report, out: Path) -> Path:
    from cardsender.csvfiles import write_csv

    return _write_whole(out, lambda path: write_csv(path, CSV_COLUMNS, report_rows(report)))


def export_pdf_file(data: ReportData, out: Path) -> Path:
    from cardsender.render.fonts import font_book
    from cardsender.render.report_pdf import render_report_pdf

    book = font_book()
    return _write_whole(out, lambda path: render_report_pdf(data.report, data.per_week_by_rep, book, path,
                                                            company=data.company))


# == tables =======================================================================================
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def _bold(font: QFont) -> QFont:
    font.setBold(True)
    return font


class FiguresTableModel(ListTableModel):
    """The report's rows and its total (last, in bold): one column per figure."""

    # (header, tooltip, the figure's text)
    COLUMNS: tuple[tuple[str, str, Callable[[Figures], str]], ...] = (
        ("Calls", "Calls in the period", lambda f: count_words(f.calls)),
        ("With card", "Calls followed by a card", lambda f: count_words(f.with_card)),
        ("Share", "Share of the calls followed by a card", lambda f: share_words(f.share_with_card)),
        ("Drafted", "Cards written in the period", lambda f: count_words(f.drafted)),
        ("Queued", "Cards queued for the mailroom in the period", lambda f: count_words(f.queued)),
        ("Mailed", "Cards mailed in the period", lambda f: count_words(f.mailed)),
        ("Cancelled", "Cards cancelled in the period", lambda f: count_words(f.cancelled)),
        ("Call → queued\nmedian h", "Hours from the call to the card queued: half the cards took less",
         lambda f: hours_words(f.call_to_queued_median_h)),
        ("Call → queued\n90% h", "Hours from the call to the card queued: nine cards in ten took less",
         lambda f: hours_words(f.call_to_queued_p90_h)),
        ("Queued → mailed\nmedian h", "Hours from queued to mailed: half the cards took less",
         lambda f: hours_words(f.queued_to_mailed_median_h)),
        ("Queued → mailed\n90% h", "Hours from queued to mailed: nine cards in ten took less",
         lambda f: hours_words(f.queued_to_mailed_p90_h)),
        ("Repeats", "Cards to a customer who had another card in the 30 days before",
         lambda f: count_words(f.repeat_cards)),
    )
    CALL_COLUMNS = (1, 2, 3)  # no meaning by template: a call has no template

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.by = "rep"
        self.HEADERS = ("Rep", *(title for title, _tip, _text in self.COLUMNS))
        self._rows: list[Figures] = []
        self._texts: list[tuple[str, ...]] = []

    def items(self) -> Sequence[Figures]:
        return self._rows

    def set_report(self, report: Report) -> None:
        self.beginResetModel()
        self.by = report.by
        self.HEADERS = ({"rep": "Rep", "template": "Template", "week": "Week of"}.get(report.by, report.by),
                        *(title for title, _tip, _text in self.COLUMNS))
        self._rows = [*report.rows, report.total]
        self._texts = [(key_words(report.by, f.key) if f is not report.total else "Total",
                        *(text(f) for _title, _tip, text in self.COLUMNS)) for f in self._rows]
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.HEADERS) - 1)

    def figures_at(self, row: int) -> Figures:
        return self._rows[row]

    def text(self, row: int, column: int) -> str:
        return self._texts[row][column]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[row][column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if column == 0 else _RIGHT
        if role == Qt.ItemDataRole.FontRole and row == len(self._rows) - 1:
            return _bold(QFont())
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return self._texts[row][0]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and section > 0:
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _RIGHT
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.COLUMNS[section - 1][1]
        return super().headerData(section, orientation, role)


class WeeklyCardsModel(ListTableModel):
    """Cards written per week (rows, every week of the period) by rep (columns, most cards
    first), with each week's total and each rep's total."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.HEADERS = ("Week of", "All reps")
        self.reps: list[str] = []
        self.weeks: list[str] = []
        self._counts: list[list[int]] = []  # per row: each rep's cards, then the row's total

    def items(self) -> Sequence[list[int]]:
        return self._counts

    def set_weeks(self, weeks: list[str], per_week_by_rep: dict[str, dict[str, int]]) -> None:
        self.beginResetModel()
        self.reps = reps_by_cards(per_week_by_rep)
        self.weeks = list(weeks)
        self.HEADERS = ("Week of", *self.reps, "All reps")
        self._counts = []
        for week in self.weeks:
            counts = [per_week_by_rep[rep].get(week, 0) for rep in self.reps]
            self._counts.append([*counts, sum(counts)])
        totals = [sum(per_week_by_rep[rep].values()) for rep in self.reps]
        self._counts.append([*totals, sum(totals)])
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.HEADERS) - 1)

    def cards(self, week: str, rep: str | None = None) -> int:
        """Cards in a week (``"total"``: all weeks) by a rep (None: all reps)."""
        row = len(self.weeks) if week == "total" else self.weeks.index(week)
        return self._counts[row][-1 if rep is None else self.reps.index(rep)]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        total_row = row == len(self.weeks)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return "Total" if total_row else week_words(self.weeks[row])
            return f"{self._counts[row][column - 1]:,}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if column == 0 else _RIGHT
        if role == Qt.ItemDataRole.FontRole and (total_row or column == len(self.HEADERS) - 1):
            return _bold(QFont())
        if role == Qt.ItemDataRole.ForegroundRole and column > 0 and self._counts[row][column - 1] == 0:
            return QColor("#9a9a9a")  # the weeks with cards stand out from the empty ones
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and section > 0 and role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT
        return super().headerData(section, orientation, role)


def reps_by_cards(per_week_by_rep: dict[str, dict[str, int]]) -> list[str]:
    """Most cards first; ties by name, so the order (and each rep's colour) is stable."""
    return sorted(per_week_by_rep, key=lambda rep: (-sum(per_week_by_rep[rep].values()), rep.casefold()))


# == charts =======================================================================================
def _base_chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = chart.titleFont()
    font.setBold(True)
    font.setPointSizeF(max(font.pointSizeF(), 9) * 1.15)
    chart.setTitleFont(font)
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(6, 6, 6, 6))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    chart.legend().setShowToolTips(True)  # long names are cut short in the legend
    return chart


def _value_axis(top: float, title: str, *, whole: bool) -> QValueAxis:
    axis = QValueAxis()
    end, ticks = nice_scale(top, whole=whole)
    axis.setRange(0, end)
    axis.setTickCount(ticks)
    axis.setLabelFormat("%d" if whole or end >= 10 else "%.1f")
    axis.setTitleText(title)
    axis.setGridLineColor(QColor("#e3e3e3"))
    return axis


def _category_axis(labels: list[str]) -> QBarCategoryAxis:
    axis = QBarCategoryAxis()
    axis.append(labels)
    axis.setGridLineVisible(False)
    if len(labels) > 14:
        axis.setLabelsAngle(-90)  # a year of weeks: upright labels would run into each other
        axis.setTruncateLabels(False)  # Qt measures a turned label as if it lay flat, and cuts it to "…"
    return axis


def _show_tip(text: str) -> None:
    QToolTip.showText(QCursor.pos(), text)


def cards_chart(weeks: list[str], per_week_by_rep: dict[str, dict[str, int]]) -> QChart:
    """Stacked bars: one bar per week, one colour per rep (the rest of the reps in grey)."""
    chart = _base_chart("Cards per week by rep")
    reps = reps_by_cards(per_week_by_rep)
    shown, others = reps[:CHART_REPS], reps[CHART_REPS:]
    if len(reps) == CHART_REPS + 1:
        shown, others = reps, []  # "Other reps" for a single rep says less than the rep's name
    series = QStackedBarSeries()
    series.setBarWidth(0.7)
    colours = PALETTE  # the PDF summary's colours; ten, so ten reps never share one

    def add(name: str, counts: list[int], colour: str) -> None:
        bars = QBarSet(name)
        bars.append([float(n) for n in counts])
        bars.setColor(QColor(colour))
        bars.setBorderColor(QColor(colour))
        bars.hovered.connect(lambda over, i, name=name, counts=counts: _show_tip(
            f"{name}, week of {week_words(weeks[i])}: {plural(counts[i], 'card')}") if over else QToolTip.hideText())
        series.append(bars)

    for i, rep in enumerate(shown):
        add(rep, [per_week_by_rep[rep].get(week, 0) for week in weeks], colours[i % len(colours)])
    if others:
        add(f"Other reps ({len(others)})", [sum(per_week_by_rep[r].get(week, 0) for r in others) for week in weeks],
            "#b8b8b8")
    chart.addSeries(series)
    years = {week[:4] for week in weeks}
    x_axis = _category_axis([week_words(week, year=len(years) > 1 and week[5:10] <= "01-07") for week in weeks])
    week_totals = [sum(per_week_by_rep[rep].get(week, 0) for rep in reps) for week in weeks]
    y_axis = _value_axis(max(week_totals, default=0), "cards", whole=True)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x_axis)
    series.attachAxis(y_axis)
    return chart


def turnaround_rows(report: Report) -> list[Figures]:
    """The rows with a turnaround to draw."""
    return [f for f in report.rows
            if any(getattr(f, attribute) is not None for attribute, _name, _colour in TURNAROUND_SERIES)]


def turnaround_chart(report: Report, weeks: list[str]) -> QChart:
    """Hours from call to queued and from queued to mailed, median and 90th percentile: bars
    per rep or template (the first rows, in the table's order), lines over the weeks."""
    chart = _base_chart("Turnaround: hours from call to queued, and from queued to mailed")
    rows = turnaround_rows(report)
    top = max((getattr(f, a) or 0 for f in rows for a, _n, _c in TURNAROUND_SERIES), default=0)
    if report.by == "week":
        by_week = {f.key: f for f in rows}
        x_axis = _category_axis([week_words(week, year=False) for week in weeks])
        y_axis = _value_axis(top, "hours", whole=False)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for attribute, name, colour in TURNAROUND_SERIES:
            line = QLineSeries()
            line.setName(name)
            pen = QPen(QColor(colour), 2.5)
            if attribute.endswith("p90_h"):
                pen.setStyle(Qt.PenStyle.DashLine)
            line.setPen(pen)
            line.setColor(QColor(colour))
            line.setPointsVisible(True)  # a week alone, between weeks with nothing, still shows
            for i, week in enumerate(weeks):
                value = getattr(by_week[week], attribute) if week in by_week else None
                if value is not None:
                    line.append(float(i), float(value))
            chart.addSeries(line)
            line.attachAxis(x_axis)
            line.attachAxis(y_axis)
        return chart
    shown = list(reversed(rows[:TURNAROUND_ROWS]))  # the table's first row at the top
    series = QHorizontalBarSeries()
    series.setBarWidth(0.8)
    for attribute, name, colour in TURNAROUND_SERIES:
        bars = QBarSet(name)
        values = [getattr(f, attribute) for f in shown]
        bars.append([float(v or 0) for v in values])
        bars.setColor(QColor(colour))
        bars.setBorderColor(QColor(colour))
        bars.hovered.connect(lambda over, i, name=name, values=values: _show_tip(
            f"{key_words(report.by, shown[i].key)}: {name.lower()} {hours_words(values[i], ' h')}")
            if over else QToolTip.hideText())
        series.append(bars)
    chart.addSeries(series)
    y_axis = _category_axis([_short(key_words(report.by, f.key)) for f in shown])
    y_axis.setLabelsAngle(0)
    x_axis = _value_axis(top, "hours", whole=False)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(y_axis)
    series.attachAxis(x_axis)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def _short(text: str, length: int = 24) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


class ChartPanel(QStackedWidget):
    """A chart, or in its place a sentence saying why there is nothing to draw."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = QChartView()
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setAccessibleName(accessible_name)
        self.view.setMinimumHeight(220)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName(f"{accessible_name}: nothing to draw")
        self.empty.setStyleSheet("color: palette(placeholder-text); font-size: 11pt;")
        self.empty.setMinimumHeight(220)
        self.addWidget(self.view)
        self.addWidget(self.empty)

    @property
    def chart(self) -> QChart:
        return self.view.chart()

    @property
    def showing_chart(self) -> bool:
        return self.currentWidget() is self.view

    def show_chart(self, chart: QChart) -> None:
        old = self.view.chart()
        self.view.setChart(chart)  # the view owns the new chart and lets go of the old one
        if old is not None:
            old.deleteLater()
        self.setCurrentWidget(self.view)

    def show_empty(self, text: str) -> None:
        self.empty.setText(text)
        self.setCurrentWidget(self.empty)


# == the window ===================================================================================
class Tile(QFrame):
    """A headline figure: what it is, the number, a line of detail."""

    def __init__(self, caption: str, tip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setToolTip(tip)
        self.caption = QLabel(caption)
        self.value = QLabel("–")
        self.detail = QLabel("")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.value.setFont(font)
        for label in (self.caption, self.detail):
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.value.setAccessibleName(caption)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(0)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)

    def set(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail or " ")  # a line kept, so the tiles keep one height


class Veil(QWidget):
    """A pale cover over figures about to be replaced (an opacity effect on the parent would
    leave the chart's and the tables' own viewports undimmed)."""

    def __init__(self, covered: QWidget) -> None:
        super().__init__(covered)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        covered.installEventFilter(self)
        self.setGeometry(covered.rect())
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(watched.rect())
        return False

    def paintEvent(self, _event: QPaintEvent) -> None:
        colour = self.palette().color(QPalette.ColorRole.Window)
        colour.setAlpha(170)
        QPainter(self).fillRect(self.rect(), colour)


class ReportsWindow(QMainWindow):
    """Cards per week by rep and turnaround over a period, with their tables; CSV and PDF out."""

    report_shown = Signal(object)          # the ReportData now shown (tests wait for it)
    report_failed = Signal(object)         # the exception, shown in the window
    export_finished = Signal(str, object)  # ("csv" | "pdf", the file written or the exception)

    def __init__(self, store_path: Path, parent: QWidget | None = None, *, settings: QSettings | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self.store_path = Path(store_path)
        self.settings = settings if settings is not None else QSettings()
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self.setWindowTitle("Reports")
        self.data: ReportData | None = None   # what the window shows
        self._task: TaskControl | None = None  # the count in hand
        self._generation = 0
        self._exports: list[TaskControl] = []
        self.last_dialog: QWidget | None = None  # the message shown last (tests read it)

        self._make_actions()
        self._make_menus()
        top_bar = self._make_top_bar()
        self.tiles = self._make_tiles()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._make_cards_tab(), "Cards per week by rep")
        self.tabs.addTab(self._make_turnaround_tab(), "Turnaround and figures")
        self.content = QStackedWidget()
        self.content.addWidget(self.tabs)
        self.content.addWidget(self._make_message_page())

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(10, 8, 10, 6)
        layout.addLayout(top_bar)
        self.tiles_box = QWidget()
        tiles_row = QHBoxLayout(self.tiles_box)
        tiles_row.setContentsMargins(0, 0, 0, 0)
        tiles_row.setSpacing(8)
        for tile in self.tiles.values():
            tiles_row.addWidget(tile, 1)
        layout.addWidget(self.tiles_box)
        layout.addWidget(self.content, 1)
        self.setCentralWidget(central)
        self.veils = [Veil(self.tiles_box), Veil(self.content)]
        self.status_label = QLabel()
        self.status_label.setAccessibleName("Reports status")
        self.statusBar().addWidget(self.status_label, 1)

        self._dates_timer = QTimer(self)
        self._dates_timer.setSingleShot(True)
        self._dates_timer.setInterval(DATES_SETTLE_MS)
        self._dates_timer.timeout.connect(self.refresh)
        # What is shown is veiled while a count takes a while, so old figures are not read as the
        # new period's; a quick count does not flicker.
        self._dim_timer = QTimer(self)
        self._dim_timer.setSingleShot(True)
        self._dim_timer.setInterval(DIM_AFTER_MS)
        self._dim_timer.timeout.connect(lambda: self._dim(True))
        self._restore_settings()
        self.period_combo.currentIndexChanged.connect(self._preset_chosen)
        self.from_edit.dateChanged.connect(self._dates_edited)
        self.to_edit.dateChanged.connect(self._dates_edited)
        self.group_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self._set_busy(False)
        self.refresh()

    # -- building ---------------------------------------------------------------------------------
    def _action(self, text: str, slot: Callable[[], object], shortcut: QKeySequence | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        self.export_csv_action = self._action(
            "Export &CSV…", self.choose_and_export_csv, QKeySequence("Ctrl+E"),
            "The figures table as a CSV file, safe to open in a spreadsheet")
        self.export_pdf_action = self._action(
            "Export &PDF summary…", self.choose_and_export_pdf, QKeySequence("Ctrl+Shift+E"),
            "A one-page PDF: the headline figures, both charts and the figures table")
        self.refresh_action = self._action("&Refresh", self.refresh, QKeySequence(Qt.Key.Key_F5),
                                           "Count the period again")
        self.close_action = self._action("&Close", self.close, QKeySequence(QKeySequence.StandardKey.Close))

    def _make_menus(self) -> None:
        menu = self.menuBar().addMenu("&Report")
        menu.addAction(self.export_csv_action)
        menu.addAction(self.export_pdf_action)
        menu.addSeparator()
        menu.addAction(self.refresh_action)
        menu.addSeparator()
        menu.addAction(self.close_action)

    def _make_top_bar(self) -> QHBoxLayout:
        self.period_combo = QComboBox()
        self.period_combo.setAccessibleName("Period")
        for key, label, tip in PRESETS:
            self.period_combo.addItem(label, key)
            self.period_combo.setItemData(self.period_combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.from_edit, self.to_edit = QDateEdit(), QDateEdit()
        for edit, name in ((self.from_edit, "From"), (self.to_edit, "To, included")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
            edit.setToolTip("Whole days in UTC, as in the command line's report")
            edit.setMinimumDate(QDate(2000, 1, 1))
        period_label = QLabel("&Period:")
        period_label.setBuddy(self.period_combo)
        from_label = QLabel("&from")
        from_label.setBuddy(self.from_edit)
        to_label = QLabel("&to")
        to_label.setBuddy(self.to_edit)

        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # busy: how long a count takes is not known
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumWidth(90)
        self.busy_bar.setMaximumHeight(12)
        self.busy_bar.setAccessibleName("Counting")
        self.busy_label = QLabel("Counting…")
        for widget in (self.busy_bar, self.busy_label):
            policy = widget.sizePolicy()
            policy.setRetainSizeWhenHidden(True)  # the bar does not jump when the count ends
            widget.setSizePolicy(policy)

        self.csv_button = self._button(self.export_csv_action, "Export CSV…")
        self.pdf_button = self._button(self.export_pdf_action, "Export PDF…")

        bar = QHBoxLayout()
        bar.addWidget(period_label)
        bar.addWidget(self.period_combo)
        bar.addSpacing(6)
        bar.addWidget(from_label)
        bar.addWidget(self.from_edit)
        bar.addWidget(to_label)
        bar.addWidget(self.to_edit)
        bar.addSpacing(12)
        bar.addWidget(self.busy_bar)
        bar.addWidget(self.busy_label)
        bar.addStretch(1)
        bar.addWidget(self.csv_button)
        bar.addWidget(self.pdf_button)
        return bar

    def _button(self, action: QAction, text: str) -> QWidget:
        button = QPushButton(text)
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(action.toolTip() + (f" ({shortcut})" if shortcut else ""))
        button.setAccessibleName(text.rstrip("…"))
        button.clicked.connect(action.trigger)
        button.setEnabled(action.isEnabled())
        action.enabledChanged.connect(button.setEnabled)
        return button

    def _make_tiles(self) -> dict[str, Tile]:
        return {
            "calls": Tile("Calls", "Calls in the period"),
            "share": Tile("Got a card", "Share of the period's calls followed by a card"),
            "drafted": Tile("Cards written", "Cards written in the period"),
            "queued": Tile("Queued", "Cards queued for the mailroom in the period"),
            "mailed": Tile("Mailed", "Cards mailed in the period"),
            "to_queued": Tile("Call → queued", "Hours from the call to its card queued: the median (half took "
                                               "less) and the 90th percentile (nine in ten took less)"),
            "to_mailed": Tile("Queued → mailed", "Hours from queued to mailed: the median and the 90th percentile"),
        }

    def _table(self, name: str) -> QTableView:
        table = list_table(name, several=True, row_padding=8, stretch_last=False)
        table.setCornerButtonEnabled(False)
        header = table.horizontalHeader()
        header.setDefaultAlignment(_RIGHT)
        header.setMinimumSectionSize(table.fontMetrics().horizontalAdvance("00,000") + 16)
        return table

    def _splitter(self, top: QWidget, bottom: QWidget) -> QSplitter:
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        return splitter

    def _make_cards_tab(self) -> QWidget:
        self.cards_panel = ChartPanel("Cards per week by rep, chart")
        self.weekly_model = WeeklyCardsModel(self)
        self.weekly_table = self._table("Cards per week by rep, table")
        self.weekly_table.setModel(self.weekly_model)
        self.weekly_model.modelReset.connect(lambda: self._fit_columns(self.weekly_table))
        self.cards_splitter = self._splitter(self.cards_panel, self.weekly_table)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.cards_splitter)
        return page

    def _make_turnaround_tab(self) -> QWidget:
        self.group_combo = QComboBox()
        self.group_combo.setAccessibleName("Figures by")
        for key, label in (("rep", "Rep"), ("template", "Template"), ("week", "Week")):
            self.group_combo.addItem(label, key)
        group_label = QLabel("Figures &by:")
        group_label.setBuddy(self.group_combo)
        self.chart_note = QLabel()
        self.chart_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.turnaround_panel = ChartPanel("Turnaround, chart")
        self.figures_model = FiguresTableModel(self)
        self.figures_table = self._table("Figures, table")
        self.figures_table.setModel(self.figures_model)
        self.figures_model.modelReset.connect(lambda: self._fit_columns(self.figures_table))
        self.turnaround_splitter = self._splitter(self.turnaround_panel, self.figures_table)
        row = QHBoxLayout()
        row.addWidget(group_label)
        row.addWidget(self.group_combo)
        row.addSpacing(12)
        row.addWidget(self.chart_note, 1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.turnaround_splitter, 1)
        return page

    def _make_message_page(self) -> QWidget:
        """In place of the charts: an empty period, dates the wrong way round, a failure."""
        self.message_title = QLabel()
        self.message = QLabel()
        font = self.message_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.message_title.setFont(font)
        for label in (self.message_title, self.message):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.message.setAccessibleName("Report message")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.message_title)
        layout.addSpacing(8)
        layout.addWidget(self.message)
        layout.addStretch(2)
        return page

    def _fit_columns(self, table: QTableView) -> None:
        header = table.horizontalHeader()
        header.resizeSections(QHeaderView.ResizeMode.ResizeToContents)
        for column in range(1, header.count()):
            header.resizeSection(column, header.sectionSize(column) + 8)  # air between the numbers
        width = header.sectionSize(0)
        header.resizeSection(0, min(max(width + 12, table.fontMetrics().horizontalAdvance("Jamal Washington__")),
                                    table.fontMetrics().horizontalAdvance("x" * 40)))

    # -- the period -------------------------------------------------------------------------------
    def today(self) -> date:
        return self._clock().astimezone(timezone.utc).date()

    def preset(self) -> str:
        return self.period_combo.currentData()

    def period(self) -> Period:
        return Period(self.from_edit.date().toPython(), self.to_edit.date().toPython())

    def grouping(self) -> str:
        return self.group_combo.currentData()

    def _show_period(self, period: Period) -> None:
        for edit, day in ((self.from_edit, period.first), (self.to_edit, period.last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def _preset_chosen(self, _index: int) -> None:
        if self.preset() != "custom":
            self._show_period(preset_period(self.preset(), self.today()))
        self._dates_timer.stop()
        self.refresh()

    def _dates_edited(self, _date: QDate) -> None:
        custom = self.period_combo.findData("custom")
        if self.period_combo.currentIndex() != custom:
            self.period_combo.blockSignals(True)
            self.period_combo.setCurrentIndex(custom)
            self.period_combo.blockSignals(False)
        self._dates_timer.start()  # stepping through days counts once, where the dates come to rest

    def choose_period(self, key: str) -> None:
        """Choose a preset period (as the list does)."""
        self.period_combo.setCurrentIndex(self.period_combo.findData(key))

    def set_custom_period(self, first: date, last: date) -> None:
        """Custom dates, counted at once (as the date fields do once they rest)."""
        self.period_combo.blockSignals(True)
        self.period_combo.setCurrentIndex(self.period_combo.findData("custom"))
        self.period_combo.blockSignals(False)
        self._show_period(Period(first, last))
        self._dates_timer.stop()
        self.refresh()

    def choose_grouping(self, by: str) -> None:
        self.group_combo.setCurrentIndex(self.group_combo.findData(by))

    # -- counting ---------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._task is not None

    def refresh(self) -> None:
        """Count the period on a worker; an older count still running is dropped."""
        self._dates_timer.stop()
        if self._task is not None:
            self._task.abandon()
            self._task = None
        self._generation += 1
        generation = self._generation
        period, by = self.period(), self.grouping()
        if not period.valid:
            self.data = None
            self._set_busy(False)
            self._show_message("The dates are the wrong way round",
                               f"The period starts on {day_words(period.first)}, after it ends on "
                               f"{day_words(period.last)}. Choose a start on or before the end.")
            return
        store_path = self.store_path
        self._task = run_task(
            lambda _control: report_in_own_store(store_path, period, by),
            on_done=lambda data: self._show_report(generation, data),
            on_error=lambda error: self._report_failed(generation, error),
            context=self,
        )
        self._set_busy(True)

    def _set_busy(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)
        self.busy_label.setVisible(busy)
        self.export_csv_action.setEnabled(not busy and self.data is not None)
        self.export_pdf_action.setEnabled(not busy and self.data is not None)
        if busy:
            self.status_label.setText(f"Counting {self.period().words()}…")
            if not self._dim_timer.isActive():
                self._dim_timer.start()
        else:
            self._dim_timer.stop()
            self._dim(False)

    def _dim(self, dim: bool) -> None:
        for veil in self.veils:
            veil.setVisible(dim)
            if dim:
                veil.raise_()

    def _show_report(self, generation: int, data: ReportData) -> None:
        if generation != self._generation:
            return  # a count for a period no longer asked for
        self._task = None
        self.data = data
        self._show_totals(data)
        weeks = weeks_of(data.period)
        self.weekly_model.set_weeks(weeks, data.per_week_by_rep)
        self.figures_model.set_report(data.report)
        for column in FiguresTableModel.CALL_COLUMNS:
            self.figures_table.setColumnHidden(column, data.report.total.calls is None)
        if not data.has_cards:
            calls = data.totals.calls or 0
            self._show_message(
                "No cards in this range",
                f"{data.period.words()}: "
                + (f"{plural(calls, 'call')}, and no card was written, queued or mailed."
                   if calls else "no calls and no cards.")
                + "\nChoose a longer period, or another one, above.")
        else:
            self.content.setCurrentWidget(self.tabs)
            self._show_charts(data, weeks)
        self._set_busy(False)
        self.status_label.setText(f"{data.period.words()} (UTC days)")
        self.report_shown.emit(data)

    def _show_charts(self, data: ReportData, weeks: list[str]) -> None:
        if data.per_week_by_rep:
            self.cards_panel.show_chart(cards_chart(weeks, data.per_week_by_rep))
        else:
            self.cards_panel.show_empty("No cards were written in this period.\n"
                                        "The cards counted were written before it.")
        rows = turnaround_rows(data.report)
        if rows:
            self.turnaround_panel.show_chart(turnaround_chart(data.report, weeks))
        else:
            self.turnaround_panel.show_empty("No card was queued or mailed in this period, "
                                             "so there is no turnaround to show yet.")
        if data.report.by != "week" and len(rows) > TURNAROUND_ROWS:
            self.chart_note.setText(f"The chart shows the first {TURNAROUND_ROWS} of {len(rows)}; "
                                    "the table has them all.")
        else:
            self.chart_note.setText("")

    def _show_totals(self, data: ReportData) -> None:
        t = data.totals
        self.tiles["calls"].set(count_words(t.calls))
        self.tiles["share"].set(share_words(t.share_with_card),
                                f"{plural(t.with_card or 0, 'call')} with a card" if t.calls else "")
        self.tiles["drafted"].set(count_words(t.drafted), f"{t.cancelled:,} cancelled" if t.cancelled else "")
        self.tiles["queued"].set(count_words(t.queued),
                                 f"{plural(t.repeat_cards, 'repeat card')}" if t.repeat_cards else "")
        self.tiles["mailed"].set(count_words(t.mailed))
        for tile, median, p90 in (("to_queued", t.call_to_queued_median_h, t.call_to_queued_p90_h),
                                  ("to_mailed", t.queued_to_mailed_median_h, t.queued_to_mailed_p90_h)):
            self.tiles[tile].set(duration_words(median), "" if median is None else "median" + (
                f" · 90% within {duration_words(p90)}" if p90 is not None else ""))

    def _report_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._task = None
        self.data = None
        if not isinstance(error, UserError):
            log.error("the report could not be counted", exc_info=error)
        self._set_busy(False)
        for tile in self.tiles.values():
            tile.set("–")
        self._show_message("The report could not be made", f"{failure_text(error)}\nPress F5 to try again.")
        self.status_label.setText("")
        self.report_failed.emit(error)

    def _show_message(self, title: str, text: str) -> None:
        self.message_title.setText(title)
        self.message.setText(text)
        self.content.setCurrentWidget(self.content.widget(1))

    @property
    def showing_message(self) -> bool:
        return self.content.currentIndex() == 1

    # -- exports ----------------------------------------------------------------------------------
    def _default_name(self, extension: str) -> str:
        assert self.data is not None
        first, last = self.data.period.first.isoformat(), self.data.period.last.isoformat()
        return f"cardsender-report-{first}-to-{last}-by-{self.data.by}.{extension}"

    def _choose_file(self, title: str, extension: str, file_filter: str) -> Path | None:
        if self.data is None:
            return None
        folder = self.settings.value(EXPORT_FOLDER_KEY, os.path.expanduser("~"), str)
        path, _filter = QFileDialog.getSaveFileName(self, title, str(Path(folder) / self._default_name(extension)),
                                                    file_filter)
        if not path:
            return None
        if not path.lower().endswith(f".{extension}"):
            path += f".{extension}"
        self.settings.setValue(EXPORT_FOLDER_KEY, str(Path(path).parent))
        return Path(path)

    def choose_and_export_csv(self) -> None:
        path = self._choose_file("Export the figures as CSV", "csv", "CSV files (*.csv)")
        if path is not None:
            self.export_csv(path)

    def choose_and_export_pdf(self) -> None:
        path = self._choose_file("Export a one-page PDF summary", "pdf", "PDF files (*.pdf)")
        if path is not None:
            self.export_pdf(path)

    def export_csv(self, path: Path) -> TaskControl | None:
        """Write the figures table (as shown: this period, this grouping) as CSV, on a worker."""
        if self.data is None:
            return None
        report = self.data.report
        return self._export("csv", Path(path), lambda: export_csv_file(report, Path(path)))

    def export_pdf(self, path: Path) -> TaskControl | None:
        """Write the one-page PDF summary of what is shown, on a worker."""
        if self.data is None:
            return None
        data = self.data
        return self._export("pdf", Path(path), lambda: export_pdf_file(data, Path(path)))

    def _export(self, kind: str, path: Path, work: Callable[[], Path]) -> TaskControl:
        self.status_label.setText(f"Saving {path.name}…")
        task: TaskControl | None = None

        def finished(outcome: Path | BaseException) -> None:
            if task in self._exports:
                self._exports.remove(task)
            if isinstance(outcome, BaseException):
                self.status_label.setText("")
                self.last_dialog = show_failure(self, f"Export {kind.upper()}", outcome)
            else:
                self.status_label.setText(f"Saved {outcome.name} in {outcome.parent}")
            self.export_finished.emit(kind, outcome)

        task = run_task(lambda _control: work(), on_done=finished, on_error=finished, context=self)
        self._exports.append(task)
        return task

    # -- settings and closing ---------------------------------------------------------------------
    def _restore_settings(self) -> None:
        geometry = self.settings.value(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            metrics = self.fontMetrics()
            self.resize(metrics.horizontalAdvance("x") * 165, metrics.height() * 48)
        key = self.settings.value(PERIOD_KEY, DEFAULT_PRESET, str)
        index = self.period_combo.findData(key)
        self.period_combo.setCurrentIndex(index if index >= 0 else self.period_combo.findData(DEFAULT_PRESET))
        period = preset_period(DEFAULT_PRESET, self.today())
        if self.preset() == "custom":
            try:
                period = Period(date.fromisoformat(self.settings.value(CUSTOM_FIRST_KEY, "", str)),
                                date.fromisoformat(self.settings.value(CUSTOM_LAST_KEY, "", str)))
            except ValueError:
                self.period_combo.setCurrentIndex(self.period_combo.findData(DEFAULT_PRESET))
        else:
            period = preset_period(self.preset(), self.today())
        self._show_period(period)
        by = self.group_combo.findData(self.settings.value(GROUPING_KEY, "rep", str))
        self.group_combo.setCurrentIndex(max(by, 0))
        self.tabs.setCurrentIndex(self.settings.value(TAB_KEY, 0, int))
        splitters = self.settings.value(SPLITTERS_KEY)
        if isinstance(splitters, list) and len(splitters) == 2:
            self.cards_splitter.restoreState(splitters[0])
            self.turnaround_splitter.restoreState(splitters[1])

    def save_settings(self) -> None:
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self.settings.setValue(PERIOD_KEY, self.preset())
        period = self.period()
        self.settings.setValue(CUSTOM_FIRST_KEY, period.first.isoformat())
        self.settings.setValue(CUSTOM_LAST_KEY, period.last.isoformat())
        self.settings.setValue(GROUPING_KEY, self.grouping())
        self.settings.setValue(TAB_KEY, self.tabs.currentIndex())
        self.settings.setValue(SPLITTERS_KEY, [self.cards_splitter.saveState(), self.turnaround_splitter.saveState()])
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self._dates_timer.stop()
        # Nothing a worker reports after this reaches the window; an export in hand still
        # finishes its file.
        for task in [self._task, *self._exports]:
            if task is not None:
                task.abandon()
        self._task = None
        self._exports.clear()
        super().closeEvent(event)
