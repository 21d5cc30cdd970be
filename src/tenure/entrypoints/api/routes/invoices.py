"""Invoices and credit notes, and the invoice a contract will get next."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter

from tenure.domain.invoicing import DocumentType
from tenure.entrypoints.api.pagination import Cursor, Limit, Livemode, listing
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.routing import StrictRoute
from tenure.entrypoints.api.security import Authenticated, ServicesDep
from tenure.entrypoints.presenters import document_dict, upcoming_invoice_dict

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
