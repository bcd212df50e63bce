"""The desktop client beyond the call list: opening a call (its draft, or who called), My cards,
Settings, the watched import folder. A real temporary store with the demo data; workers are
awaited, never timed. The composer is the real one where it is tested; elsewhere a stand-in
with the same constructor and signals keeps these tests about the window."""

from datetime import datetime, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QMessageBox, QWidget

from cardsender import cards
from cardsender.demo import load_demo
from cardsender.model import CardState, ImportReport
from cardsender.store.paths import ENV_VAR
from cardsender.ui import main_window as main_window_module
from cardsender.ui.app import store_location
from cardsender.ui.calls_model import CallColumn
from cardsender.ui.main_window import ME_KEY, MainWindow

NOW = datetime(2026, 11, 20, 23, 0, tzinfo=timezone.utc)
TEMPLATE = "thank-you-for-calling"
REP = "Maria Lopez"


class StandInComposer(QWidget):
    """What the main window needs of ComposerWindow: its constructor and its two signals."""

    card_saved = Signal(int)
    card_queued = Signal(int)
    made: list["StandInComposer"] = []

    def __init__(self, store_path, *, call_id=None, card_id=None, preferences=None, parent=None):
        super().__init__(parent)
        self.store_path, self.call_id, self.card_id, self.preferences = Path(store_path), call_id, card_id, preferences
        StandInComposer.made.append(self)


@pytest.fixture
def stand_in_composer(monkeypatch):
    StandInComposer.made = []
    monkeypatch.setattr(main_window_module, "composer_window_class", lambda: StandInComposer)
    return StandInComposer


@pytest.fixture
def demo(store):
    load_demo(store, actor="t", now=NOW)
    return store


@pytest.fixture
def open_window(qtbot, settings, preferences):
    windows = []

    def open_(store, **options) -> MainWindow:
        window = MainWindow(store, settings=settings, preferences=preferences, clock=lambda: NOW, **options)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        qtbot.waitSignal(window.calls_refreshed, timeout=10_000).wait()
        return window

    yield open_
    for window in windows:
        window.close()
    QThreadPool.globalInstance().waitForDone(30_000)


def shown_calls(window):
    return [window.model.call_at(r) for r in range(window.model.rowCount())]


def a_call(window, *, matched: bool, card: bool = False, not_id=None):
    return next(c for c in shown_calls(window)
                if (c["customer_id"] is not None) == matched and bool(c["card_status"]) == card and c["id"] != not_id
                and (not matched or c["mailable"]))


def press_enter_on(qtbot, window, call_id):
    assert window.select_call(call_id)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)


