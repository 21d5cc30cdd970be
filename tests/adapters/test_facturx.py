"""The Factur-X / ZUGFeRD file (profile EN 16931): a PDF/A-3b with the CII XML embedded. veraPDF
does not run here, so these tests check with pypdf the structure PDF/A-3 and Factur-X ask for:
the output intent with its ICC profile, the XMP identification and extension schema, the
associated file with its relationship and MIME type, embedded fonts only, a trailer ID, no
encryption, matching metadata, and the embedded XML extracted byte for byte."""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import facturx  # type: ignore[import-untyped]
import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from tenure.adapters.pdf import InvalidCiiXml, document_pdf, factur_x

from . import document_samples as samples

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not samples.CII_EXAMPLE.exists(),
    reason=f"the EN 16931 example CII is not at {samples.CII_EXAMPLE} (../shared missing)",
)


@pytest.fixture(scope="module")
def cii() -> bytes:
    return samples.CII_EXAMPLE.read_bytes()


@pytest.fixture(scope="module")
def packaged(cii: bytes) -> bytes:
    document = samples.invoice()
    return factur_x(document_pdf(document, None), cii, document)


def catalog(pdf: bytes) -> DictionaryObject:
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"].get_object()
    assert isinstance(root, DictionaryObject)
    return root


def xmp_text(pdf: bytes) -> str:
    stream = catalog(pdf)["/Metadata"].get_object()
    assert "/Filter" not in stream  # readable as it is
    return str(stream.get_data().decode("utf-8"))


def test_the_xml_is_extracted_exactly_as_embedded(packaged: bytes, cii: bytes) -> None:
    filename, xml = facturx.get_xml_from_pdf(packaged, check_xsd=False)
    assert filename == "factur-x.xml"
    assert xml == cii


def test_the_xml_is_an_associated_file_of_the_document(packaged: bytes, cii: bytes) -> None:
    root = catalog(packaged)
    names = root["/Names"]["/EmbeddedFiles"]["/Names"]
    assert names[0] == "factur-x.xml"
    spec = names[1].get_object()
    assert [ref.get_object() for ref in root["/AF"].get_object()] == [spec]
    assert spec["/AFRelationship"] in ("/Alternative", "/Data")
    assert spec["/F"] == spec["/UF"] == "factur-x.xml"
    stream = spec["/EF"]["/F"].get_object()
    assert stream["/Subtype"] == "/text/xml"
    assert stream["/Params"]["/ModDate"] == "D:20260417000000+00'00'"
    assert stream["/Params"]["/Size"] == len(cii)
    assert stream.get_data() == cii


def test_the_output_intent_is_srgb_with_its_icc_profile(packaged: bytes) -> None:
    (intent,) = catalog(packaged)["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/OutputConditionIdentifier"] == "sRGB"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3
    icc = profile.get_data()
    assert icc[36:40] == b"acsp"  # the ICC profile signature
    assert icc[16:20] == b"RGB "


def test_the_xmp_identifies_pdf_a_3b_and_factur_x_en16931(packaged: bytes) -> None:
    xmp = xmp_text(packaged)
    assert "<pdfaid:part>3</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in xmp
    assert "<fx:DocumentType>INVOICE</fx:DocumentType>" in xmp
    assert "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>" in xmp
    assert "<fx:Version>1.0</fx:Version>" in xmp
    # the extension schema that declares the fx: properties (PDF/A allows no undeclared ones)
    assert (
        "<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
        "</pdfaSchema:namespaceURI>" in xmp
    )
    assert "<pdfaSchema:prefix>fx</pdfaSchema:prefix>" in xmp
    for name in ("DocumentFileName", "DocumentType", "Version", "ConformanceLevel"):
        assert f"<pdfaProperty:name>{name}</pdfaProperty:name>" in xmp
    assert xmp.count("<rdf:Description") == xmp.count('rdf:about=""')


