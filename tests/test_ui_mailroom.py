"""The mailroom window, against a real store with the demo's queue: the queue summary, a batch
made through the window's worker (and stopped), the history's actions, reprints and offsets.

Everything runs through the real worker path and is awaited through the window's signals,
never timed; nothing is opened on the desktop (QDesktopServices.openUrl is recorded)."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from cardsender import mailroom
from cardsender.demo import load_demo, queue_demo_cards
from cardsender.errors import UserError
from cardsender.templates import load_formats
from cardsender.ui.mailroom_models import QueueSummaryModel, queue_summary
from cardsender.ui.mailroom_settings import OUTPUT_FOLDER_KEY, PRINTER_KEY
from cardsender.ui.mailroom_view import BatchStopped, MailroomWindow

WAIT_MS = 60_000


@pytest.fixture
def queue(store):
    load_demo(store, actor="t")
    made = queue_demo_cards(store, 12, actor="t")
    assert made >= 10
    return store


@pytest.fixture
def opened_urls(monkeypatch):
    """What the window asked the desktop to open (and nothing is opened)."""
    urls = []

    def record(url):
        urls.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", record)
    return urls


@pytest.fixture
def open_window(qtbot, settings, store_path, opened_urls):
    windows = []

    def open_() -> MailroomWindow:
        window = MailroomWindow(store_path, settings=settings)
        qtbot.addWidget(window)
        windows.append(window)
        with qtbot.waitSignals([window.queue_loaded, window.history_loaded], timeout=WAIT_MS):
            window.show()
        box = window.batch_settings  # a remembered printer's offsets are read too
        qtbot.waitUntil(lambda: not box.offsets_loading and not box.printer_timer.isActive(), timeout=WAIT_MS)
        return window

    yield open_
    for window in windows:
        window.close()
    QThreadPool.globalInstance().waitForDone(WAIT_MS)


def queued_formats(store) -> Counter:
    return Counter(store.get_template_version(c["template_slug"], c["template_version"])["format"]
                   for c in store.queued_for_batch())


def queued_templates(store) -> Counter:
    return Counter((store.get_template_version(c["template_slug"], c["template_version"])["format"],
                    c["template_slug"]) for c in store.queued_for_batch())


def set_stock(window: MailroomWindow, key: str) -> None:
    assert window.batch_settings.set_stock(key) and window.stock == key


def recorded(signal) -> list:
    """What ``signal`` carries from now on (pytest-qt's own record needs signal names)."""
    seen: list = []
    signal.connect(lambda *args: seen.append(args[0] if len(args) == 1 else args))
    return seen


def make_batch(qtbot, window: MailroomWindow, out: Path):
    outcomes = recorded(window.batch_finished)
    with qtbot.waitSignals([window.batch_finished, window.queue_loaded, window.history_loaded], timeout=WAIT_MS):
        assert window.create_batch(out) is not None
    return outcomes[0]


def answer(box: QMessageBox, button: QMessageBox.StandardButton) -> None:
    box.button(button).click()


# -- the queue -----------------------------------------------------------------------------------
def test_queue_summary_counts_by_format_and_template_as_the_store_does(queue):
    summary = queue_summary(queue, load_formats())
    assert summary.total == len(queue.queued_for_batch())
    assert {f.key: f.count for f in summary.formats} == queued_formats(queue)
    assert {(f.key, t.slug): len(t.card_ids) for f in summary.formats for t in f.templates} == queued_templates(queue)
    counts = [f.count for f in summary.formats]
    assert counts == sorted(counts, reverse=True)  # the largest groups first


def test_the_window_shows_the_queue_and_its_total(open_window, queue):
    window = open_window()
    model = window.queue_model
    total = len(queue.queued_for_batch())
    assert model.total == total and model.chosen_count() == total and model.all_chosen()
    shown = {model.data(model.index(row, 0)): int(model.data(model.index(row, 1)).replace(",", ""))
             for row in range(model.rowCount())}
    formats = load_formats()
    assert shown == {formats[key].title: count for key, count in queued_formats(queue).items()}
    for row in range(model.rowCount()):  # each format's templates add up to it
        parent = model.index(row, 0)
        assert sum(int(model.data(model.index(r, 1, parent))) for r in range(model.rowCount(parent))) \
            == int(model.data(model.index(row, 1)))
    assert f"{total} queued cards" in window.queue_total.text()


def test_checking_formats_and_templates_chooses_their_cards(qtbot):
    from cardsender.ui.mailroom_models import FormatGroup, QueueSummary, TemplateGroup

    model = QueueSummaryModel()
    model.set_summary(QueueSummary([
        FormatGroup("a2-folded", "A2 folded card", [TemplateGroup("welcome", "Welcome", [1, 2]),
                                                    TemplateGroup("thanks", "Thanks", [3])]),
        FormatGroup("postcard-4x6", "Postcard", [TemplateGroup("patience", "Patience", [4])]),
    ]))
    model.set_stock({"a2-folded": 2}, "Note cards")
    a2 = model.index(0, 0)
    welcome = model.index(0, 0, a2)
    assert model.data(model.index(1, 2)) == "does not fit" and model.data(model.index(0, 2, )) == "2 per sheet"
    with qtbot.waitSignal(model.choice_changed):
        model.setData(welcome, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.data(a2, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.PartiallyChecked
    assert model.chosen_card_ids() == [3, 4] and not model.all_chosen()
    model.setData(a2, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)  # partly -> all
    assert model.chosen_card_ids() == [1, 2, 3, 4]
    model.setData(a2, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.chosen_card_ids() == [4] and model.chosen_fitting_count() == 0
    model.choose_fitting()
    assert model.chosen_card_ids() == [1, 2, 3]
    model.choose_only("a2-folded", "thanks")
    assert model.chosen_card_ids() == [3]
    # A refresh keeps the choice; a template new to the queue comes in chosen.
    model.set_summary(QueueSummary([
        FormatGroup("a2-folded", "A2 folded card", [TemplateGroup("welcome", "Welcome", [1, 2]),
                                                    TemplateGroup("thanks", "Thanks", [3, 5]),
                                                    TemplateGroup("sorry", "Sorry", [6])]),
    ]))
    assert model.chosen_card_ids() == [3, 5, 6]


def test_a_stock_that_fits_none_of_the_chosen_cards_says_so(open_window, queue):
    window = open_window()
    set_stock(window, "note-cards-a4")  # A6 folded cards only
    window.queue_model.choose_all(True)
    a6 = queued_formats(queue)["a6-folded"]
    if a6:
        window.queue_model.set_chosen("a6-folded", None, False)
    assert "None of the chosen cards go on this stock" in window.batch_settings.batch_warning.text()
    assert "A2 folded card" in window.batch_settings.batch_warning.text()
    assert not window.create_action.isEnabled() and not window.create_button.isEnabled()
    set_stock(window, "letter-trim")  # every format
    assert window.batch_settings.batch_warning.text() == "" and window.create_action.isEnabled()
    assert window.create_button.text().replace("&", "") == \
        f"Create batch of {window.queue_model.chosen_count()} cards"


# -- making a batch ------------------------------------------------------------------------------
def test_a_batch_made_through_the_window_writes_its_files_and_shows_in_the_history(
        qtbot, open_window, queue, tmp_path, opened_urls, settings):
    window = open_window()
    set_stock(window, "note-cards-letter")
    a2 = queued_formats(queue)["a2-folded"]
    others = sum(queued_formats(queue).values()) - a2
    out = tmp_path / "batches"

    result = make_batch(qtbot, window, out)

    assert isinstance(result, mailroom.BatchResult) and result.cards == a2
    assert result.folder == out / f"batch-{result.batch_id:04d}"
    for kind in ("cards", "envelopes", "manifest_csv", "manifest_pdf"):
        assert result.files[kind].is_file() and result.files[kind].stat().st_size > 0
    assert result.files["cards"].read_bytes().startswith(b"%PDF")
    assert queue.get_batch(result.batch_id)["status"] == "printed"
    # The result panel: what was made, and why the rest stayed queued.
    assert window.result_panel.isVisibleTo(window)
    assert f"Batch {result.batch_id} is ready: {a2} cards" in window.result_title.text()
    if others:
        assert "left in the queue" in window.result_notes.text()
    # The history shows it, selected; the queue shows what is left.
    batch = window.selected_batch()
    assert batch is not None and batch["id"] == result.batch_id
    model = window.history_model
    assert model.data(model.index(0, 0)) == str(result.batch_id)
    assert model.data(model.index(0, 1)) == "printed"
    assert model.data(model.index(0, 4)) == str(a2)
    assert window.queue_model.total == others == len(queue.queued_for_batch())
    assert window.mailed_action.isEnabled() and window.void_action.isEnabled()
    # Its files open in the desktop's programs.
    window.open_cards_button.click()
    window.open_envelopes_button.click()
    window.open_manifest_button.click()
    window.open_result_folder_button.click()
    assert opened_urls == [result.files["cards"], result.files["envelopes"], result.files["manifest_pdf"],
                           result.folder]
    assert window.open_selected_folder() and opened_urls[-1] == result.folder
    assert settings.value(OUTPUT_FOLDER_KEY) == str(out)


def test_a_batch_of_chosen_templates_and_a_limit(qtbot, open_window, queue, tmp_path):
    window = open_window()
    set_stock(window, "letter-trim")
    group = window.queue_model.formats[0]
    template = group.templates[0]
    window.queue_model.choose_only(group.key, template.slug)
    limit = min(2, len(template.card_ids))
    window.batch_settings.limit_spin.setValue(limit)
    assert window.batch_options()["card_ids"] == template.card_ids and window.batch_options()["limit"] == limit

    result = make_batch(qtbot, window, tmp_path / "out")

    assert isinstance(result, mailroom.BatchResult) and result.cards == limit
    batched = {c["id"] for c in queue.batch_cards(result.batch_id)}
    assert batched <= set(template.card_ids)


def test_labels_instead_of_envelopes(qtbot, open_window, queue, tmp_path):
    window = open_window()
    set_stock(window, "letter-trim")
    window.batch_settings.labels_radio.setChecked(True)
    window.batch_settings.labels_combo.setCurrentIndex(window.batch_settings.labels_combo.findData("avery-5160"))
    assert window.batch_options()["labels"] == "avery-5160" and window.batch_options()["envelope"] is None
    result = make_batch(qtbot, window, tmp_path / "out")
    assert "labels" in result.files and "envelopes" not in result.files
    assert window.open_envelopes_button.text() == "Open labels PDF"
    assert window.history_model.data(window.history_model.index(0, 6)).startswith("Avery 5160")


def test_stopping_a_batch_leaves_every_card_queued(qtbot, open_window, queue, tmp_path, monkeypatch):
    window = open_window()
    set_stock(window, "letter-trim")
    queued_before = [c["id"] for c in queue.queued_for_batch()]
    # Hold the worker before its first card until the stop has been asked for: no race.
    stop_asked = threading.Event()
    real_printable = mailroom._printable

    def held(*args, **kwargs):
        assert stop_asked.wait(WAIT_MS / 1000)
        return real_printable(*args, **kwargs)

    monkeypatch.setattr(mailroom, "_printable", held)
    out = tmp_path / "out"
    outcomes = recorded(window.batch_finished)
    with qtbot.waitSignals([window.batch_finished, window.queue_loaded, window.history_loaded], timeout=WAIT_MS):
        window.create_batch(out)
        assert not window.create_action.isEnabled()  # one batch at a time
        assert window.create_batch(out) is None
        window.progress_dialog.canceled.emit()  # the dialog's Cancel
        assert "Stopping" in window.progress_dialog.labelText()
        stop_asked.set()
    assert isinstance(outcomes[0], BatchStopped)
    assert [c["id"] for c in queue.queued_for_batch()] == queued_before
    assert not list(out.glob("batch-*")) and not list(out.glob(".batch-*"))
    assert "every card is still queued" in window.last_dialog.text()
    assert window.queue_model.total == len(queued_before)
    assert window.history_model.rowCount() == 0  # the stopped batch is not shown...
    window.show_not_made_check.setChecked(True)  # ...unless asked
    assert window.history_model.data(window.history_model.index(0, 1)) == "not made"
    assert window.create_action.isEnabled()


def test_a_batch_that_cannot_be_made_says_why(qtbot, open_window, queue, tmp_path):
    window = open_window()
    window.queue_model.choose_all(False)
    with qtbot.waitSignal(window.batch_finished, timeout=WAIT_MS) as blocker:
        window.create_batch(tmp_path / "out")
    assert isinstance(blocker.args[0], UserError)
    assert "no queued cards to batch" in window.last_dialog.text()
    assert len(queue.queued_for_batch()) == window.queue_model.total


# -- the history ---------------------------------------------------------------------------------
def test_mark_mailed_and_void_change_the_store(qtbot, open_window, queue, tmp_path):
    first = mailroom.create_batch(queue, tmp_path, stock="note-cards-letter", actor="t")
    second = mailroom.create_batch(queue, tmp_path, stock="letter-trim", actor="t")
    window = open_window()
    assert window.history_model.rowCount() == 2 and window.queue_model.total == 0

    assert window.select_batch(first.batch_id)
    box = window.mark_selected_mailed()
    assert box.text().startswith(f"Mark batch {first.batch_id} mailed?")
    with qtbot.waitSignals([window.action_finished, window.history_loaded], timeout=WAIT_MS):
        answer(box, QMessageBox.StandardButton.Yes)
    assert queue.get_batch(first.batch_id)["status"] == "mailed"
    assert {c["status"] for c in queue.batch_cards(first.batch_id)} == {"mailed"}
    assert window.selected_batch()["status"] == "mailed"
    assert not window.mailed_action.isEnabled() and not window.void_action.isEnabled()
    assert window.reprint_action.isEnabled()

    assert window.select_batch(second.batch_id)
    box = window.void_selected()
    assert f"its {second.cards} cards go back to the queue" in box.text().lower()
    answer(box, QMessageBox.StandardButton.No)  # changed its mind: nothing happens
    assert queue.get_batch(second.batch_id)["status"] == "printed"

    box = window.void_selected()
    with qtbot.waitSignals([window.action_finished, window.history_loaded, window.queue_loaded], timeout=WAIT_MS):
        answer(box, QMessageBox.StandardButton.Yes)
    assert queue.get_batch(second.batch_id)["status"] == "void"
    # A queue load already under way before the void may be the one that answered the wait.
    qtbot.waitUntil(lambda: window.queue_model.total == second.cards, timeout=WAIT_MS)
    assert len(queue.queued_for_batch()) == second.cards
    assert window.selected_batch()["status"] == "void"
    assert window.history_model.data(window.history_model.index(0, 1)) == "void"


def test_a_change_the_store_refuses_is_said_and_the_history_shows_the_truth(qtbot, open_window, queue, tmp_path):
    batch = mailroom.create_batch(queue, tmp_path, stock="letter-trim", actor="t")
    window = open_window()
    queue.mark_batch_mailed(batch.batch_id, actor="someone else")  # meanwhile, on another desktop
    actions = recorded(window.action_finished)
    with qtbot.waitSignals([window.action_finished, window.history_loaded], timeout=WAIT_MS):
        window.void_batch(batch.batch_id)
    assert actions[0][0] == "void" and isinstance(actions[0][1], Exception)
    assert "only a printed batch can be void" in window.last_dialog.text()
    assert window.history_model.batch_at(0)["status"] == "mailed"


def test_reprint_writes_a_card_or_its_envelope(qtbot, open_window, queue, tmp_path, opened_urls, monkeypatch):
    batch = mailroom.create_batch(queue, tmp_path / "out", stock="note-cards-letter", actor="t")
    window = open_window()
    assert window.select_batch(batch.batch_id)
    dialog = window.reprint_selected()
    qtbot.waitSignal(dialog.cards_loaded, timeout=WAIT_MS).wait()  # nothing ran since it was made
    cards = queue.batch_cards(batch.batch_id)
    assert dialog.model.rowCount() == len(cards)
    assert dialog.model.data(dialog.model.index(1, 0)) == mailroom.marker(batch.batch_id, 2)

    card = cards[1]
    out = tmp_path / "card.pdf"
    with qtbot.waitSignal(dialog.reprinted, timeout=WAIT_MS) as blocker:
        dialog.reprint(card["id"], out)
    assert blocker.args[0] == out and out.read_bytes().startswith(b"%PDF")
    assert opened_urls[-1] == out

    # Through the save dialog (replaced: a native one cannot be driven), the envelope.
    assert dialog.select_card(card["id"])
    dialog.envelope_radio.setChecked(True)
    asked = []

    def save_as(parent, caption, start, filters):
        asked.append(Path(start).name)
        return str(tmp_path / "envelope"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    with qtbot.waitSignal(dialog.reprinted, timeout=WAIT_MS) as blocker:
        dialog.save_chosen()
    assert asked == [f"batch-{batch.batch_id:04d}-envelope-002-reprint.pdf"]
    assert blocker.args[0] == tmp_path / "envelope.pdf" and (tmp_path / "envelope.pdf").read_bytes()[:4] == b"%PDF"
    assert opened_urls[-1] == tmp_path / "envelope.pdf"
    dialog.close()


# -- printer offsets -----------------------------------------------------------------------------
def test_printer_offsets_are_kept_per_stock_and_printer(qtbot, open_window, queue, tmp_path, settings, opened_urls):
    window = open_window()
    box = window.batch_settings
    set_stock(window, "note-cards-letter")
    assert not box.offset_spins[("front", 0)].isEnabled()  # no printer: no offsets
    with qtbot.waitSignal(box.offsets_loaded, timeout=WAIT_MS):
        box.printer_combo.setCurrentText("Mailroom HP")
    assert box.offset_spins[("front", 0)].isEnabled()
    with qtbot.waitSignal(box.offsets_saved, timeout=WAIT_MS):
        box.offset_spins[("front", 0)].setValue(0.03)
        box.offset_spins[("back", 1)].setValue(-0.02)
    assert queue.printer_offsets("note-cards-letter", "mailroom hp") == {"front": (0.03, 0.0), "back": (0.0, -0.02)}
    assert settings.value(PRINTER_KEY) == "Mailroom HP"

    # Another stock has its own (none yet); coming back shows the saved ones.
    with qtbot.waitSignal(box.offsets_loaded, timeout=WAIT_MS):
        set_stock(window, "letter-trim")
    assert box.offset_spins[("front", 0)].value() == 0.0
    with qtbot.waitSignal(box.offsets_loaded, timeout=WAIT_MS):
        set_stock(window, "note-cards-letter")
    assert box.offset_spins[("front", 0)].value() == pytest.approx(0.03)

    # Offsets typed just before a calibration page are saved before it is drawn.
    box.offset_spins[("front", 1)].setValue(0.01)
    out = tmp_path / "calibration.pdf"
    with qtbot.waitSignal(window.action_finished, timeout=WAIT_MS,
                          check_params_cb=lambda what, _result: what == "calibration") as blocker:
        window.calibration_page(out)
    assert blocker.args[1] == out and out.read_bytes().startswith(b"%PDF")
    assert opened_urls[-1] == out
    assert queue.printer_offsets("note-cards-letter", "Mailroom HP")["front"] == (0.03, 0.01)


def test_settings_are_remembered(qtbot, open_window, queue, settings, tmp_path):
    window = open_window()
    box = window.batch_settings
    set_stock(window, "postcards-letter")
    box.one_radio.setChecked(True)
    box.envelope_combo.setCurrentIndex(box.envelope_combo.findData("no10"))
    box.output_edit.setText(str(tmp_path / "here"))
    box.printer_combo.setCurrentText("Front desk")
    window.close()
    again = open_window()
    assert again.stock == "postcards-letter"
    assert again.batch_options()["envelope"] == "no10"
    assert again.batch_settings.output_edit.text() == str(tmp_path / "here")
    assert again.printer == "Front desk"


def test_every_control_has_a_name_for_assistive_technology(open_window, queue):
    from PySide6.QtWidgets import (
        QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QHeaderView, QLineEdit,
    )

    window = open_window()
    unnamed = [w for kind in (QComboBox, QLineEdit, QAbstractSpinBox, QAbstractItemView)
               for w in window.findChildren(kind)
               if not w.accessibleName() and w.window() is window and not isinstance(w, QHeaderView)
               and not isinstance(w.parent(), (QComboBox, QAbstractSpinBox))]
    assert unnamed == []
    buttons = [b for b in window.findChildren(QAbstractButton) if b.isVisibleTo(window)]
    assert all(b.text() or b.accessibleName() for b in buttons)


def test_a_stop_asked_while_the_sheets_are_drawn_stops_before_the_next_sheet(queue, store_path, tmp_path):
    from cardsender.ui.mailroom_view import create_batch_in_own_store
    from cardsender.ui.tasks import TaskControl

    queued_before = [c["id"] for c in queue.queued_for_batch()]
    reports = []

    def report(done: int, total: int) -> None:
        reports.append(done)
        if done > total // 2:  # the first sheet is drawn: stop now
            control.cancel()

    control = TaskControl(report)
    options = {"stock": "letter-trim", "envelope": None, "labels": None, "card_ids": None, "limit": None,
               "printer": ""}
    outcome = create_batch_in_own_store(store_path, tmp_path / "out", options, None, control)
    assert isinstance(outcome, BatchStopped)
    assert len(reports) == 1  # not one more sheet was drawn
    assert [c["id"] for c in queue.queued_for_batch()] == queued_before
    assert not list((tmp_path / "out").iterdir())
