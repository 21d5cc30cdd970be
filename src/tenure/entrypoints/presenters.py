"""Domain objects as plain dictionaries, shared by the API's JSON and the CLI's tables, so that
both show the same facts under the same names."""

from __future__ import annotations

from typing import Any

from tenure.domain.calendar import ONE_DAY
from tenure.domain.charges import Charge
from tenure.domain.contract import Contract, Entitlements
from tenure.domain.customer import Customer
from tenure.domain.invoicing import Document, DocumentDraft, DocumentLine
from tenure.domain.tax import format_rate


def customer_dict(c: Customer) -> dict[str, Any]:
    return {
        "id": c.id,
        "object": "customer",
        "type": c.type.value,
        "name": c.name,
        "country": c.country,
        "email": c.email,
        "locale": c.locale,
        "vat_id": c.vat_id,
        "address": c.address,
        "test_clock": c.test_clock,
    }


def entitlements_dict(
    e: Entitlements, features: list[str] | None = None, **owner: str
) -> dict[str, Any]:
    """``owner`` names whose they are (``customer=`` or ``contract=``)."""
    return {
        "object": "entitlements",
        **owner,
        "limits": e.limits,
        "features": features if features is not None else list(e.features),
    }


def contract_summary(c: Contract) -> dict[str, Any]:
    return {
        "id": c.id,
        "object": "contract",
        "customer": c.customer.id,
        "plan": c.plan.id,
        "seats": c.seats,
        "start": c.start,
        "status": c.status.value,
        "end_date": c.end_date,
        "next_invoice_date": c.next_bill_date,
    }


def contract_dict(c: Contract) -> dict[str, Any]:
    change = c.scheduled_change
    return {
        **contract_summary(c),
        "term_end": c.terms.term_last_day_on_or_after(max(c.processed_through, c.start)),
        "billed_until": c.plan_covered_until - ONE_DAY if c.plan_covered_until else None,
        "scheduled_change": {
            "plan": change.plan.id,
            "seats": change.seats,
            "effective_on": change.effective_on,
        }
        if change
        else None,
        "addons": [
            {
                "id": b.id,
                "addon": b.addon,
                "quantity": b.quantity,
                "status": b.status.value,
                "booked_on": b.booked_on,
                "billed_until": b.billed_until,
                "ends_on": b.ends_on,
                "withdrawal_last_day": b.withdrawal_last_day,
            }
            for b in c.bookings.values()
        ],
        "cancellations": [
            {
                "id": x.id,
                "kind": x.kind.value,
                "status": x.status.value,
                "received_at": x.received_at,
                "received_on": x.received_on,
                "requested_end": x.requested_end,
                "effective_end": x.effective_end,
            }
            for x in c.cancellations
        ],
        "pending_items": [
            {"item": p.charge.item, "kind": p.charge.kind.value, "net": str(p.charge.net)}
            for p in c.pending
        ],
    }


def charge_dict(c: Charge | DocumentLine) -> dict[str, Any]:
    return {
        "kind": c.kind.value,
        "item": c.item,
        "description": c.description,
        "period_start": c.period.start if c.period else None,
        "period_end": c.period.last_day if c.period else None,
        "quantity": str(c.quantity),
        "unit_price": str(c.unit_price),
        "net": str(c.net),
    }


def draft_dict(draft: DocumentDraft) -> dict[str, Any]:
    """A document not issued yet (a preview): no number."""
    return {
        "object": draft.type.value,
        "issue_date": draft.issue_date,
        "currency": draft.currency,
        "net_total": str(draft.net_total),
        "vat_total": str(draft.vat_total),
        "gross_total": str(draft.gross_total),
        "tax_note": draft.tax_note,
        "lines": [{**charge_dict(x), "vat_rate": format_rate(x.vat_rate)} for x in draft.lines],
    }


def document_summary(d: Document) -> dict[str, Any]:
    draft = d.draft
    return {
        "id": d.number,
        "object": d.type.value,
        "number": d.number,
        "contract": draft.contract_id,
        "issue_date": draft.issue_date,
        "refers_to": draft.refers_to,
        "currency": draft.currency,
        "net_total": str(draft.net_total),
        "vat_total": str(draft.vat_total),
        "gross_total": str(draft.gross_total),
    }


def document_dict(d: Document) -> dict[str, Any]:
    draft = d.draft
    return {
        **document_summary(d),
        "seller": draft.seller.name,
        "buyer": draft.buyer.name,
        "tax_note": draft.tax_note,
        "lines": [
            {
                "kind": x.kind.value,
                "item": x.item,
                "description": x.description,
                "period_start": x.period.start if x.period else None,
                "period_end": x.period.last_day if x.period else None,
                "quantity": str(x.quantity),
                "unit_price": str(x.unit_price),
                "net": str(x.net),
                "vat_rate": format_rate(x.vat_rate),
            }
            for x in draft.lines
        ],
    }
