"""Webhook endpoints, their delivery log and manual redelivery."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tenure.entrypoints.api.models import EndpointIn
from tenure.entrypoints.api.pagination import Cursor, Limit, listing, page
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.routing import StrictRoute
from tenure.entrypoints.api.security import (
    Authenticated,
    IdempotencyKey,
    ServicesDep,
    idempotent,
)
from tenure.entrypoints.presenters import webhook_delivery_dict, webhook_endpoint_dict

router = APIRouter(
    prefix="/v1", responses=PROBLEM_RESPONSES, tags=["webhooks"], route_class=StrictRoute
)


@router.post("/webhook_endpoints", status_code=201)
def create_endpoint(
    body: EndpointIn, services: ServicesDep, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    """Register an endpoint for some event types (``*``: all). The signing secret is in this
    response only."""
    return idempotent(
        services,
        who,
        key,
        body,
        lambda services: webhook_endpoint_dict(
            services.webhooks.create_endpoint(who.vendor_id, body.url, tuple(body.event_types)),
            True,
        ),
    )


@router.get("/webhook_endpoints")
def list_endpoints(
    services: ServicesDep, who: Authenticated, limit: Limit = 20, cursor: Cursor = None
) -> dict[str, Any]:
    endpoints = services.webhooks.endpoints(who.vendor_id)
    return page([webhook_endpoint_dict(e) for e in endpoints], limit, cursor)


@router.get("/webhook_endpoints/{endpoint_id}/deliveries")
def list_deliveries(
    endpoint_id: str,
    services: ServicesDep,
    who: Authenticated,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """The delivery log of an endpoint, oldest first: every event, its attempts and their
    outcome."""
    found = services.webhooks.deliveries_page(who.vendor_id, endpoint_id, after=cursor, limit=limit)
    return listing(found, webhook_delivery_dict)


@router.post("/webhook_deliveries/{delivery_id}/redeliver")
def redeliver(
    delivery_id: str, services: ServicesDep, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    """Send a delivery again now, with the same ``webhook-id``."""
    return idempotent(
        services,
        who,
        key,
        None,
        lambda services: webhook_delivery_dict(
            services.webhooks.redeliver(who.vendor_id, delivery_id)
        ),
    )
