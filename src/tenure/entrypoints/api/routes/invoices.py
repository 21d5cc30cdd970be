"""Invoices and credit notes, and the invoice a contract will get next."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Response

from tenure.domain.invoicing import DocumentType
from tenure.entrypoints.api.pagination import Cursor, Limit, Livemode, listing
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.routing import StrictRoute
from tenure.entrypoints.api.security import Authenticated, ServicesDep
from tenure.entrypoints.presenters import document_dict, upcoming_invoice_dict
from tenure.services.repositories.document_files import DocumentFile, FileFormat

BINARY = {"type": "string", "format": "binary"}

router = APIRouter(
    prefix="/v1", responses=PROBLEM_RESPONSES, tags=["invoices"], route_class=StrictRoute
)


@router.get("/contracts/{contract_id}/upcoming-invoice")
def upcoming_invoice(contract_id: str, services: ServicesDep, who: Authenticated) -> dict[str, Any]:
    """The document(s) the next billing day would issue, as things stand (not numbered)."""
    documents = services.billing.preview_next_invoice(who.vendor_id, contract_id)
    return upcoming_invoice_dict(contract_id, documents)


@router.get("/invoices")
def list_invoices(
    services: ServicesDep,
    who: Authenticated,
    contract: str | None = None,
    type: Literal["invoice", "credit_note"] | None = None,
    issued_from: date | None = None,
    issued_to: date | None = None,
    livemode: Livemode = True,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Invoices and credit notes in issue order: live ones, or with ``livemode=false`` the
    sandbox ones (numbered ``TEST-…``)."""
    found = services.queries.documents_page(
        who.vendor_id,
        contract_id=contract,
        type=DocumentType(type) if type else None,
        issued_from=issued_from,
        issued_to=issued_to,
        livemode=livemode,
        after=cursor,
        limit=limit,
    )
    return listing(found, document_dict)


@router.get("/invoices/{number}")
def get_invoice(number: str, services: ServicesDep, who: Authenticated) -> dict[str, Any]:
    return document_dict(services.queries.document(who.vendor_id, number))


def _file_response(file: DocumentFile) -> Response:
    """The stored bytes, as on record, with their SHA-256 as the ETag."""
    return Response(
        file.content,
        media_type=file.format.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{file.filename}"',
            "ETag": f'"{file.sha256}"',
            "X-Content-SHA256": file.sha256,
        },
    )


@router.get(
    "/invoices/{number}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {"schema": BINARY}}}},
)
def invoice_pdf(number: str, services: ServicesDep, who: Authenticated) -> Response:
    """The document as PDF: a Factur-X file (PDF/A-3, profile EN 16931, with the CII XML
    embedded). Rendered once after issue and stored; every download returns the same bytes."""
    return _file_response(services.document_files.file(who.vendor_id, number, FileFormat.PDF))


@router.get(
    "/invoices/{number}/xml",
    response_class=Response,
    responses={200: {"content": {"application/xml": {"schema": BINARY}}}},
)
def invoice_xml(
    number: str,
    services: ServicesDep,
    who: Authenticated,
    syntax: Literal["cii", "ubl"] = "cii",
) -> Response:
    """The document as XRechnung e-invoice (EN 16931) in CII (default) or UBL syntax."""
    format = FileFormat.CII if syntax == "cii" else FileFormat.UBL
    return _file_response(services.document_files.file(who.vendor_id, number, format))