def signature_png(path: Path, height: int = 200) -> Path:
    image = QImage(height * 3, height, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    for x in range(10, height * 3 - 10):
        image.setPixelColor(x, height // 2 + (x % 40) - 20, QColor("navy"))
    assert image.save(str(path), "PNG")
    return path


# -- opening a call --------------------------------------------------------------------------------
def test_opening_a_matched_call_opens_the_real_composer_for_it(open_window, demo, qtbot):
    composer = pytest.importorskip("cardsender.ui.composer")
    window = open_window(demo)
    call = a_call(window, matched=True)
    with qtbot.waitSignal(window.composer_opened, timeout=10_000) as opened:
        press_enter_on(qtbot, window, call["id"])
    assert isinstance(opened.args[0], composer.ComposerWindow)
    draft = window.draft_of_call(call)
    assert draft is not None and [(e.call_id, e.card_id) for e in window.composers] == [(call["id"], draft)]
    qtbot.waitUntil(lambda: window.model.index(window.table.currentIndex().row(), CallColumn.CARD).data() == "draft",
                    timeout=10_000)
    window.open_call(call)  # its draft, already open: the same window comes forward
    assert len(window.composers) == 1
    opened.args[0].close()
    qtbot.waitUntil(lambda: not window.composers, timeout=5_000)


def test_enter_or_double_click_opens_one_composer_per_call(open_window, demo, qtbot, stand_in_composer):
    window = open_window(demo)
    call = a_call(window, matched=True)
    press_enter_on(qtbot, window, call["id"])
    assert [(c.call_id, c.card_id) for c in stand_in_composer.made] == [(call["id"], None)]
    first = stand_in_composer.made[0]
    assert first.store_path == demo.path and first.preferences is window.preferences and first.isVisible()

    row = next(r for r, c in enumerate(shown_calls(window)) if c["id"] == call["id"])
    qtbot.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton,
                      pos=window.table.visualRect(window.model.index(row, CallColumn.REASON)).center())
    assert len(stand_in_composer.made) == 1  # the same call's composer is brought forward, not a second

    # The composer saves the new draft: the list shows it, and the call now opens that draft.
    draft = cards.new_card(demo, call_id=call["id"], template_slug=TEMPLATE, note="Thanks!", rep=REP, actor="t")
    with qtbot.waitSignal(window.calls_refreshed, timeout=10_000):
        first.card_saved.emit(draft)
    assert window.current_call()["id"] == call["id"]  # still the call in hand
    assert window.model.index(window.table.currentIndex().row(), CallColumn.CARD).data() == "draft"
    window.open_call(call)
    assert len(stand_in_composer.made) == 1  # the draft is open already: that window
    first.close()
    qtbot.waitUntil(lambda: not window.composers, timeout=5_000)  # a closed composer is let go


def test_a_call_with_a_draft_reopens_the_draft(open_window, demo, qtbot, stand_in_composer):
    calls = [c for c in demo.recent_calls(limit=50) if c["customer_id"] and c["mailable"]]
    draft = cards.new_card(demo, call_id=calls[0]["id"], template_slug=TEMPLATE, note="Hello", rep=REP, actor="t")
    window = open_window(demo)
    press_enter_on(qtbot, window, calls[0]["id"])
    assert [(c.call_id, c.card_id) for c in stand_in_composer.made] == [(None, draft)]

    # A call whose card is already queued asks before writing a second one.
    queued = cards.new_card(demo, call_id=calls[1]["id"], template_slug=TEMPLATE, note="Hi", rep=REP, actor="t")
    demo.queue_card(queued, actor="t")
    window.open_call(calls[1])
    assert window.question_box is not None and "queued" in window.question_box.text()
    window.question_box.button(QMessageBox.StandardButton.Yes).click()
    assert [(c.call_id, c.card_id) for c in stand_in_composer.made][-1] == (calls[1]["id"], None)


def test_an_unmatched_call_asks_who_called_and_an_existing_customer_is_matched(
        open_window, demo, qtbot, stand_in_composer):
    window = open_window(demo)
    call = a_call(window, matched=False)
    customer = demo.get_customer(demo.recent_calls(search="Hughes", limit=1)[0]["customer_id"])
    press_enter_on(qtbot, window, call["id"])
    dialog = window.customer_dialog
    assert dialog is not None and dialog.isVisible() and not stand_in_composer.made
    assert not dialog.ok_button.isEnabled()

    qtbot.keyClicks(dialog.search_edit, "Hughes")
    with qtbot.waitSignal(dialog.results_shown, timeout=10_000):
        qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)  # before the pause is over: searches, does not choose
    assert dialog.isVisible()
    names = [dialog.results.index(r, 0).data() for r in range(dialog.results.rowCount())]
    assert f"{customer['first_name']} {customer['last_name']}" in names
    dialog.results_view.selectRow(names.index(f"{customer['first_name']} {customer['last_name']}"))
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()

    assert demo.get_call(call["id"])["customer_id"] == customer["id"]
    assert [(c.call_id, c.card_id) for c in stand_in_composer.made] == [(call["id"], None)]
    qtbot.waitUntil(lambda: window.current_call() is not None and window.current_call()["id"] == call["id"]
                    and window.current_call()["customer_id"] == customer["id"], timeout=10_000)


def test_a_customer_found_by_phone_digits_or_account(qtbot, demo):
    from cardsender.ui.customer_dialog import CustomerDialog

    call = next(c for c in demo.recent_calls(limit=500) if c["customer_id"] is None)
    customer = demo.get_customer(next(c for c in demo.recent_calls(limit=50) if c["customer_id"])["customer_id"])
    dialog = CustomerDialog(demo, call)
    qtbot.addWidget(dialog)
    for text in (customer["phones"][0]["phone"][-7:], customer["account_number"]):
        with qtbot.waitSignal(dialog.results_shown, timeout=10_000):
            dialog.search_edit.setText(text)
        assert customer["id"] in [c["id"] for c in dialog.results.customers]


