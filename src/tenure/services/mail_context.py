"""The values an e-mail template is filled with, taken when the event is handled (right after
the change committed), so a mail tells what was true then, whenever it is sent; and their JSON
form for the e-mail log.

The keys per template are the contract of :mod:`tenure.services.mail`; the values are plain:
str, int, bool, None, Decimal (amounts, in ``currency``), date (local dates) and aware datetime
(instants, shown in ``timezone``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tenure.domain import events as ev
from tenure.domain.catalog import localized
from tenure.domain.contract import Contract
from tenure.domain.customer import Customer
from tenure.domain.invoicing import Document, DocumentType
from tenure.services.unit_of_work import UnitOfWork


def mail_context(
    uow: UnitOfWork, vendor_id: str, event: ev.Event, contract: Contract, customer: Customer
) -> dict[str, Any]:
    """Everything the templates of ``event`` need, for ``customer`` (in its locale)."""
    vendor = contract.vendor
    locale = customer.locale
    # Consumers are shown prices with VAT (PAngV § 3), businesses net prices plus VAT.
    net_amounts = not customer.is_consumer

    def shown(net: Decimal) -> Decimal:
        return contract.shown_price(net, event.occurred_at)

    def name(text: dict[str, str]) -> str:
        return localized(text, locale)

    def plan_name(plan_id: str) -> str:
        plan = contract.catalog.plans.get(plan_id)
        return name(plan.name) if plan else plan_id

    values: dict[str, Any] = {
        "vendor_name": vendor.name,
        "vendor_address": vendor.address,
        "vendor_email": vendor.email,
        "vendor_phone": vendor.phone,
        "customer_name": customer.name,
        "customer_id": customer.id,
        "contract_id": contract.id,
        "plan_name": name(contract.plan.name),
        "currency": vendor.currency,
        "timezone": vendor.timezone,
        "livemode": contract.livemode,
    }
    if isinstance(event, ev.ContractStarted):
        values.update(seats=event.seats, start=event.start, plan_name=plan_name(event.plan))
    elif isinstance(event, ev.AddonBooked | ev.AddonCancelled | ev.AddonWithdrawn):
        booking = contract.bookings[event.booking_id]
        addon = contract.catalog.addons[booking.addon]  # a contract's version keeps its add-ons
        values.update(addon_name=name(addon.name), quantity=booking.quantity)
        if isinstance(event, ev.AddonBooked):  # as booked, whatever happened since
            prorated = Decimal(event.prorated_net) if event.prorated_net else None
            values.update(
                booked_on=event.booked_on,
                unit_price=shown(addon.price),
                prorated_amount=shown(prorated) if prorated is not None else None,
                collected_on=event.collected_on,
                withdrawal_last_day=event.withdrawal_last_day,
                net_amounts=net_amounts,
            )
        elif isinstance(event, ev.AddonCancelled):
            values.update(ends_on=event.ends_on)
        else:
            credits = _credit_notes_of(uow, vendor_id, contract.id, event.withdrawn_on, booking.id)
            if credits:  # invoiced already: credited by a credit note (its gross amount)
                credit = credits[-1]  # the newest
                values.update(
                    credit_note=credit.number, amount=-credit.draft.gross_total, net_amounts=False
                )
            else:  # only pending: the amount disappears from the next Sammelrechnung
                removed = Decimal(event.removed_net) if event.removed_net else None
                values.update(
                    credit_note=None,
                    amount=shown(removed) if removed is not None else None,
                    net_amounts=net_amounts,
                )
            values.update(withdrawn_on=event.withdrawn_on)
    elif isinstance(event, ev.PlanChanged):
        values.update(
            old_plan_name=plan_name(event.old_plan),
            old_seats=event.old_seats,
            new_plan_name=plan_name(event.new_plan),
            new_seats=event.new_seats,
            effective_on=event.effective_on,
        )
    elif isinstance(event, ev.PlanChangeScheduled):
        values.update(
            old_plan_name=plan_name(event.old_plan) if event.old_plan else name(contract.plan.name),
            old_seats=event.old_seats if event.old_seats is not None else contract.seats,
            new_plan_name=plan_name(event.new_plan),
            new_seats=event.new_seats,
            effective_on=event.effective_on,
        )
    elif isinstance(event, ev.CancellationReceived):
        cancellation = next(c for c in contract.cancellations if c.id == event.cancellation_id)
        values.update(
            kind=cancellation.kind.value,
            reason=cancellation.reason,
            requested_end=cancellation.requested_end,
            received_at=cancellation.received_at,
            effective_end=event.effective_end,
            declared_email=cancellation.email,
        )
    elif isinstance(event, ev.CancellationRevoked):
        values.update(revoked_at=event.occurred_at)
    elif isinstance(event, ev.CancellationAccepted):
        values.update(effective_end=event.effective_end)
    elif isinstance(event, ev.CancellationRejected):
        values.update(reason=event.reason)
    elif isinstance(event, ev.ContractEnded):
        values.update(end_date=event.end_date)
    elif isinstance(event, ev.ContractWithdrawn):
        credit_notes = _credit_notes_of(uow, vendor_id, contract.id, event.withdrawn_on)
        values.update(
            received_at=event.occurred_at,
            withdrawn_on=event.withdrawn_on,
            credit_notes=tuple(d.number for d in credit_notes),
            amount=-sum((d.draft.gross_total for d in credit_notes), Decimal(0))
            if credit_notes
            else None,
        )
    elif isinstance(event, ev.DocumentIssued):
        document = uow.documents.get(vendor_id, event.number)
        refers_to = document.refers_to
        values.update(
            number=document.number,
            issue_date=document.issue_date,
            gross_total=document.draft.gross_total,
            due_date=document.draft.due_date,
            refers_to=refers_to,
            refers_to_date=(
                uow.documents.get(vendor_id, refers_to).issue_date if refers_to else None
            ),
            livemode=document.livemode,
        )
    return values


def _credit_notes_of(
    uow: UnitOfWork, vendor_id: str, contract_id: str, on: date, source: str | None = None
) -> list[Document]:
    """The contract's credit notes issued ``on``, in issue order; with ``source``, only those
    that give back what it was charged (none: nothing was invoiced, the pending item went)."""
    return [
        document
        for document in uow.documents.list(vendor_id, contract_id)
        if document.type is DocumentType.CREDIT_NOTE
        and document.issue_date == on
        and (source is None or any(line.source == source for line in document.lines))
    ]


def encode(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` as JSON: a Decimal, date or datetime becomes a one-key object tagging it."""

    def one(value: Any) -> Any:
        if isinstance(value, Decimal):
            return {"$decimal": str(value)}
        if isinstance(value, datetime):
            return {"$datetime": value.isoformat()}
        if isinstance(value, date):
            return {"$date": value.isoformat()}
        return value

    return {key: one(value) for key, value in values.items()}


def decode(data: dict[str, Any]) -> dict[str, Any]:
    """The values :func:`encode` was given."""

    def one(value: Any) -> Any:
        if isinstance(value, dict) and len(value) == 1:
            ((tag, text),) = value.items()
            if tag == "$decimal":
                return Decimal(text)
            if tag == "$datetime":
                return datetime.fromisoformat(text)
            if tag == "$date":
                return date.fromisoformat(text)
        if isinstance(value, list):  # a tuple, as JSON keeps it
            return tuple(value)
        return value

    return {key: one(value) for key, value in data.items()}
