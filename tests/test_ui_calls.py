"""The desktop client's "Recent calls" view, against a real store.

The model is tested without a window; the window's filters, imports and errors go through the
real worker path (the thread pool, a store per worker) and are awaited, never timed."""

import dataclasses
import threading
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from cardsender.calllog.customers import import_customers
from cardsender.calllog.importer import import_calls
from cardsender.demo import load_demo
from cardsender.ui.call_filter import CallFilter, CallQuery, Period, period_start
from cardsender.ui.calls_model import CALL_ROLE, NOT_MAILABLE_TIP, CallColumn, CallTableModel
from cardsender.ui.formatting import NO_CARD, NO_CUSTOMER, call_length, call_time, display_phone
from cardsender.ui.imports import CALLS, CUSTOMERS, ImportStopped, import_in_own_store
from cardsender.ui.main_window import ME_KEY, MainWindow
from cardsender.ui.report_dialog import ImportReportDialog
from cardsender.ui.tasks import TaskControl

NOW = datetime(2026, 11, 20, 23, 0, tzinfo=timezone.utc)  # a Friday, 17:00 at the demo's call centre

CUSTOMERS_CSV = (
    "account_number,first_name,last_name,phone,address_line1,city,region,postal_code,country\n"
    "AC-100,Ann,Lee,816-555-0101,1200 Main St,Kansas City,MO,64105,US\n"
    "AC-200,Bob,Ray,312-555-0199,500 State St,Chicago,IL,,US\n"  # no ZIP: not mailable
)


def calls_csv(*rows: str) -> str:
    return "call_id,started_at,duration,direction,phone,rep,reason\r\n" + "".join(r + "\r\n" for r in rows)


HAND_MADE_CALLS = calls_csv(
    "h1,2026-11-20T09:00:00-06:00,245,inbound,(816) 555-0101,Maria Lopez,Billing question",
    "h2,2026-11-20T10:00:00-06:00,0:03:10,outbound,+44 20 7946 0761,James Chen,Outage follow-up",
    "h3,2026-11-20T11:00:00-06:00,4503,inbound,+1 312 555 0199,Aisha Patel,\"Move out\nsecond line\"",
)


@pytest.fixture
def hand_made(store, write_file):
    import_customers(store, write_file("customers.csv", CUSTOMERS_CSV))
    import_calls(store, write_file("calls.csv", HAND_MADE_CALLS))
    return store


@pytest.fixture
def demo(store):
    load_demo(store, actor="t", now=NOW)
    return store


@pytest.fixture
def open_window(qtbot, settings):
    """A window over a store, showing its first page; closed (and its workers finished) after."""
    windows = []

    def open_(store) -> MainWindow:
        window = MainWindow(store, settings=settings, clock=lambda: NOW)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        qtbot.waitSignal(window.calls_refreshed, timeout=10_000).wait()
        return window

    yield open_
    for window in windows:
        window.close()
    QThreadPool.globalInstance().waitForDone(30_000)


def load_everything(model: CallTableModel) -> None:
    while model.canFetchMore():
        model.fetchMore()


def shown(model: CallTableModel, column: CallColumn) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def add_card(store, call) -> int:
    version = store.pin_template("thank-you", name="Thank you", definition="[card]\nname='Thank you'\n")
    return store.create_card(customer_id=call["customer_id"], template_slug="thank-you", template_version=version,
                             rep=call["rep"], call_id=call["id"], actor="t")


# -- formatting and periods ----------------------------------------------------------------------
def test_phone_length_and_time_read_as_a_rep_expects():
    assert display_phone("+18165550101", "US") == "(816) 555-0101"
    assert display_phone("+442079460761", "US") == "+44 20 7946 0761"
    assert display_phone("+442079460761", "GB") == "020 7946 0761"
    assert (call_length(245), call_length(4503), call_length(0), call_length(None)) == ("4:05", "75:03", "0:00", "")
    local = datetime(2026, 11, 16, 9, 4).astimezone()
    stamp = local.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert call_time(stamp, now=local) == local.strftime("%a %d %b %H:%M")
    assert "2025" in call_time("2025-03-01T12:00:00Z", now=local)


