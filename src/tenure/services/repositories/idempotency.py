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
#: How long a key's outcome is kept (Stripe keeps them 24 hours): a key older than this is new
#: again for :meth:`IdempotencyKeys.claim`, and :meth:`IdempotencyKeys.purge` deletes it.
IDEMPOTENCY_KEY_TTL = timedelta(hours=24)


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
        without outcome older than :data:`LEGACY_CLAIM_TIMEOUT` is taken over, and so is any
        record older than :data:`IDEMPOTENCY_KEY_TTL` (expired: the key is new again)."""

    @abc.abstractmethod
    def store(self, vendor_id: str, key: str, status: int, body: Any) -> None:
        """Record the outcome of the request that claimed ``key`` in this transaction."""

    @abc.abstractmethod
    def purge(self, before: datetime) -> int:
        """Delete the keys of every vendor claimed before ``before``; returns how many."""


def expired(record: IdempotentResponse, at: datetime) -> bool:
    """Whether ``record`` no longer counts at ``at``: an outcome older than the TTL, or a claim
    without outcome older than :data:`LEGACY_CLAIM_TIMEOUT` (its request died)."""
    if record.claimed_at is None:
        return False
    age = at - record.claimed_at
    return age > IDEMPOTENCY_KEY_TTL or (record.status is None and age > LEGACY_CLAIM_TIMEOUT)
