"""The renderer, checked the way a print shop would: real PDFs read by poppler and qpdf."""

import io
import re
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from cardsender.render.card import CardPainter, prepare_card
from cardsender.render.fit import NoteDoesNotFit, fit_note, wrap
from cardsender.render.fonts import FontError, font_book
from cardsender.render.proof import MARGIN, render_proof
from cardsender.templates import INCH, MergeError, TemplateError, load_template, load_templates, merge
from conftest import DATA

VALUES = dict(first_name="Zoë", last_name="Łukasz", full_name="Zoë Łukasz", rep_name="Maria Lopez",
              company="Northwind Energy & Water")
NOTE = ("Thank you for calling us today, {first_name}. I'm glad we could sort out the bill together, "
        "and the €20 credit is on its way.\nWarm wishes from all of us.")
RECIPIENT = ("ZOË ŁUKASZ", "1432 OAK RIDGE DR", "APT 4B", "KANSAS CITY MO  64105-5623")
RETURN = ("Northwind Energy & Water", "400 Grand Blvd", "Kansas City MO 64106")


@pytest.fixture(scope="module")
def book():
    return font_book()


@pytest.fixture(scope="module")
def test_templates():
    templates, problems = load_templates(DATA / "templates")
    assert problems == []
    return templates


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def proof(tmp_path, template, book, note=NOTE, **options):
    card = prepare_card(template, note, VALUES, book, recipient_lines=RECIPIENT, return_lines=RETURN)
    path = tmp_path / f"{template.slug}.pdf"
    render_proof(card, book, path, **options)
    return path, card


def boxes(path):
    """{page: {box name: (x0, y0, x1, y1)}} from pdfinfo."""
    pages = {}
    for line in run("pdfinfo", "-box", "-f", "1", "-l", "99", str(path)).splitlines():
        match = re.match(r"Page\s+(\d+)\s+(MediaBox|TrimBox|BleedBox):\s+([\d.\s-]+)", line)
        if match:
            pages.setdefault(int(match[1]), {})[match[2]] = tuple(float(v) for v in match[3].split())
    return pages


def pixel(path, page, x_in, y_in, dpi=50):
    """The colour at (x, y) inches from the top-left corner of a page, rasterised by pdftoppm."""
    png = subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), str(path)],
                         capture_output=True, check=True).stdout
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return image.getpixel((int(x_in * dpi), int(y_in * dpi)))


def near(color, target, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(color, target))


def test_folded_proof_is_print_ready(tmp_path, test_templates, book):
    path, _ = proof(tmp_path, test_templates["plain-a2"], book)
    assert "Pages:           2" in run("pdfinfo", str(path))
    margin = MARGIN / INCH
    for box in boxes(path).values():
        assert box["TrimBox"] == (36.0, 36.0, 36.0 + 8.5 * 72, 36.0 + 5.5 * 72)  # 8.5 x 5.5 in exactly
        assert box["BleedBox"] == (27.0, 27.0, 36.0 + 8.5 * 72 + 9, 36.0 + 5.5 * 72 + 9)  # 0.125 in
        assert box["MediaBox"][2] > box["BleedBox"][2] and box["MediaBox"][3] > box["BleedBox"][3]
    fonts = run("pdffonts", str(path)).splitlines()[2:]
    assert len(fonts) >= 3 and all(re.search(r"\byes\s+yes\s+yes\b", row) for row in fonts), fonts
    assert not any("Helvetica" in row for row in fonts)
    assert "No syntax or stream encoding errors" in run("qpdf", "--check", str(path))
    # The front (right half of the outside spread): green ground with a red disc in its middle,
    # and the green runs into the bleed past the trim on the right.
    assert near(pixel(path, 1, margin + 4.25 + 2.125, margin + 2.75), (211, 47, 47))
    assert near(pixel(path, 1, margin + 4.25 + 0.4, margin + 0.4), (46, 125, 50))
    assert near(pixel(path, 1, margin + 8.5 + 0.06, margin + 2.75), (46, 125, 50))
    # Half-transparent white over the green (bottom left of the front) prints blended, not solid.
    assert near(pixel(path, 1, margin + 4.25 + (55 - 9) / 72, margin + (360 - 9) / 72), (150, 190, 152), 20)
    assert "ExtGState" not in subprocess.run(["pdftoppm", "-r", "10", str(path), str(tmp_path / "x")],
                                             capture_output=True, text=True).stderr
    # The back has no art: paper white, up to the fold.
    assert near(pixel(path, 1, margin + 2.0, margin + 2.75), (255, 255, 255), 5)
    # Outside the bleed, only white (and thin marks).
    assert near(pixel(path, 1, margin + 8.5 + 0.3, margin + 2.75), (255, 255, 255), 5)


