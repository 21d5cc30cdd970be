"""Webhook endpoints of vendors and the deliveries of events to them (see
:mod:`tenure.services.webhooks`)."""

from __future__ import annotations

import abc
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tenure.services.paging import Page, offset_page


@dataclass(frozen=True, slots=True)
class WebhookEndpoint:
    id: str
    vendor_id: str
    url: str
    secret: str
    event_types: tuple[str, ...]  # ("*",) for all
    created_at: datetime
    enabled: bool = True
    #: When the current run of failed attempts began (None: the last attempt succeeded); an
    #: endpoint failing for longer than the operator's limit is disabled.
    failing_since: datetime | None = None
    #: Why the endpoint is disabled: "failing" (by tenure) or "vendor" (by PATCH).
    disabled_reason: str | None = None
    #: The secret replaced by the last rotation, still signed with until ``previous_secret_until``.
    previous_secret: str | None = None
    previous_secret_until: datetime | None = None

    def signing_secrets(self, now: datetime) -> tuple[str, ...]:
        """The secrets a delivery at ``now`` is signed with: the current one, and the previous
        one during a rotation's overlap."""
        until = self.previous_secret_until
        if self.previous_secret and until is not None and now < until:
            return self.secret, self.previous_secret
        return (self.secret,)

    def wants(self, event_name: str) -> bool:
        return self.enabled and ("*" in self.event_types or event_name in self.event_types)


@dataclass(frozen=True, slots=True)
class Delivery:
    id: str
    vendor_id: str
    endpoint_id: str
    message_id: str  # webhook-id: the same on every attempt, so receivers can deduplicate
    event_name: str
    payload: dict[str, Any]
    status: str  # pending | delivered | failed | cancelled (endpoint deleted or disabled)
    attempts: int
    next_attempt_at: datetime | None
    created_at: datetime
    last_status: int | None = None
    last_error: str | None = None
    delivered_at: datetime | None = None


class WebhookRepository(abc.ABC):
    @abc.abstractmethod
    def add_endpoint(self, endpoint: WebhookEndpoint) -> None: ...

    @abc.abstractmethod
    def endpoints(self, vendor_id: str) -> list[WebhookEndpoint]:
        """The vendor's endpoints, oldest first."""

    @abc.abstractmethod
    def endpoint(self, vendor_id: str, endpoint_id: str) -> WebhookEndpoint:
        """The vendor's endpoint; raises UnknownWebhookEndpoint (also for another vendor's)."""

    @abc.abstractmethod
    def update_endpoint(self, endpoint: WebhookEndpoint) -> None:
        """Store the changed endpoint (same id and vendor)."""

    @abc.abstractmethod
    def rotate_secret(
        self, vendor_id: str, endpoint_id: str, secret: str, previous: str, until: datetime
    ) -> None:
        """Replace the endpoint's secret with ``secret``, keeping ``previous`` until ``until``,
        leaving every other field as it is."""

    @abc.abstractmethod
    def set_failing_since(self, vendor_id: str, endpoint_id: str, since: datetime | None) -> None:
        """Record when the endpoint's run of failed attempts began (None: it ended), leaving
        every other field as it is (a vendor's change made meanwhile stays)."""

    @abc.abstractmethod
    def disable_failing(self, vendor_id: str, endpoint_id: str, failing_since: datetime) -> bool:
        """Disable the endpoint (reason "failing") if it is still enabled and still failing
        since ``failing_since``; returns whether it was disabled now."""

    @abc.abstractmethod
    def delete_endpoint(self, vendor_id: str, endpoint_id: str) -> None:
        """Remove the endpoint (its delivery log stays, unreachable through it)."""

    @abc.abstractmethod
    def cancel_pending(self, vendor_id: str, endpoint_id: str) -> int:
        """Mark the endpoint's pending deliveries cancelled (never sent); returns how many."""

    @abc.abstractmethod
    def add_delivery(self, delivery: Delivery) -> None: ...

    @abc.abstractmethod
    def next_due(self, now: datetime, skip: Collection[str] = ()) -> Delivery | None:
        """The oldest pending delivery due by ``now`` whose endpoint is not in ``skip``, locked
        (on PostgreSQL a concurrent worker skips it; the caller leases it before committing)."""

    @abc.abstractmethod
    def update_delivery(self, delivery: Delivery) -> None: ...

    @abc.abstractmethod
    def update_leased(self, delivery: Delivery, attempts: int, leased_until: datetime) -> bool:
        """Store the delivery's outcome only if the lease is still the caller's: the delivery
        is still pending with ``attempts`` and ``next_attempt_at == leased_until`` (no other
        worker took it after the lease expired, no redelivery or cancellation came meanwhile);
        returns whether it was stored."""

    @abc.abstractmethod
    def delivery(self, vendor_id: str, delivery_id: str) -> Delivery | None: ...

    @abc.abstractmethod
    def deliveries(self, vendor_id: str, endpoint_id: str) -> list[Delivery]:
        """An endpoint's deliveries, oldest first."""

    def deliveries_page(
        self, vendor_id: str, endpoint_id: str, after: str | None, limit: int
    ) -> Page[Delivery]:
        """An endpoint's deliveries, oldest first (in memory by offset; the SQL store pages by
        key)."""
        return offset_page(self.deliveries(vendor_id, endpoint_id), after, limit)