def test_periods_start_at_local_midnight_or_n_days_back():
    today = datetime.fromisoformat(period_start(Period.TODAY, NOW)).astimezone()
    assert (today.date(), today.hour, today.minute) == (NOW.astimezone().date(), 0, 0)
    assert period_start(Period.LAST_7_DAYS, NOW) == "2026-11-13T23:00:00Z"
    assert period_start(Period.LAST_30_DAYS, NOW) == "2026-10-21T23:00:00Z"
    assert period_start(Period.ALL, NOW) is None
    assert CallFilter(rep="", search="  ", period=Period.ALL).query(NOW) == CallQuery()


# -- the model, without a window ---------------------------------------------------------------------
def test_model_rows_and_columns_match_the_store(qtbot, hand_made):
    model = CallTableModel(hand_made, region="US")
    model.load(CallQuery())
    calls = hand_made.recent_calls()
    assert model.rowCount() == len(calls) == 3 and model.columnCount() == len(CallColumn)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in CallColumn] == [
        "Time", "Customer", "Phone", "Reason", "Rep", "Length", "Card"]
    assert [model.index(r, 0).data(CALL_ROLE)["id"] for r in range(3)] == [c["id"] for c in calls]
    assert shown(model, CallColumn.CUSTOMER) == ["Bob Ray", NO_CUSTOMER, "Ann Lee"]
    assert shown(model, CallColumn.PHONE) == ["(312) 555-0199", "+44 20 7946 0761", "(816) 555-0101"]
    assert shown(model, CallColumn.REASON) == ["Move out / second line", "Outage follow-up", "Billing question"]
    assert shown(model, CallColumn.REP) == ["Aisha Patel", "James Chen", "Maria Lopez"]
    assert shown(model, CallColumn.LENGTH) == ["75:03", "3:10", "4:05"]
    assert shown(model, CallColumn.CARD) == [NO_CARD] * 3
    assert shown(model, CallColumn.TIME) == [call_time(c["started_at"]) for c in calls]
    assert model.all_loaded and not model.canFetchMore()

    unmatched = model.index(1, CallColumn.CUSTOMER)
    assert unmatched.data(Qt.ItemDataRole.FontRole).italic()
    assert unmatched.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(2, CallColumn.CUSTOMER).data(Qt.ItemDataRole.FontRole) is None
    assert model.index(0, CallColumn.CUSTOMER).data(Qt.ItemDataRole.ToolTipRole) == NOT_MAILABLE_TIP
    assert model.index(0, CallColumn.CUSTOMER).data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(2, CallColumn.CUSTOMER).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.index(0, CallColumn.LENGTH).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_model_shows_a_cards_state(qtbot, hand_made):
    ann = next(c for c in hand_made.recent_calls() if c["first_name"] == "Ann")
    add_card(hand_made, ann)
    model = CallTableModel(hand_made, region="US")
    model.load(CallQuery())
    assert shown(model, CallColumn.CARD) == [NO_CARD, NO_CARD, "draft"]


def test_fetch_more_loads_the_next_page_until_every_call_is_in(qtbot, demo):
    model = CallTableModel(demo, page_size=200)
    model.load(CallQuery())
    assert model.rowCount() == 200 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 400
    ids = [model.index(r, 0).data(CALL_ROLE)["id"] for r in range(400)]
    assert ids == [c["id"] for c in demo.recent_calls(limit=400)]
    load_everything(model)
    assert model.rowCount() == demo.count_calls() and not model.canFetchMore()
    model.fetchMore()  # nothing left: nothing happens
    assert model.rowCount() == demo.count_calls()