def test_same_input_gives_byte_identical_files(tmp_path, test_templates, book):
    outputs = []
    for folder in (tmp_path / "a", tmp_path / "b"):
        folder.mkdir()
        outputs.append(proof(folder, test_templates["plain-a2"], book)[0].read_bytes())
    assert outputs[0] == outputs[1]


def test_cmyk_option_writes_only_cmyk_colours(tmp_path, test_templates, book):
    path, _ = proof(tmp_path, test_templates["plain-a2"], book, cmyk=True)
    flat = tmp_path / "flat.pdf"
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(path), str(flat)], check=True)
    content = flat.read_bytes()
    assert re.search(rb"\sk\n", content) and re.search(rb"\sK\n", content)  # CMYK fill and stroke
    assert not re.search(rb"\d\s+rg\n", content) and not re.search(rb"\d\s+RG\n", content)


def test_art_is_stored_once_however_many_cards_share_it(tmp_path, test_templates, book):
    from reportlab.pdfgen.canvas import Canvas

    template = test_templates["plain-a2"]
    card = prepare_card(template, NOTE, VALUES, book)
    sizes = []
    for count in (1, 40):
        path = tmp_path / f"{count}.pdf"
        canvas = Canvas(str(path), pagesize=(9 * 72, 6 * 72), invariant=1,
                        initialFontName=book.register(book.text_face.key))
        painter = CardPainter(canvas, book)
        for _ in range(count):
            for index in (0, 1):
                painter.draw_spread(card, index, 18, 18, 0)
                canvas.showPage()
        canvas.save()
        sizes.append(path.stat().st_size)
        flat = tmp_path / f"{count}-flat.pdf"
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(path), str(flat)], check=True)
        assert flat.read_bytes().count(b"/Subtype /Form") == 2  # front and inside-right art, once each
    assert sizes[1] / 40 < sizes[0] / 3  # each further card costs its words, not its art


def test_postcard_address_side_follows_the_usps_layout(tmp_path, test_templates, book):
    path, _ = proof(tmp_path, test_templates["plain-postcard"], book)
    box = boxes(path)[2]["TrimBox"]
    html = run("pdftotext", "-bbox", "-f", "2", "-l", "2", str(path), "-")
    words = [(float(m[1]), float(m[2]), float(m[3]), float(m[4]), m[5]) for m in
             re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]
    page_height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html)[1])
    trim_left, trim_right = box[0], box[2]

    def above_bottom(y):  # inches above the card's bottom edge
        return (page_height - box[1] - y) / 72

    block = [w for w in words if w[4] in {"ZOË", "ŁUKASZ", "1432", "KANSAS", "64105-5623"}]
    assert len(block) == 5
    for x0, y0, x1, y1, _ in block:
        assert (x0 - trim_left) / 72 >= 3.0 and (trim_right - x1) / 72 >= 0.5  # in the read area...
        assert 0.625 <= above_bottom(y1) and above_bottom(y0) <= 2.75      # ...between 5/8 and 2 3/4 in
    for x0, _, _, y1, text in words:  # the barcode clear zone is blank (the slug line sits below the trim)
        if 0 < above_bottom(y1) < 0.625 and (trim_right - x0) / 72 < 4.75:
            pytest.fail(f"{text!r} is in the barcode clear zone")
    assert any(w[4] == "Northwind" for w in words)  # the return address


def test_note_takes_the_largest_size_that_fits_and_keeps_line_breaks(book):
    short = fit_note("Thank you!", book, "caveat", 3 * INCH, 2 * INCH, 12, 18, 1.25)
    long = fit_note("Thank you for calling. " * 12, book, "caveat", 3 * INCH, 2 * INCH, 12, 18, 1.25)
    assert short.size == 18 and long.size < 18
    assert len(long.lines) * long.line_height <= 2 * INCH
    kept = fit_note("Line one\n\nLine three", book, "caveat", 3 * INCH, 2 * INCH, 12, 18, 1.25)
    assert kept.lines == ("Line one", "", "Line three")


