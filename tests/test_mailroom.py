"""The mailroom, through the real store, renderer and files, read back with poppler."""

import csv
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from cardsender import mailroom
from cardsender.demo import load_demo, queue_demo_cards
from cardsender.errors import UserError
from test_cards import company_templates  # noqa: F401  (the fixture)
from test_render import near, pixel, run


@pytest.fixture
def queue(store, company_templates):  # noqa: F811
    """A demo store with a queue of cards in the two test templates (A2 card and postcard)."""
    load_demo(store, actor="tester")
    store.set_setting("return_address", ["Northwind Energy & Water", "400 Grand Blvd", "Kansas City MO 64106"],
                      actor="tester")
    assert queue_demo_cards(store, 14, actor="tester") == 14
    return store


def formats_of(store, status="queued"):
    return [store.get_template_version(c["template_slug"], c["template_version"])["format"]
            for c in store.list_cards(status=status, limit=1000)]


def pages(pdf):
    info = run("pdfinfo", "-f", "1", "-l", "999", str(pdf))
    return [tuple(float(v) for v in line.split(":")[1].split("pts")[0].split(" x "))
            for line in info.splitlines() if line.startswith("Page") and "size" in line]


def test_note_cards_two_per_letter_sheet_with_insides_behind_outsides(queue, tmp_path):
    a2_count = formats_of(queue).count("a2-folded")
    result = mailroom.create_batch(queue, tmp_path, stock="note-cards-letter", actor="mailroom")
    assert result.cards == a2_count and result.sheets == (a2_count + 1) // 2
    sheet_pages = pages(result.files["cards"])
    assert len(sheet_pages) == 2 * result.sheets and set(sheet_pages) == {(612.0, 792.0)}
    # Front of sheet 1: each card's front panel (right half) shows the red disc at its centre;
    # the back holds the inside, its cream inside-right under the front, the empty inside-left white.
    for slot_top in (0.0, 5.5):
        assert near(pixel(result.files["cards"], 1, 4.25 + 2.125, slot_top + 2.75), (211, 47, 47))
        assert near(pixel(result.files["cards"], 1, 2.125, slot_top + 2.75), (255, 255, 255), 5)
        assert near(pixel(result.files["cards"], 2, 4.25 + 0.3, slot_top + 2.75), (251, 248, 241), 6)
        assert near(pixel(result.files["cards"], 2, 2.125, slot_top + 2.75), (255, 255, 255), 5)
    assert formats_of(queue).count("a2-folded") == 0  # all batched
    postcards = formats_of(queue).count("postcard-4x6")
    assert postcards and result.left_in_queue == [f"{postcards} queued cards left in the queue: their format "
                                                   "does not go on Note cards, 2 per US letter sheet (Avery 8315 / 3268 class)"]


def test_postcards_land_in_the_stocks_slots(queue, tmp_path):
    result = mailroom.create_batch(queue, tmp_path, stock="postcards-letter", labels="avery-5160", actor="mailroom")
    assert set(pages(result.files["cards"])) == {(612.0, 792.0)}
    for slot_top in (1.5, 5.5):  # Avery 5389 class: 1.25 in from the left, cards 4 in tall
        assert near(pixel(result.files["cards"], 1, 1.25 + 3.0, slot_top + 2.0), (211, 47, 47))
        assert near(pixel(result.files["cards"], 1, 1.25 + 0.2, slot_top + 0.2), (46, 125, 50))
    assert near(pixel(result.files["cards"], 1, 0.6, 1.5 + 2.0), (255, 255, 255), 5)  # outside the card
    assert "labels" in result.files and "envelopes" not in result.files


def test_envelopes_manifest_and_cards_are_in_one_order(queue, tmp_path):
    result = mailroom.create_batch(queue, tmp_path, stock="note-cards-letter", actor="mailroom")
    with result.files["manifest_csv"].open(encoding="utf-8-sig", newline="") as handle:
        manifest = list(csv.DictReader(handle))
    assert [int(row["seq"]) for row in manifest] == list(range(1, result.cards + 1))
    stored = queue.batch_cards(result.batch_id)
    assert [str(c["id"]) for c in stored] == [row["card"] for row in manifest]
    countries_and_codes = [(row["country"], row["postal code"].upper()) for row in manifest]
    assert countries_and_codes == sorted(countries_and_codes)  # mailing order
    envelope_names = []
    for page in range(1, result.cards + 1):
        text = run("pdftotext", "-f", str(page), "-l", str(page), str(result.files["envelopes"]), "-")
        envelope_names.append(text)
        assert mailroom.marker(result.batch_id, page) in text
    for text, row in zip(envelope_names, manifest):
        assert row["customer"].split()[-1].upper() in text.upper()
    card_text = run("pdftotext", str(result.files["cards"]), "-")
    markers = [m for m in (mailroom.marker(result.batch_id, i) for i in range(1, result.cards + 1))]
    positions = [card_text.find(m) for m in markers]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert "Batch 1 manifest" in run("pdftotext", str(result.files["manifest_pdf"]), "-")


