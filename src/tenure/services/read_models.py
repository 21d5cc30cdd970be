"""The read side's stored shapes: a contract as it is displayed (the API's contract object, the
CLI's detail), computed from the aggregate when a contract is saved and stored beside it, so that
reads present contracts without loading aggregates (decision 0010; the pattern of the
entitlement timeline, decision 0009)."""

from __future__ import annotations

from typing import Any

from tenure.domain.booking import AddonBooking
from tenure.domain.calendar import ONE_DAY
from tenure.domain.cancellation import Cancellation
from tenure.domain.contract import Contract
from tenure.services.encoding import plain_dict


def booking_dict(b: AddonBooking) -> dict[str, Any]:
    """A booking as a contract lists it."""
    return plain_dict(
        {
            "id": b.id,
            "addon": b.addon,
            "quantity": b.quantity,
            "status": b.status,
            "booked_on": b.booked_on,
            "billed_until": b.billed_until,
            "ends_on": b.ends_on,
            "withdrawal_last_day": b.withdrawal_last_day,
        }
    )


def cancellation_dict(x: Cancellation) -> dict[str, Any]:
    """A cancellation as a contract lists it."""
    return plain_dict(
        {
            "id": x.id,
            "kind": x.kind,
            "status": x.status,
            "received_at": x.received_at,
            "received_on": x.received_on,
            "requested_end": x.requested_end,
            "effective_end": x.effective_end,
            "adjusted_reason": x.adjusted_reason,
        }
    )


def contract_summary(c: Contract) -> dict[str, Any]:
    return plain_dict(
        {
            "id": c.id,
            "object": "contract",
            "livemode": c.livemode,
            "customer": c.customer.id,
            "plan": c.plan.id,
            "seats": c.seats,
            "start": c.start,
            "status": c.status,
            "end_date": c.end_date,
            "next_invoice_date": c.next_bill_date,
        }
    )


def contract_view(c: Contract) -> dict[str, Any]:
    """A contract as it is displayed: its summary, term, coverage, scheduled change, add-ons,
    cancellations and pending items. A function of the stored state alone (no clock)."""
    change = c.scheduled_change
    return plain_dict(
        {
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
            "addons": [booking_dict(b) for b in c.bookings.values()],
            "cancellations": [cancellation_dict(x) for x in c.cancellations],
            "pending_items": [
                {"item": p.charge.item, "kind": p.charge.kind, "net": p.charge.net}
                for p in c.pending
            ],
        }
    )
