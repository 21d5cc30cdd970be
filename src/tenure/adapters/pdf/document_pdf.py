"""The PDF of an invoice or credit note (UStG § 14 Abs. 4), in its buyer's language.

The same document always renders to the same bytes: no clock is read (the PDF's dates are the
issue date, its file identifier comes from the number) and nothing depends on the process
(fonts are subset deterministically). It is a PDF/A-3b file (embedded fonts, an sRGB output
intent, XMP metadata), ready for :func:`tenure.adapters.pdf.facturx.factur_x` to embed the XML.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from html import escape

from fpdf import FPDF_VERSION

from tenure.adapters.pdf.fonts import install_fonts
from tenure.adapters.pdf.layout import LAYOUT_CHARACTERS, DocumentPdf, draw
from tenure.adapters.pdf.view import Metadata, document_view, metadata
from tenure.domain.invoicing import Document

CREATOR = "tenure"
PRODUCER = f"fpdf2 {FPDF_VERSION}"


def document_pdf(document: Document, preceding_issue_date: date | None) -> bytes:
    """``document`` as an A4 PDF/A-3b file.

    ``preceding_issue_date``: for a credit note, the issue date of the invoice it corrects
    (printed as "zu Rechnung RE-… vom 17.04.2026"); ignored for an invoice."""
    view = document_view(document, preceding_issue_date)
    created = issued_at(document)
    pdf = DocumentPdf(view, created)
    pdf.main_family = install_fonts(pdf, view.language, view.characters() | LAYOUT_CHARACTERS)
    about = metadata(document)
    pdf.set_title(about.title)
    pdf.set_subject(about.subject)
    pdf.set_author(about.author)
    pdf.set_creator(CREATOR)
    pdf.set_producer(PRODUCER)
    pdf.set_xmp_metadata(_xmp(about, created))
    draw(pdf)
    return bytes(pdf.output())


def issued_at(document: Document) -> datetime:
    """The moment a document's files carry as their creation date: the start of its issue date
    (UTC), the same every time it is rendered."""
    return datetime.combine(document.issue_date, time(0), tzinfo=UTC)


def _xmp(about: Metadata, created: datetime) -> str:
    """The XMP metadata: PDF/A-3b identification and the same title, author, subject, tools and
    date as the document information dictionary (PDF/A wants the two to agree)."""
    stamp = created.isoformat(timespec="seconds")
    return f"""<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:title><rdf:Alt>
    <rdf:li xml:lang="x-default">{escape(about.title)}</rdf:li>
   </rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{escape(about.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt>
    <rdf:li xml:lang="x-default">{escape(about.subject)}</rdf:li>
   </rdf:Alt></dc:description>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>{PRODUCER}</pdf:Producer>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreatorTool>{CREATOR}</xmp:CreatorTool>
   <xmp:CreateDate>{stamp}</xmp:CreateDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>"""
