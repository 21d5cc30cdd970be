"""Contracts, and the replies to a plan change and its preview."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tenure.domain.calendar import ONE_DAY
from tenure.domain.charges import Charge
from tenure.domain.contract import Contract, ScheduledChange
from tenure.domain.invoicing import DocumentDraft
from tenure.entrypoints.presenters.addons import booking_dict
from tenure.entrypoints.presenters.cancellations import cancellation_dict
from tenure.entrypoints.presenters.invoices import charge_dict, draft_dict
from tenure.services.encoding import plain_dict


def contract_summary(c: Contract) -> dict[str, Any]:
    return plain_dict(
        {
            "id": c.id,
            "object": "contract",
            "customer": c.customer.id,
            "plan": c.plan.id,
            "seats": c.seats,
            "start": c.start,
            "status": c.status,
            "end_date": c.end_date,
            "next_invoice_date": c.next_bill_date,
        }
    )


def contract_dict(c: Contract) -> dict[str, Any]:
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


def plan_change_dict(contract: Contract, change: ScheduledChange | None) -> dict[str, Any]:
    """The reply to a plan change: the contract, and when the change takes effect (``"now"``:
    an upgrade; a day: a downgrade at the period end)."""
    return plain_dict(
        {
            "contract": contract_dict(contract),
            "effective_on": change.effective_on if change else "now",
        }
    )


def plan_change_preview_dict(
    change: ScheduledChange | None,
    prorations: Sequence[Charge],
    documents: Sequence[DocumentDraft],
) -> dict[str, Any]:
    """What a plan change would do, and the next invoice with it; nothing changed."""
    return plain_dict(
        {
            "object": "plan_change_preview",
            "effective_on": change.effective_on if change else "now",
            "prorations": [charge_dict(c) for c in prorations],
            "next_invoice": [draft_dict(d) for d in documents],
        }
    )
