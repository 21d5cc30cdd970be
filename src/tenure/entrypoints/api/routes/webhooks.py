"""Webhook endpoints, their delivery log and manual redelivery."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from tenure.entrypoints.api.models import Strict
from tenure.entrypoints.api.pagination import Cursor, Limit, listing, page
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.security import Authenticated, IdempotencyKey, idempotent
from tenure.services.webhooks import Delivery, WebhookEndpoint, Webhooks

router = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES, tags=["webhooks"])


async def webhooks_of(request: Request) -> Webhooks:
    webhooks: Webhooks = request.app.state.services.webhooks
    return webhooks


Hooks = Annotated[Webhooks, Depends(webhooks_of)]


class EndpointIn(Strict):
    url: str = Field(pattern=r"^https?://[^\s\x00]+$", max_length=2000)
    event_types: list[str] = Field(default_factory=lambda: ["*"], max_length=50)


def endpoint_out(e: WebhookEndpoint, with_secret: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": e.id,
        "object": "webhook_endpoint",
        "url": e.url,
        "event_types": list(e.event_types),
        "created_at": e.created_at,
    }
    if with_secret:
        out["secret"] = e.secret  # shown once, at creation
    return out


def delivery_out(d: Delivery) -> dict[str, Any]:
    return {
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


@router.post("/webhook_endpoints")
def create_endpoint(
    body: EndpointIn, hooks: Hooks, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    """Register an endpoint for some event types (``*``: all). The signing secret is in this
    response only."""
    return idempotent(
        hooks,
        who,
        key,
        body,
        lambda hooks: endpoint_out(
            hooks.create_endpoint(who.vendor_id, body.url, tuple(body.event_types)), True
        ),
    )


@router.get("/webhook_endpoints")
def list_endpoints(
    hooks: Hooks, who: Authenticated, limit: Limit = 20, cursor: Cursor = None
) -> dict[str, Any]:
    return page([endpoint_out(e) for e in hooks.endpoints(who.vendor_id)], limit, cursor)


@router.get("/webhook_endpoints/{endpoint_id}/deliveries")
def list_deliveries(
    endpoint_id: str, hooks: Hooks, who: Authenticated, limit: Limit = 20, cursor: Cursor = None
) -> dict[str, Any]:
    """The delivery log of an endpoint, oldest first: every event, its attempts and their
    outcome."""
    found = hooks.deliveries_page(who.vendor_id, endpoint_id, after=cursor, limit=limit)
    return listing(found, delivery_out)


@router.post("/webhook_deliveries/{delivery_id}/redeliver")
def redeliver(
    delivery_id: str, hooks: Hooks, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    """Send a delivery again now, with the same ``webhook-id``."""
    return idempotent(
        hooks,
        who,
        key,
        None,
        lambda hooks: delivery_out(hooks.redeliver(who.vendor_id, delivery_id)),
    )