def test_a_word_longer_than_the_line_is_broken_never_cut(book):
    word = "Supercalifragilisticexpialidocious" * 2
    lines = wrap(word, book, "caveat", 14, 1.5 * INCH)
    assert len(lines) > 1 and "".join(lines) == word
    assert all(book.width(line, "caveat", 14) <= 1.5 * INCH for line in lines)


def test_a_note_too_long_says_by_how_much_and_draws_nothing(book):
    with pytest.raises(NoteDoesNotFit) as error:
        fit_note("Thank you for calling today. " * 40, book, "caveat", 3 * INCH, 1 * INCH, 12, 18, 1.25)
    assert error.value.lines_over > 5 and error.value.chars_over > 100
    assert re.search(r"\d+ lines too long \(about \d+ characters\) even at the smallest size, 12 pt", str(error.value))


def test_a_character_no_face_can_print_is_named(book, test_templates):
    assert [name for name, _ in book.runs("Zoë Łukasz €20", "caveat")] == ["cs-caveat"]
    assert {name for name, _ in book.runs("Καλημέρα", "caveat")} == {"cs-dejavu-sans"}  # Greek: the fallback
    with pytest.raises(FontError, match="U\\+6F22 CJK UNIFIED IDEOGRAPH-6F22"):
        prepare_card(test_templates["plain-a2"], "Thank you 漢", VALUES, book)


def test_merge_fields_are_checked(test_templates, book):
    assert merge("Dear {first_name} {last_name}", VALUES) == "Dear Zoë Łukasz"
    with pytest.raises(MergeError, match=r"\{nickname\}, which is not a merge field"):
        merge("Hi {nickname}", VALUES)
    with pytest.raises(MergeError, match=r"\{company\}, but this card has no company"):
        prepare_card(test_templates["plain-a2"], "From all of us at {company}", {**VALUES, "company": ""}, book)


def test_broken_templates_are_named_and_the_rest_still_load(tmp_path):
    import shutil

    good = DATA / "templates" / "plain-a2"
    for name in ("good", "bad-field", "escape", "link-out", "no-art"):
        shutil.copytree(good, tmp_path / name)
    toml = lambda name: tmp_path / name / "template.toml"  # noqa: E731
    toml("bad-field").write_text(toml("bad-field").read_text().replace('occasion = "other"', 'occasion = "birthday"'))
    toml("escape").write_text(toml("escape").read_text().replace('front = "front.svg"', 'front = "../good/front.svg"'))
    (tmp_path / "secret.svg").write_text("<svg/>")
    (tmp_path / "link-out" / "front.svg").unlink()
    (tmp_path / "link-out" / "front.svg").symlink_to(tmp_path / "secret.svg")
    (tmp_path / "no-art" / "front.svg").unlink()
    templates, problems = load_templates(tmp_path)
    assert list(templates) == ["good"]
    joined = "\n".join(problems)
    assert "bad-field/template.toml: occasion 'birthday' is not one of" in joined
    assert "escape/template.toml: art.front '../good/front.svg' must be a file in the template's own folder" in joined
    assert "link-out/template.toml: art.front 'front.svg' must be a file in the template's own folder, not a link" in joined
    assert "no-art/template.toml: art.front 'front.svg' does not exist" in joined


def edited_template(tmp_path, source: str, name: str, old: str, new: str):
    """A copy of a test template with one line of its template.toml changed."""
    import shutil

    shutil.copytree(DATA / "templates" / source, tmp_path / name)
    path = tmp_path / name / "template.toml"
    path.write_text(path.read_text().replace(old, new))
    return tmp_path / name


def test_note_box_outside_the_safe_area_is_refused(tmp_path):
    folder = edited_template(tmp_path, "plain-a2", "wide", "box = [0.5, 1.25, 3.25, 2.9]", "box = [0.1, 1.25, 4.1, 2.9]")
    with pytest.raises(TemplateError, match="note.box .* must lie inside the safe area"):
        load_template(folder)


SHIPPED, SHIPPED_PROBLEMS = load_templates()


