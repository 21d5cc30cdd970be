"""Invoice and credit-note files: the PDF (:func:`document_pdf`) and its Factur-X/ZUGFeRD form,
a PDF/A-3 with the EN 16931 CII XML embedded (:func:`factur_x`)."""

from tenure.adapters.pdf.document_pdf import document_pdf
from tenure.adapters.pdf.facturx import InvalidCiiXml, factur_x
from tenure.adapters.pdf.fonts import FontMissing

__all__ = ["FontMissing", "InvalidCiiXml", "document_pdf", "factur_x"]
