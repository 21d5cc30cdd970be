"""Invoices and credit notes: issued documents, previews (drafts) and their lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tenure.domain.charges import Charge
from tenure.domain.invoicing import Document, DocumentDraft, DocumentLine, Party
from tenure.domain.tax import format_rate
from tenure.services.encoding import plain_dict


def charge_dict(c: Charge | DocumentLine) -> dict[str, Any]:
    return plain_dict(
        {
            "kind": c.kind,
            "item": c.item,
            "description": c.description,
            "period_start": c.period.start if c.period else None,
            "period_end": c.period.last_day if c.period else None,
            "quantity": c.quantity,
            "unit_price": c.unit_price,
            "net": c.net,
        }
    )


def party_dict(p: Party) -> dict[str, Any]:
    """A party as the document names it (UStG § 14 Abs. 4 Nr. 1, 2): name, full address,
    country, VAT ID or tax number, and for the buyer the e-mail the document goes to."""
    return plain_dict(
        {
            "name": p.name,
            "address": p.address,
            "country": p.country,
            "vat_id": p.vat_id,
            "tax_number": p.tax_number,
            "email": p.email,
            "buyer_reference": p.buyer_reference,
        }
    )


def _line_dict(x: DocumentLine) -> dict[str, Any]:
    return plain_dict({**charge_dict(x), "vat_rate": format_rate(x.vat_rate)})


def draft_dict(draft: DocumentDraft) -> dict[str, Any]:
    """A document not issued yet (a preview): no number."""
    return plain_dict(
        {
            "object": draft.type,
            "livemode": draft.livemode,
            "issue_date": draft.issue_date,
            "currency": draft.currency,
            "net_total": draft.net_total,
            "vat_total": draft.vat_total,
            "gross_total": draft.gross_total,
            "tax_note": draft.tax_note,
            "lines": [_line_dict(x) for x in draft.lines],
        }
    )


def document_summary(d: Document) -> dict[str, Any]:
    draft = d.draft
    return plain_dict(
        {
            "id": d.number,
            "object": d.type,
            "livemode": d.livemode,
            "number": d.number,
            "contract": draft.contract_id,
            "issue_date": draft.issue_date,
            "refers_to": draft.refers_to,
            "currency": draft.currency,
            "net_total": draft.net_total,
            "vat_total": draft.vat_total,
            "gross_total": draft.gross_total,
        }
    )


def document_dict(d: Document) -> dict[str, Any]:
    draft = d.draft
    return plain_dict(
        {
            **document_summary(d),
            "due_date": draft.due_date,
            "seller": party_dict(draft.seller),
            "buyer": party_dict(draft.buyer),
            "tax_note": draft.tax_note,
            "lines": [_line_dict(x) for x in draft.lines],
        }
    )


def upcoming_invoice_dict(contract_id: str, documents: Sequence[DocumentDraft]) -> dict[str, Any]:
    """The document(s) a contract's next billing day would issue."""
    return plain_dict(
        {
            "object": "upcoming_invoice",
            "contract": contract_id,
            "documents": [draft_dict(d) for d in documents],
        }
    )
