"""Webhook endpoints, their delivery log and manual redelivery."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from tenure.entrypoints.api.models import EndpointIn
from tenure.entrypoints.api.pagination import Cursor, Limit, listing, page
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.security import Authenticated, IdempotencyKey, idempotent
from tenure.entrypoints.presenters import webhook_delivery_dict, webhook_endpoint_dict
from tenure.services.webhooks import Webhooks

router = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES, tags=["webhooks"])


async def webhooks_of(request: Request) -> Webhooks:
    webhooks: Webhooks = request.app.state.services.webhooks
    return webhooks


Hooks = Annotated[Webhooks, Depends(webhooks_of)]


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
        lambda hooks: webhook_endpoint_dict(
            hooks.create_endpoint(who.vendor_id, body.url, tuple(body.event_types)), True
        ),
    )


@router.get("/webhook_endpoints")
def list_endpoints(
    hooks: Hooks, who: Authenticated, limit: Limit = 20, cursor: Cursor = None
) -> dict[str, Any]:
    return page([webhook_endpoint_dict(e) for e in hooks.endpoints(who.vendor_id)], limit, cursor)


@router.get("/webhook_endpoints/{endpoint_id}/deliveries")
def list_deliveries(
    endpoint_id: str, hooks: Hooks, who: Authenticated, limit: Limit = 20, cursor: Cursor = None
) -> dict[str, Any]:
    """The delivery log of an endpoint, oldest first: every event, its attempts and their
    outcome."""
    found = hooks.deliveries_page(who.vendor_id, endpoint_id, after=cursor, limit=limit)
    return listing(found, webhook_delivery_dict)


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
        lambda hooks: webhook_delivery_dict(hooks.redeliver(who.vendor_id, delivery_id)),
    )
