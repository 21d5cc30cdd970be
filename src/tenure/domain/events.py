"""Domain events: facts that happened, in the past tense. Later layers turn them into e-mails,
webhooks and audit entries; the domain only records them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    occurred_at: datetime  # UTC
    #: False for the events of a sandbox customer's contract (set when the contract records it).
    livemode: bool = True

    @property
    def name(self) -> str:
        """Stable dotted name, e.g. ``addon.booked``, used for webhooks and templates."""
        return EVENT_NAMES[type(self)]


@dataclass(frozen=True, slots=True, kw_only=True)
class ContractEvent(Event):
    """Something that happened to a contract."""

    contract_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ContractStarted(ContractEvent):
    plan: str
    seats: int
    start: date


@dataclass(frozen=True, slots=True, kw_only=True)
class AddonBooked(ContractEvent):
    booking_id: str
    addon: str
    quantity: int
    booked_on: date
    withdrawal_last_day: date | None
    #: The prorated net for the rest of the current period, a pending item collected onto the
    #: next invoice (the Sammelrechnung) of ``collected_on``; None when nothing is pending (the
    #: add-on is billed from the next regular invoice on).
    prorated_net: str | None = None
    collected_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AddonCancelled(ContractEvent):
    booking_id: str
    ends_on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class AddonWithdrawn(ContractEvent):
    booking_id: str
    withdrawn_on: date
    #: The net of the booking's pending items that were dropped (not yet invoiced), as a
    #: decimal string; None when nothing was pending (what was invoiced is credited instead).
    removed_net: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AddonEnded(ContractEvent):
    booking_id: str
    ended_on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanChanged(ContractEvent):
    old_plan: str
    old_seats: int
    new_plan: str
    new_seats: int
    effective_on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanChangeScheduled(ContractEvent):
    new_plan: str
    new_seats: int
    effective_on: date
    #: The plan and seats until then (None on events stored before they were recorded).
    old_plan: str | None = None
    old_seats: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduledPlanChangeCancelled(ContractEvent):
    plan: str
    seats: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CancellationReceived(ContractEvent):
    cancellation_id: str
    kind: str
    received_at: datetime
    received_on: date
    effective_end: date | None
    email: str
    #: Why the end differs from the requested one (``EndAdjustment`` code), else None.
    adjusted_reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CancellationRevoked(ContractEvent):
    cancellation_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CancellationAccepted(ContractEvent):
    cancellation_id: str
    effective_end: date
    adjusted_reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CancellationRejected(ContractEvent):
    cancellation_id: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ContractWithdrawn(ContractEvent):
    """The customer withdrew from the whole contract (Widerruf): it ended at once on
    ``withdrawn_on``; what was invoiced under it is credited by credit notes of that day."""

    withdrawn_on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class TermRenewed(ContractEvent):
    term_last_day: date


@dataclass(frozen=True, slots=True, kw_only=True)
class ContractEnded(ContractEvent):
    end_date: date


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentIssued(ContractEvent):
    number: str
    document_type: str
    issue_date: date
    gross_total: str
    refers_to: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookEndpointDisabled(Event):
    """tenure switched off a webhook endpoint whose deliveries kept failing."""

    endpoint_id: str
    url: str
    failing_since: datetime
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerUpdated(Event):
    """A customer's master data changed; documents issued afterwards show the new data, issued
    ones keep theirs."""

    customer_id: str
    changed: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerDeleted(Event):
    """A customer without contracts was deleted."""

    customer_id: str


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
    ContractWithdrawn: "contract.withdrawn",
    DocumentIssued: "document.issued",
    WebhookEndpointDisabled: "webhook_endpoint.disabled",
    CustomerUpdated: "customer.updated",
    CustomerDeleted: "customer.deleted",
}

#: The published event types (webhook subscriptions, ``GET /v1/event_types``, docs/api.md),
#: each with what it tells the vendor.
EVENT_DESCRIPTIONS: dict[str, str] = {
    "contract.started": "A contract began (plan, seats, start date).",
    "addon.booked": "An add-on was booked on a contract.",
    "addon.cancelled": "An add-on booking was cancelled; it ends on `ends_on`.",
    "addon.withdrawn": "The consumer withdrew from an add-on booking (Widerruf).",
    "addon.ended": "An add-on booking ended.",
    "contract.plan_changed": "A contract's plan or seats changed.",
    "contract.plan_change_scheduled": "A plan or seat change was scheduled for a later date.",
    "contract.scheduled_plan_change_cancelled": "A scheduled plan change was called off.",
    "cancellation.received": "A cancellation (notice) was received for a contract.",
    "cancellation.revoked": "A received cancellation was revoked.",
    "cancellation.accepted": "A cancellation was accepted with its effective end.",
    "cancellation.rejected": "A cancellation was rejected, with the reason.",
    "contract.term_renewed": "A contract's term was renewed.",
    "contract.ended": "A contract ended.",
    "contract.withdrawn": (
        "The customer withdrew from the whole contract (Widerruf): it ended at once and what "
        "was invoiced is credited."
    ),
    "document.issued": "An invoice or credit note was issued.",
    "customer.updated": "A customer's master data changed (`changed` lists the fields).",
    "customer.deleted": "A customer without contracts was deleted.",
    "webhook_endpoint.disabled": (
        "A webhook endpoint was disabled after its deliveries kept failing."
    ),
}