def test_information_dictionary_and_xmp_say_the_same(packaged: bytes) -> None:
    reader = PdfReader(io.BytesIO(packaged))
    info = reader.metadata
    assert info is not None
    xmp = xmp_text(packaged)
    assert info.title == "Rechnung RE-2026-000001"
    assert f'<rdf:li xml:lang="x-default">{info.title}</rdf:li>' in xmp
    assert f"<rdf:li>{info.author}</rdf:li>" in xmp
    assert f'<rdf:li xml:lang="x-default">{info.subject}</rdf:li>' in xmp
    assert f"<pdf:Producer>{info.producer}</pdf:Producer>" in xmp
    assert f"<xmp:CreatorTool>{info.creator}</xmp:CreatorTool>" in xmp
    assert info["/CreationDate"] == info["/ModDate"] == "D:20260417000000+00'00'"
    assert "<xmp:CreateDate>2026-04-17T00:00:00+00:00</xmp:CreateDate>" in xmp
    assert "<xmp:ModifyDate>2026-04-17T00:00:00+00:00</xmp:ModifyDate>" in xmp
    assert "/Keywords" not in info


def test_the_file_has_a_pdf_1_7_header_an_id_and_no_encryption(packaged: bytes) -> None:
    assert re.match(rb"%PDF-1\.7\r?\n%[\x80-\xff]{4}", packaged)
    reader = PdfReader(io.BytesIO(packaged))
    assert len(reader.trailer["/ID"]) == 2
    assert "/Encrypt" not in reader.trailer
    assert not reader.is_encrypted
    assert packaged.rstrip().endswith(b"%%EOF")


def test_every_font_is_embedded_and_none_is_a_standard_14_font(packaged: bytes) -> None:
    reader = PdfReader(io.BytesIO(packaged))
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            assert font["/Subtype"] == "/Type0"
            (descendant,) = font["/DescendantFonts"]
            descriptor = descendant.get_object()["/FontDescriptor"].get_object()
            assert {"/FontFile2", "/FontFile3"} & set(descriptor)
    assert b"/Type1" not in packaged
    assert b"/Helvetica" not in packaged


@pytest.mark.skipif(not samples.POPPLER["pdffonts"], reason="pdffonts (poppler-utils) missing")
def test_pdffonts_reports_every_font_embedded(tmp_path: Path, packaged: bytes) -> None:
    path = tmp_path / "factur-x.pdf"
    path.write_bytes(packaged)
    rows = subprocess.run(
        [samples.POPPLER["pdffonts"], str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert rows
    assert all(row.split()[-5] == "yes" for row in rows), rows


def test_the_same_document_and_xml_give_the_same_bytes(packaged: bytes, cii: bytes) -> None:
    document = samples.invoice()
    assert factur_x(document_pdf(document, None), cii, document) == packaged


def test_the_same_bytes_come_out_of_another_process(packaged: bytes) -> None:
    script = (
        "import hashlib, sys\n"
        "from tenure.adapters.pdf import document_pdf, factur_x\n"
        "from tests.adapters import document_samples as samples\n"
        "document = samples.invoice()\n"
        "pdf = factur_x(document_pdf(document, None), samples.CII_EXAMPLE.read_bytes(), document)\n"
        "sys.stdout.write(hashlib.sha256(pdf).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}", "PYTHONHASHSEED": "11"}
    digest = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert digest == hashlib.sha256(packaged).hexdigest()


def test_a_credit_note_is_packaged_too(cii: bytes) -> None:
    original = samples.invoice()
    credit = samples.credit_note(original)
    pdf = factur_x(document_pdf(credit, original.issue_date), cii, credit)
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info is not None
    assert info.title == "Rechnungskorrektur KR-2026-000001"
    assert facturx.get_xml_from_pdf(pdf, check_xsd=False)[1] == cii


def test_an_xml_that_is_not_a_factur_x_invoice_is_refused() -> None:
    document = samples.invoice()
    pdf = document_pdf(document, None)
    with pytest.raises(InvalidCiiXml):
        factur_x(pdf, b"<invoice/>", document)
    with pytest.raises(InvalidCiiXml):
        factur_x(pdf, b"<not xml", document)
