"""Issuing documents: a draft gets the next number of the vendor's gap-free series and is stored
with the contract's change, in the same transaction."""

from __future__ import annotations

from datetime import datetime

from tenure.domain.calendar import start_of_local_day
from tenure.domain.contract import Contract
from tenure.domain.events import DocumentIssued
from tenure.domain.invoicing import Document, DocumentDraft, DocumentType, format_number
from tenure.services.unit_of_work import UnitOfWork


def issue(
    uow: UnitOfWork, vendor_id: str, contract: Contract, draft: DocumentDraft, now: datetime
) -> Document:
    """Number ``draft`` from its series and store it; its event goes to the outbox."""
    vendor = contract.vendor
    prefix = (
        vendor.invoice_prefix if draft.type is DocumentType.INVOICE else vendor.credit_note_prefix
    )
    year = draft.issue_date.year
    document = Document(
        format_number(prefix, year, uow.documents.next_number(vendor_id, prefix, year)), draft
    )
    issued_at = max(now, start_of_local_day(draft.issue_date, vendor.timezone))
    uow.documents.add(vendor_id, document, issued_at)
    uow.outbox.publish(
        vendor_id,
        [
            DocumentIssued(
                contract_id=contract.id,
                occurred_at=issued_at,
                number=document.number,
                document_type=draft.type.value,
                issue_date=draft.issue_date,
                gross_total=str(draft.gross_total),
                refers_to=draft.refers_to,
            )
        ],
    )
    return document
