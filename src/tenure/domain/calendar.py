"""Calendar arithmetic: month steps with month-end clamping, billing cycles and periods, and the
conversion of instants (UTC) to legal local dates in the vendor's time zone.

Periods are half-open ``[start, end)``; people see ``end - 1 day`` as the last day.
"""

from __future__ import annotations

import calendar as _cal
import enum
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ONE_DAY = timedelta(days=1)


def add_months(d: date, months: int) -> date:
    """``d`` plus ``months`` calendar months, the day clamped to the target month's last day.

    Always computed from ``d`` itself: Jan 31 + 1 = Feb 28 (29), Jan 31 + 2 = Mar 31.
    """
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    last = _cal.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last))


def last_day_of_month(d: date) -> date:
    return date(d.year, d.month, _cal.monthrange(d.year, d.month)[1])


def last_day_of_quarter(d: date) -> date:
    quarter_end_month = ((d.month - 1) // 3 + 1) * 3
    return last_day_of_month(date(d.year, quarter_end_month, 1))


def last_day_of_year(d: date) -> date:
    return date(d.year, 12, 31)


def days_between(start: date, end: date) -> int:
    """Number of days in the half-open range ``[start, end)``."""
    return (end - start).days


class BillingCycle(enum.Enum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"

    @property
    def months(self) -> int:
        return {"monthly": 1, "quarterly": 3, "yearly": 12}[self.value]


class BillingAlignment(enum.Enum):
    ANNIVERSARY = "anniversary"
    CALENDAR = "calendar"


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open range of local dates ``[start, end)``."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"empty period {self.start}..{self.end}")

    @property
    def last_day(self) -> date:
        """The inclusive last day, as shown to people ("abgerechnet bis")."""
        return self.end - ONE_DAY

    @property
    def days(self) -> int:
        return days_between(self.start, self.end)

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.start <= d < self.end

    def clipped(self, start: date | None = None, end: date | None = None) -> Period | None:
        """The part of this period inside ``[start, end)``, or None if nothing is left."""
        lo = max(self.start, start) if start else self.start
        hi = min(self.end, end) if end else self.end
        return Period(lo, hi) if lo < hi else None


def calendar_anchor(start: date, cycle: BillingCycle) -> date:
    """The calendar boundary (1st of month, quarter or year) on or before ``start``."""
    if cycle is BillingCycle.MONTHLY:
        return start.replace(day=1)
    if cycle is BillingCycle.QUARTERLY:
        return date(start.year, ((start.month - 1) // 3) * 3 + 1, 1)
    return date(start.year, 1, 1)


@dataclass(frozen=True, slots=True)
class BillingSchedule:
    """The grid of billing periods of a contract.

    Period *n* is ``[anchor + n*cycle, anchor + (n+1)*cycle)``, each bound computed from the anchor
    (never by stepping), clipped to begin no earlier than ``start``. With anniversary alignment the
    anchor is the start date; with calendar alignment it is the calendar boundary before it, so the
    first period is the short (prorated) stretch from the start to the next boundary.
    """

    start: date
    anchor: date
    cycle: BillingCycle

    @classmethod
    def for_contract(
        cls, start: date, cycle: BillingCycle, alignment: BillingAlignment
    ) -> BillingSchedule:
        anchor = (
            start if alignment is BillingAlignment.ANNIVERSARY else calendar_anchor(start, cycle)
        )
        return cls(start=start, anchor=anchor, cycle=cycle)

    def boundary(self, n: int) -> date:
        return add_months(self.anchor, n * self.cycle.months)

    def full_period(self, n: int) -> Period:
        """Period *n* of the grid, unclipped (the denominator of proration)."""
        return Period(self.boundary(n), self.boundary(n + 1))

    def period(self, n: int) -> Period:
        """Period *n* of the contract (the first one clipped to the start date)."""
        full = self.full_period(n)
        return Period(max(full.start, self.start), full.end)

    def index_of(self, d: date) -> int:
        """Index of the period containing ``d`` (``d`` on or after the start)."""
        if d < self.start:
            raise ValueError(f"{d} is before the schedule starts on {self.start}")
        months = (d.year - self.anchor.year) * 12 + (d.month - self.anchor.month)
        n = max(0, months // self.cycle.months - 1)
        while self.boundary(n + 1) <= d:
            n += 1
        while n > 0 and self.boundary(n) > d:
            n -= 1
        return n

    def period_containing(self, d: date) -> Period:
        return self.period(self.index_of(d))

    def full_period_containing(self, d: date) -> Period:
        return self.full_period(self.index_of(d))

    def periods(self, from_index: int = 0) -> Iterator[Period]:
        n = from_index
        while True:
            yield self.period(n)
            n += 1


def local_date(instant: datetime, zone: str) -> date:
    """The legal date of an instant in the vendor's time zone."""
    if instant.tzinfo is None:
        raise ValueError("instants must be timezone-aware")
    return instant.astimezone(ZoneInfo(zone)).date()


def start_of_local_day(d: date, zone: str) -> datetime:
    """The UTC instant at which local date ``d`` begins in ``zone``."""
    return datetime.combine(d, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)
