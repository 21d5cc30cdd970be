"""Domain events: facts that happened, in the past tense. Later layers turn them into e-mails,
webhooks and audit entries; the domain only records them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    contract_id: str
    occurred_at: datetime  # UTC
    #: False for the events of a sandbox customer's contract (set when the contract records it).
    livemode: bool = True

    @property
    def name(self) -> str:
        """Stable dotted name, e.g. ``addon.booked``, used for webhooks and templates."""
        return EVENT_NAMES[type(self)]


@dataclass(frozen=True, slots=True, kw_only=True)
class ContractStarted(Event):
    plan: str
    seats: int
    start: date


@dataclass(frozen=True, slots=True, kw_only=True)
class AddonBooked(Event):
    booking_id: str
    addon: str
    quantity: int
    booked_on: date
    withdrawal_last_day: date | None


@dataclass(frozen=True, slots=True, kw_only=True)
class AddonCancelled(Event):
    booking_id: str
    ends_on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class AddonWithdrawn(Event):
    booking_id: str
    withdrawn_on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class AddonEnded(Event):
    booking_id: str
    ended_on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanChanged(Event):
    old_plan: str
    old_seats: int
    new_plan: str
    new_seats: int
    effective_on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanChangeScheduled(Event):
    new_plan: str
    new_seats: int
    effective_on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduledPlanChangeCancelled(Event):
    plan: str
    seats: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CancellationReceived(Event):
    cancellation_id: str
    kind: str
    received_at: datetime
    received_on: date
    effective_end: date | None
    email: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CancellationRevoked(Event):
    cancellation_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CancellationAccepted(Event):
    cancellation_id: str
    effective_end: date


@dataclass(frozen=True, slots=True, kw_only=True)
class CancellationRejected(Event):
    cancellation_id: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TermRenewed(Event):
    term_last_day: date


@dataclass(frozen=True, slots=True, kw_only=True)
class ContractEnded(Event):
    end_date: date


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentIssued(Event):
    number: str
    document_type: str
    issue_date: date
    gross_total: str
    refers_to: str | None


EVENT_NAMES: dict[type[Event], str] = {
    ContractStarted: "contract.started",
    AddonBooked: "addon.booked",
    AddonCancelled: "addon.cancelled",
    AddonWithdrawn: "addon.withdrawn",
    AddonEnded: "addon.ended",
    PlanChanged: "contract.plan_changed",
    PlanChangeScheduled: "contract.plan_change_scheduled",
    ScheduledPlanChangeCancelled: "contract.scheduled_plan_change_cancelled",
    CancellationReceived: "cancellation.received",
    CancellationRevoked: "cancellation.revoked",
    CancellationAccepted: "cancellation.accepted",
    CancellationRejected: "cancellation.rejected",
    TermRenewed: "contract.term_renewed",
    ContractEnded: "contract.ended",
    DocumentIssued: "document.issued",
}
