"""Cards from a call to a proof, through the real store, templates and renderer."""

import json
import shutil
import subprocess

import pytest

from cardsender import cards
from cardsender.demo import load_demo
from cardsender.errors import UserError
from cardsender.render.fit import NoteDoesNotFit
from cardsender.render.fonts import FontError
from cardsender.store import CardStateError
from cardsender.templates import MergeError
from conftest import DATA
from test_render import near, pixel


@pytest.fixture
def company_templates(tmp_path, monkeypatch):
    """A company's own templates folder (a copy of the test templates), as IT would set it up."""
    folder = tmp_path / "templates"
    shutil.copytree(DATA / "templates", folder)
    monkeypatch.setenv("CARDSENDER_TEMPLATES", str(folder))
    cards._unpacked.clear()
    return folder


@pytest.fixture
def demo_store(store):
    load_demo(store, actor="tester")
    return store


def matched_call(store, mailable=True):
    return next(c for c in store.recent_calls(limit=500) if c["customer_id"] and bool(c["mailable"]) == mailable)


def new(store, call, template="plain-a2", note="Thank you for your call, {first_name}."):
    return cards.new_card(store, call_id=call["id"], template_slug=template, note=note, rep=None, actor="maria")


def test_a_card_goes_from_call_to_queued_to_proof(demo_store, company_templates, tmp_path):
    call = matched_call(demo_store)
    card_id = new(demo_store, call)
    card = demo_store.get_card(card_id)
    assert (card["status"], card["rep"], card["customer_id"]) == ("draft", call["rep"], call["customer_id"])
    queued = cards.queue(demo_store, card_id, actor="maria")
    assert queued["status"] == "queued" and queued["merge_values"]["company"] == "Northwind Energy & Water"
    assert demo_store.recent_calls(limit=500, search=None)  # still listed
    assert next(c for c in demo_store.recent_calls(limit=500) if c["id"] == call["id"])["card_status"] == "queued"
    out = tmp_path / "proof.pdf"
    cards.write_proof(demo_store, card_id, out)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert f"Dear {call['first_name']}," in text and f"Thank you for your call, {call['first_name']}." in text


@pytest.mark.parametrize("note, error, message", [
    ("Thank you for calling today. " * 60, NoteDoesNotFit, "lines too long"),
    ("Thank you 漢", FontError, "U+6F22 CJK UNIFIED IDEOGRAPH-6F22"),
    ("Regards from {nickname}", MergeError, "{nickname}, which is not a merge field"),
])
def test_queuing_is_refused_with_the_reason_and_the_draft_is_kept(demo_store, company_templates, note, error, message):
    card_id = new(demo_store, matched_call(demo_store), note=note)
    with pytest.raises(error, match=message.replace("{", r"\{").replace("+", r"\+")):
        cards.queue(demo_store, card_id, actor="maria")
    card = demo_store.get_card(card_id)
    assert card["status"] == "draft" and card["note"] == note


def test_queuing_for_an_address_that_is_not_mailable_is_refused(demo_store, company_templates):
    card_id = new(demo_store, matched_call(demo_store, mailable=False))
    with pytest.raises(CardStateError, match="is not mailable"):
        cards.queue(demo_store, card_id, actor="maria")


def test_a_call_with_no_customer_cannot_have_a_card_yet(demo_store, company_templates):
    unmatched = next(c for c in demo_store.recent_calls(limit=500) if c["customer_id"] is None)
    with pytest.raises(UserError, match="matches no customer"):
        new(demo_store, unmatched)


def test_a_card_keeps_its_template_version_when_the_template_changes(demo_store, company_templates, tmp_path):
    card_id = new(demo_store, matched_call(demo_store))
    cards.queue(demo_store, card_id, actor="maria")
    front = company_templates / "plain-a2" / "front.svg"
    front.write_text(front.read_text().replace("#d32f2f", "#1565c0"))  # the company recolours the disc
    cards._unpacked.clear()
    later = new(demo_store, matched_call(demo_store))
    assert demo_store.get_card(later)["template_version"] == 2
    old_pdf, new_pdf = tmp_path / "old.pdf", tmp_path / "new.pdf"
    cards.write_proof(demo_store, card_id, old_pdf)
    cards.write_proof(demo_store, later, new_pdf)
    centre = (0.5 + 4.25 + 2.125, 0.5 + 2.75)  # the middle of the front panel, in inches
    assert near(pixel(old_pdf, 1, *centre), (211, 47, 47))   # still red, as approved
    assert near(pixel(new_pdf, 1, *centre), (21, 101, 192))  # the new version is blue


