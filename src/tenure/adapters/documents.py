"""The document renderer: a Factur-X PDF (fpdf2, packed by the factur-x library as PDF/A-3 with
the EN 16931 CII XML embedded) and the XRechnung XMLs in CII and UBL syntax.

The libraries are imported on the first render, so a CLI command that renders nothing does not
pay for them."""

from __future__ import annotations

from datetime import date

from tenure.domain.invoicing import Document
from tenure.services.document_files import RenderedDocument


class FacturXRenderer:
    """Implements :class:`tenure.services.document_files.DocumentRenderer`."""

    def render(self, document: Document, preceding_issue_date: date | None) -> RenderedDocument:
        from tenure.adapters.einvoice.cii import cii_xml
        from tenure.adapters.einvoice.ubl import ubl_xml
        from tenure.adapters.pdf.document_pdf import document_pdf
        from tenure.adapters.pdf.facturx import factur_x

        embedded = cii_xml(document, preceding_issue_date, profile="factur-x")
        pdf = factur_x(document_pdf(document, preceding_issue_date), embedded, document)
        return RenderedDocument(
            pdf=pdf,
            cii=cii_xml(document, preceding_issue_date, profile="xrechnung"),
            ubl=ubl_xml(document, preceding_issue_date),
        )
