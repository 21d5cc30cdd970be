"""Issuing documents: the contract issues a draft under the next number of the vendor's
gap-free series, which storage hands out inside the same transaction as the contract's change."""

from __future__ import annotations

from datetime import datetime

from tenure.domain.contract import Contract
from tenure.domain.invoicing import Document, DocumentDraft
from tenure.services.unit_of_work import UnitOfWork


def issue(
    uow: UnitOfWork, vendor_id: str, contract: Contract, draft: DocumentDraft, now: datetime
) -> Document:
    """Number ``draft`` from its series and store it; the contract records its event."""
    series = contract.number_series(draft)
    number = series.number(uow.documents.next_number(vendor_id, series.prefix, series.year))
    document, issued_at = contract.issue(draft, number, now)
    uow.documents.add(vendor_id, document, issued_at)
    return document
