"""The state of a contract aggregate and the helpers its behaviours share. The behaviours live in
``contract_*.py`` mixins; :class:`tenure.domain.contract.Contract` puts them together."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from tenure.domain import events as ev
from tenure.domain.booking import AddonBooking, BookingStatus
from tenure.domain.calendar import ONE_DAY, BillingSchedule, Period, local_date, start_of_local_day
from tenure.domain.cancellation import Cancellation
from tenure.domain.catalog import Catalog, Grandfathered, Plan, Vendor, localized
from tenure.domain.charges import PLAN_SOURCE, Charge, LineKind, PendingItem
from tenure.domain.customer import Customer
from tenure.domain.errors import (
    ContractEnded,
    ContractNotStarted,
    InvalidQuantity,
    SeatsNotApplicable,
    UnknownBooking,
)
from tenure.domain.notice import ContractTerms
from tenure.domain.proration import prorate, proration_label

#: The statutory withdrawal period for consumers (BGB § 355(2)).
STATUTORY_WITHDRAWAL_DAYS = 14


class ContractStatus(enum.Enum):
    ACTIVE = "active"
    CANCELLATION_PENDING = "cancellation_pending"
    ENDED = "ended"
    #: The customer withdrew from the whole contract (Widerruf): it ended at once (SPEC § 6).
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class ScheduledChange:
    plan: Plan
    seats: int
    effective_on: date


@dataclass(frozen=True, slots=True)
class Entitlements:
    limits: dict[str, int]
    features: tuple[str, ...]


NO_ENTITLEMENTS = Entitlements({}, ())


@dataclass(frozen=True, slots=True)
class EntitlementGrant:
    """What a contract grants from ``valid_from`` (inclusive) until ``valid_until`` (exclusive;
    None: open-ended), both UTC instants. A contract's grants are its entitlements as a timeline
    (:meth:`Contract.entitlement_timeline`): storage keeps them as a read model, so that "what may
    this customer use now" needs no aggregate."""

    valid_from: datetime
    valid_until: datetime | None
    entitlements: Entitlements

    def covers(self, at: datetime) -> bool:
        return self.valid_from <= at and (self.valid_until is None or at < self.valid_until)


def entitlements_at(grants: Sequence[EntitlementGrant], at: datetime) -> Entitlements:
    """The entitlements a timeline grants at instant ``at``."""
    for grant in grants:
        if grant.covers(at):
            return grant.entitlements
    return NO_ENTITLEMENTS


def combined(parts: Iterable[Entitlements]) -> Entitlements:
    """Entitlements of several contracts together: limits add up, features are united (in the
    order first seen)."""
    limits: dict[str, int] = {}
    features: list[str] = []
    for part in parts:
        for name, amount in part.limits.items():
            limits[name] = limits.get(name, 0) + amount
        features += [f for f in part.features if f not in features]
    return Entitlements(limits, tuple(features))


