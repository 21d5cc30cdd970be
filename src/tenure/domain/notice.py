"""Notice periods and contract end dates (BGB §§ 187, 188, 309 Nr. 9).

The rules, in the order the engine applies them:

* The **deadline** of a notice received on local date ``r``: the day of receipt is not counted
  (§ 187(1)); *n* months end on the day of month ``r + n`` with the same number as ``r``, clamped to
  that month's last day (§ 188(2),(3)); *w* weeks are ``7w`` days; *n* days are ``r + n``. § 193
  (weekends, holidays) does not apply to notice periods.
* The **end date** ``X`` (inclusive last day) is the earliest date that the plan's ``notice_to``
  allows, that is not before the deadline, not before the last day of the minimum term, and not
  before a later end date the customer asked for.
* **Consumers** (§ 309 Nr. 9): the minimum term is capped at 24 months and the notice at one month;
  after the minimum term the contract runs on indefinitely and ends with one month's notice to any
  day. The customer always gets the earlier of the plan's and the law's end date.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from tenure.domain.calendar import (
    ONE_DAY,
    BillingSchedule,
    add_months,
    last_day_of_month,
    last_day_of_quarter,
    last_day_of_year,
)

#: § 309 Nr. 9 BGB in its version of the "Gesetz für faire Verbraucherverträge" applies to
#: contracts concluded from this date on.
FAIR_CONSUMER_CONTRACTS_ACT = date(2022, 3, 1)
CONSUMER_MAX_MINIMUM_TERM_MONTHS = 24


class NoticeUnit(enum.Enum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


@dataclass(frozen=True, slots=True)
class Notice:
    amount: int
    unit: NoticeUnit

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError("a notice period cannot be negative")

    def deadline(self, received_on: date) -> date:
        """The last day of the notice period for a declaration received on ``received_on``."""
        if self.unit is NoticeUnit.MONTHS:
            return add_months(received_on, self.amount)
        if self.unit is NoticeUnit.WEEKS:
            return received_on + timedelta(weeks=self.amount)
        return received_on + timedelta(days=self.amount)

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.value}"


class NoticeTo(enum.Enum):
    TERM_END = "term_end"
    PERIOD_END = "period_end"
    MONTH_END = "month_end"
    QUARTER_END = "quarter_end"
    YEAR_END = "year_end"
    ANY_DAY = "any_day"


class EndAdjustment(enum.Enum):
    """Why a contract ends later than the end date the customer asked for (the declaration stays
    valid to the next possible date, BGB § 312k(5)). The grid reasons name the ``notice_to`` date
    the end was moved to."""

    REQUESTED_END_IN_PAST = "requested_end_in_past"
    NOTICE_PERIOD = "notice_period"
    MINIMUM_TERM = "minimum_term"
    TERM_END = "term_end"
    PERIOD_END = "period_end"
    MONTH_END = "month_end"
    QUARTER_END = "quarter_end"
    YEAR_END = "year_end"


@dataclass(frozen=True, slots=True)
class TermPolicy:
    """What a plan says about minimum term, renewal and notice."""

    minimum_term_months: int
    renewal_months: int | None
    notice: Notice
    notice_to: NoticeTo


@dataclass(frozen=True, slots=True)
class ContractTerms:
    """A contract's term rules, with the consumer protections already applied."""

    start: date
    policy: TermPolicy
    consumer: bool

    @property
    def minimum_term_months(self) -> int:
        months = self.policy.minimum_term_months
        if self.consumer:
            months = min(months, CONSUMER_MAX_MINIMUM_TERM_MONTHS)
        return months

    @property
    def renewal_months(self) -> int | None:
        """Months of each tacit renewal; None once the contract runs on indefinitely."""
        renewal = self.policy.renewal_months
        if not self.consumer or renewal is None:
            return renewal
        if self.start >= FAIR_CONSUMER_CONTRACTS_ACT:
            return None  # runs on indefinitely after the minimum term
        return min(renewal, 12)  # old § 309 Nr. 9 b: tacit renewals of at most one year

    @property
    def minimum_term_last_day(self) -> date | None:
        months = self.minimum_term_months
        return add_months(self.start, months) - ONE_DAY if months else None

    def term_last_day_on_or_after(self, d: date) -> date | None:
        """The last day of the fixed term running on ``d``; None if no fixed term runs then."""
        first = self.minimum_term_months
        renewal = self.renewal_months
        if first and add_months(self.start, first) - ONE_DAY >= d:
            return add_months(self.start, first) - ONE_DAY
        if renewal is None:
            return None
        # Terms end at start + first + k*renewal - 1 day (k >= 0, or k >= 1 without minimum term),
        # each computed from the start date.
        k = 0 if first else 1
        months_since = (d.year - self.start.year) * 12 + (d.month - self.start.month)
        k = max(k, (months_since - first) // renewal - 1)
        while add_months(self.start, first + k * renewal) - ONE_DAY < d:
            k += 1
        return add_months(self.start, first + k * renewal) - ONE_DAY

    def _plan_deadline(self, received_on: date) -> date:
        deadline = self.policy.notice.deadline(received_on)
        if self.consumer:
            cap = 1 if self.start >= FAIR_CONSUMER_CONTRACTS_ACT else 3
            deadline = min(deadline, add_months(received_on, cap))
        return deadline

    def first_allowed_end(self, earliest: date, schedule: BillingSchedule) -> date:
        """The first date on or after ``earliest`` that the plan's ``notice_to`` allows."""
        to = self.policy.notice_to
        if to is NoticeTo.ANY_DAY:
            return earliest
        if to is NoticeTo.MONTH_END:
            return last_day_of_month(earliest)
        if to is NoticeTo.QUARTER_END:
            return last_day_of_quarter(earliest)
        if to is NoticeTo.YEAR_END:
            return last_day_of_year(earliest)
        if to is NoticeTo.TERM_END:
            term_end = self.term_last_day_on_or_after(earliest)
            if term_end is not None:
                return term_end
            # No fixed term runs any more: the contract runs on indefinitely and can end with each
            # billing period (see docs/decisions/0003-notice-to-term-end-without-renewal.md).
        return schedule.period_containing(earliest).last_day

    def end_date(
        self, received_on: date, schedule: BillingSchedule, requested: date | None = None
    ) -> date:
        """The contract's end date ``X`` for an ordinary notice received on ``received_on``.

        ``requested`` is a later end date the customer asked for; one that is too early (or None)
        gives the earliest possible date (BGB § 312k(5)).
        """
        deadline = self._plan_deadline(received_on)
        end = self._first_end(deadline, received_on, schedule, requested)
        if not self.consumer:
            return end
        # The consumer caps protect the consumer: they never make the end later than the plan as
        # written would (a capped renewal moves the term grid, which could otherwise hurt).
        as_written = ContractTerms(self.start, self.policy, consumer=False)
        end = min(end, as_written._first_end(deadline, received_on, schedule, requested))
        if self.start >= FAIR_CONSUMER_CONTRACTS_ACT:
            # § 309 Nr. 9 (SPEC § 5): notice of at most one month (a shorter one in the plan
            # stands) to the end of the minimum term, and after it to any day, whatever the
            # plan's notice_to says; see docs/decisions/0004-consumer-contracts.md.
            minimum_last = self.minimum_term_last_day or received_on
            end = min(end, max(deadline, minimum_last, requested or received_on))
        return end

    def _first_end(
        self, deadline: date, received_on: date, schedule: BillingSchedule, requested: date | None
    ) -> date:
        lower = max(deadline, received_on)
        minimum_last = self.minimum_term_last_day
        if minimum_last is not None:
            lower = max(lower, minimum_last)
        if requested is not None:
            lower = max(lower, requested)
        return self.first_allowed_end(lower, schedule)

    def end_adjustment(
        self, received_on: date, requested: date | None, end: date
    ) -> EndAdjustment | None:
        """Why ``end`` (from :meth:`end_date`) differs from the ``requested`` end date; None when
        nothing was requested or the request stands. The first rule the request broke is named:
        the day of receipt, the notice period, the minimum term, then the allowed end dates."""
        if requested is None or end == requested:
            return None
        if requested < received_on:
            return EndAdjustment.REQUESTED_END_IN_PAST
        if requested < self._plan_deadline(received_on):
            return EndAdjustment.NOTICE_PERIOD
        minimum_last = self.minimum_term_last_day
        if minimum_last is not None and requested < minimum_last:
            return EndAdjustment.MINIMUM_TERM
        to = self.policy.notice_to
        if to is NoticeTo.TERM_END and self.term_last_day_on_or_after(requested) is None:
            return EndAdjustment.PERIOD_END  # no fixed term runs: ends with a billing period
        return EndAdjustment(to.value)

    def earliest_end(self, received_on: date, schedule: BillingSchedule) -> date:
        return self.end_date(received_on, schedule, None)
