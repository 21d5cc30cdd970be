"""Idempotency-Keys of the API: the first request sent with a key is run once and its outcome
recorded; a retry gets the recorded outcome (decision 0008)."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

#: A claim that a process of an earlier version committed before running its request (status
#: None) is taken over after this long: its request died (decision 0008).
LEGACY_CLAIM_TIMEOUT = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class IdempotentResponse:
    """The recorded outcome of the first request sent with an Idempotency-Key."""

    fingerprint: str
    status: int | None  # None: claimed, no outcome yet (this transaction, or an older version)
    body: Any
    claimed_at: datetime | None = None


class IdempotencyKeys(abc.ABC):
    @abc.abstractmethod
    def claim(
        self, vendor_id: str, key: str, fingerprint: str, at: datetime
    ) -> IdempotentResponse | None:
        """Claim ``key`` for a request in this transaction; None if it is new (the caller runs
        the request and calls :meth:`store` before committing), else what the first request
        recorded. A concurrent claim of the same key waits for this transaction to end. A claim
        without outcome older than :data:`LEGACY_CLAIM_TIMEOUT` is taken over."""

    @abc.abstractmethod
    def store(self, vendor_id: str, key: str, status: int, body: Any) -> None:
        """Record the outcome of the request that claimed ``key`` in this transaction."""
