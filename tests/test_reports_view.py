"""The desktop Reports window over a store built here with known answers: its charts, its
tables, its totals, its exports, its empty and failed states, and that a count for a period no
longer asked for never reaches the screen. Workers are awaited (signals, waitUntil), never timed."""

import csv
import threading
from datetime import date, datetime, timezone

import pytest
from PySide6.QtCharts import QBarCategoryAxis, QHorizontalBarSeries, QLineSeries, QStackedBarSeries
from PySide6.QtCore import QDate, Qt, QThreadPool
from PySide6.QtWidgets import QMessageBox

from cardsender.store import open_store
from cardsender.ui import reports_view
from cardsender.ui.reports_view import FiguresTableModel, Period, ReportsWindow, preset_period, weeks_of
from builders import ADDRESS, add_calls, add_card
from test_render import run

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)  # a Friday
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 20))   # 1 Nov is a Sunday: its week starts 26 Oct
WAIT_MS = 20_000
MARIA, JAMES = "Maria Lopez", "James Chen"


@pytest.fixture
def known(store_path):
    """Five calls, four cards.

    Maria: calls on 2 Nov and 3 Nov (Ann) get cards queued 2 h and 4 h after the call, the
    first mailed 48 h after it was queued (the second card is a repeat to Ann); her call on
    17 Nov (Cy) gets a card that is cancelled. James: his 10 Nov call from Bob gets a card
    queued 6 h after the call and mailed 24 h later; his call on 12 Nov gets none.
    "Thank you" is used twice, "Sorry for the trouble" twice.
    """
    store = open_store(store_path)
    customers = {}
    for number, (first, last) in enumerate((("Ann", "Lee"), ("Bob", "Ray"), ("Cy", "Fox")), start=1):
        customers[first] = store.save_customer(
            dict(account_number=f"A{number}", first_name=first, last_name=last, **ADDRESS),
            [(f"+1816555010{number}", "phone")])[0]
    calls = [("c1", "2026-11-02T10:00:00Z", "+18165550101", MARIA),
             ("c2", "2026-11-03T10:00:00Z", "+18165550101", MARIA),
             ("c3", "2026-11-10T09:00:00Z", "+18165550102", JAMES),
             ("c4", "2026-11-12T12:00:00Z", "+18165550102", JAMES),
             ("c5", "2026-11-17T09:00:00Z", "+18165550103", MARIA)]
    ids = add_calls(store, calls)
    versions = {"thanks": store.pin_template("thanks", name="Thank you", definition="x"),
                "sorry": store.pin_template("sorry", name="Sorry for the trouble", definition="x")}

    def card(call, customer, rep, template, created, **times):
        add_card(store, call_id=ids[call], customer_id=customers[customer], rep=rep, template=template,
                 version=versions[template], created=created, **times)

    card("c1", "Ann", MARIA, "thanks", "2026-11-02T11:00:00Z", queued="2026-11-02T12:00:00Z",
         mailed="2026-11-04T12:00:00Z")
    card("c2", "Ann", MARIA, "thanks", "2026-11-03T10:30:00Z", queued="2026-11-03T14:00:00Z")
    card("c3", "Bob", JAMES, "sorry", "2026-11-10T10:00:00Z", queued="2026-11-10T15:00:00Z",
         mailed="2026-11-11T15:00:00Z")
    card("c5", "Cy", MARIA, "sorry", "2026-11-17T10:00:00Z", cancelled="2026-11-17T11:00:00Z")
    yield store
    store.close()


@pytest.fixture
def open_reports(qtbot, settings, store_path):
    windows = []

    def open_(period: Period | None = NOVEMBER) -> ReportsWindow:
        window = ReportsWindow(store_path, settings=settings, clock=lambda: NOW)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        if period is not None:
            window.set_custom_period(period.first, period.last)
        wait_shown(qtbot, window, period)
        return window

    yield open_
    for window in windows:
        window.close()
    QThreadPool.globalInstance().waitForDone(30_000)


def wait_shown(qtbot, window: ReportsWindow, period: Period | None = None, by: str | None = None) -> None:
    """Until the window shows the report of this period (and grouping), counted to the end."""
    qtbot.waitUntil(lambda: not window.busy and window.data is not None
                    and (period is None or window.data.period == period)
                    and (by is None or window.data.by == by), timeout=WAIT_MS)


