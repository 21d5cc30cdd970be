"""Factur-X / ZUGFeRD: the document's PDF as a PDF/A-3b file with its EN 16931 CII XML embedded.

The factur-x library does the packaging (``generate_from_binary``): it checks the XML against
the Factur-X EN 16931 XSD, embeds it as ``factur-x.xml`` (MIME type text/xml, listed in the
catalog's /AF array with its /AFRelationship), and writes the XMP metadata with the PDF/A
identification (part 3, conformance B) and the Factur-X extension schema (fx:DocumentType
INVOICE, fx:ConformanceLevel EN 16931). What PDF/A-3 also needs comes from
:func:`~tenure.adapters.pdf.document_pdf.document_pdf`: every font embedded, the sRGB output
intent (GTS_PDFA1 with its ICC profile), a trailer /ID, no encryption, no transparency.

The library stamps its metadata with the clock. This module then sets every date (the
information dictionary, the XMP, the embedded file's /ModDate) to the issue date and makes the
information dictionary agree with the XMP (PDF/A wants both to say the same), so the same
document and XML always give the same bytes.
"""

from __future__ import annotations

import io
from typing import cast

import facturx  # type: ignore[import-untyped]
import pypdf
from facturx import facturx as facturx_module
from lxml import etree  # type: ignore[import-untyped]
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject, TextStringObject

from tenure.adapters.pdf.document_pdf import CREATOR, PRODUCER, issued_at
from tenure.adapters.pdf.view import Metadata, metadata
from tenure.domain.invoicing import Document

FLAVOR = "factur-x"
LEVEL = "en16931"
#: How the XML relates to the PDF: "Alternative", the two are equivalent representations of the
#: invoice (the ZUGFeRD 2.x recommendation for the EN 16931 profile in Germany; "Data" is what
#: Factur-X asks for MINIMUM and BASIC WL, whose XML is not a full invoice).
AF_RELATIONSHIP = "alternative"
PACKAGER = f"{PRODUCER}, pypdf {pypdf.__version__}, factur-x {facturx.__version__}"
#: How the library's messages begin when the XML is not XML or not a Factur-X invoice.
XSD_REFUSALS = ("not a valid XML file", "not valid against the official XML Schema")
#: PDF/A-3 is built on PDF 1.7 (ISO 32000-1).
PDF_HEADER = "%PDF-1.7"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


class InvalidCiiXml(ValueError):
    """The XML to embed is not a Factur-X EN 16931 CII invoice (the XSD refuses it)."""

    code = "invalid_cii_xml"


def factur_x(pdf: bytes, cii_xml: bytes, document: Document) -> bytes:
    """``pdf`` (from :func:`document_pdf`) with ``cii_xml`` embedded: the Factur-X file of
    ``document``, profile EN 16931."""
    about = metadata(document)
    try:
        packaged = facturx.generate_from_binary(
            pdf,
            cii_xml,
            flavor=FLAVOR,
            level=LEVEL,
            check_xsd=True,
            pdf_metadata={
                "author": about.author,
                "title": about.title,
                "subject": about.subject,
                "keywords": "",
            },
            lang=about.language,
            afrelationship=AF_RELATIONSHIP,
            # PDF/A readers and validators read the XMP as it is: keep it unfiltered.
            xmp_compression=False,
        )
    except etree.XMLSyntaxError as exc:
        raise InvalidCiiXml(f"the CII XML is not well-formed: {exc}") from exc
    except Exception as exc:  # the library raises a bare Exception when the XSD refuses
        if any(refusal in str(exc) for refusal in XSD_REFUSALS):
            raise InvalidCiiXml(str(exc)) from exc
        raise
    return _settled(bytes(packaged), document, about)


def _settled(packaged: bytes, document: Document, about: Metadata) -> bytes:
    """``packaged`` with its dates set to the issue date and its information dictionary in
    agreement with its XMP metadata."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(packaged)))
    writer.pdf_header = PDF_HEADER
    stamp = issued_at(document)
    pdf_date = stamp.strftime("D:%Y%m%d%H%M%S+00'00'")
    writer.metadata = {
        "/Title": about.title,
        "/Author": about.author,
        "/Subject": about.subject,
        "/Creator": CREATOR,
        "/Producer": PACKAGER,
        "/CreationDate": pdf_date,
        "/ModDate": pdf_date,
    }
    xmp = writer.root_object["/Metadata"].get_object()
    assert isinstance(xmp, StreamObject)
    xmp.set_data(_xmp(about, stamp.isoformat(timespec="seconds")))
    for spec in _embedded_files(writer):
        stream = cast(DictionaryObject, cast(DictionaryObject, spec["/EF"])["/F"].get_object())
        params = cast(DictionaryObject, stream["/Params"])
        params[NameObject("/ModDate")] = TextStringObject(pdf_date)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _embedded_files(writer: pypdf.PdfWriter) -> list[DictionaryObject]:
    names = cast(DictionaryObject, writer.root_object["/Names"])
    files = cast(ArrayObject, cast(DictionaryObject, names["/EmbeddedFiles"])["/Names"])
    return [cast(DictionaryObject, files[i + 1].get_object()) for i in range(0, len(files), 2)]


def _xmp(about: Metadata, timestamp: str) -> bytes:
    """The XMP the library writes (its own generator), with tenure's tools and the issue date,
    and ``rdf:about=""`` on each description as the XMP specification has it."""
    root = facturx_module.generate_xmp_object(
        {
            "pdfa3_flavor": "B",
            "title": about.title,
            "author": about.author,
            "subject": about.subject,
            "producer": PACKAGER,
            "creator_tool": CREATOR,
            "timestamp": timestamp,
            "version": "1.0",
            "documenttype": "INVOICE",
            "xml_filename": facturx_module.FACTURX_FILENAME,
            "xmp_level": facturx_module.FACTURX_LEVEL2xmp[LEVEL],
            "urn": "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
        }
    )
    for description in root.iter(f"{{{RDF}}}Description"):
        description.set(f"{{{RDF}}}about", "")
    body = etree.tostring(root, pretty_print=True, encoding="unicode").strip()
    packet = (
        f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n{body}\n<?xpacket end="w"?>'
    )
    return packet.encode("utf-8")


def embedded_xml(pdf: bytes) -> bytes:
    """The CII XML a Factur-X PDF carries (``factur-x.xml``), as the factur-x library reads it;
    ``InvalidCiiXml`` if there is none."""
    _, xml = facturx.get_xml_from_pdf(io.BytesIO(pdf), check_xsd=False)
    if not xml:
        raise InvalidCiiXml("the PDF carries no Factur-X XML")
    return bytes(xml)