# -- the window's filters ---------------------------------------------------------------------------
def test_window_opens_on_the_last_7_days_and_counts_what_it_shows(open_window, demo):
    window = open_window(demo)
    expected = demo.recent_calls(since=period_start(Period.LAST_7_DAYS, NOW), limit=200)
    assert [window.model.call_at(r)["id"] for r in range(window.model.rowCount())] == [c["id"] for c in expected]
    assert window.count_label.text() == "200 calls shown; more load as you scroll"
    assert str(demo.path) in window.store_label.text()
    assert window.filter_bar.rep_combo.itemText(0) == "All reps"
    assert [window.filter_bar.rep_combo.itemText(i) for i in range(1, window.filter_bar.rep_combo.count())] == \
        demo.list_reps()


def test_period_changes_what_the_list_shows(open_window, demo, qtbot):
    window = open_window(demo)
    sizes = {}
    for period in (Period.TODAY, Period.LAST_30_DAYS, Period.LAST_7_DAYS, Period.ALL):
        combo = window.filter_bar.period_combo
        with qtbot.waitSignal(window.calls_refreshed, timeout=10_000):
            combo.setCurrentIndex(combo.findData(period))
        load_everything(window.model)
        since = period_start(period, NOW)
        assert window.model.rowCount() == len(demo.recent_calls(since=since, limit=100_000))
        assert all(window.model.call_at(r)["started_at"] >= (since or "") for r in range(window.model.rowCount()))
        sizes[period] = window.model.rowCount()
    assert 0 < sizes[Period.TODAY] < sizes[Period.LAST_7_DAYS] < sizes[Period.ALL] == demo.count_calls()
    assert window.count_label.text() == f"{demo.count_calls():,} calls"


def test_rep_filter_shows_one_reps_calls_and_is_remembered(open_window, demo, qtbot, settings):
    window = open_window(demo)
    combo = window.filter_bar.rep_combo
    combo.setFocus()
    with qtbot.waitSignal(window.calls_refreshed, timeout=10_000):
        qtbot.keyClick(combo, Qt.Key.Key_Down)  # as a rep would choose: "activated", then remembered
    rep = combo.currentText()
    assert rep == demo.list_reps()[0]
    load_everything(window.model)
    assert {window.model.call_at(r)["rep"] for r in range(window.model.rowCount())} == {rep}
    assert window.model.rowCount() == len(
        demo.recent_calls(rep=rep, since=period_start(Period.LAST_7_DAYS, NOW), limit=100_000))
    assert settings.value(ME_KEY) == rep
    window.close()

    again = open_window(demo)
    assert again.filter_bar.rep_combo.currentText() == rep
    assert {again.model.call_at(r)["rep"] for r in range(again.model.rowCount())} == {rep}


def test_no_card_yet_hides_calls_that_have_a_card(open_window, demo, qtbot):
    matched = [c for c in demo.recent_calls(limit=20) if c["customer_id"]][:3]
    card = add_card(demo, matched[0])
    add_card(demo, matched[1])
    demo.cancel_card(card, actor="t")  # a cancelled card does not count
    window = open_window(demo)
    rows = {window.model.call_at(r)["id"]: r for r in range(window.model.rowCount())}
    assert window.model.index(rows[matched[1]["id"]], CallColumn.CARD).data() == "draft"
    assert window.model.index(rows[matched[0]["id"]], CallColumn.CARD).data() == "cancelled"
    with qtbot.waitSignal(window.calls_refreshed, timeout=10_000):
        window.filter_bar.no_card_check.setChecked(True)
    ids = {window.model.call_at(r)["id"] for r in range(window.model.rowCount())}
    assert matched[1]["id"] not in ids and {matched[0]["id"], matched[2]["id"]} <= ids