def bar_sets(series) -> dict[str, list[float]]:
    return {bars.label(): [bars.at(i) for i in range(bars.count())] for bars in series.barSets()}


def categories(chart, series) -> list[str]:
    axis = next(a for a in series.attachedAxes() if isinstance(a, QBarCategoryAxis))
    return axis.categories()


def table_texts(model) -> list[list[str]]:
    return [[model.index(row, column).data() for column in range(model.columnCount())]
            for row in range(model.rowCount())]


def column(model, header: str) -> int:
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return headers.index(header)


def row_of(model, key: str) -> list[str]:
    return next(row for row in table_texts(model) if row[0] == key)


# -- the charts and their tables ------------------------------------------------------------------
def test_cards_per_week_by_rep_chart_and_its_table(known, open_reports):
    window = open_reports()
    assert window.cards_panel.showing_chart and not window.showing_message
    chart = window.cards_panel.chart
    [series] = chart.series()
    assert isinstance(series, QStackedBarSeries)
    # Every week of the period, the empty one too; most cards first.
    assert categories(chart, series) == ["26 Oct", "2 Nov", "9 Nov", "16 Nov"]
    assert bar_sets(series) == {MARIA: [0, 2, 0, 1], JAMES: [0, 0, 1, 0]}
    assert [bars.label() for bars in series.barSets()] == [MARIA, JAMES]

    model = window.weekly_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Week of", MARIA, JAMES, "All reps"]
    assert table_texts(model) == [
        ["26 Oct 2026", "0", "0", "0"],
        ["2 Nov 2026", "2", "0", "2"],
        ["9 Nov 2026", "0", "1", "1"],
        ["16 Nov 2026", "1", "0", "1"],
        ["Total", "3", "1", "4"],
    ]
    assert window.tabs.tabText(0) == "Cards per week by rep"


def test_turnaround_chart_figures_table_and_totals_by_rep(known, open_reports):
    window = open_reports()
    chart = window.turnaround_panel.chart
    [series] = chart.series()
    assert isinstance(series, QHorizontalBarSeries)
    assert categories(chart, series) == [JAMES, MARIA]  # drawn bottom up: the table's first row on top
    assert bar_sets(series) == {
        "Call → queued, median": [6.0, 3.0],            # Maria: 2 h and 4 h; James: 6 h
        "Call → queued, 90th percentile": [6.0, 3.8],
        "Queued → mailed, median": [24.0, 48.0],
        "Queued → mailed, 90th percentile": [24.0, 48.0],
    }

    model = window.figures_model
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Rep"
    maria, james, total = table_texts(model)
    titles = ["Calls", "With card", "Share", "Drafted", "Queued", "Mailed", "Cancelled"]
    assert [maria[column(model, t)] for t in titles] == ["3", "2", "67%", "3", "2", "1", "1"]
    assert [james[column(model, t)] for t in titles] == ["2", "1", "50%", "1", "1", "1", "0"]
    assert [total[column(model, t)] for t in titles] == ["5", "3", "60%", "4", "3", "2", "1"]
    assert (maria[0], total[0]) == (MARIA, "Total")
    assert maria[column(model, "Call → queued\nmedian h")] == "3.0"
    assert total[column(model, "Call → queued\n90% h")] == "5.6"          # 2, 4 and 6 h
    assert total[column(model, "Queued → mailed\nmedian h")] == "36.0"    # 24 and 48 h
    assert maria[column(model, "Repeats")] == "1"
    assert model.index(2, 0).data(Qt.ItemDataRole.FontRole).bold()       # the total stands out

    tiles = {name: (tile.value.text(), tile.detail.text().strip()) for name, tile in window.tiles.items()}
    assert tiles["calls"][0] == "5"
    assert tiles["share"] == ("60%", "3 calls with a card")
    assert tiles["drafted"] == ("4", "1 cancelled")
    assert tiles["queued"][0] == "3" and tiles["mailed"][0] == "2"
    assert tiles["to_queued"] == ("4.0 h", "median · 90% within 5.6 h")
    assert tiles["to_mailed"] == ("36.0 h", "median · 90% within 45.6 h")


