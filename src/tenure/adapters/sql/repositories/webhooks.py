"""Webhook endpoints and deliveries in SQL."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, insert, select, update

from tenure.adapters.sql import paging
from tenure.adapters.sql import tables as t
from tenure.adapters.sql.session import Session
from tenure.services.errors import UnknownWebhookEndpoint
from tenure.services.paging import Page
from tenure.services.repositories.webhooks import Delivery, WebhookEndpoint, WebhookRepository


class SqlWebhooks(WebhookRepository):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add_endpoint(self, endpoint: WebhookEndpoint) -> None:
        self._s.execute(
            insert(t.webhook_endpoints).values(
                id=endpoint.id,
                vendor_id=endpoint.vendor_id,
                secret=endpoint.secret,
                created_at=endpoint.created_at,
                **_endpoint_changes(endpoint),
            )
        )

    def update_endpoint(self, endpoint: WebhookEndpoint) -> None:
        e = t.webhook_endpoints.c
        result = self._s.execute(
            update(t.webhook_endpoints)
            .where(e.vendor_id == endpoint.vendor_id, e.id == endpoint.id)
            .values(**_endpoint_changes(endpoint))
        )
        if result.rowcount != 1:
            raise UnknownWebhookEndpoint(f"no webhook endpoint {endpoint.id!r}")

    def rotate_secret(
        self, vendor_id: str, endpoint_id: str, secret: str, previous: str, until: datetime
    ) -> None:
        e = t.webhook_endpoints.c
        self._s.execute(
            update(t.webhook_endpoints)
            .where(e.vendor_id == vendor_id, e.id == endpoint_id)
            .values(secret=secret, previous_secret=previous, previous_secret_until=until)
        )

    def set_failing_since(self, vendor_id: str, endpoint_id: str, since: datetime | None) -> None:
        e = t.webhook_endpoints.c
        self._s.execute(
            update(t.webhook_endpoints)
            .where(e.vendor_id == vendor_id, e.id == endpoint_id)
            .values(failing_since=since)
        )

    def disable_failing(self, vendor_id: str, endpoint_id: str, failing_since: datetime) -> bool:
        e = t.webhook_endpoints.c
        result = self._s.execute(
            update(t.webhook_endpoints)
            .where(
                e.vendor_id == vendor_id,
                e.id == endpoint_id,
                e.enabled.is_(True),
                e.failing_since == failing_since,
            )
            .values(enabled=False, disabled_reason="failing")
        )
        return bool(result.rowcount == 1)

    def delete_endpoint(self, vendor_id: str, endpoint_id: str) -> None:
        e = t.webhook_endpoints.c
        result = self._s.execute(
            delete(t.webhook_endpoints).where(e.vendor_id == vendor_id, e.id == endpoint_id)
        )
        if result.rowcount != 1:
            raise UnknownWebhookEndpoint(f"no webhook endpoint {endpoint_id!r}")

    def cancel_pending(self, vendor_id: str, endpoint_id: str) -> int:
        w = t.webhook_deliveries.c
        result = self._s.execute(
            update(t.webhook_deliveries)
            .where(w.vendor_id == vendor_id, w.endpoint_id == endpoint_id, w.status == "pending")
            .values(status="cancelled", next_attempt_at=None)
        )
        return int(result.rowcount)

    def endpoints(self, vendor_id: str) -> list[WebhookEndpoint]:
        rows = self._s.execute(
            select(t.webhook_endpoints)
            .where(t.webhook_endpoints.c.vendor_id == vendor_id)
            .order_by(t.webhook_endpoints.c.created_at, t.webhook_endpoints.c.id)
        )
        return [_endpoint(r) for r in rows]

    def endpoint(self, vendor_id: str, endpoint_id: str) -> WebhookEndpoint:
        row = self._s.execute(
            select(t.webhook_endpoints).where(
                t.webhook_endpoints.c.vendor_id == vendor_id,
                t.webhook_endpoints.c.id == endpoint_id,
            )
        ).first()
        if row is None:
            raise UnknownWebhookEndpoint(f"no webhook endpoint {endpoint_id!r}")
        return _endpoint(row)

    def add_delivery(self, delivery: Delivery) -> None:
        self._s.execute(insert(t.webhook_deliveries).values(**_delivery_values(delivery)))

    def next_due(self, now: datetime, skip: Collection[str] = ()) -> Delivery | None:
        w = t.webhook_deliveries.c
        query = (
            select(t.webhook_deliveries)
            .where(w.status == "pending", w.next_attempt_at <= now)
            .order_by(w.next_attempt_at, w.created_at)
            .limit(1)
        )
        if skip:
            query = query.where(w.endpoint_id.not_in(list(skip)))
        if self._s.postgres:
            query = query.with_for_update(skip_locked=True)
        row = self._s.execute(query).first()
        return _delivery(row) if row else None

    def update_delivery(self, delivery: Delivery) -> None:
        self._s.execute(
            update(t.webhook_deliveries)
            .where(t.webhook_deliveries.c.id == delivery.id)
            .values(**_delivery_values(delivery))
        )

    def update_leased(self, delivery: Delivery, attempts: int, leased_until: datetime) -> bool:
        w = t.webhook_deliveries.c
        result = self._s.execute(
            update(t.webhook_deliveries)
            .where(
                w.id == delivery.id,
                w.status == "pending",
                w.attempts == attempts,
                w.next_attempt_at == leased_until,
            )
            .values(**_delivery_values(delivery))
        )
        return bool(result.rowcount == 1)

    def delivery(self, vendor_id: str, delivery_id: str) -> Delivery | None:
        row = self._s.execute(
            select(t.webhook_deliveries).where(
                t.webhook_deliveries.c.vendor_id == vendor_id,
                t.webhook_deliveries.c.id == delivery_id,
            )
        ).first()
        return _delivery(row) if row else None

    def deliveries(self, vendor_id: str, endpoint_id: str) -> list[Delivery]:
        w = t.webhook_deliveries.c
        rows = self._s.execute(
            select(t.webhook_deliveries)
            .where(w.vendor_id == vendor_id, w.endpoint_id == endpoint_id)
            .order_by(w.created_at, w.id)
        )
        return [_delivery(r) for r in rows]

    def deliveries_page(
        self, vendor_id: str, endpoint_id: str, after: str | None, limit: int
    ) -> Page[Delivery]:
        w = t.webhook_deliveries.c
        query = select(t.webhook_deliveries).where(
            w.vendor_id == vendor_id, w.endpoint_id == endpoint_id
        )
        found = paging.keyset(self._s, query, [w.created_at, w.id], after, limit)
        return Page([_delivery(r) for r in found.items], found.next)


def _endpoint_changes(e: WebhookEndpoint) -> dict[str, Any]:
    """The columns of an endpoint that may change after it is created."""
    return {
        "url": e.url,
        "event_types": list(e.event_types),
        "enabled": e.enabled,
        "failing_since": e.failing_since,
        "disabled_reason": e.disabled_reason,
    }


def _endpoint(r: Row[Any]) -> WebhookEndpoint:
    return WebhookEndpoint(
        r.id,
        r.vendor_id,
        r.url,
        r.secret,
        tuple(r.event_types),
        r.created_at,
        enabled=r.enabled,
        failing_since=r.failing_since,
        disabled_reason=r.disabled_reason,
        previous_secret=r.previous_secret,
        previous_secret_until=r.previous_secret_until,
    )


def _delivery_values(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.id,
        "vendor_id": d.vendor_id,
        "endpoint_id": d.endpoint_id,
        "message_id": d.message_id,
        "event_name": d.event_name,
        "payload": d.payload,
        "status": d.status,
        "attempts": d.attempts,
        "next_attempt_at": d.next_attempt_at,
        "created_at": d.created_at,
        "last_status": d.last_status,
        "last_error": d.last_error,
        "delivered_at": d.delivered_at,
    }


def _delivery(r: Row[Any]) -> Delivery:
    return Delivery(
        id=r.id,
        vendor_id=r.vendor_id,
        endpoint_id=r.endpoint_id,
        message_id=r.message_id,
        event_name=r.event_name,
        payload=r.payload,
        status=r.status,
        attempts=r.attempts,
        next_attempt_at=r.next_attempt_at,
        created_at=r.created_at,
        last_status=r.last_status,
        last_error=r.last_error,
        delivered_at=r.delivered_at,
    )