def test_void_puts_cards_back_mailed_moves_them_on_and_reprints_match(queue, tmp_path):
    first = mailroom.create_batch(queue, tmp_path, stock="note-cards-letter", actor="mailroom")
    in_batch = [c["id"] for c in queue.batch_cards(first.batch_id)]
    queue.void_batch(first.batch_id, actor="mailroom")
    assert all(queue.get_card(i)["status"] == "queued" and queue.get_card(i)["batch_id"] is None for i in in_batch)
    second = mailroom.create_batch(queue, tmp_path, stock="note-cards-letter", actor="mailroom")
    assert sorted(c["id"] for c in queue.batch_cards(second.batch_id)) == sorted(in_batch)
    card = queue.batch_cards(second.batch_id)[2]
    reprint = mailroom.reprint(queue, second.batch_id, card["id"], tmp_path / "again.pdf")
    assert len(pages(reprint)) == 2 and mailroom.marker(second.batch_id, 3) in run("pdftotext", str(reprint), "-")
    envelope = mailroom.reprint(queue, second.batch_id, card["id"], tmp_path / "env.pdf", envelope=True)
    assert len(pages(envelope)) == 1
    queue.mark_batch_mailed(second.batch_id, actor="mailroom")
    assert {queue.get_card(i)["status"] for i in in_batch} == {"mailed"}
    kinds = [e["kind"] for e in queue.events() if e["batch_id"] in (first.batch_id, second.batch_id)]
    assert {"batch.started", "batch.printed", "batch.void", "batch.mailed"} <= set(kinds)
    with pytest.raises(Exception, match="only a printed batch"):
        queue.void_batch(second.batch_id, actor="mailroom")


def test_a_cancelled_batch_leaves_every_card_queued_and_no_file(queue, tmp_path):
    before = formats_of(queue)
    with pytest.raises(mailroom.BatchCancelled):
        mailroom.create_batch(queue, tmp_path / "out", stock="note-cards-letter", actor="mailroom",
                              cancelled=lambda: True)
    assert formats_of(queue) == before
    assert list((tmp_path / "out").iterdir()) == []
    assert queue.list_batches()[0]["status"] == "failed"


def test_a_crash_in_the_middle_of_a_batch_leaves_the_queue_as_it_was(queue, store_path, tmp_path, monkeypatch):
    queue_demo_cards(queue, 120, actor="tester")
    before = sorted(c["id"] for c in queue.list_cards(status="queued", limit=1000))
    env = {**os.environ, "CARDSENDER_USER": "mailroom"}
    process = subprocess.Popen([sys.executable, "-m", "cardsender", "batch", "new", "--db", str(store_path),
                                "-o", str(tmp_path / "out"), "--stock", "letter-trim"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list((tmp_path / "out").glob(".batch-*.partial")) and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert sorted(c["id"] for c in queue.list_cards(status="queued", limit=1000)) == before
    assert not list((tmp_path / "out").glob("batch-*"))  # no file under a final name
    later = mailroom.create_batch(queue, tmp_path / "out", stock="letter-trim", actor="mailroom")
    assert later.cards == len(before)


def test_two_batch_runs_at_once_never_share_a_card(queue, store_path, tmp_path):
    queue_demo_cards(queue, 60, actor="tester")
    queued = {c["id"] for c in queue.list_cards(status="queued", limit=1000)}
    env = {**os.environ, "CARDSENDER_USER": "mailroom"}
    runs = [subprocess.Popen([sys.executable, "-m", "cardsender", "batch", "new", "--db", str(store_path), "-o",
                              str(tmp_path / name), "--stock", "letter-trim", "--json"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    outcomes = [r.communicate(timeout=240) for r in runs]
    batches = [json.loads(out) for (out, _), r in zip(outcomes, runs) if r.returncode == 0]
    assert batches, outcomes
    seen = [c["id"] for b in batches for c in queue.batch_cards(b["id"])]
    assert len(seen) == len(set(seen)) and set(seen) == queued
    for (out, err), r in zip(outcomes, runs):
        assert r.returncode == 0 or "no queued cards" in err


def test_labels_fill_sheets_in_order_and_the_calibration_page_prints(queue, tmp_path):
    queue_demo_cards(queue, 40, actor="tester")
    result = mailroom.create_batch(queue, tmp_path, stock="letter-trim", labels="avery-5160", actor="mailroom")
    label_pages = pages(result.files["labels"])
    assert len(label_pages) == -(-result.cards // 30) and set(label_pages) == {(612.0, 792.0)}
    calibration = mailroom.calibration_page(queue, "note-cards-letter", tmp_path / "cal.pdf", printer="hp")
    assert len(pages(calibration)) == 2 and "slot 2" in run("pdftotext", str(calibration), "-")
    queue.set_printer_offsets("note-cards-letter", "hp", front=(0.05, -0.02), back=(0, 0), actor="mailroom")
    assert queue.printer_offsets("note-cards-letter", "HP")["front"] == (0.05, -0.02)


def test_unknown_stock_and_empty_queue_are_clear_errors(queue, tmp_path):
    with pytest.raises(UserError, match="no stock called 'nope'"):
        mailroom.create_batch(queue, tmp_path, stock="nope", actor="m")
    mailroom.create_batch(queue, tmp_path, stock="letter-trim", actor="m")
    with pytest.raises(UserError, match="no queued cards"):
        mailroom.create_batch(queue, tmp_path, stock="letter-trim", actor="m")


def test_manifest_csv_is_safe_to_open_in_a_spreadsheet(tmp_path):
    from cardsender.csvfiles import write_csv

    path = tmp_path / "m.csv"
    write_csv(path, ["name", "note"], [["=HYPERLINK(\"http://x\")", "+1 816"], ["-5", "@SUM(A1)"], ["\tx", "plain"]])
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1] == ["'=HYPERLINK(\"http://x\")", "'+1 816"] and rows[2] == ["'-5", "'@SUM(A1)"]
    assert rows[3] == ["'\tx", "plain"]
