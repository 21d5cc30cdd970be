"""The contract aggregate: one customer's subscription to one plan, its add-on bookings, pending
items and cancellations. Every change goes through a method here that checks the rules, changes
the state and records the events; nothing else mutates a contract.

Time only enters as arguments (an instant ``at`` in UTC, or a local ``day``); the contract never
reads a clock.
"""

from __future__ import annotations

from datetime import date, datetime

from tenure.domain.calendar import ONE_DAY, start_of_local_day
from tenure.domain.contract_addons import AddonsMixin
from tenure.domain.contract_base import (
    NO_ENTITLEMENTS,
    STATUTORY_WITHDRAWAL_DAYS,
    ContractBase,
    ContractStatus,
    EntitlementGrant,
    Entitlements,
    ScheduledChange,
    combined,
    entitlements_at,
)
from tenure.domain.contract_billing import BillingMixin
from tenure.domain.contract_cancellation import CancellationMixin, within_horizon
from tenure.domain.contract_plan import PlanAndUsageMixin
from tenure.domain.contract_withdrawal import WithdrawalMixin

__all__ = [
    "STATUTORY_WITHDRAWAL_DAYS",
    "Contract",
    "ContractStatus",
    "EntitlementGrant",
    "Entitlements",
    "ScheduledChange",
    "combined",
    "entitlements_at",
]


class Contract(
    AddonsMixin, PlanAndUsageMixin, CancellationMixin, WithdrawalMixin, BillingMixin, ContractBase
):
    """Aggregate root. Identity is ``id``; ``version`` lets storage detect concurrent writers.

    Behaviour by concern: add-ons (:mod:`contract_addons`), plan, seats and usage
    (:mod:`contract_plan`), cancellation (:mod:`contract_cancellation`), time, billing and the
    documents of a billing day (:mod:`contract_billing`); shared state and helpers in
    :mod:`contract_base`.
    """

    def entitlements(self, at: datetime) -> Entitlements:
        """What the customer may use at ``at``: plan entitlements plus live add-on bookings."""
        day = self._local_day(at)
        if day < self.start or self.is_over or (self.end_date is not None and day > self.end_date):
            return NO_ENTITLEMENTS
        limits = dict(self.plan.entitlements)
        if self.plan.per_seat:
            limits["seats"] = self.seats
        for booking in self.bookings.values():
            if booking.is_live() and booking.booked_at <= at and booking.active_on(day):
                for key, per_unit in self.catalog.addons[booking.addon].entitlements.items():
                    limits[key] = limits.get(key, 0) + per_unit * booking.quantity
        return Entitlements(limits, self.plan.features)

    def entitlement_timeline(self) -> tuple[EntitlementGrant, ...]:
        """:meth:`entitlements` for every instant, as the consecutive spans in which it is
        constant (spans granting nothing are left out). It changes only where the local day
        crosses the start, the end date or a booking's first or last day, or at a booking's
        ``booked_at``; each span takes the value at its first instant."""
        if self.is_over:
            return ()
        zone = self.vendor.timezone
        days = {self.start}
        if self.end_date is not None:
            days.add(self.end_date + ONE_DAY)
        instants = set()
        for booking in self.bookings.values():
            if booking.is_live():
                instants.add(booking.booked_at)
                days.add(booking.booked_on)
                if booking.ends_on is not None:
                    days.add(booking.ends_on + ONE_DAY)
        instants |= {start_of_local_day(d, zone) for d in days}
        points = sorted(instants)
        grants: list[EntitlementGrant] = []
        for begin, end in zip(points, [*points[1:], None], strict=True):
            granted = self.entitlements(begin)
            if grants and grants[-1].entitlements == granted and grants[-1].valid_until == begin:
                grants[-1] = EntitlementGrant(grants[-1].valid_from, end, granted)
            elif granted != NO_ENTITLEMENTS:
                grants.append(EntitlementGrant(begin, end, granted))
        return tuple(grants)

    def earliest_end(self, at: datetime, requested: date | None = None) -> date:
        """Quote of the end date an ordinary cancellation received at ``at`` would get."""
        received_on = self._open_day(at)
        within_horizon(requested, received_on)
        return self.terms.end_date(received_on, self.schedule, requested)
