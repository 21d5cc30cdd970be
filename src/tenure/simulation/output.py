"""The JSON shape of a simulation's outcome (``shared/scenarios/README.md``, "Output")."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tenure.domain.invoicing import Document, DocumentLine
from tenure.domain.tax import format_rate

if TYPE_CHECKING:
    from tenure.simulation.runner import Outcome


def instant(value: datetime) -> str:
    """UTC, written ``2026-03-31T21:30:00Z``."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def number(value: Decimal) -> str:
    """A quantity without trailing zeros: ``2``, ``120``, ``1.5``."""
    return format(value.normalize(), "f")


def render(outcome: Outcome) -> dict[str, Any]:
    c = outcome.contract
    return {
        "contract": {
            "id": c.id,
            "status": c.status.value,
            "end_date": day(c.end_date),
            "plan": c.plan.id,
            "seats": c.seats,
            "start": day(c.start),
            "scheduled_change": (
                {
                    "plan": c.scheduled_change.plan.id,
                    "seats": c.scheduled_change.seats,
                    "effective_on": day(c.scheduled_change.effective_on),
                }
                if c.scheduled_change
                else None
            ),
        },
        "cancellations": [
            {
                "kind": x.kind.value,
                "received_at": instant(x.received_at),
                "received_on": day(x.received_on),
                "requested_end": day(x.requested_end),
                "effective_end": day(x.effective_end),
                "status": x.status.value,
                "reason": x.reason,
                "decision_reason": x.decision_reason,
            }
            for x in c.cancellations
        ],
        "addons": [
            {
                "ref": outcome.booking_names.get(b.id, b.id),
                "addon": b.addon,
                "quantity": b.quantity,
                "status": b.status.value,
                "booked_on": day(b.booked_on),
                "billed_until": day(b.billed_until),
                "ends_on": day(b.ends_on),
                "withdrawal_last_day": day(b.withdrawal_last_day),
            }
            for b in c.bookings.values()
        ],
        "invoices": [_document(d) for d in outcome.documents],
        "rejected": [
            {
                "at": instant(r.at),
                "step": r.step,
                "step_index": r.index,
                "code": r.code,
                "message": r.message,
            }
            for r in outcome.rejected
        ],
        "emails": [
            {"at": instant(e.at), "to": e.to, "template": e.template} for e in outcome.emails
        ],
    }


def _document(d: Document) -> dict[str, Any]:
    draft = d.draft
    return {
        "number": d.number,
        "type": d.type.value,
        "issue_date": day(draft.issue_date),
        "refers_to": draft.refers_to,
        "currency": draft.currency,
        "lines": [_line(line) for line in draft.lines],
        "taxes": [
            {
                "rate": format_rate(t.rate),
                "category": t.category.value,
                "net": str(t.net),
                "vat": str(t.vat),
            }
            for t in draft.tax_subtotals
        ],
        "net_total": str(draft.net_total),
        "vat_total": str(draft.vat_total),
        "gross_total": str(draft.gross_total),
        "tax_note": draft.tax_note,
    }


def _line(line: DocumentLine) -> dict[str, Any]:
    return {
        "kind": line.kind.value,
        "item": line.item,
        "description": line.description,
        "period_start": day(line.period.start) if line.period else None,
        "period_end": day(line.period.last_day) if line.period else None,
        "quantity": number(line.quantity),
        "unit_price": str(line.unit_price),
        "net": str(line.net),
        "vat_rate": format_rate(line.vat_rate),
    }
