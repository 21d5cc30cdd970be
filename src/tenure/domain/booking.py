"""Add-on bookings: each booking of N units is its own row with its own status, coverage,
cancellation and withdrawal window (SPEC § 1, § 6)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from tenure.domain.calendar import ONE_DAY


class BookingStatus(enum.Enum):
    ACTIVE = "active"
    CANCELLATION_PENDING = "cancellation_pending"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"


@dataclass(slots=True)
class AddonBooking:
    id: str
    addon: str
    quantity: int
    booked_at: datetime
    booked_on: date
    status: BookingStatus = BookingStatus.ACTIVE
    #: Exclusive end of the time already charged (pending or invoiced); None if nothing is.
    covered_until: date | None = None
    #: Inclusive last day once the booking is cancelled, withdrawn or ended.
    ends_on: date | None = None
    #: Last day of the withdrawal window (Widerruf), None if no withdrawal is offered.
    withdrawal_last_day: date | None = None

    @property
    def billed_until(self) -> date | None:
        """The inclusive last day paid for ("abgerechnet bis"); None once withdrawn."""
        if self.status is BookingStatus.WITHDRAWN or self.covered_until is None:
            return None
        return self.covered_until - ONE_DAY

    def is_live(self) -> bool:
        """Still usable now (active or running to its cancellation date)."""
        return self.status in (BookingStatus.ACTIVE, BookingStatus.CANCELLATION_PENDING)

    def active_on(self, d: date) -> bool:
        """Whether the booking is to be charged for day ``d``."""
        if not self.is_live() or d < self.booked_on:
            return False
        return self.ends_on is None or d <= self.ends_on
