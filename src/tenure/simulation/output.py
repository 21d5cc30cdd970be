"""The JSON shape of a simulation's outcome (``shared/scenarios/README.md``, "Output"): the
values are encoded by :mod:`tenure.services.encoding`, instants in whole UTC seconds."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tenure.domain.invoicing import Document, DocumentLine
from tenure.domain.tax import format_rate
from tenure.services import encoding

if TYPE_CHECKING:
    from tenure.simulation.runner import Outcome


def instant(value: datetime) -> str:
    """UTC in whole seconds, written ``2026-03-31T21:30:00Z``."""
    return encoding.instant(value.astimezone(UTC).replace(microsecond=0))


def number(value: Decimal) -> str:
    """A quantity without trailing zeros: ``2``, ``120``, ``1.5``."""
    return format(value.normalize(), "f")


def render(outcome: Outcome) -> dict[str, Any]:
    return encoding.plain_dict(_outcome(outcome), instants=instant)


def _outcome(outcome: Outcome) -> dict[str, Any]:
    c = outcome.contract
    return {
        "contract": {
            "id": c.id,
            "status": c.status,
            "end_date": c.end_date,
            "plan": c.plan.id,
            "seats": c.seats,
            "start": c.start,
            "scheduled_change": (
                {
                    "plan": c.scheduled_change.plan.id,
                    "seats": c.scheduled_change.seats,
                    "effective_on": c.scheduled_change.effective_on,
                }
                if c.scheduled_change
                else None
            ),
        },
        "cancellations": [
            {
                "kind": x.kind,
                "received_at": x.received_at,
                "received_on": x.received_on,
                "requested_end": x.requested_end,
                "effective_end": x.effective_end,
                "adjusted_reason": x.adjusted_reason,
                "status": x.status,
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
                "status": b.status,
                "booked_on": b.booked_on,
                "billed_until": b.billed_until,
                "ends_on": b.ends_on,
                "withdrawal_last_day": b.withdrawal_last_day,
            }
            for b in c.bookings.values()
        ],
        "invoices": [_document(d) for d in outcome.documents],
        "rejected": [
            {
                "at": r.at,
                "step": r.step,
                "step_index": r.index,
                "code": r.code,
                "message": r.message,
            }
            for r in outcome.rejected
        ],
        "emails": [{"at": e.at, "to": e.to, "template": e.template} for e in outcome.emails],
    }


def _document(d: Document) -> dict[str, Any]:
    draft = d.draft
    return {
        "number": d.number,
        "type": d.type,
        "issue_date": draft.issue_date,
        "refers_to": draft.refers_to,
        "currency": draft.currency,
        "lines": [_line(line) for line in draft.lines],
        "taxes": [
            {
                "rate": format_rate(t.rate),
                "category": t.category,
                "net": t.net,
                "vat": t.vat,
            }
            for t in draft.tax_subtotals
        ],
        "net_total": draft.net_total,
        "vat_total": draft.vat_total,
        "gross_total": draft.gross_total,
        "tax_note": draft.tax_note,
    }


def _line(line: DocumentLine) -> dict[str, Any]:
    return {
        "kind": line.kind,
        "item": line.item,
        "description": line.description,
        "period_start": line.period.start if line.period else None,
        "period_end": line.period.last_day if line.period else None,
        "quantity": number(line.quantity),
        "unit_price": line.unit_price,
        "net": line.net,
        "vat_rate": format_rate(line.vat_rate),
    }
