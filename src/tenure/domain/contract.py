"""The contract aggregate: one customer's subscription to one plan, its add-on bookings, pending
items and cancellations. Every change goes through a method here that checks the rules, changes
the state and records the events; nothing else mutates a contract.

Time only enters as arguments (an instant ``at`` in UTC, or a local ``day``); the contract never
reads a clock.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from tenure.domain import events as ev
from tenure.domain.booking import AddonBooking, BookingStatus
from tenure.domain.calendar import ONE_DAY, BillingSchedule, Period, local_date, start_of_local_day
from tenure.domain.cancellation import Cancellation, CancellationKind, CancellationStatus
from tenure.domain.catalog import Addon, Catalog, Plan, Vendor, localized
from tenure.domain.charges import PLAN_SOURCE, Charge, LineKind, PendingItem
from tenure.domain.customer import Customer
from tenure.domain.errors import (
    AddonAlreadyCancelled,
    AddonNotActive,
    AddonNotInPlan,
    BillingCycleChangeNotSupported,
    CancellationAlreadyPending,
    CancellationNotPendingReview,
    CancellationNotRevocable,
    ContractEnded,
    ContractNotStarted,
    InvalidDate,
    InvalidQuantity,
    MetricNotInPlan,
    NoPendingCancellation,
    PlanUnchanged,
    ReasonRequired,
    SeatsNotApplicable,
    UnknownBooking,
    WithdrawalNotAvailable,
    WithdrawalPeriodExpired,
)
from tenure.domain.invoicing import Document, DocumentDraft, credit_notes_for
from tenure.domain.notice import ContractTerms
from tenure.domain.proration import prorate, proration_label
from tenure.domain.usage import UsageRecord, usage_charges

#: The statutory withdrawal period for consumers (BGB § 355(2)).
STATUTORY_WITHDRAWAL_DAYS = 14


class ContractStatus(enum.Enum):
    ACTIVE = "active"
    CANCELLATION_PENDING = "cancellation_pending"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class ScheduledChange:
    plan: Plan
    seats: int
    effective_on: date


@dataclass(frozen=True, slots=True)
class Entitlements:
    limits: dict[str, int]
    features: tuple[str, ...]


class Contract:
    """Aggregate root. Identity is ``id``; ``version`` lets storage detect concurrent writers."""

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
        self.events.append(event)

    def pull_events(self) -> list[ev.Event]:
        """Hand over the events recorded since the last call (to the outbox)."""
        events, self.events = self.events, []
        return events

    def _next_id(self, prefix: str) -> str:
        self._sequence += 1
        return f"{self.id}_{prefix}{self._sequence}"

    def _instant(self, day: date) -> datetime:
        return start_of_local_day(day, self.vendor.timezone)

    def local_day(self, at: datetime) -> date:
        return local_date(at, self.vendor.timezone)

    def _text(self, text: dict[str, str]) -> str:
        return localized(text, self.customer.locale)

    @property
    def currency(self) -> str:
        return self.vendor.currency

    @property
    def terms(self) -> ContractTerms:
        return ContractTerms(self.start, self.plan.terms, self.customer.is_consumer)

    def _open_day(self, at: datetime) -> date:
        """The local day of ``at``, checked to lie within the running contract."""
        day = self.local_day(at)
        if day < self.start:
            raise ContractNotStarted(f"the contract starts on {self.start}", start=self.start)
        if self.status is ContractStatus.ENDED or (self.end_date and day > self.end_date):
            raise ContractEnded(f"the contract ended on {self.end_date}", end_date=self.end_date)
        return day

    def _coverage(self, day: date, covered_until: date | None) -> tuple[Period, Period] | None:
        """The charged stretch ``[day, covered_until)`` and the full period it lies in."""
        if covered_until is None or covered_until <= day:
            return None
        full = self.schedule.full_period_containing(day)
        return Period(day, min(covered_until, full.end)), full

    def _add_pending(self, charge: Charge, day: date) -> None:
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
        return Charge(
            kind, item, description, part, Decimal(quantity), unit_price, sign * net, source
        )

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

    # ----------------------------------------------------------------- queries

    def booking(self, booking_id: str) -> AddonBooking:
        try:
            return self.bookings[booking_id]
        except KeyError:
            raise UnknownBooking(f"no booking {booking_id!r} on this contract") from None

    def open_cancellations(self) -> list[Cancellation]:
        """Declarations confirmed or awaiting the vendor's decision, newest first."""
        return [c for c in reversed(self.cancellations) if c.is_open]

    def open_cancellation(self) -> Cancellation | None:
        """The newest open declaration (the one a revocation withdraws)."""
        return next(iter(self.open_cancellations()), None)

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
        return self.terms.end_date(received_on, self.schedule, requested)

    def withdrawal_window(self, booked_on: date) -> date | None:
        """Last day to withdraw from something concluded on ``booked_on``; None if not offered."""
        days = self.vendor.withdrawal_days
        if self.customer.is_consumer:
            days = max(days, STATUTORY_WITHDRAWAL_DAYS)
        elif not self.vendor.withdrawal_for_business:
            return None
        return booked_on + timedelta(days=days) if days > 0 else None

    # ----------------------------------------------------------------- add-ons

    def book_addon(self, addon: Addon, quantity: int, at: datetime) -> AddonBooking:
        """Book ``quantity`` units of ``addon``: usable at once, prorated charge pending."""
        day = self._open_day(at)
        if addon.id not in self.plan.addons:
            raise AddonNotInPlan(
                f"add-on {addon.id!r} is not offered with plan {self.plan.id!r}",
                addon=addon.id,
                plan=self.plan.id,
            )
        if quantity < 1:
            raise InvalidQuantity("quantity must be at least 1", quantity=quantity)
        booking = AddonBooking(
            id=self._next_id("bk"),
            addon=addon.id,
            quantity=quantity,
            booked_at=at,
            booked_on=day,
            withdrawal_last_day=self.withdrawal_window(day),
        )
        self.bookings[booking.id] = booking
        coverage = self._coverage(day, self.plan_covered_until)
        if coverage is not None:
            part, full = coverage
            self._add_pending(self._booking_charge(booking, LineKind.PRORATION, part, full), day)
            booking.covered_until = part.end
        self._record(
            ev.AddonBooked(
                contract_id=self.id,
                occurred_at=at,
                booking_id=booking.id,
                addon=addon.id,
                quantity=quantity,
                booked_on=day,
                withdrawal_last_day=booking.withdrawal_last_day,
            )
        )
        return booking

    def cancel_addon(self, booking_id: str, at: datetime) -> AddonBooking:
        """Ordinary cancellation: the booking runs to the end of its paid period, no refund."""
        day = self._open_day(at)
        booking = self.booking(booking_id)
        if booking.status is BookingStatus.CANCELLATION_PENDING:
            raise AddonAlreadyCancelled(
                f"booking {booking_id!r} is already cancelled to {booking.ends_on}",
                ends_on=booking.ends_on,
            )
        if booking.status is not BookingStatus.ACTIVE:
            raise AddonNotActive(
                f"booking {booking_id!r} is {booking.status.value}", status=booking.status.value
            )
        ends_on = booking.billed_until or day
        if self.end_date is not None:
            ends_on = min(ends_on, self.end_date)
        booking.status = BookingStatus.CANCELLATION_PENDING
        booking.ends_on = ends_on
        self._record(
            ev.AddonCancelled(
                contract_id=self.id, occurred_at=at, booking_id=booking.id, ends_on=ends_on
            )
        )
        return booking

    def withdraw_addon(
        self, booking_id: str, at: datetime, issued: Iterable[Document]
    ) -> list[DocumentDraft]:
        """Withdrawal (Widerruf, BGB § 355) inside the window: the booking ends at once, its
        pending items are dropped and what was invoiced is credited. Returns credit note drafts."""
        booking = self.booking(booking_id)
        day = self.local_day(at)
        if not booking.is_live():
            raise AddonNotActive(
                f"booking {booking_id!r} is {booking.status.value}", status=booking.status.value
            )
        if booking.withdrawal_last_day is None:
            raise WithdrawalNotAvailable(
                "withdrawal is not offered for this booking", booking=booking_id
            )
        if day > booking.withdrawal_last_day:
            raise WithdrawalPeriodExpired(
                f"the withdrawal period ended on {booking.withdrawal_last_day}",
                booking=booking_id,
                last_day=booking.withdrawal_last_day,
            )
        self.pending = [p for p in self.pending if p.charge.source != booking.id]
        booking.status = BookingStatus.WITHDRAWN
        booking.ends_on = day
        self._record(
            ev.AddonWithdrawn(
                contract_id=self.id, occurred_at=at, booking_id=booking.id, withdrawn_on=day
            )
        )
        return credit_notes_for(booking.id, issued, day)

    def _end_booking(self, booking: AddonBooking, last_day: date, at: datetime) -> None:
        booking.status = BookingStatus.ENDED
        booking.ends_on = last_day if booking.ends_on is None else min(booking.ends_on, last_day)
        self._record(
            ev.AddonEnded(
                contract_id=self.id, occurred_at=at, booking_id=booking.id, ended_on=booking.ends_on
            )
        )

    # ----------------------------------------------------------------- plan and seats

    def change_plan(self, plan: Plan, seats: int | None, at: datetime) -> ScheduledChange | None:
        """Upgrade (new recurring price >= old) at once with prorations; downgrade at the next
        period start without. Returns the scheduled change for a downgrade, else None."""
        day = self._open_day(at)
        if plan.billing_cycle is not self.plan.billing_cycle:
            raise BillingCycleChangeNotSupported(
                f"plan {plan.id!r} is billed {plan.billing_cycle.value}, this contract "
                f"{self.plan.billing_cycle.value}",
                plan=plan.id,
            )
        if seats is None:
            seats = self.seats if plan.per_seat and self.plan.per_seat else 1
        if seats < 1:
            raise InvalidQuantity("a contract needs at least one seat", seats=seats)
        if not plan.per_seat and seats != 1:
            raise SeatsNotApplicable(f"plan {plan.id!r} is not sold per seat", plan=plan.id)
        if plan.id == self.plan.id and seats == self.seats:
            if self.scheduled_change is None:
                raise PlanUnchanged(
                    f"the contract already has plan {plan.id!r} with {seats} seat(s)"
                )
            change = self.scheduled_change
            self.scheduled_change = None
            self._record(
                ev.ScheduledPlanChangeCancelled(
                    contract_id=self.id, occurred_at=at, plan=change.plan.id, seats=change.seats
                )
            )
            return None
        if plan.monthly_equivalent(seats) < self.plan.monthly_equivalent(self.seats):
            effective = self.plan_covered_until or self.schedule.period_containing(day).end
            self.scheduled_change = ScheduledChange(plan, seats, effective)
            self._record(
                ev.PlanChangeScheduled(
                    contract_id=self.id,
                    occurred_at=at,
                    new_plan=plan.id,
                    new_seats=seats,
                    effective_on=effective,
                )
            )
            return self.scheduled_change
        self.scheduled_change = None
        coverage = self._coverage(day, self.plan_covered_until)
        if coverage is not None:
            part, full = coverage
            self._add_pending(
                self._plan_charge(self.plan, self.seats, LineKind.CREDIT, part, full, sign=-1),
                day,
            )
            self._add_pending(self._plan_charge(plan, seats, LineKind.PRORATION, part, full), day)
        self._switch_plan(plan, seats, day, at, credit_from=day)
        return None

    def _switch_plan(
        self, plan: Plan, seats: int, day: date, at: datetime, credit_from: date | None
    ) -> None:
        old_plan, old_seats = self.plan, self.seats
        for booking in self.bookings.values():
            if booking.is_live() and booking.addon not in plan.addons:
                if credit_from is not None:
                    coverage = self._coverage(credit_from, booking.covered_until)
                    if coverage is not None:
                        part, full = coverage
                        self._add_pending(
                            self._booking_charge(booking, LineKind.CREDIT, part, full, sign=-1),
                            day,
                        )
                        booking.covered_until = part.start
                self._end_booking(booking, day - ONE_DAY, at)
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

    # ----------------------------------------------------------------- usage

    def record_usage(self, key: str, metric: str, quantity: Decimal, at: datetime) -> UsageRecord:
        day = self._open_day(at)
        if metric not in self.plan.usage:
            raise MetricNotInPlan(
                f"metric {metric!r} is not billed by plan {self.plan.id!r}",
                metric=metric,
                plan=self.plan.id,
            )
        if quantity <= 0:
            raise InvalidQuantity("usage quantity must be positive", quantity=str(quantity))
        record = UsageRecord(key, self.id, metric, quantity, at, day, self.plan.usage[metric])
        self._record(
            ev.UsageRecorded(
                contract_id=self.id,
                occurred_at=at,
                metric=metric,
                quantity=str(quantity),
                idempotency_key=key,
            )
        )
        return record

    # ----------------------------------------------------------------- cancellation

    def cancel(
        self,
        *,
        kind: CancellationKind,
        at: datetime,
        email: str | None = None,
        requested_end: date | None = None,
        reason: str | None = None,
    ) -> Cancellation:
        """Receive a cancellation declaration. Ordinary: confirmed at once with the earliest
        allowed end date (or the requested later one). Extraordinary: waits for the vendor."""
        day = self._open_day(at)
        # One open declaration of each kind: an ordinary notice does not block a termination for
        # cause (BGB § 314), and an ordinary notice may be given while one for cause is reviewed.
        open_one = next((c for c in self.open_cancellations() if c.kind is kind), None)
        if open_one is not None:
            raise CancellationAlreadyPending(
                f"a cancellation received on {open_one.received_on} is already "
                f"{open_one.status.value}",
                cancellation=open_one.id,
            )
        if kind is CancellationKind.EXTRAORDINARY and not (reason and reason.strip()):
            raise ReasonRequired("an extraordinary termination needs a reason")
        cancellation = Cancellation(
            id=self._next_id("cn"),
            kind=kind,
            received_at=at,
            received_on=day,
            requested_end=requested_end,
            effective_end=None,
            status=CancellationStatus.PENDING_REVIEW,
            email=email or self.customer.email,
            reason=reason,
        )
        if kind is CancellationKind.ORDINARY:
            cancellation.effective_end = self.terms.end_date(day, self.schedule, requested_end)
            cancellation.status = CancellationStatus.CONFIRMED
        self.cancellations.append(cancellation)
        self._refresh_end(day)
        self._record(
            ev.CancellationReceived(
                contract_id=self.id,
                occurred_at=at,
                cancellation_id=cancellation.id,
                kind=kind.value,
                received_at=at,
                received_on=day,
                effective_end=cancellation.effective_end,
                email=cancellation.email,
            )
        )
        return cancellation

    def _refresh_end(self, day: date) -> None:
        """Derive the end date from the confirmed declarations (the earliest wins). When the end
        moves later or goes away, the days of the current period that were billed only up to the
        old end are charged as pending items, so that no day goes unbilled."""
        ends = [
            c.effective_end
            for c in self.cancellations
            if c.status is CancellationStatus.CONFIRMED and c.effective_end is not None
        ]
        old_end = self.end_date
        self.end_date = min(ends) if ends else None
        self.status = (
            ContractStatus.CANCELLATION_PENDING if self.end_date else ContractStatus.ACTIVE
        )
        if old_end is not None and (self.end_date is None or self.end_date > old_end):
            self._charge_coverage_gap(day)

    def accept_cancellation(self, at: datetime, end_date: date | None = None) -> Cancellation:
        """The vendor accepts an extraordinary termination: it ends on the requested (or given)
        date, or at once (today) when that date is absent or already past."""
        day = self._open_day(at)
        cancellation = self._pending_review()
        end = end_date or cancellation.requested_end or day
        if end < day:
            if end_date is not None:
                raise InvalidDate(f"the end date {end} is in the past", end_date=end)
            end = day
        cancellation.status = CancellationStatus.CONFIRMED
        cancellation.effective_end = end
        self._refresh_end(day)
        self._record(
            ev.CancellationAccepted(
                contract_id=self.id,
                occurred_at=at,
                cancellation_id=cancellation.id,
                effective_end=end,
            )
        )
        return cancellation

    def reject_cancellation(self, at: datetime, reason: str) -> Cancellation:
        self._open_day(at)
        if not reason.strip():
            raise ReasonRequired("a rejection must tell the customer why")
        cancellation = self._pending_review()
        cancellation.status = CancellationStatus.REJECTED
        cancellation.decision_reason = reason
        self._record(
            ev.CancellationRejected(
                contract_id=self.id, occurred_at=at, cancellation_id=cancellation.id, reason=reason
            )
        )
        return cancellation

    def _pending_review(self) -> Cancellation:
        cancellation = next(
            (c for c in self.open_cancellations() if c.status is CancellationStatus.PENDING_REVIEW),
            None,
        )
        if cancellation is None:
            raise CancellationNotPendingReview("no extraordinary termination awaits a decision")
        return cancellation

    def revoke_cancellation(self, at: datetime) -> Cancellation:
        """Withdraw the cancellation while the end date is still ahead (the contract still runs on
        its last day). The contract is active again; a later notice starts over."""
        day = self.local_day(at)
        cancellation = self.open_cancellation()
        if cancellation is None:
            if self.status is ContractStatus.ENDED:
                raise CancellationNotRevocable(
                    f"the contract ended on {self.end_date}", end_date=self.end_date
                )
            raise NoPendingCancellation("there is no cancellation to revoke")
        if self.status is ContractStatus.ENDED or (
            cancellation.effective_end is not None and day > cancellation.effective_end
        ):
            raise CancellationNotRevocable(
                f"the contract ended on {cancellation.effective_end}",
                end_date=cancellation.effective_end,
            )
        cancellation.status = CancellationStatus.REVOKED
        self._refresh_end(day)
        self._record(
            ev.CancellationRevoked(
                contract_id=self.id, occurred_at=at, cancellation_id=cancellation.id
            )
        )
        return cancellation

    def _charge_coverage_gap(self, day: date) -> None:
        """The current period was billed only up to an end date that has since moved later or
        gone away: charge the rest of it (up to the new end) as pending items."""
        if self.next_bill_date is None or self.next_bill_date <= day:
            return
        full = self.schedule.full_period_containing(self.next_bill_date - ONE_DAY)
        period_end = self.next_bill_date
        if self.end_date is not None:
            period_end = min(period_end, self.end_date + ONE_DAY)
        if self.plan_covered_until is not None and self.plan_covered_until < period_end:
            part = Period(max(self.plan_covered_until, full.start), period_end)
            self._add_pending(
                self._plan_charge(self.plan, self.seats, LineKind.PRORATION, part, full), day
            )
            self.plan_covered_until = period_end
        for booking in self.bookings.values():
            if (
                booking.status is BookingStatus.ACTIVE
                and booking.covered_until is not None
                and booking.covered_until < period_end
            ):
                part = Period(max(booking.covered_until, full.start), period_end)
                self._add_pending(
                    self._booking_charge(booking, LineKind.PRORATION, part, full), day
                )
                booking.covered_until = period_end

    # ----------------------------------------------------------------- time and billing

    def next_due_date(self) -> date | None:
        """The next local date on which something happens to this contract (billing, an add-on
        or the contract ending, a scheduled change, a term renewal); None once it has ended."""
        if self.status is ContractStatus.ENDED:
            return None
        candidates: list[date] = []
        if self.next_bill_date is not None:
            candidates.append(self.next_bill_date)
        if self.end_date is not None:
            candidates.append(self.end_date + ONE_DAY)
        if self.scheduled_change is not None:
            candidates.append(self.scheduled_change.effective_on)
        for booking in self.bookings.values():
            if booking.is_live() and booking.ends_on is not None:
                candidates.append(booking.ends_on + ONE_DAY)
        renewal = self._next_renewal()
        if renewal is not None:
            candidates.append(renewal)
        candidates = [d for d in candidates if d > self.processed_through]
        return min(candidates) if candidates else None

    def _next_renewal(self) -> date | None:
        if self.end_date is not None or self.terms.renewal_months is None:
            return None
        term_end = self.terms.term_last_day_on_or_after(self.processed_through + ONE_DAY)
        return term_end + ONE_DAY if term_end is not None else None

    def roll_to(self, day: date) -> bool:
        """Apply everything that takes effect at the start of ``day`` (which must be the next due
        date). Returns True when an invoice is due on ``day``; then call :meth:`bill`."""
        due = self.next_due_date()
        if due is None or day != due:
            raise ValueError(f"the next due date of contract {self.id} is {due}, not {day}")
        at = self._instant(day)
        renewal = self._next_renewal()
        self.processed_through = day
        for booking in self.bookings.values():
            if booking.is_live() and booking.ends_on is not None and booking.ends_on < day:
                self._end_booking(booking, booking.ends_on, at)
        change = self.scheduled_change
        if change is not None and change.effective_on <= day:
            self.scheduled_change = None
            self._switch_plan(change.plan, change.seats, day, at, credit_from=None)
        if self.end_date is not None and self.end_date < day:
            return True  # final settlement on the day after the end
        if renewal == day:
            last = self.terms.term_last_day_on_or_after(day)
            if last is not None:
                self._record(
                    ev.TermRenewed(contract_id=self.id, occurred_at=at, term_last_day=last)
                )
        return self.next_bill_date == day

    def bill(self, day: date, usage: Sequence[UsageRecord]) -> list[Charge]:
        """The charges of the invoice due on ``day``: recurring fees of the period starting then
        (in advance), ``usage`` before ``day`` (in arrears) and every pending item. On the day after
        the contract's end this is the final settlement, crediting prepaid time after the end."""
        if day != self.processed_through:
            raise ValueError("roll_to(day) must come first")
        at = self._instant(day)
        charges: list[Charge] = []
        final = self.end_date is not None and self.end_date < day
        if final:
            assert self.end_date is not None
            charges.extend(self._end_credits(self.end_date + ONE_DAY))
        else:
            charges.extend(self._recurring(day))
        charges.extend(self._usage(usage))
        charges.extend(item.charge for item in self.pending)
        self.pending = []
        if final:
            self.status = ContractStatus.ENDED
            self.next_bill_date = None
            for booking in self.bookings.values():
                if booking.is_live():
                    assert self.end_date is not None
                    self._end_booking(booking, self.end_date, at)
            assert self.end_date is not None
            self._record(
                ev.ContractEnded(contract_id=self.id, occurred_at=at, end_date=self.end_date)
            )
        return charges

    def _recurring(self, day: date) -> list[Charge]:
        index = self.schedule.index_of(day)
        full = self.schedule.full_period(index)
        period = self.schedule.period(index)
        if self.end_date is not None:
            clipped = period.clipped(end=self.end_date + ONE_DAY)
            assert clipped is not None
            period = clipped
        self.next_bill_date = full.end
        charges = [self._plan_charge(self.plan, self.seats, LineKind.RECURRING, period, full)]
        self.plan_covered_until = period.end
        for booking in self.bookings.values():
            if booking.active_on(day):
                part = period.clipped(end=booking.ends_on + ONE_DAY if booking.ends_on else None)
                if part is not None:
                    charges.append(self._booking_charge(booking, LineKind.RECURRING, part, full))
                    booking.covered_until = part.end
        return charges

    def _end_credits(self, first_free_day: date) -> list[Charge]:
        """Credit prepaid time from ``first_free_day`` on (an end inside a billed period)."""
        credits = []
        coverage = self._coverage(first_free_day, self.plan_covered_until)
        if coverage is not None:
            part, full = coverage
            credits.append(
                self._plan_charge(self.plan, self.seats, LineKind.CREDIT, part, full, -1)
            )
            self.plan_covered_until = first_free_day
        for booking in self.bookings.values():
            if booking.is_live():
                coverage = self._coverage(first_free_day, booking.covered_until)
                if coverage is not None:
                    part, full = coverage
                    credits.append(self._booking_charge(booking, LineKind.CREDIT, part, full, -1))
                    booking.covered_until = first_free_day
        return credits

    def _usage(self, usage: Sequence[UsageRecord]) -> list[Charge]:
        def period_of(d: date) -> Period:
            period = self.schedule.period_containing(d)
            if self.end_date is not None:
                period = period.clipped(end=self.end_date + ONE_DAY) or period
            return period

        def metric_name(metric: str) -> str:
            known = self.catalog.metrics.get(metric)
            return self._text(known.name) if known else metric

        return usage_charges(usage, period_of, metric_name, self.currency)
