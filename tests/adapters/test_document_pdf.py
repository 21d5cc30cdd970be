"""The invoice and credit-note PDF (UStG § 14 Abs. 4; SPEC § 7): what it states for a domestic,
reverse-charge, OSS and non-EU invoice and for a credit note, in German, English and Chinese;
test marking, page numbers, determinism, embedded fonts and a rendering to PNG."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from tenure.adapters.pdf import document_pdf
from tenure.adapters.pdf.fonts import install_fonts
from tenure.adapters.pdf.layout import DocumentPdf, _lines_of
from tenure.adapters.pdf.view import document_view
from tenure.domain.tax import NOT_TAXABLE_NOTE_BUSINESS, REVERSE_CHARGE_NOTE

from . import document_samples as samples

ROOT = Path(__file__).resolve().parents[2]
needs_cjk = pytest.mark.skipif(
    not samples.CJK_FONT.exists() or not samples.POPPLER["pdftotext"],
    reason="needs Noto Sans CJK (fonts-noto-cjk) and pdftotext (poppler-utils)",
)


def text_of(pdf: bytes) -> str:
    """The text of every page as one line: each run of spaces, non-breaking spaces and line
    breaks as one space (so a sentence broken over two lines is found whole)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def cjk_text_of(pdf: bytes) -> str:
    """The text as ``pdftotext`` reads it (pypdf does not decode fpdf2's CMap of a CFF font),
    without any whitespace."""
    text = subprocess.run(
        [samples.POPPLER["pdftotext"] or "pdftotext", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return "".join(text.split())


def pages_of(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def german() -> bytes:
    return document_pdf(samples.invoice(), None)


def test_a_german_invoice_states_seller_buyer_number_date_and_customer(german: bytes) -> None:
    text = text_of(german)
    for expected in [
        "Rechnung",
        "CloudCRM GmbH",
        "Friedrichstraße 123",
        "10117 Berlin",
        "USt-IdNr. DE123456789",
        "Steuernummer 30/123/45678",
        "Tel. +49 30 1234567",
        "billing@cloudcrm.example",
        "Rechnungsempfänger",
        "Muster AG",
        "Leopoldstraße 5",
        "80802 München",
        "Rechnungsnummer",
        "RE-2026-000001",
        "Rechnungsdatum",
        "17.04.2026",
        "Kundennummer",
        "cus_0042",
    ]:
        assert expected in text, expected
    assert "Deutschland" not in text  # a domestic address names no country


def test_each_line_has_its_service_period_up_to_the_last_day(german: bytes) -> None:
    text = text_of(german)
    assert "Leistungszeitraum" in text
    assert "01.04.2026 – 30.04.2026" in text  # period.end 01.05. is exclusive
    assert "01.03.2026 – 31.03.2026" in text
    assert "17.04.2026 – 30.04.2026" in text
    assert "01.04.2026 – 01.05.2026" not in text


def test_the_table_gives_quantity_unit_price_and_net_and_prorations_say_so(german: bytes) -> None:
    text = text_of(german)
    for expected in ["Menge", "Einzelpreis", "Betrag", "12.500", "0,0025 €", "31,25 €"]:
        assert expected in text, expected
    # 1 × 5,90 € charged for 14 of 30 days: 2,75 €, marked and explained
    assert "SMS-Paket (14/30) *" in text
    assert "5,90 €" in text
    assert "2,75 €" in text
    assert "* Anteilig für den Leistungszeitraum berechnet" in text


def test_totals_give_the_net_the_vat_per_rate_and_the_gross(german: bytes) -> None:
    text = text_of(german)
    assert "Summe netto 289,80 €" in text
    assert "USt. 19 % auf 289,80 € 55,06 €" in text
    assert "Gesamtbetrag 344,86 €" in text
    assert "344,86 € fällig am 01.05.2026" in text


def test_an_invoice_states_when_and_where_to_pay(german: bytes) -> None:
    text = text_of(german)
    assert "Zahlbar bis 01.05.2026 ohne Abzug." in text
    assert "Rechnungsnummer RE-2026-000001 auf folgendes Konto" in text
    assert "IBAN DE89 3704 0044 0532 0130 00" in text
    assert "BIC COBADEFFXXX" in text
    assert "Kontoinhaber CloudCRM GmbH" in text


def test_a_reverse_charge_invoice_has_the_note_and_both_vat_ids() -> None:
    text = text_of(document_pdf(samples.reverse_charge(), None))
    assert REVERSE_CHARGE_NOTE in text
    assert "VAT ID of the recipient: ATU12345678" in text
    assert "VAT ID DE123456789" in text  # the seller's, § 14a Abs. 1 UStG
    assert "VAT 0% on €289.80 €0.00" in text
    assert "Austria" in text
    assert "Germany" in text


def test_an_oss_invoice_charges_and_names_the_vat_of_the_customers_country() -> None:
    text = text_of(document_pdf(samples.oss_consumer(), None))
    assert "VAT 23% on €289.80 €66.65" in text
    assert "VAT of Poland at its rate of 23%, declared through the EU One-Stop Shop" in text
    assert "ul. Marszałkowska 1" in text


def test_a_non_eu_invoice_has_the_not_taxable_note_and_the_buyer_reference() -> None:
    text = text_of(document_pdf(samples.non_eu(), None))
    assert NOT_TAXABLE_NOTE_BUSINESS in text
    assert "Your reference PO-7781" in text
    assert "United States" in text


def test_a_credit_note_is_a_correction_of_its_invoice_with_the_amounts_credited() -> None:
    original = samples.invoice()
    text = text_of(document_pdf(samples.credit_note(original), original.issue_date))
    assert "Rechnungskorrektur" in text
    assert "zu Rechnung RE-2026-000001 vom 17.04.2026" in text
    assert "Gutschrift" not in text
    assert "Belegnummer KR-2026-000001" in text
    assert "Belegdatum 20.04.2026" in text
    # 2 × 5,90 € = 11,80 € + 19 % = 14,04 €, printed as the positive amount credited
    assert "Korrekturbetrag 14,04 €" in text
    assert "14,04 € zu Ihren Gunsten" in text
    assert "Der Betrag von 14,04 € wird Ihnen erstattet" in text
    assert "-11,80" not in text
    assert "-14,04" not in text
    assert "Zahlbar" not in text


def test_a_sandbox_document_is_marked_as_a_test_on_every_page() -> None:
    sandbox = document_pdf(samples.invoice(number="TEST-RE-2026-000001", livemode=False), None)
    assert "TESTDOKUMENT / TEST DOCUMENT" in text_of(sandbox)
    assert "TESTDOKUMENT" not in text_of(document_pdf(samples.invoice(), None))


def test_an_english_invoice_uses_english_labels_and_formats() -> None:
    text = text_of(document_pdf(samples.reverse_charge(), None))
    for expected in [
        "Invoice",
        "Invoice date 17 Apr 2026",
        "Due date 1 May 2026",
        "Service period",
    ]:
        assert expected in text, expected
    assert "€289.80 due 1 May 2026" in text
    assert "1 Apr 2026 – 30 Apr 2026" in text


@needs_cjk
def test_a_chinese_invoice_is_in_chinese_with_the_legal_note_explained() -> None:
    text = cjk_text_of(document_pdf(samples.chinese(), None))
    for expected in ["发票", "2026年4月17日", "服务期间", "上海云端科技有限公司", "€289.80"]:
        assert expected in text, expected
    assert "".join(NOT_TAXABLE_NOTE_BUSINESS.split()) in text
    assert "不缴纳德国增值税" in text  # its explanation


@needs_cjk
def test_a_chinese_credit_note_names_its_invoice() -> None:
    original = samples.chinese()
    text = cjk_text_of(document_pdf(samples.credit_note(original), original.issue_date))
    assert "贷项通知单" in text
    assert "更正2026年4月17日开具的发票RE-2026-000001" in text


@needs_cjk
def test_chinese_characters_on_a_german_invoice_get_the_cjk_font() -> None:
    document = samples.invoice(samples.buyer(name="Muster AG (慕尼黑)"))
    pdf = document_pdf(document, None)
    assert "MusterAG(慕尼黑)" in cjk_text_of(pdf)
    assert "NotoSansCJK" in str(_font_names(pdf))


def test_a_long_invoice_runs_onto_numbered_pages_with_the_headings_repeated() -> None:
    pdf = document_pdf(samples.forty_lines(), None)
    pages = pages_of(pdf)
    assert pages >= 2
    reader = PdfReader(io.BytesIO(pdf))
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"RE-2026-000009 · Seite {number} von {pages}" in text
        assert "Leistungszeitraum" in text
    assert "Posten 39" in text_of(pdf)
    assert "Gesamtbetrag 1.463,70 €" in text_of(pdf)  # 1,50 € × (1 + … + 40) + 19 %


def test_the_same_document_renders_to_the_same_bytes(german: bytes) -> None:
    assert document_pdf(samples.invoice(), None) == german


def test_the_same_document_renders_to_the_same_bytes_in_another_process(german: bytes) -> None:
    script = (
        "import hashlib, sys\n"
        "from tenure.adapters.pdf import document_pdf\n"
        "from tests.adapters import document_samples as samples\n"
        "sys.stdout.write(hashlib.sha256(document_pdf(samples.invoice(), None)).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}", "PYTHONHASHSEED": "7"}
    digest = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert digest == hashlib.sha256(german).hexdigest()


def test_the_pdf_is_a_pdf_a_3b_dated_on_its_issue_date(german: bytes) -> None:
    reader = PdfReader(io.BytesIO(german))
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.pdfaid_part == "3"  # type: ignore[attr-defined]
    assert xmp.pdfaid_conformance == "B"  # type: ignore[attr-defined]
    assert xmp.dc_title == {"x-default": "Rechnung RE-2026-000001"}
    assert xmp.dc_creator == ["CloudCRM GmbH"]
    assert xmp.xmp_create_date.isoformat() == "2026-04-17T00:00:00"
    assert reader.metadata is None  # PDF/A needs no information dictionary beside the XMP
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]  # type: ignore[index]
    assert intent.get_object()["/S"] == "/GTS_PDFA1"


def _font_names(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    names = []
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]  # type: ignore[index]
        names += [str(font.get_object()["/BaseFont"]) for font in fonts.values()]
    return names


def test_every_font_is_an_embedded_subset_never_a_core_font(german: bytes) -> None:
    reader = PdfReader(io.BytesIO(german))
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():  # type: ignore[index]
            font = ref.get_object()
            assert font["/Subtype"] == "/Type0", font
            (descendant,) = font["/DescendantFonts"]
            descriptor = descendant.get_object()["/FontDescriptor"].get_object()
            assert {"/FontFile2", "/FontFile3"} & set(descriptor), descriptor
    assert all("+DejaVuSans" in name for name in _font_names(german))


@pytest.mark.skipif(not samples.POPPLER["pdffonts"], reason="pdffonts (poppler-utils) missing")
def test_pdffonts_reports_every_font_embedded(tmp_path: Path) -> None:
    for name, document in [("de", samples.invoice()), ("zh", samples.chinese())]:
        if name == "zh" and not samples.CJK_FONT.exists():
            continue
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(document_pdf(document, None))
        listing = subprocess.run(
            [samples.POPPLER["pdffonts"], str(path)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert listing, "no fonts listed"
        for row in listing:
            emb, sub = row.split()[-5:-3]
            assert (emb, sub) == ("yes", "yes"), row


@pytest.mark.skipif(not samples.POPPLER["pdftoppm"], reason="pdftoppm (poppler-utils) missing")
def test_the_first_page_renders_to_a_png(tmp_path: Path, german: bytes) -> None:
    path = tmp_path / "invoice.pdf"
    path.write_bytes(german)
    subprocess.run(
        [samples.POPPLER["pdftoppm"], "-png", "-r", "60", "-f", "1", "-l", "1", str(path),
         str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    (png,) = tmp_path.glob("page*.png")
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 5_000


def test_a_document_in_no_known_language_is_german() -> None:
    text = text_of(document_pdf(samples.invoice(samples.buyer(locale=None)), None))
    assert "Rechnungsdatum 17.04.2026" in text
    text = text_of(document_pdf(samples.invoice(samples.buyer(locale="fr")), None))
    assert "Rechnungsdatum 17.04.2026" in text


def test_pdf_of_credit_note_without_the_invoice_date_names_the_invoice() -> None:
    original = samples.invoice()
    text = text_of(document_pdf(samples.credit_note(original), None))
    assert "zu Rechnung RE-2026-000001" in text
    assert "vom 17.04.2026" not in text


def test_an_invoice_ignores_a_preceding_issue_date(german: bytes) -> None:
    assert document_pdf(samples.invoice(), date(2026, 1, 1)) == german


def test_documents_rendered_at_once_in_threads_are_the_same_as_one_by_one() -> None:
    documents = [samples.invoice(), samples.reverse_charge(), samples.forty_lines()] * 3
    one_by_one = [document_pdf(document, None) for document in documents]
    with ThreadPoolExecutor(max_workers=4) as pool:
        at_once = list(pool.map(lambda document: document_pdf(document, None), documents))
    assert at_once == one_by_one


def test_no_glyph_is_missing(caplog: pytest.LogCaptureFixture) -> None:
    documents = [samples.invoice(), samples.reverse_charge(), samples.oss_consumer()]
    if samples.CJK_FONT.exists():
        documents += [samples.chinese(), samples.invoice(samples.buyer(name="Müller (慕尼黑)"))]
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        for document in documents:
            document_pdf(document, None)
    assert not [r for r in caplog.records if "missing the following glyphs" in r.getMessage()]


def test_long_text_breaks_at_spaces_and_chinese_between_characters() -> None:
    pdf = DocumentPdf(document_view(samples.invoice(), None), datetime(2026, 4, 17, tzinfo=UTC))
    text = "Bitte überweisen Sie den Betrag unter Angabe der Rechnungsnummer RE-2026-000001"
    chinese = "请将款项转入以下账户并注明发票编号请将款项转入以下账户并注明发票编号"
    pdf.main_family = install_fonts(pdf, "zh", text + chinese)
    pdf.set_font(pdf.main_family, "", 9)
    lines = _lines_of(pdf, text, 60)
    assert len(lines) > 1
    assert " ".join(lines) == text
    assert all(pdf.get_string_width(line) <= 60 - 2 * pdf.c_margin for line in lines)
    lines = _lines_of(pdf, chinese, 40)
    assert len(lines) > 1
    assert "".join(lines) == chinese
    assert all(pdf.get_string_width(line) <= 40 - 2 * pdf.c_margin for line in lines)