def test_a_new_customer_is_saved_with_the_calls_phone_and_its_address_checked(
        open_window, demo, qtbot, stand_in_composer):
    window = open_window(demo)
    call = a_call(window, matched=False)
    window.select_call(call["id"])
    window.pick_customer_action.trigger()
    dialog = window.customer_dialog
    dialog.tabs.setCurrentIndex(1)
    assert not dialog.ok_button.isEnabled()  # no name yet
    for name, value in (("first_name", "Rosa"), ("last_name", "Quintero"), ("address_line1", "18 Oak Ave"),
                        ("city", "Kansas City"), ("region", "MO")):
        qtbot.keyClicks(dialog.fields[name], value)
    assert dialog.country_combo.currentData() == "US"
    assert "Not mailable" in dialog.address_status.text() and "postal code" in dialog.address_status.text()
    qtbot.keyClicks(dialog.fields["postal_code"], "64111")
    assert "passes" in dialog.address_status.text()
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()

    matched = demo.get_call(call["id"])
    customer = demo.get_customer(matched["customer_id"])
    assert (customer["first_name"], customer["last_name"], customer["postal_code"]) == ("Rosa", "Quintero", "64111")
    assert customer["mailable"] and [p["phone"] for p in customer["phones"]] == [call["phone"]]
    assert [c.call_id for c in stand_in_composer.made] == [call["id"]]


def test_a_not_mailable_new_customer_can_be_saved_and_shows_as_such(open_window, demo, qtbot, stand_in_composer):
    window = open_window(demo)
    call = a_call(window, matched=False)
    window.open_call(call)
    dialog = window.customer_dialog
    dialog.tabs.setCurrentIndex(1)
    dialog.fields["company"].setText("Quintero Bakery")
    dialog.accept()
    customer = demo.get_customer(demo.get_call(call["id"])["customer_id"])
    assert customer["company"] == "Quintero Bakery" and not customer["mailable"]


# -- My cards --------------------------------------------------------------------------------------
@pytest.fixture
def with_cards(demo):
    """Maria's cards: two drafts, one queued; James's draft."""
    calls = [c for c in demo.recent_calls(limit=200) if c["customer_id"] and c["mailable"]]
    made = {}
    for key, call, rep in (("draft1", calls[0], REP), ("draft2", calls[1], REP), ("queued", calls[2], REP),
                           ("james", calls[3], "James Chen")):
        made[key] = cards.new_card(demo, call_id=call["id"], template_slug=TEMPLATE, note="Thank you!", rep=rep,
                                   actor="t")
    demo.queue_card(made["queued"], actor="t")
    made["other_call"] = calls[10]
    return made


@pytest.fixture
def my_cards(qtbot, demo, preferences):
    from cardsender.ui.my_cards import MyCardsWindow

    def open_(rep=REP):
        preferences.rep_name = rep
        window = MyCardsWindow(demo, preferences, clock=lambda: NOW)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.cards_loaded, timeout=10_000):
            window.show()
        return window

    yield open_
    QThreadPool.globalInstance().waitForDone(30_000)


def card_ids(window):
    return [window.model.card_at(r)["id"] for r in range(window.model.rowCount())]


