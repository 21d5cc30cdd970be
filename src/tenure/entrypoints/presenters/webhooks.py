"""Webhook endpoints and their delivery log."""

from __future__ import annotations

from typing import Any

from tenure.domain.events import EVENT_DESCRIPTIONS
from tenure.services.encoding import plain_dict
from tenure.services.webhooks import Delivery, WebhookEndpoint


def webhook_endpoint_dict(e: WebhookEndpoint, with_secret: bool = False) -> dict[str, Any]:
    """``with_secret``: only in the reply to its creation or a rotation."""
    out: dict[str, Any] = {
        "id": e.id,
        "object": "webhook_endpoint",
        "url": e.url,
        "event_types": e.event_types,
        "enabled": e.enabled,
        "disabled_reason": e.disabled_reason,
        "failing_since": e.failing_since,
        "created_at": e.created_at,
        "previous_secret_until": e.previous_secret_until,
    }
    if with_secret:
        out["secret"] = e.secret  # shown once, at creation or rotation
    return plain_dict(out)


def event_type_dicts() -> list[dict[str, Any]]:
    """The published event types, each with what it tells (``GET /v1/event_types``)."""
    return [
        {"object": "event_type", "name": name, "description": text}
        for name, text in EVENT_DESCRIPTIONS.items()
    ]


def webhook_delivery_dict(d: Delivery) -> dict[str, Any]:
    return plain_dict(
        {
            "id": d.id,
            "object": "webhook_delivery",
            "endpoint": d.endpoint_id,
            "webhook_id": d.message_id,
            "event_type": d.event_name,
            "status": d.status,
            "attempts": d.attempts,
            "next_attempt_at": d.next_attempt_at,
            "last_status": d.last_status,
            "last_error": d.last_error,
            "delivered_at": d.delivered_at,
            "created_at": d.created_at,
        }
    )