class ContractBase:
    """State of a contract and the helpers its behaviours share (see :class:`Contract`)."""

    def __init__(
        self,
        *,
        id: str,
        catalog: Catalog,
        customer: Customer,
        plan: Plan,
        seats: int,
        start: date,
    ) -> None:
        if seats < 1:
            raise InvalidQuantity("a contract needs at least one seat", seats=seats)
        if not plan.per_seat and seats != 1:
            raise SeatsNotApplicable(f"plan {plan.id!r} is not sold per seat", plan=plan.id)
        self.id = id
        self.catalog = catalog
        self.vendor: Vendor = catalog.vendor
        self.customer = customer
        self.plan = plan
        self.seats = seats
        self.start = start
        self.schedule = BillingSchedule.for_contract(
            start, plan.billing_cycle, plan.billing_alignment
        )
        self.status = ContractStatus.ACTIVE
        self.end_date: date | None = None
        self.plan_covered_until: date | None = None
        self.next_bill_date: date | None = start
        self.processed_through: date = start - ONE_DAY
        self.bookings: dict[str, AddonBooking] = {}
        self.pending: list[PendingItem] = []
        self.cancellations: list[Cancellation] = []
        self.scheduled_change: ScheduledChange | None = None
        self.events: list[ev.Event] = []
        self.version = 0
        self._sequence = 0
        self._record(
            ev.ContractStarted(
                contract_id=id,
                occurred_at=self._instant(start),
                plan=plan.id,
                seats=seats,
                start=start,
            )
        )

    # ----------------------------------------------------------------- helpers

    def _record(self, event: ev.Event) -> None:
        self.events.append(event if self.livemode else replace(event, livemode=False))

    def pull_events(self) -> list[ev.Event]:
        """Hand over the events recorded since the last call (to the outbox)."""
        events, self.events = self.events, []
        return events

    def finish_change(self) -> list[ev.Event]:
        """End a change that is about to be stored: count it in ``version`` (storage stores a
        contract only over the version it loaded, so a concurrent writer is detected) and hand
        over its events (:meth:`pull_events`). Once per stored change."""
        self.version += 1
        return self.pull_events()

    def _next_id(self, prefix: str) -> str:
        self._sequence += 1
        return f"{self.id}_{prefix}{self._sequence}"

    def _instant(self, day: date) -> datetime:
        return start_of_local_day(day, self.vendor.timezone)

    def _local_day(self, at: datetime) -> date:
        return local_date(at, self.vendor.timezone)

    def _text(self, text: dict[str, str]) -> str:
        return localized(text, self.customer.locale)

    @property
    def livemode(self) -> bool:
        """False for a sandbox customer's contract (see :attr:`Customer.livemode`)."""
        return self.customer.livemode

    @property
    def currency(self) -> str:
        return self.vendor.currency

    @property
    def terms(self) -> ContractTerms:
        return ContractTerms(self.start, self.plan.terms, self.customer.is_consumer)

    def _open_day(self, at: datetime) -> date:
        """The local day of ``at``, checked to lie within the running contract."""
        day = self._local_day(at)
        if day < self.start:
            raise ContractNotStarted(f"the contract starts on {self.start}", start=self.start)
        if self.is_over or (self.end_date and day > self.end_date):
            raise ContractEnded(f"the contract ended on {self.end_date}", end_date=self.end_date)
        return day

    def _coverage(self, day: date, covered_until: date | None) -> tuple[Period, Period] | None:
        """The charged stretch ``[day, covered_until)`` and the full period it lies in."""
        if covered_until is None or covered_until <= day:
            return None
        full = self.schedule.full_period_containing(day)
        return Period(day, min(covered_until, full.end)), full

    def _add_pending(self, charge: Charge, day: date) -> None:
        if charge.net != 0:  # a 0.00 proration (a free plan) is not worth a line
            self.pending.append(PendingItem(self._next_id("pi"), charge, day))

    def _charge(
        self,
        kind: LineKind,
        item: str,
        description: str,
        part: Period,
        full: Period,
        quantity: int,
        unit_price: Decimal,
        source: str,
        sign: int = 1,
    ) -> Charge:
        net = prorate(unit_price * quantity, part, full, self.currency)
        if part != full:
            description = f"{description} ({proration_label(part, full)})"
        signed = sign * net if net else abs(net)  # never a "-0.00"
        return Charge(kind, item, description, part, Decimal(quantity), unit_price, signed, source)

    def _plan_charge(
        self, plan: Plan, seats: int, kind: LineKind, part: Period, full: Period, sign: int = 1
    ) -> Charge:
        quantity = seats if plan.per_seat else 1
        return self._charge(
            kind,
            f"plan:{plan.id}",
            self._text(plan.name),
            part,
            full,
            quantity,
            plan.price,
            PLAN_SOURCE,
            sign,
        )

    def _booking_charge(
        self, booking: AddonBooking, kind: LineKind, part: Period, full: Period, sign: int = 1
    ) -> Charge:
        addon = self.catalog.addons[booking.addon]
        return self._charge(
            kind,
            f"addon:{addon.id}",
            self._text(addon.name),
            part,
            full,
            booking.quantity,
            addon.price,
            booking.id,
            sign,
        )

    # ----------------------------------------------------------------- catalog versions

    def _adopt_catalog(self, catalog: Catalog) -> None:
        """Move to a newer catalog version at a period start, unless :meth:`grandfathered_by`
        it: then the contract stays on its version with its plan, add-ons and prices."""
        if self.grandfathered_by(catalog) is not None:
            return
        self.catalog = catalog
        self.vendor = catalog.vendor
        self.plan = catalog.plans[self.plan.id]

    def grandfathered_by(self, catalog: Catalog) -> Grandfathered | None:
        """Why this contract would stay on its version (grandfathered) rather than move to
        ``catalog`` at its next period start; None when it follows. It stays when ``catalog``
        no longer offers its plan or a live add-on (or that plan no longer offers the add-on),
        or changes what a running contract cannot follow: billing cycle or alignment, currency,
        time zone."""
        plan = catalog.plans.get(self.plan.id)
        if plan is None:
            return Grandfathered.PLAN_REMOVED
        live = {b.addon for b in self.bookings.values() if b.is_live()}
        if not live <= set(catalog.addons) & set(plan.addons):
            return Grandfathered.ADDON_REMOVED
        if (plan.billing_cycle, plan.billing_alignment) != (
            self.plan.billing_cycle,
            self.plan.billing_alignment,
        ):
            return Grandfathered.BILLING_CHANGED
        if not self.can_follow(catalog):
            return Grandfathered.CURRENCY_OR_TIMEZONE_CHANGED
        return None

    def can_follow(self, catalog: Catalog) -> bool:
        """Whether ``catalog`` bills in this contract's currency and time zone."""
        old, new = self.vendor, catalog.vendor
        return (new.currency, new.timezone) == (old.currency, old.timezone)

    # ----------------------------------------------------------------- queries

    def booking(self, booking_id: str) -> AddonBooking:
        try:
            return self.bookings[booking_id]
        except KeyError:
            raise UnknownBooking(f"no booking {booking_id!r} on this contract") from None

    def _open_cancellations(self) -> list[Cancellation]:
        """Declarations confirmed or awaiting the vendor's decision, newest first."""
        return [c for c in reversed(self.cancellations) if c.is_open]

    def _open_cancellation(self) -> Cancellation | None:
        """The newest open declaration (the one a revocation withdraws)."""
        return next(iter(self._open_cancellations()), None)

    @property
    def is_over(self) -> bool:
        """Ended, or withdrawn from: nothing more happens to the contract."""
        return self.status in (ContractStatus.ENDED, ContractStatus.WITHDRAWN)

    def _withdrawal_window(self, concluded_on: date) -> date | None:
        """Last day to withdraw from something concluded on ``concluded_on`` (that day not
        counted); None if not offered: consumers always (BGB § 355, at least 14 days),
        businesses where the vendor grants it."""
        days = self.vendor.withdrawal_days
        if self.customer.is_consumer:
            days = max(days, STATUTORY_WITHDRAWAL_DAYS)
        elif not self.vendor.withdrawal_for_business:
            return None
        return concluded_on + timedelta(days=days) if days > 0 else None

    def _end_booking(self, booking: AddonBooking, last_day: date, at: datetime) -> None:
        booking.status = BookingStatus.ENDED
        booking.ends_on = last_day if booking.ends_on is None else min(booking.ends_on, last_day)
        self._record(
            ev.AddonEnded(
                contract_id=self.id, occurred_at=at, booking_id=booking.id, ended_on=booking.ends_on
            )
        )

    def _credit_booking_from(self, booking: AddonBooking, first_free_day: date, day: date) -> None:
        """Credit what ``booking`` was charged for from ``first_free_day`` on (pending item)."""
        coverage = self._coverage(first_free_day, booking.covered_until)
        if coverage is not None:
            part, full = coverage
            self._add_pending(
                self._booking_charge(booking, LineKind.CREDIT, part, full, sign=-1), day
            )
            booking.covered_until = part.start

    def _switch_plan(
        self, plan: Plan, seats: int, day: date, at: datetime, credit_from: date | None
    ) -> None:
        old_plan, old_seats = self.plan, self.seats
        for booking in self.bookings.values():
            if booking.is_live() and booking.addon not in plan.addons:
                if credit_from is not None:
                    self._credit_booking_from(booking, credit_from, day)
                # Booked and dropped on the same day: it was usable that day, nothing is billed.
                self._end_booking(booking, max(day - ONE_DAY, booking.booked_on), at)
        self.plan, self.seats = plan, seats
        self._record(
            ev.PlanChanged(
                contract_id=self.id,
                occurred_at=at,
                old_plan=old_plan.id,
                old_seats=old_seats,
                new_plan=plan.id,
                new_seats=seats,
                effective_on=day,
            )
        )
