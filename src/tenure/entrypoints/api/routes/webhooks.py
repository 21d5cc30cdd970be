"""Webhook endpoints (register, change, remove), the published event types, the delivery log
and manual redelivery."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from tenure.entrypoints.api.models import EndpointIn, EndpointPatch
from tenure.entrypoints.api.pagination import Cursor, Limit, listing, page
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.routing import StrictRoute
from tenure.entrypoints.api.security import (
    Authenticated,
    IdempotencyKey,
    ServicesDep,
    idempotent,
)
from tenure.entrypoints.presenters import (
    event_type_dicts,
    webhook_delivery_dict,
    webhook_endpoint_dict,
)

router = APIRouter(
    prefix="/v1", responses=PROBLEM_RESPONSES, tags=["webhooks"], route_class=StrictRoute
)


@router.post("/webhook_endpoints", status_code=201)
def create_endpoint(
    body: EndpointIn, services: ServicesDep, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    """Register an endpoint for some event types (``["*"]``, the default: all; see
    ``GET /v1/event_types``). The signing secret is in this response only. URLs that resolve to
    loopback, private, link-local, multicast or reserved addresses, and plain http, are refused
    (``endpoint_url_not_allowed``) unless the operator allows private targets. A retry with the
    same Idempotency-Key returns the endpoint with ``secret: null`` (secrets are not stored with
    responses): rotate the secret if the first response was lost."""
    return idempotent(
        services,
        who,
        key,
        body,
        lambda services: webhook_endpoint_dict(
            services.webhooks.create_endpoint(who.vendor_id, body.url, tuple(body.event_types)),
            True,
        ),
        withheld=("secret",),
    )


@router.post("/webhook_endpoints/{endpoint_id}/rotate_secret")
def rotate_secret(
    endpoint_id: str, services: ServicesDep, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    """A new signing secret, in this response only. For 24 hours deliveries carry two
    signatures (``webhook-signature``: new and previous secret, space-separated), so the
    receiver can switch to the new secret without losing a webhook; then only the new one signs.
    A retry with the same Idempotency-Key returns ``secret: null``."""
    return idempotent(
        services,
        who,
        key,
        None,
        lambda services: webhook_endpoint_dict(
            services.webhooks.rotate_secret(who.vendor_id, endpoint_id), True
        ),
        withheld=("secret",),
    )


@router.get("/webhook_endpoints")
def list_endpoints(
    services: ServicesDep, who: Authenticated, limit: Limit = 20, cursor: Cursor = None
) -> dict[str, Any]:
    endpoints = services.webhooks.endpoints(who.vendor_id)
    return page([webhook_endpoint_dict(e) for e in endpoints], limit, cursor)


@router.get("/webhook_endpoints/{endpoint_id}")
def get_endpoint(endpoint_id: str, services: ServicesDep, who: Authenticated) -> dict[str, Any]:
    return webhook_endpoint_dict(services.webhooks.endpoint(who.vendor_id, endpoint_id))


@router.patch("/webhook_endpoints/{endpoint_id}")
def update_endpoint(
    endpoint_id: str, body: EndpointPatch, services: ServicesDep, who: Authenticated
) -> dict[str, Any]:
    """Change the URL, the event types or ``enabled``; what is left out stays. Disabling
    cancels the pending deliveries; enabling again starts a new failure streak."""
    changed = services.webhooks.update_endpoint(
        who.vendor_id,
        endpoint_id,
        url=body.url,
        event_types=tuple(body.event_types) if body.event_types is not None else None,
        enabled=body.enabled,
    )
    return webhook_endpoint_dict(changed)


@router.delete("/webhook_endpoints/{endpoint_id}", status_code=204, response_class=Response)
def delete_endpoint(endpoint_id: str, services: ServicesDep, who: Authenticated) -> None:
    """Remove the endpoint: its pending deliveries are never sent, and it is gone from the
    list (``GET`` answers 404)."""
    services.webhooks.delete_endpoint(who.vendor_id, endpoint_id)


@router.get("/event_types")
def list_event_types(_who: Authenticated) -> dict[str, Any]:
    """The event types an endpoint can subscribe to, each with what it tells."""
    return {"object": "list", "data": event_type_dicts(), "has_more": False, "next_cursor": None}


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
