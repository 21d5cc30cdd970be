"""Test clocks for sandbox customers."""

from __future__ import annotations

from typing import Any

from tenure.services.billing import BillingRun
from tenure.services.encoding import plain_dict
from tenure.services.repositories.test_clocks import TestClock


def clock_dict(clock: TestClock) -> dict[str, Any]:
    return plain_dict(
        {
            "id": clock.id,
            "object": "test_clock",
            "livemode": False,  # a test clock and all that lives on it are sandbox objects
            "name": clock.name,
            "frozen_at": clock.frozen_at,
        }
    )


def clock_advance_dict(clock_id: str, run: BillingRun) -> dict[str, Any]:
    """The reply to advancing a clock: the documents issued on the way."""
    return plain_dict(
        {
            "object": "test_clock_advance",
            "livemode": False,
            "clock": clock_id,
            "documents": run.documents,
        }
    )
