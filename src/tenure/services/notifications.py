"""Which e-mails the vendor sends for which events. The outbox holds the events; this policy turns
each into zero or more e-mails (a mail adapter delivers them; ``tenure simulate`` lists them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tenure.domain import events as ev
from tenure.domain.customer import Customer

TEMPLATES: dict[type[ev.Event], str] = {
    ev.ContractStarted: "contract_confirmation",
    ev.AddonBooked: "addon_booking_confirmation",
    ev.AddonCancelled: "addon_cancellation_confirmation",
    ev.AddonWithdrawn: "withdrawal_confirmation",
    ev.PlanChanged: "plan_change_confirmation",
    ev.PlanChangeScheduled: "plan_change_scheduled",
    ev.CancellationReceived: "cancellation_confirmation",
    ev.CancellationRevoked: "cancellation_revoked",
    ev.CancellationAccepted: "cancellation_accepted",
    ev.CancellationRejected: "cancellation_rejected",
    ev.ContractEnded: "contract_ended",
    ev.ContractWithdrawn: "contract_withdrawal_confirmation",
}


@dataclass(frozen=True, slots=True)
class Email:
    at: datetime
    to: str
    template: str
    event: ev.Event


def emails_for(event: ev.Event, customer: Customer) -> list[Email]:
    """The e-mails for one event, sent at the instant it happened.

    A cancellation is confirmed at once (BGB § 312k(4)) to the address given in the declaration,
    and the registered contract address is always told too.
    """
    if isinstance(event, ev.DocumentIssued):
        template = "invoice_issued" if event.document_type == "invoice" else "credit_note_issued"
        return [Email(event.occurred_at, customer.email, template, event)]
    named = TEMPLATES.get(type(event))
    if named is None:
        return []
    recipients = [customer.email]
    if isinstance(event, ev.CancellationReceived) and event.email != customer.email:
        recipients.insert(0, event.email)
    return [Email(event.occurred_at, to, named, event) for to in recipients]