def test_my_cards_lists_a_reps_cards_by_state(my_cards, with_cards, qtbot):
    from cardsender.ui.my_cards import STATES

    window = my_cards()
    assert window.state is CardState.DRAFT and window.windowTitle() == f"My cards — {REP}"
    assert card_ids(window) == [with_cards["draft2"], with_cards["draft1"]]
    assert window.model.index(0, 1).data() == "Thank you for calling"
    assert window.table.isColumnHidden(2)  # the rep column, with one rep's cards
    with qtbot.waitSignal(window.cards_loaded, timeout=10_000):
        window.next_state_action.trigger()
    assert window.state is CardState.QUEUED and card_ids(window) == [with_cards["queued"]]
    assert window.model.index(0, 5).data()  # queued at
    assert not window.open_action.isEnabled() and window.cancel_action.isEnabled()
    with qtbot.waitSignal(window.cards_loaded, timeout=10_000):
        window.show_state(CardState.MAILED)
    assert card_ids(window) == [] and "No mailed cards" in window.status_label.text()
    assert [window.state_tabs.tabText(i) for i in range(len(STATES))] == [
        "Drafts", "Queued", "Batched", "Mailed", "Cancelled"]

    with qtbot.waitSignal(window.cards_loaded, timeout=10_000):
        window.show_state(CardState.DRAFT)
    with qtbot.waitSignal(window.cards_loaded, timeout=10_000):
        window.all_reps_check.setChecked(True)
    assert set(card_ids(window)) == {with_cards["draft1"], with_cards["draft2"], with_cards["james"]}
    assert not window.table.isColumnHidden(2) and window.windowTitle() == "Cards — all reps"


def test_my_cards_without_a_rep_name_shows_everyones(my_cards, with_cards):
    window = my_cards(rep="")
    assert window.all_reps_check.isChecked() and not window.all_reps_check.isEnabled()
    assert len(card_ids(window)) == 3


def test_cancel_a_queued_card_after_asking(my_cards, with_cards, demo, qtbot):
    window = my_cards()
    with qtbot.waitSignal(window.cards_loaded, timeout=10_000):
        window.show_state(CardState.QUEUED)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    box = window.confirm_box
    assert box is not None and "queued card" in box.text()
    with qtbot.waitSignal(window.cards_changed, timeout=10_000), qtbot.waitSignal(window.cards_loaded, timeout=10_000):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert demo.get_card(with_cards["queued"])["status"] == "cancelled"
    assert card_ids(window) == []
    with qtbot.waitSignal(window.cards_loaded, timeout=10_000):
        window.show_state(CardState.CANCELLED)
    assert card_ids(window) == [with_cards["queued"]]
    assert not window.cancel_action.isEnabled()


def test_keep_it_leaves_a_draft_alone(my_cards, with_cards, demo):
    window = my_cards()
    window.cancel_selected()
    window.confirm_box.button(QMessageBox.StandardButton.No).click()
    assert demo.get_card(with_cards["draft2"])["status"] == "draft"


def test_duplicate_a_card_for_another_call(my_cards, with_cards, demo, qtbot):
    window = my_cards()
    with qtbot.waitSignal(window.cards_loaded, timeout=10_000):
        window.show_state(CardState.QUEUED)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    picker = window.picker
    assert picker is not None
    qtbot.waitSignal(picker.calls_shown, timeout=10_000).wait()
    other = with_cards["other_call"]
    with qtbot.waitSignal(picker.calls_shown, timeout=10_000):
        picker.filter_bar.rep_combo.setCurrentIndex(0)  # all reps
    assert picker.select_call(other["id"])
    with qtbot.waitSignal(window.open_card_requested, timeout=10_000) as requested, \
            qtbot.waitSignal(window.cards_loaded, timeout=10_000):
        picker.ok_button.click()
    new = demo.get_card(requested.args[0])
    original = demo.get_card(with_cards["queued"])
    assert (new["status"], new["call_id"], new["customer_id"]) == ("draft", other["id"], other["customer_id"])
    assert (new["note"], new["template_slug"], new["rep"]) == (original["note"], original["template_slug"], REP)
    assert window.state is CardState.DRAFT and window.selected_card()["id"] == new["id"]


