"""Time comes from a clock that is handed in: the system clock in production, a manual clock in
tests and ``tenure simulate``. Nothing else reads the wall clock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """The process clock of tests and ``tenure simulate``: frozen at an instant, it only moves
    when told to, and never backwards. (Not to be confused with a sandbox's test clock, the
    stored :class:`~tenure.services.repositories.test_clocks.TestClock` that customers live on.)"""

    def __init__(self, now: datetime) -> None:
        self._now = _utc(now)

    def now(self) -> datetime:
        return self._now

    def advance_to(self, instant: datetime) -> None:
        instant = _utc(instant)
        if instant < self._now:
            raise ValueError(f"a manual clock cannot go back from {self._now} to {instant}")
        self._now = instant


def _utc(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("instants must be timezone-aware")
    return instant.astimezone(UTC)
