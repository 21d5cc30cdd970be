"""The contract aggregate: one customer's subscription to one plan, its add-on bookings, pending
items and cancellations. Every change goes through a method here that checks the rules, changes
the state and records the events; nothing else mutates a contract.

Time only enters as arguments (an instant ``at`` in UTC, or a local ``day``); the contract never
reads a clock.
"""

from __future__ import annotations

from datetime import date, datetime

from tenure.domain.contract_addons import AddonsMixin
from tenure.domain.contract_billing import BillingMixin
from tenure.domain.contract_cancellation import CancellationMixin, within_horizon
from tenure.domain.contract_plan import PlanAndUsageMixin
from tenure.domain.contract_state import (
    STATUTORY_WITHDRAWAL_DAYS,
    ContractState,
    ContractStatus,
    Entitlements,
    ScheduledChange,
)

__all__ = [
    "STATUTORY_WITHDRAWAL_DAYS",
    "Contract",
    "ContractStatus",
    "Entitlements",
    "ScheduledChange",
]


class Contract(AddonsMixin, PlanAndUsageMixin, CancellationMixin, BillingMixin, ContractState):
    """Aggregate root. Identity is ``id``; ``version`` lets storage detect concurrent writers.

    Behaviour by concern: add-ons (:mod:`contract_addons`), plan, seats and usage
    (:mod:`contract_plan`), cancellation (:mod:`contract_cancellation`), time and billing
    (:mod:`contract_billing`); shared state and helpers in :mod:`contract_state`.
    """

    def entitlements(self, at: datetime) -> Entitlements:
        """What the customer may use at ``at``: plan entitlements plus live add-on bookings."""
        day = self.local_day(at)
        if (
            day < self.start
            or self.status is ContractStatus.ENDED
            or (self.end_date is not None and day > self.end_date)
        ):
            return Entitlements({}, ())
        limits = dict(self.plan.entitlements)
        if self.plan.per_seat:
            limits["seats"] = self.seats
        for booking in self.bookings.values():
            if booking.is_live() and booking.booked_at <= at and booking.active_on(day):
                for key, per_unit in self.catalog.addons[booking.addon].entitlements.items():
                    limits[key] = limits.get(key, 0) + per_unit * booking.quantity
        return Entitlements(limits, self.plan.features)

    def earliest_end(self, at: datetime, requested: date | None = None) -> date:
        """Quote of the end date an ordinary cancellation received at ``at`` would get."""
        received_on = self._open_day(at)
        within_horizon(requested, received_on)
        return self.terms.end_date(received_on, self.schedule, requested)
