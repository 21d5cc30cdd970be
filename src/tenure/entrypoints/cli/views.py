"""Domain objects as rows for the CLI's tables and JSON."""

from __future__ import annotations

from typing import Any

from tenure.domain.calendar import ONE_DAY
from tenure.domain.contract import Contract
from tenure.domain.customer import Customer
from tenure.domain.invoicing import Document
from tenure.domain.tax import format_rate


def customer_row(c: Customer) -> dict[str, Any]:
    return {
        "id": c.id,
        "type": c.type.value,
        "name": c.name,
        "country": c.country,
        "email": c.email,
        "locale": c.locale,
        "vat_id": c.vat_id,
        "test_clock": c.test_clock,
    }


def contract_row(c: Contract) -> dict[str, Any]:
    return {
        "id": c.id,
        "customer": c.customer.id,
        "plan": c.plan.id,
        "seats": c.seats,
        "start": c.start,
        "status": c.status.value,
        "end_date": c.end_date,
        "next_invoice": c.next_bill_date,
    }


def contract_detail(c: Contract) -> dict[str, Any]:
    change = c.scheduled_change
    term_end = c.terms.term_last_day_on_or_after(max(c.processed_through, c.start))
    return {
        **contract_row(c),
        "customer_name": c.customer.name,
        "term_end": term_end,
        "billed_until": c.plan_covered_until - ONE_DAY if c.plan_covered_until else None,
        "scheduled_change": f"{change.plan.id} × {change.seats} from {change.effective_on}"
        if change
        else None,
        "bookings": [
            {
                "id": b.id,
                "addon": b.addon,
                "quantity": b.quantity,
                "status": b.status.value,
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
                "received_at": x.received_at,
                "received_on": x.received_on,
                "effective_end": x.effective_end,
                "status": x.status.value,
            }
            for x in c.cancellations
        ],
        "pending_items": [
            {"item": p.charge.item, "kind": p.charge.kind.value, "net": p.charge.net}
            for p in c.pending
        ],
    }


def document_row(d: Document) -> dict[str, Any]:
    return {
        "number": d.number,
        "type": d.type.value,
        "issue_date": d.issue_date,
        "contract": d.draft.contract_id,
        "refers_to": d.refers_to,
        "net": d.draft.net_total,
        "vat": d.draft.vat_total,
        "gross": d.draft.gross_total,
        "currency": d.draft.currency,
    }


def document_detail(d: Document) -> dict[str, Any]:
    return {
        **document_row(d),
        "seller": d.draft.seller.name,
        "buyer": d.draft.buyer.name,
        "tax_note": d.draft.tax_note,
        "lines": [
            {
                "kind": x.kind.value,
                "item": x.item,
                "description": x.description,
                "period_start": x.period.start if x.period else None,
                "period_end": x.period.last_day if x.period else None,
                "quantity": x.quantity,
                "unit_price": x.unit_price,
                "net": x.net,
                "vat_rate": format_rate(x.vat_rate),
            }
            for x in d.lines
        ],
    }
