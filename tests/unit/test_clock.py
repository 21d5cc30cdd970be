"""The clocks time comes from: the system clock in production, test clocks everywhere else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tenure.services.clock import ManualClock, SystemClock


def test_the_system_clock_gives_aware_utc_instants() -> None:
    now = SystemClock().now()
    assert now.tzinfo is not None
    assert now.utcoffset() == timedelta(0)


def test_a_test_clock_stays_where_it_is_set() -> None:
    clock = ManualClock(datetime(2026, 3, 31, 23, 30, tzinfo=timezone(timedelta(hours=2))))
    assert clock.now() == datetime(2026, 3, 31, 21, 30, tzinfo=UTC)
    assert clock.now() == clock.now()


def test_a_test_clock_moves_forward_only() -> None:
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    clock.advance_to(datetime(2026, 2, 1, tzinfo=UTC))
    assert clock.now() == datetime(2026, 2, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="cannot go back"):
        clock.advance_to(datetime(2026, 1, 31, tzinfo=UTC))


def test_a_test_clock_refuses_a_time_without_zone() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ManualClock(datetime(2026, 1, 1))