def test_my_cards_from_the_main_window_opens_drafts_in_the_composer(open_window, with_cards, demo, qtbot,
                                                                     stand_in_composer, preferences):
    preferences.rep_name = REP
    window = open_window(demo)
    qtbot.keyClick(window.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    cards_window = window.my_cards
    assert cards_window is not None and cards_window.isVisible()
    qtbot.waitUntil(lambda: cards_window.model.rowCount() == 2, timeout=10_000)
    cards_window.select_card(with_cards["draft1"])
    cards_window.table.setFocus()
    qtbot.keyClick(cards_window.table, Qt.Key.Key_Return)
    assert [(c.call_id, c.card_id) for c in stand_in_composer.made] == [(None, with_cards["draft1"])]
    # The composer queues it: My cards moves it out of the drafts.
    demo.queue_card(with_cards["draft1"], actor="t")
    stand_in_composer.made[0].card_queued.emit(with_cards["draft1"])
    qtbot.waitUntil(lambda: card_ids(cards_window) == [with_cards["draft2"]], timeout=10_000)


# -- Settings --------------------------------------------------------------------------------------
def test_settings_save_the_reps_preferences_and_the_teams_store_settings(qtbot, demo, preferences, tmp_path):
    from cardsender.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(demo, preferences)
    qtbot.addWidget(dialog)
    assert dialog.company_edit.text() == "Northwind Energy & Water"
    assert [dialog.rep_combo.itemText(i) for i in range(dialog.rep_combo.count())] == demo.list_reps()
    assert not dialog.signs_as_edit.isEnabled()  # no name yet: nobody's signature
    dialog.rep_combo.setCurrentText(REP)
    assert dialog.signs_as_edit.isEnabled() and dialog.signs_as_edit.placeholderText() == REP
    dialog.signs_as_edit.setText("Maria Lopez, Customer Care")
    dialog.template_combo.setCurrentIndex(dialog.template_combo.findData("welcome"))
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("es"))
    assert not dialog.set_signature_image_file(signature_png(tmp_path / "small.png", height=60))
    assert "60 pixels tall" in dialog.image_problem.text() and dialog.signature_image() is None
    image = signature_png(tmp_path / "signature.png")
    assert dialog.set_signature_image_file(image) and dialog.image_problem.isHidden()
    assert not dialog.signature_preview.pixmap().isNull()
    dialog.company_edit.setText("Northwind Utilities")
    dialog.return_address_edit.setPlainText("Northwind Utilities\n 400 Grand Blvd \n\nKansas City MO 64106")
    folder = tmp_path / "exports"
    folder.mkdir()
    dialog.watched_edit.setText(str(folder))
    dialog.store_edit.setText(str(tmp_path / "team.sqlite3"))
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    assert dialog.result() == dialog.DialogCode.Accepted and dialog.changes.rep_changed
    assert (preferences.rep_name, preferences.default_template, preferences.spell_language) == (REP, "welcome", "es")
    assert preferences.watched_folder == str(folder) and preferences.store_path == str(tmp_path / "team.sqlite3")
    assert cards.signs_as(demo, REP) == "Maria Lopez, Customer Care"
    assert demo.signature_image(REP) == image.read_bytes()
    assert demo.get_setting("company") == "Northwind Utilities"
    assert demo.get_setting("return_address") == ["Northwind Utilities", "400 Grand Blvd", "Kansas City MO 64106"]
    # Read back by the next dialog: the same values; removing the image removes it from the store.
    again = SettingsDialog(demo, preferences)
    qtbot.addWidget(again)
    assert (again.rep_name(), again.signs_as_edit.text(), again.template_combo.currentData(),
            again.language_combo.currentData()) == (REP, "Maria Lopez, Customer Care", "welcome", "es")
    assert again.signature_image() == image.read_bytes()
    again.remove_signature_image()
    again.accept()
    assert demo.signature_image(REP) is None and not again.changes.rep_changed


