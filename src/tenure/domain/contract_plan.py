"""Plan and seat changes (upgrade at once with prorations, downgrade at the next period) and
metered usage of a contract."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from tenure.domain import events as ev
from tenure.domain.calendar import ONE_DAY, Period
from tenure.domain.catalog import Catalog, Plan
from tenure.domain.charges import Charge, LineKind
from tenure.domain.contract_base import (
    ContractBase,
    ScheduledChange,
)
from tenure.domain.errors import (
    BillingCycleChangeNotSupported,
    CatalogChangeNotSupported,
    ContractEnded,
    FractionalQuantity,
    InvalidDate,
    InvalidQuantity,
    MetricNotInPlan,
    PlanUnchanged,
    SeatsNotApplicable,
    UsageBeforeContractStart,
    UsageInFuture,
    UsagePeriodInvoiced,
)
from tenure.domain.money import quantum
from tenure.domain.usage import MAX_CLOCK_SKEW, UsageRecord


class PlanAndUsageMixin(ContractBase):
    def change_plan(
        self, plan: Plan, seats: int | None, at: datetime, catalog: Catalog | None = None
    ) -> ScheduledChange | None:
        """Upgrade (new recurring price >= old) at once with prorations; downgrade at the next
        period start without. Returns the scheduled change for a downgrade, else None.
        ``catalog``: the newest catalog version, where ``plan`` was found; the contract moves to
        it with the new plan (a grandfathered contract leaves its old version so)."""
        day = self._open_day(at)
        if plan.billing_cycle is not self.plan.billing_cycle:
            raise BillingCycleChangeNotSupported(
                f"plan {plan.id!r} is billed {plan.billing_cycle.value}, this contract "
                f"{self.plan.billing_cycle.value}",
                plan=plan.id,
            )
        if catalog is not None and not self.can_follow(catalog):
            raise CatalogChangeNotSupported(
                f"the newest catalog bills in {catalog.vendor.currency} "
                f"({catalog.vendor.timezone}), this contract in {self.currency} "
                f"({self.vendor.timezone})",
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
            # The next period start of the grid, even when the current period was billed only up
            # to a pending end date (a revocation may still bring the rest of it back).
            effective = self.schedule.full_period_containing(day).end
            self.scheduled_change = ScheduledChange(plan, seats, effective)
            self._record(
                ev.PlanChangeScheduled(
                    contract_id=self.id,
                    occurred_at=at,
                    new_plan=plan.id,
                    new_seats=seats,
                    effective_on=effective,
                    old_plan=self.plan.id,
                    old_seats=self.seats,
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
        if catalog is not None and catalog is not self.catalog:
            self._adopt_catalog(catalog)
        return None

    # ----------------------------------------------------------------- usage

    def record_usage(
        self,
        key: str,
        metric: str,
        quantity: Decimal,
        at: datetime,
        occurred_at: datetime | None = None,
    ) -> UsageRecord:
        """Usage reported at ``at`` that happened at ``occurred_at`` (default ``at``), billed in
        arrears in the period of its local date (SPEC § 9). Refused: an instant beyond the clock
        skew ahead of ``at``, before the contract started, after it ended, in a period whose usage
        is already invoiced; a quantity finer than the metric counts."""
        occurred_at, day = self._usage_time(at if occurred_at is None else occurred_at, at)
        if metric not in self.plan.usage:
            raise MetricNotInPlan(
                f"metric {metric!r} is not billed by plan {self.plan.id!r}",
                metric=metric,
                plan=self.plan.id,
            )
        if not quantity.is_finite() or quantity <= 0:
            raise InvalidQuantity(
                "usage quantity must be a positive number", quantity=str(quantity)
            )
        known = self.catalog.metrics.get(metric)
        if known is not None and not known.allows(quantity):
            raise FractionalQuantity(
                f"{quantity} is not a multiple of the smallest unit of {metric!r} "
                f"({known.decimals} decimal places)",
                quantity=str(quantity),
                metric=metric,
                decimals=known.decimals,
            )
        # The usage record itself is the fact; it records no event (a million SMS must not make a
        # million outbox rows and webhooks). Its invoice line is announced with the invoice.
        return UsageRecord(
            key, self.id, metric, quantity, occurred_at, day, self.plan.usage[metric]
        )

    def _usage_time(self, occurred_at: datetime, at: datetime) -> tuple[datetime, date]:
        """The UTC instant and local day of usage that happened at ``occurred_at``, reported at
        ``at``, checked against the clock, the contract's time and what is invoiced."""
        if occurred_at.tzinfo is None or occurred_at.utcoffset() is None:
            raise InvalidDate("a usage instant needs a time zone (UTC offset)")
        occurred_at = occurred_at.astimezone(UTC)
        if occurred_at > at + MAX_CLOCK_SKEW:
            raise UsageInFuture(
                f"usage at {occurred_at.isoformat()} lies in the future",
                occurred_at=occurred_at,
                now=at,
            )
        day = self._local_day(occurred_at)
        if day < self.start:
            raise UsageBeforeContractStart(
                f"the contract starts on {self.start}, after the usage ({day})",
                start=self.start,
                occurred_on=day,
            )
        if self.is_over or (self.end_date and day > self.end_date):
            raise ContractEnded(f"the contract ended on {self.end_date}", end_date=self.end_date)
        period = self.schedule.period_containing(day)
        if period.end <= self.processed_through:
            raise UsagePeriodInvoiced(
                f"the usage of {period.start} to {period.last_day} is already invoiced; "
                "bill late usage as a one-time charge",
                occurred_on=day,
                period_start=period.start,
                period_last_day=period.last_day,
            )
        return occurred_at, day

    # ----------------------------------------------------------------- one-time charges

    def add_one_time_charge(self, description: str, amount: Decimal, at: datetime) -> Charge:
        """A one-time fee (positive) or goodwill credit (negative) for the next consolidated
        invoice, never an invoice of its own."""
        day = self._open_day(at)
        if not description.strip():
            raise InvalidQuantity("a one-time charge needs a description")
        if (
            not amount.is_finite()
            or amount == 0
            or amount != amount.quantize(quantum(self.currency))
        ):
            raise InvalidQuantity(
                f"{amount} is not a non-zero amount in {self.currency}", amount=str(amount)
            )
        kind = LineKind.ONE_TIME if amount > 0 else LineKind.CREDIT
        charge = Charge(
            kind,
            "one_time",
            description,
            Period(day, day + ONE_DAY),
            Decimal(1),
            amount,
            amount,
            "one_time",
        )
        self._add_pending(charge, day)
        return charge
