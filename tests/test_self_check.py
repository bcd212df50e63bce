"""``cardsender --self-check``: passes on a working installation, and fails with one clear line
naming what is wrong when a data file, a template's art or the store's place is not right."""

import json
import shutil

import pytest
from reportlab.pdfgen.canvas import Canvas

from cardsender.selfcheck import SelfCheckFailure, run_checks, verify_pdf
from cardsender.store import LATEST_VERSION
from cardsender.templates import INCH, load_templates


def test_self_check_passes_on_a_real_store_and_says_what_it_checked(cli, store_path):
    assert cli("demo").returncode == 0
    result = cli("--self-check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("all ") and lines[-1].endswith(" checks passed")
    store_line = next(line for line in lines if line.split()[1:2] == ["store"])
    assert str(store_path) in store_line and f"schema version {LATEST_VERSION}" in store_line
    templates, _ = load_templates()
    for slug in templates:
        proof = next(line for line in lines if f" proof {slug} " in line)
        assert proof.split()[0] == "ok" and "fonts embedded" in proof
    for name in ("qt platform", "qt pdf", "qt svg", "qt modules"):
        assert any(line.split()[0] == "ok" and f" {name} " in line for line in lines), name


def test_self_check_json_lists_every_check(cli):
    result = cli("--self-check", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert all(set(check) == {"name", "ok", "detail"} and check["ok"] for check in report["checks"])
    assert {"assets", "fonts", "store", "templates", "addresses", "spelling", "qt pdf"} <= {
        check["name"] for check in report["checks"]}


def test_missing_template_art_fails_naming_the_file_and_the_rest_still_proofs(cli, tmp_path, monkeypatch):
    from cardsender.resources import asset_path

    templates = tmp_path / "templates"
    shutil.copytree(asset_path("templates"), templates)
    (templates / "welcome" / "front.svg").unlink()
    monkeypatch.setenv("CARDSENDER_TEMPLATES", str(templates))
    result = cli("--self-check")
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("cardsender: error: self-check failed (1 of ")
    assert "welcome" in result.stderr and "front.svg" in result.stderr
    assert any(line.split()[:2] == ["FAIL", "templates"] for line in result.stdout.splitlines())
    assert any(line.split()[:3] == ["ok", "proof", "thank-you-for-calling"] for line in result.stdout.splitlines())


def test_a_store_that_cannot_be_created_fails_naming_its_path(cli, tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("this is a file, so nothing can be created inside it")
    where = not_a_folder / "store.sqlite3"
    result = cli("--self-check", "--db", str(where), db=False)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert "store: cannot create the store at" in result.stderr and str(where) in result.stderr


def test_missing_data_files_are_named(tmp_path, monkeypatch):
    import cardsender.resources
    from cardsender.resources import assets_dir

    copy = tmp_path / "assets"
    shutil.copytree(assets_dir(), copy)
    (copy / "demo" / "customers.csv").unlink()
    (copy / "fonts" / "Lato-Regular.ttf").unlink()
    monkeypatch.setattr(cardsender.resources, "assets_dir", lambda: copy)
    result = run_checks(tmp_path / "store.sqlite3", with_qt=False, folder=tmp_path)
    failed = {check.name: check.detail for check in result.failed}
    assert {"assets", "fonts"} <= set(failed) and not {"store", "templates", "addresses"} & set(failed), failed
    assert "demo/customers.csv" in failed["assets"]
    assert "Lato-Regular.ttf" in failed["fonts"]


# -- reading proofs back ------------------------------------------------------------------------
@pytest.fixture
def proof(tmp_path):
    from cardsender.selfcheck import render_and_verify

    template = load_templates()[0]["thank-you-for-calling"]
    out = tmp_path / "proof.pdf"
    pages, _ = render_and_verify(template, out)
    fmt = template.format
    return out, pages, (fmt.width * 2, fmt.height), fmt.bleed


def test_verify_pdf_accepts_a_proof(proof):
    out, pages, trim, bleed = proof
    facts = verify_pdf(out, pages=pages, trim=trim, bleed=bleed)
    assert facts.pages == pages and len(facts.fonts) >= 2


def test_verify_pdf_finds_a_wrong_trim_a_missing_page_and_a_cut_file(proof, tmp_path):
    out, pages, (width, height), bleed = proof
    with pytest.raises(SelfCheckFailure, match="trims to"):
        verify_pdf(out, pages=pages, trim=(width, height + INCH), bleed=bleed)
    with pytest.raises(SelfCheckFailure, match=f"{pages} pages, expected {pages + 1}"):
        verify_pdf(out, pages=pages + 1, trim=(width, height), bleed=bleed)
    with pytest.raises(SelfCheckFailure, match="BleedBox"):
        verify_pdf(out, pages=pages, trim=(width, height), bleed=bleed * 2)
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(out.read_bytes()[: out.stat().st_size // 2])
    with pytest.raises(SelfCheckFailure, match="not a complete PDF"):
        verify_pdf(cut, pages=pages, trim=(width, height), bleed=bleed)


def test_verify_pdf_finds_a_font_that_is_not_embedded(tmp_path):
    out = tmp_path / "helvetica.pdf"
    canvas = Canvas(str(out), pagesize=(6 * INCH, 4 * INCH))
    canvas.setTrimBox((0, 0, 6 * INCH, 4 * INCH))
    canvas.setBleedBox((-9, -9, 6 * INCH + 9, 4 * INCH + 9))
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 72, "Helvetica is one of the 14 fonts a PDF may name without embedding")
    canvas.showPage()
    canvas.save()
    with pytest.raises(SelfCheckFailure, match="font Helvetica is not embedded"):
        verify_pdf(out, pages=1, trim=(6 * INCH, 4 * INCH), bleed=9)


def test_a_missing_usps_address_model_is_named_though_cards_still_print(monkeypatch):
    import pycrfsuite
    import usaddress

    from cardsender.selfcheck import check_addresses

    monkeypatch.setattr(usaddress, "TAGGER", pycrfsuite.Tagger())  # what usaddress keeps when its model is missing
    with pytest.raises(SelfCheckFailure, match="USPS address model .*usaddr.crfsuite cannot be used"):
        check_addresses()