def test_settings_from_the_main_window_pick_me_in_the_rep_filter(open_window, demo, qtbot, settings):
    window = open_window(demo)
    assert window.filter_bar.rep_combo.currentData() is None
    qtbot.keyClick(window.table, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.rep_combo.setCurrentText("james chen")  # as typed: matched to the logs' "James Chen"
    with qtbot.waitSignal(window.calls_refreshed, timeout=10_000):
        dialog.accept()
    assert window.filter_bar.rep_combo.currentData() == "James Chen"
    assert {c["rep"] for c in shown_calls(window)} == {"James Chen"}
    assert settings.value(ME_KEY) == "James Chen" and window.preferences.rep_name == "James Chen"
    window.close()
    settings.remove(ME_KEY)  # a new desktop: the filter starts on the rep's own name
    again = open_window(demo)
    assert again.filter_bar.rep_combo.currentData() == "James Chen"


def test_the_store_chosen_in_settings_is_used_when_no_other_is_given(preferences, monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert store_location(None, preferences) is None  # the default place
    preferences.store_path = str(tmp_path / "team.sqlite3")
    assert store_location(None, preferences) == str(tmp_path / "team.sqlite3")
    assert store_location("given.sqlite3", preferences) == "given.sqlite3"
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env.sqlite3"))
    assert store_location(None, preferences) is None  # open_store reads $CARDSENDER_DB


# -- the watched folder ----------------------------------------------------------------------------
CALLS_CSV = (
    "call_id,started_at,duration,direction,phone,rep,reason\r\n"
    "w1,2026-11-20T09:00:00-06:00,245,inbound,(816) 555-0101,Maria Lopez,Billing question\r\n"
    "w2,2026-11-20T10:00:00-06:00,190,outbound,+44 20 7946 0761,James Chen,Outage follow-up\r\n"
    "w3,2026-11-20T11:00:00-06:00,4503,inbound,+1 312 555 0199,Aisha Patel,Move out\r\n"
    "w4,yesterday,60,inbound,8165550105,Maria Lopez,x\r\n"
)


def test_the_watched_folder_imports_a_new_call_log_once(open_window, store, preferences, qtbot, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "notes.md").write_text("not a call log")
    preferences.watched_folder = str(folder)
    window = open_window(store, watch_settle_ms=100)
    assert window.model.rowCount() == 0 and window.watched_label.text().startswith("Watching")

    with qtbot.waitSignal(window.watched_import_finished, timeout=20_000) as finished:
        (folder / "calls.csv").write_text(CALLS_CSV, encoding="utf-8")
    report = finished.args[0]
    assert isinstance(report, ImportReport) and (report.imported, len(report.rejected)) == (3, 1)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=10_000)
    assert "calls.csv: 3 new calls, 1 rows not imported" in window.import_status.text()
    assert window.last_import_action.isEnabled()
    dialog = window.show_last_import()
    assert dialog.report is report
    dialog.close()

    # Seen again (a change in the folder, a restart): not imported a second time.
    window.watched.scan()
    assert not window.watched._pending
    window.close()
    again = open_window(store, watch_settle_ms=100)
    assert not again.watched._pending and again.watched.folder == folder
    assert store.count_calls() == 3

    # A file that changes is taken in again; only its new calls are added.
    with qtbot.waitSignal(again.watched_import_finished, timeout=20_000) as finished:
        with (folder / "calls.csv").open("a", encoding="utf-8") as handle:
            handle.write("w5,2026-11-20T12:00:00-06:00,60,inbound,(816) 555-0101,Maria Lopez,Thanks\r\n")
    assert (finished.args[0].imported, finished.args[0].already_there) == (1, 3)
    qtbot.waitUntil(lambda: again.model.rowCount() == 4, timeout=10_000)


def test_a_broken_file_in_the_watched_folder_is_reported_not_retried(open_window, store, preferences, qtbot,
                                                                      tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    preferences.watched_folder = str(folder)
    window = open_window(store, watch_settle_ms=100)
    with qtbot.waitSignal(window.watched_import_finished, timeout=20_000) as finished:
        (folder / "weird.txt").write_text("this,is\nnot,a call log\n", encoding="utf-8")
    assert isinstance(finished.args[0], Exception)
    assert "could not be imported" in window.import_status.text()
    box = window.show_last_import()
    assert isinstance(box, QMessageBox) and "weird.txt" in box.text()
    box.close()
    window.watched.scan()
    assert not window.watched._pending


# -- a desktop application ---------------------------------------------------------------------------
def test_every_main_action_is_in_a_menu_with_a_shortcut(open_window, demo):
    window = open_window(demo)
    menus = {menu.title().replace("&", ""): menu for menu in
             (a.menu() for a in window.menuBar().actions()) if menu is not None}
    assert list(menus) == ["File", "Edit", "Card", "View", "Help"]
    shortcuts = {a.text().replace("&", ""): a.shortcut().toString()
                 for menu in menus.values() for a in menu.actions() if not a.isSeparator()}
    assert shortcuts["Write card"] == "Return"
    assert shortcuts["My cards"] == "Ctrl+M"
    assert shortcuts["Settings…"] == "Ctrl+,"
    assert shortcuts["Find calls"] == "Ctrl+F"
    assert all(shortcuts[name] for name in ("Import calls…", "Import customers…", "Quit", "Who called?…", "Refresh"))


def test_dialogs_name_their_controls_and_tab_in_reading_order(qtbot, demo, preferences, with_cards, my_cards):
    from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QTableView

    from cardsender.ui.customer_dialog import CustomerDialog
    from cardsender.ui.settings_dialog import SettingsDialog

    cards_window = my_cards()
    call = next(c for c in demo.recent_calls(limit=500) if c["customer_id"] is None)
    customer_dialog = CustomerDialog(demo, call, preferences=preferences)
    settings_dialog = SettingsDialog(demo, preferences)
    for widget in (customer_dialog, settings_dialog):
        qtbot.addWidget(widget)
    for window in (cards_window, customer_dialog, settings_dialog):
        controls = [w for kind in (QLineEdit, QComboBox, QPlainTextEdit, QTableView) for w in window.findChildren(kind)
                    if not (isinstance(w.parent(), QComboBox))]  # an editable combo's own line edit
        unnamed = [w for w in controls if not w.accessibleName()]
        assert not unnamed, f"{type(window).__name__}: {[type(w).__name__ for w in unnamed]}"

    def chain(start, count):
        found, widget = [], start
        while len(found) < count:
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isEnabled():
                found.append(widget)
            widget = widget.nextInFocusChain()
        return found

    assert chain(cards_window.state_tabs, 4) == [cards_window.state_tabs, cards_window.all_reps_check,
                                                 cards_window.table, cards_window.open_button]
    fields = customer_dialog.fields
    assert chain(fields["first_name"], 4) == [fields["first_name"], fields["last_name"], fields["company"],
                                              fields["address_line1"]]


def test_the_card_menu_opens_one_mailroom_window(qtbot, tmp_path):
    from cardsender.demo import load_demo
    from cardsender.store import open_store
    from cardsender.ui.mailroom_view import MailroomWindow

    store = open_store(tmp_path / "m.sqlite3")
    load_demo(store, actor="t")
    from cardsender.ui.main_window import MainWindow
    from cardsender.ui.preferences import Preferences
    from PySide6.QtCore import QSettings

    window = MainWindow(store, preferences=Preferences(QSettings(str(tmp_path / "p.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(window)
    window.mailroom_action.trigger()
    first = window.mailroom
    assert isinstance(first, MailroomWindow) and first.isVisible()
    window.mailroom_action.trigger()
    assert window.mailroom is first
    store.close()


def test_a_store_from_an_earlier_version_is_brought_up_to_date_on_a_worker_at_start(qtbot, store_path, preferences):
    from cardsender.store import LATEST_VERSION, Store
    from cardsender.ui.app import open_gui_store

    old = Store(store_path, migrate=False)
    old.migrate(target=LATEST_VERSION - 1)
    old.close()
    store, created = open_gui_store(str(store_path), preferences)
    try:
        assert (store.schema_version, created) == (LATEST_VERSION, False)
        assert store_path.with_name(f"{store_path.name}.v{LATEST_VERSION - 1}.bak").exists()  # the copy it promises
        assert store.count_calls() == 0  # the worker's connection now serves the window
    finally:
        store.close()


def test_a_failed_update_at_start_is_said_and_the_store_is_left_as_it_was(qtbot, store_path, preferences, monkeypatch):
    from cardsender.store import LATEST_VERSION, Store, database
    from cardsender.ui.app import open_gui_store

    old = Store(store_path, migrate=False)
    old.migrate(target=LATEST_VERSION - 1)
    old.close()

    def broken(db):
        raise RuntimeError("step failed")

    monkeypatch.setattr(database, "MIGRATIONS", [*database.MIGRATIONS[:-1], broken])
    with pytest.raises(RuntimeError, match="step failed"):
        open_gui_store(str(store_path), preferences)
    monkeypatch.undo()
    with Store(store_path, migrate=False) as untouched:
        assert untouched.schema_version == LATEST_VERSION - 1
