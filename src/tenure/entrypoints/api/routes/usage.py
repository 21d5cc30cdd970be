"""Metered usage events, one at a time or in batches."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tenure.entrypoints.api.models import UsageBatchIn, UsageIn
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.routing import StrictRoute
from tenure.entrypoints.api.security import Authenticated, ServicesDep
from tenure.entrypoints.presenters import usage_batch_dict, usage_event_dict
from tenure.services.usage import UsageEvent

router = APIRouter(
    prefix="/v1", responses=PROBLEM_RESPONSES, tags=["usage"], route_class=StrictRoute
)


@router.post("/usage", status_code=201)
def record_usage(body: UsageIn, services: ServicesDep, who: Authenticated) -> dict[str, Any]:
    """Idempotent by the event's own ``id``: a retry returns the first record. ``occurred_at``
    (default now) is when the usage happened: billed in the period of its local date; refused in
    the future (beyond 5 minutes of clock skew), before the contract started or in a period
    already invoiced."""
    return usage_event_dict(
        services.usage.record(
            who.vendor_id, body.contract, body.metric, body.quantity, body.id, body.occurred_at
        )
    )


@router.post("/usage/batch")
def record_usage_batch(
    body: UsageBatchIn, services: ServicesDep, who: Authenticated
) -> dict[str, Any]:
    """Up to 1,000 events in one transaction; each is accepted or refused on its own
    (idempotent by its id). Answers 200: the reply reports each outcome, refusals included."""
    outcomes = services.usage.record_batch(
        who.vendor_id,
        [UsageEvent(e.contract, e.metric, e.quantity, e.id, e.occurred_at) for e in body.events],
    )
    return usage_batch_dict([e.id for e in body.events], outcomes)
