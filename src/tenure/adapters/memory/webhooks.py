"""Webhook endpoints and deliveries in memory."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime

from tenure.adapters.memory.overlay import Overlay
from tenure.adapters.memory.tables import MISSING
from tenure.services.errors import UnknownWebhookEndpoint
from tenure.services.repositories.webhooks import Delivery, WebhookEndpoint, WebhookRepository


class MemoryWebhooks(WebhookRepository):
    def __init__(self, overlay: Overlay) -> None:
        self._t = overlay

    def add_endpoint(self, endpoint: WebhookEndpoint) -> None:
        self._t.put("webhook_endpoints", endpoint.id, endpoint)

    def endpoints(self, vendor_id: str) -> list[WebhookEndpoint]:
        return [e for _, e in self._t.scan("webhook_endpoints") if e.vendor_id == vendor_id]

    def endpoint(self, vendor_id: str, endpoint_id: str) -> WebhookEndpoint:
        endpoint: WebhookEndpoint | None = self._t.get("webhook_endpoints", endpoint_id)
        if endpoint is None or endpoint.vendor_id != vendor_id:
            raise UnknownWebhookEndpoint(f"no webhook endpoint {endpoint_id!r}")
        return endpoint

    def update_endpoint(self, endpoint: WebhookEndpoint) -> None:
        self.endpoint(endpoint.vendor_id, endpoint.id)
        self._t.put("webhook_endpoints", endpoint.id, endpoint)

    def rotate_secret(
        self, vendor_id: str, endpoint_id: str, secret: str, previous: str, until: datetime
    ) -> None:
        endpoint = self.endpoint(vendor_id, endpoint_id)
        rotated = replace(
            endpoint, secret=secret, previous_secret=previous, previous_secret_until=until
        )
        self._t.put("webhook_endpoints", endpoint_id, rotated)

    def set_failing_since(self, vendor_id: str, endpoint_id: str, since: datetime | None) -> None:
        endpoint = self.endpoint(vendor_id, endpoint_id)
        self._t.put("webhook_endpoints", endpoint_id, replace(endpoint, failing_since=since))

    def disable_failing(self, vendor_id: str, endpoint_id: str, failing_since: datetime) -> bool:
        endpoint = self.endpoint(vendor_id, endpoint_id)
        if not endpoint.enabled or endpoint.failing_since != failing_since:
            return False
        disabled = replace(endpoint, enabled=False, disabled_reason="failing")
        self._t.put("webhook_endpoints", endpoint_id, disabled)
        return True

    def delete_endpoint(self, vendor_id: str, endpoint_id: str) -> None:
        self.endpoint(vendor_id, endpoint_id)
        self._t.delete("webhook_endpoints", endpoint_id)

    def cancel_pending(self, vendor_id: str, endpoint_id: str) -> int:
        pending = [d for d in self.deliveries(vendor_id, endpoint_id) if d.status == "pending"]
        for d in pending:
            self._t.put("deliveries", d.id, replace(d, status="cancelled", next_attempt_at=None))
        return len(pending)

    def add_delivery(self, delivery: Delivery) -> None:
        self._t.put("deliveries", delivery.id, delivery)

    def next_due(self, now: datetime, skip: Collection[str] = ()) -> Delivery | None:
        due = [
            d
            for _, d in self._t.scan("deliveries")
            if d.status == "pending"
            and d.next_attempt_at is not None
            and d.next_attempt_at <= now
            and d.endpoint_id not in skip
        ]
        if not due:
            return None
        chosen: Delivery = min(due, key=lambda d: (d.next_attempt_at, d.created_at))
        return chosen if self._t.still("deliveries", chosen.id, chosen) else None

    def update_delivery(self, delivery: Delivery) -> None:
        self._t.put("deliveries", delivery.id, delivery)

    def update_leased(self, delivery: Delivery, attempts: int, leased_until: datetime) -> bool:
        current = self._t.get_for_update("deliveries", delivery.id)  # a concurrent write conflicts
        if (
            current is MISSING
            or current.status != "pending"
            or current.attempts != attempts
            or current.next_attempt_at != leased_until
        ):
            return False
        self._t.put("deliveries", delivery.id, delivery)
        return True

    def delivery(self, vendor_id: str, delivery_id: str) -> Delivery | None:
        found: Delivery | None = self._t.get("deliveries", delivery_id)
        return found if found is not None and found.vendor_id == vendor_id else None

    def deliveries(self, vendor_id: str, endpoint_id: str) -> list[Delivery]:
        return [
            d
            for _, d in self._t.scan("deliveries")
            if d.vendor_id == vendor_id and d.endpoint_id == endpoint_id
        ]