def test_at_least_eight_shipped_templates_load_for_every_occasion():
    assert SHIPPED_PROBLEMS == []
    assert len(SHIPPED) >= 8
    occasions = {t.occasion for t in SHIPPED.values()}
    assert {"thank-you", "apology", "patience", "welcome", "congratulations", "sympathy", "holidays",
            "anniversary"} <= occasions


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_every_shipped_template_renders_print_ready_with_its_suggested_note(tmp_path, book, slug):
    template = SHIPPED[slug]
    path, card = proof(tmp_path, template, book, note=template.suggested_note)
    fonts = run("pdffonts", str(path)).splitlines()[2:]
    assert fonts and all(re.search(r"\byes\s+yes\s+yes\b", row) for row in fonts), fonts
    pages = boxes(path)
    assert len(pages) == 2 and all("TrimBox" in b and "BleedBox" in b for b in pages.values())
    assert card.note.size >= template.note.min_size
    assert "No syntax or stream encoding errors" in run("qpdf", "--check", str(path))


def test_postcard_words_must_keep_out_of_the_address_half_and_barcode_zone(tmp_path):
    folder = edited_template(tmp_path, "plain-postcard", "low", "at = [1.2, 3.2]", "at = [1.2, 3.6]")
    with pytest.raises(TemplateError, match="signature.at must be in the left half and above the barcode clear zone"):
        load_template(folder)


def test_raster_art_below_300_ppi_is_refused_and_enough_is_drawn(tmp_path, book):
    for name, pixels in (("coarse", (675, 862)), ("fine", (1350, 1725))):  # A2 canvas 4.5 x 5.75 in
        folder = edited_template(tmp_path, "plain-a2", name, 'front = "front.svg"', 'front = "front.png"')
        Image.new("RGB", pixels, (46, 125, 50)).save(folder / "front.png")
    with pytest.raises(TemplateError, match="front.png' is 150 ppi at the card's size; art needs 300 ppi"):
        load_template(tmp_path / "coarse")
    pdf, _ = proof(tmp_path, load_template(tmp_path / "fine"), book)
    images = run("pdfimages", "-list", str(pdf)).splitlines()[2:]
    assert len(images) == 1 and int(images[0].split()[12]) >= 299  # x-ppi as placed


CLEAR_ERRORS = (NoteDoesNotFit, FontError, MergeError)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.text(min_size=0, max_size=400))
def test_any_unicode_note_gives_a_pdf_or_a_clear_error(test_templates, book, note):
    from cardsender.render.card import CardProblem

    try:
        card = prepare_card(test_templates["plain-a2"], note, VALUES, book)
    except (*CLEAR_ERRORS, CardProblem) as error:
        assert str(error)
        return
    out = io.BytesIO()
    render_proof(card, book, out)
    assert out.getvalue().startswith(b"%PDF")


def test_the_safe_margin_holds_only_background(tmp_path, test_templates, book):
    """Words stay inside the safe area: along the inside panel's safe margin every pixel is
    the paper colour of the art, whatever the note."""
    path, _ = proof(tmp_path, test_templates["plain-a2"], book, note="Thank you so much for your call! " * 6)
    template = test_templates["plain-a2"]
    safe = template.format.safe / INCH
    left, top = MARGIN / INCH + 4.25, MARGIN / INCH  # the inside-right panel's trim corner
    paper = (251, 248, 241)
    samples = [(left + x / 10 * 4.25, top + y) for x in range(1, 10) for y in (safe / 2, 5.5 - safe / 2)]
    samples += [(left + x, top + y / 10 * 5.5) for y in range(1, 10) for x in (safe / 2, 4.25 - safe / 2)]
    for x, y in samples:
        assert near(pixel(path, 2, x, y, dpi=72), paper, 6), (x, y)


def test_art_replayed_from_the_process_cache_gives_the_same_file(tmp_path, book):
    from cardsender.render import card as card_module

    template = SHIPPED["happy-holidays"]
    outputs = []
    for attempt in ("fresh", "replayed"):
        if attempt == "fresh":
            card_module._ART_OPERATORS.clear()
        folder = tmp_path / attempt
        folder.mkdir()
        outputs.append(proof(folder, template, book, note=template.suggested_note)[0].read_bytes())
    assert any(name.startswith("art-") for name in card_module._ART_OPERATORS)
    assert outputs[0] == outputs[1]