def test_figures_by_template_and_by_week(known, open_reports, qtbot):
    window = open_reports()
    window.choose_grouping("template")
    wait_shown(qtbot, window, NOVEMBER, "template")
    model = window.figures_model
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Template"
    rows = {row[0]: row for row in table_texts(model)}
    assert set(rows) == {"Thank you", "Sorry for the trouble", "Total"}
    assert rows["Thank you"][column(model, "Drafted")] == "2"
    assert rows["Sorry for the trouble"][column(model, "Cancelled")] == "1"
    # A call has no template: the call columns are hidden, and the totals still count calls.
    for call_column in FiguresTableModel.CALL_COLUMNS:
        assert window.figures_table.isColumnHidden(call_column)
    assert window.tiles["calls"].value.text() == "5" and window.tiles["share"].value.text() == "60%"
    [series] = window.turnaround_panel.chart.series()
    # Two cards each: the table's order (by name then) from the top down.
    assert [row[0] for row in table_texts(model)] == ["Sorry for the trouble", "Thank you", "Total"]
    assert categories(window.turnaround_panel.chart, series) == ["Thank you", "Sorry for the trouble"]
    assert bar_sets(series)["Call → queued, median"] == [3.0, 6.0]  # Maria's 2 h and 4 h; James's 6 h

    window.choose_grouping("week")
    wait_shown(qtbot, window, NOVEMBER, "week")
    assert not window.figures_table.isColumnHidden(FiguresTableModel.CALL_COLUMNS[0])
    assert [row[0] for row in table_texts(window.figures_model)] == ["2 Nov 2026", "9 Nov 2026", "16 Nov 2026", "Total"]
    lines = {line.name(): [(p.x(), p.y()) for p in line.points()] for line in window.turnaround_panel.chart.series()}
    assert all(isinstance(line, QLineSeries) for line in window.turnaround_panel.chart.series())
    # x is the week's place on the axis (26 Oct is 0); a week with nothing queued has no point.
    assert lines["Call → queued, median"] == [(1.0, 3.0), (2.0, 6.0)]
    assert lines["Queued → mailed, median"] == [(1.0, 48.0), (2.0, 24.0)]


# -- empty, wrong and failed -------------------------------------------------------------------------
def test_a_range_without_cards_says_so_instead_of_empty_charts(known, open_reports, qtbot):
    june = Period(date(2026, 6, 1), date(2026, 6, 30))
    window = open_reports(june)
    assert window.showing_message
    assert window.message_title.text() == "No cards in this range"
    assert "no calls and no cards" in window.message.text()
    assert window.tiles["drafted"].value.text() == "0"

    window.set_custom_period(date(2026, 11, 10), date(2026, 11, 9))  # the wrong way round: nothing to count
    assert not window.busy and window.showing_message
    assert window.message_title.text() == "The dates are the wrong way round"
    assert not window.export_csv_action.isEnabled()

    window.set_custom_period(date(2026, 11, 12), date(2026, 11, 12))  # a call, no card
    wait_shown(qtbot, window, Period(date(2026, 11, 12), date(2026, 11, 12)))
    assert window.showing_message and "1 call, and no card was written" in window.message.text()
    assert window.tiles["calls"].value.text() == "1" and window.tiles["share"].value.text() == "0%"

    window.set_custom_period(NOVEMBER.first, NOVEMBER.last)
    wait_shown(qtbot, window, NOVEMBER)
    assert not window.showing_message and window.cards_panel.showing_chart


def test_a_failed_count_is_a_message_for_people(known, open_reports, qtbot, monkeypatch):
    window = open_reports()

    def broken(store_path, period, by):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(reports_view, "report_in_own_store", broken)
    with qtbot.waitSignal(window.report_failed, timeout=WAIT_MS):
        window.refresh()
    assert window.showing_message and window.message_title.text() == "The report could not be made"
    assert "Something went wrong inside cardsender (RuntimeError: the disk is on fire)" in window.message.text()
    assert "Traceback" not in window.message.text()
    assert not window.export_pdf_action.isEnabled() and not window.busy