def test_card_commands_on_the_command_line(cli, company_templates, tmp_path):
    assert cli("demo").returncode == 0
    calls = json.loads(cli("calls", "--json", "--limit", "200").stdout)
    call = next(c for c in calls if c["customer_id"] and c["mailable"])
    made = cli("card", "new", "--call", str(call["id"]), "--template", "plain-postcard", "--note",
               "Thanks for your patience during the outage, {first_name}.", "--json")
    assert made.returncode == 0, made.stderr
    card = json.loads(made.stdout)
    assert card["ready"] and card["fit"].startswith("fits at")
    assert json.loads(cli("card", "queue", str(card["id"]), "--json").stdout)["status"] == "queued"
    proof = tmp_path / "card.pdf"
    assert cli("card", "proof", str(card["id"]), "-o", str(proof)).returncode == 0
    assert proof.read_bytes().startswith(b"%PDF") and not (tmp_path / "card.pdf.partial").exists()
    listed = json.loads(cli("cards", "--json", "--status", "queued").stdout)
    assert [c["id"] for c in listed] == [card["id"]]
    assert cli("card", "cancel", str(card["id"])).returncode == 0
    again = cli("card", "queue", str(card["id"]))
    assert again.returncode == 1 and "only a draft can be queued" in again.stderr
    too_long = cli("card", "new", "--call", str(call["id"]), "--template", "plain-a2", "--note", "Thanks! " * 400)
    assert too_long.returncode == 0 and "too long" in too_long.stdout
    templates = json.loads(cli("templates", "--json").stdout)
    assert {t["slug"] for t in templates} == {"plain-a2", "plain-postcard"}
    unknown = cli("card", "new", "--call", str(call["id"]), "--template", "nope", "--note", "x")
    assert unknown.returncode == 1 and "no template called 'nope'" in unknown.stderr


def test_a_reps_signature_image_is_printed_instead_of_the_name(demo_store, company_templates, tmp_path):
    from PIL import Image, ImageDraw

    picture = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    ImageDraw.Draw(picture).line([(20, 150), (200, 40), (380, 160), (580, 30)], fill=(20, 30, 120, 255), width=12)
    png = tmp_path / "sig.png"
    picture.save(png)
    call = matched_call(demo_store)
    card_id = new(demo_store, call)
    demo_store.set_signature_image(call["rep"], png.read_bytes(), actor="maria")
    out = tmp_path / "signed.pdf"
    cards.write_proof(demo_store, card_id, out)
    listed = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert len(listed) >= 1  # the signature (and its transparency mask)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert call["rep"] not in text  # the typed name gave way to the image
    tiny = tmp_path / "tiny.png"
    Image.new("RGB", (90, 30), "white").save(tiny)
    from cardsender.render.card import CardProblem, check_signature_image
    with pytest.raises(CardProblem, match="30 pixels tall; it needs 150"):
        check_signature_image(tiny.read_bytes())


def test_proof_of_a_note_that_cannot_print_is_refused_with_the_reason(cli, company_templates, tmp_path):
    assert cli("demo").returncode == 0
    call = next(c for c in json.loads(cli("calls", "--json", "--limit", "200").stdout) if c["customer_id"])
    card = json.loads(cli("card", "new", "--call", str(call["id"]), "--template", "plain-a2",
                          "--note", "Thanks 漢", "--json").stdout)
    assert card["status"] == "draft" and not card["ready"] and "U+6F22" in card["fit"]
    result = cli("card", "proof", str(card["id"]), "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 1 and "cannot print U+6F22 CJK UNIFIED IDEOGRAPH-6F22" in result.stderr
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.pdf.partial").exists()


def test_preview_renders_the_draft_with_its_envelope_and_warns_of_recent_cards(demo_store, company_templates):
    from cardsender.spelling import Speller

    call = matched_call(demo_store)
    first = new(demo_store, call)
    assert cards.recent_cards_warning(demo_store, first) is None
    cards.set_signs_as(demo_store, call["rep"], f"{call['rep']}, Customer Care", actor="t")
    pdf, status = cards.render_preview(cards.preview_inputs(demo_store, first), "Thanks, {first_name}!")
    assert status.startswith("fits at") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 3
    second = cards.duplicate_card(demo_store, first, call_id=call["id"], actor="t")
    assert "already has a card from the last 30 days" in cards.recent_cards_warning(demo_store, second)
    assert cards.merge_values_for(demo_store, demo_store.get_card(second))["rep_name"].endswith("Customer Care")
    with pytest.raises(NoteDoesNotFit):
        cards.render_preview(cards.preview_inputs(demo_store, first), "Thanks! " * 400)
    speller = Speller("en", dictionary=demo_store.path.with_name("words.txt"), names=(call["first_name"],))
    assert [m.word for m in speller.misspellings(f"Dear {call['first_name']}, thankyou for {{first_name}}")] == ["thankyou"]
