"""The composer, against a real store with the demo data and the shipped templates.

Everything goes through the real paths (render worker, QtPdf, the store on the GUI thread and
a second connection to check what was saved) and is awaited with waitUntil, never timed."""

import shutil
import subprocess

import pytest
import shiboken6
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QApplication, QMessageBox

from cardsender import cards
from cardsender.demo import load_demo
from cardsender.store import open_store
from cardsender.ui.composer import ComposerWindow
from cardsender.ui.composer_preview import render_pool

WAIT_MS = 15_000
A2 = "thank-you-for-calling"
POSTCARD = "thank-you-for-your-patience"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def own_dictionary(tmp_path, monkeypatch):
    """The personal dictionary ("Add to dictionary") goes to the test's folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture
def demo(store):
    load_demo(store, actor="t")
    return store


def mailable_calls(store, count=1):
    """Calls of different customers whose addresses are mailable and who have no card yet."""
    found, customers = [], set()
    for call in store.recent_calls(limit=500):
        if call["customer_id"] and call["mailable"] and call["customer_id"] not in customers \
                and not store.list_cards(customer_id=call["customer_id"]):
            found.append(call)
            customers.add(call["customer_id"])
            if len(found) == count:
                break
    return found


@pytest.fixture
def call(demo):
    return mailable_calls(demo)[0]


@pytest.fixture
def open_composer(qtbot, store_path, preferences):
    """Open a composer (by call or card) and wait for its first preview; closed after."""
    windows = []

    def open_(*, call_id=None, card_id=None, wait=True) -> ComposerWindow:
        window = ComposerWindow(store_path, call_id=call_id, card_id=card_id, preferences=preferences)
        windows.append(window)
        window.show()
        if wait:
            qtbot.waitExposed(window)
            window.activateWindow()
            qtbot.waitUntil(lambda: window.preview.shown_version > 0, timeout=WAIT_MS)
        return window

    yield open_
    for window in windows:
        if shiboken6.isValid(window):
            window.close()
    QThreadPool.globalInstance().waitForDone(WAIT_MS)
    render_pool().waitForDone(WAIT_MS)
    QApplication.processEvents()


def wait_for_preview_of(qtbot, window, text):
    """Until the picture on screen was drawn from ``text``."""
    qtbot.waitUntil(lambda: window.preview.shown_note == text
                    and window.preview.shown_version >= window.preview.outcome_version, timeout=WAIT_MS)


def replace_note(qtbot, window, text):
    """Select the whole note and type ``text`` over it, as a rep would."""
    window.note.setFocus()
    qtbot.keyClick(window.note, Qt.Key.Key_A, CTRL)
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(window.note, Qt.Key.Key_Return)
        qtbot.keyClicks(window.note, line)


def pdf_text(tmp_path, pdf: bytes, page: int) -> str:
    path = tmp_path / "preview.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
                            capture_output=True, text=True, check=True)
    return " ".join(result.stdout.split())


def stored_card(store_path, card_id):
    """The card as another connection (another process, after a crash) would read it."""
    with open_store(store_path) as other:
        return other.get_card(card_id)


# -- the whole way, by keyboard -----------------------------------------------------------------
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_pick_template_type_note_and_queue(qtbot, open_composer, call, store_path, tmp_path):
    window = open_composer(call_id=call["id"])
    card_id = window.card_id
    assert stored_card(store_path, card_id)["status"] == "draft"
    assert window.gallery.current_slug() == A2
    assert window.note.toPlainText() == cards.shipped_templates()[A2].suggested_note

    # Moving to another template in the gallery picks it; the untouched suggested note follows it.
    with qtbot.waitSignal(window.card_saved, timeout=WAIT_MS):
        window.gallery.list.setFocus()
        window.gallery.select_slug("welcome")
    welcome = cards.shipped_templates()["welcome"]
    assert stored_card(store_path, card_id)["template_slug"] == "welcome"
    assert window.note.toPlainText() == welcome.suggested_note
    assert window.preview.view == "outside"  # the design, large

    note = "Thanks for calling today, {first_name}. Your new plan starts on Monday."
    replace_note(qtbot, window, note)
    assert window.preview.view == "inside"  # typing shows the note's side
    wait_for_preview_of(qtbot, window, note)
    assert window.fit_meter.ok and window.fit_meter.text().startswith("✓ Fits at")
    inside = pdf_text(tmp_path, window.preview.shown_pdf, 2)
    assert f"Thanks for calling today, {call['first_name']}." in inside
    assert window.queue_button.isEnabled()

    with qtbot.waitSignal(window.card_queued, timeout=WAIT_MS) as queued:
        qtbot.keyClick(window.note, Qt.Key.Key_Return, CTRL)
    assert queued.args == [card_id]
    card = stored_card(store_path, card_id)
    assert card["status"] == "queued"
    assert card["note"] == note
    assert card["template_slug"] == "welcome"
    assert window.confirmation is not None and "queued" in window.confirmation.text()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window) or not window.isVisible(), timeout=WAIT_MS)


def test_edited_note_stays_when_the_template_changes(qtbot, open_composer, call):
    window = open_composer(call_id=call["id"])
    replace_note(qtbot, window, "My own words.")
    window.gallery.select_slug("congratulations")
    assert window.card["template_slug"] == "congratulations"
    assert window.note.toPlainText() == "My own words."


# -- what stops a card --------------------------------------------------------------------------
def test_a_note_too_long_keeps_the_queue_button_disabled(qtbot, open_composer, call, store_path):
    window = open_composer(call_id=call["id"])
    long_note = "This is a long note that goes on and on about the call. " * 12
    window.note.setFocus()
    window.note.selectAll()
    window.note.insertPlainText(long_note)
    qtbot.waitUntil(lambda: "too long" in window.fit_meter.text(), timeout=WAIT_MS)
    assert not window.fit_meter.ok
    assert "lines too long (about" in window.fit_meter.text()
    assert not window.queue_button.isEnabled()
    assert window.queue_reason.text() == "To queue, fix the note (too long)."
    assert "cannot print yet" in window.preview.canvas.message
    qtbot.keyClick(window.note, Qt.Key.Key_Return, CTRL)  # does nothing but say why
    assert stored_card(store_path, window.card_id)["status"] == "draft"

    replace_note(qtbot, window, "Short again.")
    qtbot.waitUntil(window.queue_button.isEnabled, timeout=WAIT_MS)
    assert window.fit_meter.ok
    assert window.preview.canvas.message == ""


def test_a_character_the_font_cannot_print_is_named_and_blocks_queuing(qtbot, open_composer, call):
    window = open_composer(call_id=call["id"])
    replace_note(qtbot, window, "Thank you ")
    window.note.insertPlainText("漢")
    qtbot.waitUntil(lambda: "U+6F22" in window.fit_meter.text(), timeout=WAIT_MS)
    assert window.fit_meter.text().startswith("✗ Cannot print U+6F22 CJK UNIFIED IDEOGRAPH-6F22")
    assert not window.queue_button.isEnabled()
    # The character itself is marked in the note.
    block = window.note.document().firstBlock()
    marked = [r for r in block.layout().formats() if r.start <= len("Thank you ") < r.start + r.length]
    unprintable = window.note.highlighter.unprintable_format
    assert marked and marked[0].format.background().color() == unprintable.background().color()


def test_an_unknown_merge_field_is_named(qtbot, open_composer, call):
    window = open_composer(call_id=call["id"])
    replace_note(qtbot, window, "Hello {nickname}, thank you.")
    qtbot.waitUntil(lambda: "nickname" in window.fit_meter.text(), timeout=WAIT_MS)
    assert "{nickname} is not a merge field" in window.fit_meter.text()
    assert not window.queue_button.isEnabled()


def test_address_problem_shows_next_to_its_field_and_blocks_queuing(qtbot, open_composer, call, store_path):
    window = open_composer(call_id=call["id"])
    qtbot.waitUntil(window.queue_button.isEnabled, timeout=WAIT_MS)
    postal = window.recipient.edits["postal_code"]
    good = postal.text()
    postal.setFocus()
    postal.selectAll()
    qtbot.keyClicks(postal, "1")
    qtbot.keyClick(postal, Qt.Key.Key_Return)  # confirms the field: saved and checked
    assert window.recipient.problem("postal_code") == "Postal code cannot be right for this address"
    assert not window.queue_button.isEnabled()
    assert window.queue_reason.text() == "To queue, fix the address (postal code)."
    with open_store(store_path) as other:
        assert not other.get_customer(call["customer_id"])["mailable"]
    assert window.preview.view == "envelope"  # the preview follows to the address

    postal.setFocus()
    postal.selectAll()
    qtbot.keyClicks(postal, good)
    window.note.setFocus()  # leaving the field confirms it too
    qtbot.waitUntil(lambda: window.recipient.problem("postal_code") == "", timeout=WAIT_MS)
    qtbot.waitUntil(window.queue_button.isEnabled, timeout=WAIT_MS)
    with open_store(store_path) as other:
        assert other.get_customer(call["customer_id"])["mailable"]


def test_a_changed_name_reaches_the_preview(qtbot, open_composer, call, tmp_path):
    window = open_composer(call_id=call["id"])
    first = window.recipient.edits["first_name"]
    first.setFocus()
    first.selectAll()
    qtbot.keyClicks(first, "Rosalind")
    qtbot.keyClick(first, Qt.Key.Key_Return)
    assert window.customer["first_name"] == "Rosalind"
    window.preview.set_view("inside")
    qtbot.waitUntil(lambda: window.preview.shown_pdf is not None
                    and "Dear Rosalind," in pdf_text(tmp_path, window.preview.shown_pdf, 2), timeout=WAIT_MS)


# -- spelling and fields ------------------------------------------------------------------------
def test_a_misspelt_word_is_underlined_and_corrections_offered(qtbot, open_composer, call):
    window = open_composer(call_id=call["id"])
    qtbot.waitUntil(lambda: window.note.speller is not None, timeout=WAIT_MS)
    replace_note(qtbot, window, "Thank you for callling today")
    block = window.note.document().firstBlock()
    start = len("Thank you for ")
    spell = [r for r in block.layout().formats()
             if r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline]
    assert [(r.start, r.length) for r in spell] == [(start, len("callling"))]

    cursor = window.note.textCursor()
    cursor.setPosition(start + 3)
    menu = window.note.context_menu(window.note.cursorRect(cursor).center())
    qtbot.waitUntil(lambda: "calling" in [a.text() for a in menu.actions()], timeout=WAIT_MS)
    texts = [a.text() for a in menu.actions()]
    assert "Add “callling” to dictionary" in texts
    assert any("Copy" in t for t in texts)  # the usual menu is still there, below
    next(a for a in menu.actions() if a.text() == "calling").trigger()
    assert window.note.toPlainText() == "Thank you for calling today"
    menu.deleteLater()


def test_add_to_dictionary_stops_the_underline(qtbot, open_composer, call):
    window = open_composer(call_id=call["id"])
    qtbot.waitUntil(lambda: window.note.speller is not None, timeout=WAIT_MS)
    replace_note(qtbot, window, "Our Fibrelink router")
    window.note.add_to_dictionary("Fibrelink")
    block = window.note.document().firstBlock()
    assert not [r for r in block.layout().formats()
                if r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline]


def test_ctrl_space_offers_corrections_for_the_next_misspelling(qtbot, open_composer, call):
    window = open_composer(call_id=call["id"])
    qtbot.waitUntil(lambda: window.note.speller is not None, timeout=WAIT_MS)
    replace_note(qtbot, window, "We aprecia your patience")
    window.note.moveCursor(window.note.textCursor().MoveOperation.Start)
    qtbot.keyClick(window.note, Qt.Key.Key_Space, CTRL)
    menu = window.note.last_menu
    assert menu is not None and menu.isVisible()
    assert window.note.textCursor().position() == len("We ")
    qtbot.waitUntil(lambda: any(a.text() == "Add “aprecia” to dictionary" for a in menu.actions()), timeout=WAIT_MS)
    menu.close()


def test_insert_field_from_the_keyboard(qtbot, open_composer, call):
    window = open_composer(call_id=call["id"])
    replace_note(qtbot, window, "Dear ")
    qtbot.keyClick(window.note, Qt.Key.Key_F, CTRL | Qt.KeyboardModifier.ShiftModifier)
    menu = window.note.last_menu
    assert menu is not None
    assert [a.data() for a in menu.actions()] == ["first_name", "last_name", "full_name", "rep_name", "company"]
    menu.actions()[0].trigger()
    assert window.note.toPlainText() == "Dear {first_name}"


# -- drafts ---------------------------------------------------------------------------------------
def test_a_draft_survives_closing_and_reopening(qtbot, open_composer, call, store_path):
    window = open_composer(call_id=call["id"])
    card_id = window.card_id
    window.gallery.select_slug(POSTCARD)
    note = "Thank you for waiting with us, {first_name}.\nThe line is fixed."
    replace_note(qtbot, window, note)
    with qtbot.waitSignal(window.destroyed, timeout=WAIT_MS):
        window.close()  # at once: no wait for the save timer
    card = stored_card(store_path, card_id)
    assert (card["status"], card["template_slug"], card["note"]) == ("draft", POSTCARD, note)

    again = open_composer(card_id=card_id)
    assert again.card_id == card_id
    assert again.note.toPlainText() == note
    assert again.gallery.current_slug() == POSTCARD
    assert [v.key for v in again.preview.views] == ["front", "address"]  # a postcard: no envelope
    wait_for_preview_of(qtbot, again, note)


def test_typing_is_saved_within_a_second_without_closing(qtbot, open_composer, call, store_path):
    """As if the app were killed: another connection sees the note while the window is open."""
    window = open_composer(call_id=call["id"])
    replace_note(qtbot, window, "Saved while I type")
    qtbot.waitUntil(lambda: stored_card(store_path, window.card_id)["note"] == "Saved while I type", timeout=3000)
    assert window.isVisible()


# -- warnings and refusals ------------------------------------------------------------------------
def test_recent_card_asks_queue_anyway(qtbot, open_composer, demo, call, store_path):
    earlier = cards.new_card(demo, call_id=call["id"], template_slug="welcome", note="Welcome!", rep=None, actor="t")
    cards.queue(demo, earlier, actor="t")
    window = open_composer(call_id=call["id"])
    assert window.recent_label.isVisible() and "already has a card" in window.recent_label.text()
    qtbot.waitUntil(window.queue_button.isEnabled, timeout=WAIT_MS)

    qtbot.keyClick(window.note, Qt.Key.Key_Return, CTRL)
    box = window.queue_question
    assert box is not None and "already has a card" in box.text()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Yes)
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc: not now
    qtbot.waitUntil(lambda: window.queue_question is None, timeout=WAIT_MS)
    assert stored_card(store_path, window.card_id)["status"] == "draft"

    qtbot.keyClick(window.note, Qt.Key.Key_Return, CTRL)
    box = window.queue_question
    with qtbot.waitSignal(window.card_queued, timeout=WAIT_MS):
        qtbot.keyClick(box, Qt.Key.Key_Return)  # the default: queue anyway
    assert stored_card(store_path, window.card_id)["status"] == "queued"


def test_a_call_without_a_customer_is_refused_politely(qtbot, open_composer, demo, store_path):
    unmatched = next(c for c in demo.recent_calls(limit=500) if c["customer_id"] is None)
    cards_before = len(demo.list_cards())
    window = open_composer(call_id=unmatched["id"], wait=False)
    assert "not matched to a customer" in window.refusal
    qtbot.waitUntil(lambda: window.refusal_box is not None, timeout=WAIT_MS)
    assert "no one to mail a card to" in window.refusal_box.text()
    with qtbot.waitSignal(window.destroyed, timeout=WAIT_MS):
        window.refusal_box.accept()
    assert len(demo.list_cards()) == cards_before


def test_a_queued_card_does_not_reopen_for_editing(qtbot, open_composer, demo, call):
    card_id = cards.new_card(demo, call_id=call["id"], template_slug=A2, note="Hi {first_name}", rep=None, actor="t")
    cards.queue(demo, card_id, actor="t")
    window = open_composer(card_id=card_id, wait=False)
    assert "only a draft can be changed" in window.refusal


# -- views ----------------------------------------------------------------------------------------
def test_view_shortcuts_and_postcard_views(qtbot, open_composer, call):
    window = open_composer(call_id=call["id"])
    assert [v.title for v in window.preview.views] == ["Outside", "Inside", "Envelope"]
    for number, key in ((1, "outside"), (3, "envelope"), (2, "inside")):
        qtbot.keyClick(window.note, getattr(Qt.Key, f"Key_{number}"), CTRL)
        assert window.preview.view == key
    window.gallery.select_slug(POSTCARD)
    assert [v.title for v in window.preview.views] == ["Front", "Address side"]
    assert window.preview.view == "front"
    qtbot.keyClick(window.note, Qt.Key.Key_2, CTRL)
    assert window.preview.view == "address"
    qtbot.waitUntil(lambda: window.preview.shown_version >= window.preview.requested_version, timeout=WAIT_MS)


def test_gallery_thumbnails_filter_and_keyboard(qtbot, open_composer, call):
    window = open_composer(call_id=call["id"])
    gallery = window.gallery
    qtbot.waitUntil(lambda: gallery.thumbnails_pending == 0, timeout=WAIT_MS)
    icon = gallery.model.item(0).icon()
    assert not icon.isNull()
    gallery.occasion.setCurrentIndex(gallery.occasion.findData("sympathy"))
    shown = [gallery.model.item(r).text() for r in range(gallery.model.rowCount()) if not gallery.list.isRowHidden(r)]
    assert shown == ["With sympathy"]
    gallery.occasion.setCurrentIndex(0)
    gallery.list.setFocus()
    start = gallery.current_slug()
    qtbot.keyClick(gallery.list, Qt.Key.Key_Right)
    assert gallery.current_slug() != start
    assert window.card["template_slug"] == gallery.current_slug()
    qtbot.keyClick(gallery.list, Qt.Key.Key_Return)  # done choosing: on to the note
    assert window.note.hasFocus()


def test_tab_order_runs_gallery_recipient_note_queue(qtbot, open_composer, call):
    window = open_composer(call_id=call["id"])
    qtbot.waitUntil(window.queue_button.isEnabled, timeout=WAIT_MS)
    window.gallery.list.setFocus()
    seen = []
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    recipient = window.recipient.tab_chain()
    assert seen[:len(recipient)] == recipient
    assert seen[len(recipient)] is window.note
    assert seen[len(recipient) + 1] is window.queue_button