# -- responsive, and never stale ---------------------------------------------------------------------
def test_a_count_for_a_period_no_longer_asked_for_never_shows(known, open_reports, qtbot, monkeypatch):
    window = open_reports()
    real = reports_view.report_in_own_store
    release = threading.Event()
    counted = []

    def slow_for_june(store_path, period, by):
        if period.first.month == 6:
            release.wait(30)
        counted.append(period)
        return real(store_path, period, by)

    monkeypatch.setattr(reports_view, "report_in_own_store", slow_for_june)
    shown = []
    window.report_shown.connect(lambda data: shown.append(data.period))
    window.set_custom_period(date(2026, 6, 1), date(2026, 6, 30))
    # While June is counted the window works: busy, and the period can be changed.
    assert window.busy and window.busy_bar.isVisible() and not window.export_csv_action.isEnabled()
    # The old figures are veiled, so that they are not read as June's.
    qtbot.waitUntil(lambda: all(veil.isVisible() for veil in window.veils), timeout=WAIT_MS)
    october = Period(date(2026, 11, 2), date(2026, 11, 8))
    window.set_custom_period(october.first, october.last)
    release.set()
    wait_shown(qtbot, window, october)
    QThreadPool.globalInstance().waitForDone(30_000)
    qtbot.waitUntil(lambda: len(counted) == 2, timeout=WAIT_MS)
    qtbot.wait(0)  # June's late answer, if it is still on its way, is delivered now
    assert window.data.period == october and shown == [october]
    assert window.weekly_model.weeks == ["2026-11-02"]
    assert not window.busy and not window.busy_bar.isVisible() and window.export_csv_action.isEnabled()
    assert not any(veil.isVisible() for veil in window.veils)


def test_dates_typed_choose_custom_and_are_counted_once_they_rest(known, open_reports, qtbot):
    window = open_reports(None)
    wait_shown(qtbot, window)
    assert window.preset() == "weeks4" and window.period() == Period(date(2026, 10, 26), date(2026, 11, 20))
    with qtbot.waitSignal(window.report_shown, timeout=WAIT_MS) as blocker:
        window.from_edit.setDate(QDate(2026, 11, 9))
    assert window.preset() == "custom"
    assert blocker.args[0].period == Period(date(2026, 11, 9), date(2026, 11, 20))
    window.choose_period("last_month")
    wait_shown(qtbot, window, Period(date(2026, 10, 1), date(2026, 10, 31)))
    assert window.from_edit.date() == QDate(2026, 10, 1) and window.to_edit.date() == QDate(2026, 10, 31)


def test_the_period_and_grouping_are_remembered(known, open_reports, qtbot):
    window = open_reports()
    window.choose_grouping("template")
    wait_shown(qtbot, window, NOVEMBER, "template")
    window.close()
    again = open_reports(None)
    wait_shown(qtbot, again, NOVEMBER, "template")
    assert again.preset() == "custom" and again.grouping() == "template"


@pytest.mark.parametrize("key, today, first, last", [
    ("weeks4", date(2026, 11, 20), date(2026, 10, 26), date(2026, 11, 20)),
    ("weeks13", date(2026, 11, 16), date(2026, 8, 24), date(2026, 11, 16)),
    ("month", date(2026, 11, 20), date(2026, 11, 1), date(2026, 11, 20)),
    ("last_month", date(2026, 1, 15), date(2025, 12, 1), date(2025, 12, 31)),
    ("quarter", date(2026, 11, 20), date(2026, 10, 1), date(2026, 11, 20)),
    ("last_quarter", date(2026, 2, 3), date(2025, 10, 1), date(2025, 12, 31)),
    ("months12", date(2028, 2, 29), date(2027, 3, 1), date(2028, 2, 29)),
    ("year", date(2026, 11, 20), date(2026, 1, 1), date(2026, 11, 20)),
])
def test_preset_periods(key, today, first, last):
    assert preset_period(key, today) == Period(first, last)


def test_weeks_of_a_period_start_on_mondays():
    assert weeks_of(NOVEMBER) == ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"]
    assert weeks_of(Period(date(2026, 11, 16), date(2026, 11, 16))) == ["2026-11-16"]