def test_search_by_name_and_by_phone_digits_after_the_pause(open_window, demo, qtbot):
    window = open_window(demo)
    window.filter_bar.period_combo.setCurrentIndex(window.filter_bar.period_combo.findData(Period.ALL))
    customer = next(c for c in demo.recent_calls(limit=50) if c["customer_id"] and c["last_name"])
    name = customer["last_name"]

    qtbot.keyClicks(window.filter_bar.search_edit, name)
    qtbot.waitUntil(lambda: window.model.query.search == name, timeout=10_000)
    expected = demo.recent_calls(search=name, limit=100_000)
    assert [window.model.call_at(r)["id"] for r in range(window.model.rowCount())] == [c["id"] for c in expected]
    assert customer["id"] in {c["id"] for c in expected}
    assert len(expected) < demo.count_calls()

    digits = customer["phone"][-7:]
    window.filter_bar.search_edit.clear()
    qtbot.keyClicks(window.filter_bar.search_edit, f"{digits[:3]}-{digits[3:]}")
    qtbot.waitUntil(lambda: window.model.query.search == f"{digits[:3]}-{digits[3:]}", timeout=10_000)
    phones = {window.model.call_at(r)["phone"] for r in range(window.model.rowCount())}
    assert customer["phone"] in phones and all(digits in p for p in phones)

    qtbot.keyClicks(window.filter_bar.search_edit, "9999999999999")
    qtbot.waitUntil(lambda: window.model.query.search and window.model.query.search.endswith("9999"), timeout=10_000)
    assert window.model.rowCount() == 0
    assert window.count_label.text() == "No calls match these filters"


def test_an_empty_store_says_how_to_begin(open_window, store, qtbot):
    window = open_window(store)
    with qtbot.waitSignal(window.calls_refreshed, timeout=10_000):
        window.filter_bar.period_combo.setCurrentIndex(window.filter_bar.period_combo.findData(Period.ALL))
    assert window.model.rowCount() == 0
    assert "Import calls" in window.count_label.text()


def test_controls_are_named_in_tab_order_and_ctrl_f_finds(open_window, demo, qtbot):
    window = open_window(demo)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    bar = window.filter_bar
    expected = [bar.rep_combo, bar.period_combo, bar.no_card_check, bar.search_edit, window.table]
    chain, widget = [], bar.rep_combo
    while len(chain) < len(expected):
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(window):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    assert chain == expected
    assert all(w.accessibleName() for w in expected)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(bar.search_edit.hasFocus, timeout=5_000)


def test_column_widths_and_geometry_are_remembered(open_window, demo, settings):
    window = open_window(demo)
    window.table.horizontalHeader().resizeSection(CallColumn.CUSTOMER, 333)
    window.close()
    again = open_window(demo)
    assert again.table.horizontalHeader().sectionSize(CallColumn.CUSTOMER) == 333


# -- imports ---------------------------------------------------------------------------------------
def wait_for_import(qtbot, window, start) -> QWidget:
    with qtbot.waitSignal(window.imports.finished, timeout=30_000):
        start()
    qtbot.waitUntil(lambda: window.imports.last_dialog is not None and window.imports.last_dialog.isVisible(),
                    timeout=10_000)
    return window.imports.last_dialog


def test_import_through_the_worker_updates_the_list_and_reports(open_window, store, write_file, qtbot):
    import_customers(store, write_file("customers.csv", CUSTOMERS_CSV))
    window = open_window(store)
    assert window.model.rowCount() == 0
    path = write_file("calls.csv", HAND_MADE_CALLS + "bad,yesterday,60,inbound,8165550105,Maria Lopez,x\r\n")

    dialog = wait_for_import(qtbot, window, lambda: window.import_file(CALLS, path))
    assert isinstance(dialog, ImportReportDialog)
    report = dialog.report
    assert (report.imported, report.already_there, len(report.rejected), report.matched) == (3, 0, 1, 2)
    assert "3 imported, 0 already there, 1 rejected" in dialog.summary.text()
    assert dialog.rows.rowCount() == 1 and dialog.rows.index(0, 0).data() == "6"  # the reason above spans two lines
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert "line 6\trejected\t" in copied and "'yesterday' is not a date" in copied
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=10_000)
    assert window.filter_bar.rep_combo.count() == 1 + 3  # the new reps are in the filter
    assert window.import_calls_action.isEnabled()
    dialog.close()

    again = wait_for_import(qtbot, window, lambda: window.import_file(CALLS, path))
    assert (again.report.imported, again.report.already_there) == (0, 3)


