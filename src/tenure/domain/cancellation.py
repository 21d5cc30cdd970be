"""Cancellation declarations of a contract (Kündigung), ordinary or extraordinary (BGB § 314)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime


class CancellationKind(enum.Enum):
    ORDINARY = "ordinary"
    EXTRAORDINARY = "extraordinary"


class CancellationStatus(enum.Enum):
    CONFIRMED = "confirmed"
    PENDING_REVIEW = "pending_review"
    REVOKED = "revoked"
    REJECTED = "rejected"


@dataclass(slots=True)
class Cancellation:
    id: str
    kind: CancellationKind
    received_at: datetime  # UTC instant of receipt
    received_on: date  # legal date of receipt in the vendor's time zone
    requested_end: date | None
    effective_end: date | None
    status: CancellationStatus
    email: str  # where the confirmation goes
    reason: str | None = None
    decision_reason: str | None = None
    #: Why ``effective_end`` is not the ``requested_end`` (an ``EndAdjustment`` code), else None.
    adjusted_reason: str | None = None

    @property
    def is_open(self) -> bool:
        """Confirmed (and not yet revoked) or waiting for the vendor's decision."""
        return self.status in (CancellationStatus.CONFIRMED, CancellationStatus.PENDING_REVIEW)