# -- exports -------------------------------------------------------------------------------------
def test_export_csv_and_a_one_page_pdf(known, open_reports, qtbot, tmp_path):
    window = open_reports()
    with qtbot.waitSignal(window.export_finished, timeout=WAIT_MS) as done:
        window.export_csv(tmp_path / "figures.csv")
    assert done.args == ["csv", tmp_path / "figures.csv"]
    with (tmp_path / "figures.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["key"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {MARIA, JAMES, "total"}
    assert (rows[MARIA]["calls"], rows[MARIA]["drafted"], rows[MARIA]["call_to_queued_median_h"]) == ("3", "3", "3.0")
    assert rows["total"]["share_with_card"] == "0.6"

    with qtbot.waitSignal(window.export_finished, timeout=WAIT_MS) as done:
        window.export_pdf(tmp_path / "summary.pdf")
    assert done.args == ["pdf", tmp_path / "summary.pdf"]
    assert "Pages:           1" in run("pdfinfo", str(tmp_path / "summary.pdf"))
    text = run("pdftotext", str(tmp_path / "summary.pdf"), "-")
    assert "Cards per week, by rep" in text and MARIA in text and "2026-11-01 to 2026-11-21" in text
    assert sorted(p.name for p in tmp_path.glob("*.part")) == []  # nothing half-written left beside
    assert "figures.csv" in window.status_label.text() or "summary.pdf" in window.status_label.text()


def test_an_export_that_cannot_be_written_says_where_and_why(known, open_reports, qtbot, tmp_path):
    window = open_reports()
    out = tmp_path / "no such folder" / "figures.csv"
    with qtbot.waitSignal(window.export_finished, timeout=WAIT_MS) as done:
        window.export_csv(out)
    kind, error = done.args
    assert kind == "csv" and isinstance(error, Exception)
    box = window.last_dialog
    assert isinstance(box, QMessageBox) and box.icon() == QMessageBox.Icon.Warning
    assert box.text().startswith(f"figures.csv could not be saved in {out.parent}:")
    assert "Traceback" not in box.text() and not out.exists()
    box.close()


# -- from the main window ------------------------------------------------------------------------
def test_card_menu_opens_the_reports_window(known, qtbot, settings):
    from cardsender.ui.main_window import MainWindow

    main = MainWindow(known, settings=settings, clock=lambda: NOW)
    qtbot.addWidget(main)
    main.show()
    card_menu = next(a.menu() for a in main.menuBar().actions() if a.text() == "&Card")
    action = next(a for a in card_menu.actions() if a.text().replace("&", "") == "Reports…")
    assert action.shortcut().toString() == "Ctrl+Shift+R"
    action.trigger()
    window = main.reports
    assert isinstance(window, ReportsWindow) and window.isVisible()
    wait_shown(qtbot, window)
    assert window.data.period == Period(date(2026, 10, 26), date(2026, 11, 20))  # last 4 weeks, by the main clock
    assert window.cards_panel.showing_chart
    assert bar_sets(window.cards_panel.chart.series()[0])[MARIA] == [0, 2, 0, 1]
    action.trigger()  # one window, counted again
    assert main.reports is window
    wait_shown(qtbot, window)
    main.close()
    QThreadPool.globalInstance().waitForDone(30_000)


@pytest.mark.parametrize("reps, expected_sets", [(10, 10), (12, 10)])
def test_many_reps_keep_their_own_colours_and_the_rest_are_other_reps(qtbot, reps, expected_sets):
    weeks = ["2026-11-02", "2026-11-09"]
    per_week = {f"Rep {n:02d}": {"2026-11-02": 100 - n, "2026-11-09": 1} for n in range(reps)}
    chart = reports_view.cards_chart(weeks, per_week)  # kept: the series die with it
    series = chart.series()[0]
    labels = [bars.label() for bars in series.barSets()]
    assert len(labels) == expected_sets
    assert len({bars.color().name() for bars in series.barSets()}) == expected_sets
    if reps == 12:
        assert labels[:9] == [f"Rep {n:02d}" for n in range(9)] and labels[9] == "Other reps (3)"
        assert bar_sets(series)["Other reps (3)"] == [(100 - 9) + (100 - 10) + (100 - 11), 3]
    else:
        assert labels == sorted(per_week)