def test_customer_import_reports_warnings_by_line(open_window, store, write_file, qtbot):
    window = open_window(store)
    dialog = wait_for_import(qtbot, window, lambda: window.import_file(CUSTOMERS, write_file("c.csv", CUSTOMERS_CSV)))
    assert isinstance(dialog, ImportReportDialog)
    assert (dialog.report.imported, dialog.report.updated) == (2, 0)
    assert [dialog.rows.index(0, c).data() for c in range(2)] == ["3", "warning"]
    assert "not mailable" in dialog.rows.index(0, 2).data()


def test_a_broken_file_is_explained_and_the_window_goes_on(open_window, store, write_file, qtbot):
    window = open_window(store)
    box = wait_for_import(qtbot, window, lambda: window.import_file(CALLS, write_file("empty.csv", b"")))
    assert isinstance(box, QMessageBox) and box.icon() == QMessageBox.Icon.Warning
    assert box.text() == "empty.csv is empty (0 bytes)"
    box.close()
    assert window.isVisible()
    dialog = wait_for_import(qtbot, window, lambda: window.import_file(CALLS, write_file("c.csv", HAND_MADE_CALLS)))
    assert isinstance(dialog, ImportReportDialog) and dialog.report.imported == 3


def test_a_bug_in_an_import_says_something_went_wrong(open_window, store, write_file, qtbot):
    def broken_importer(store, path, **_options):
        raise KeyError("layout")

    window = open_window(store)
    kind = dataclasses.replace(CALLS, run=broken_importer)
    box = wait_for_import(qtbot, window, lambda: window.import_file(kind, write_file("c.csv", HAND_MADE_CALLS)))
    assert isinstance(box, QMessageBox) and box.icon() == QMessageBox.Icon.Critical
    assert box.text().startswith("Something went wrong") and "KeyError" in box.text()
    assert "Traceback" not in box.text()


def test_cancel_stops_the_import_and_says_what_was_kept(open_window, store, write_file, qtbot):
    gate = threading.Event()

    def import_after_the_gate(store, path, **options):
        gate.wait(10)  # the worker waits until Cancel was pressed: no race with a fast import
        return import_calls(store, path, **options)

    window = open_window(store)
    kind = dataclasses.replace(CALLS, run=import_after_the_gate)
    path = write_file("c.csv", HAND_MADE_CALLS)

    def start_and_cancel():
        window.import_file(kind, path)
        progress = window.findChild(QProgressDialog)
        progress.canceled.emit()  # what its Cancel button (or Esc) does
        assert progress.labelText().startswith("Stopping")
        gate.set()

    box = wait_for_import(qtbot, window, start_and_cancel)
    assert isinstance(box, QMessageBox)
    assert "stopped; 3 new calls kept" in box.text()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=10_000)


def test_a_stopped_import_counts_the_rows_it_kept(store, write_file, qtbot):
    control = TaskControl(lambda done, total: None)
    control.cancel()
    outcome = import_in_own_store(store.path, CALLS, write_file("c.csv", HAND_MADE_CALLS), control)
    assert isinstance(outcome, ImportStopped) and outcome.rows_kept == 3


# -- starting ----------------------------------------------------------------------------------------
def test_a_store_that_cannot_open_is_a_message_not_a_traceback(qtbot, tmp_path, monkeypatch):
    from cardsender.ui import app

    shown_messages = []
    monkeypatch.setattr(app.QMessageBox, "critical", lambda parent, title, text: shown_messages.append(text))
    assert app.run(str(tmp_path)) == 1
    assert shown_messages == [f"{tmp_path} is a folder, not a store file"]


def test_today_is_the_local_day(qtbot):
    late = datetime(2026, 11, 20, 23, 59, tzinfo=timezone.utc).astimezone()
    start = datetime.fromisoformat(period_start(Period.TODAY, late)).astimezone()
    assert timedelta(0) <= late - start < timedelta(days=1)
