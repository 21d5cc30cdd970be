"""Metered usage events, one at a time or in batches."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tenure.domain.errors import DomainError
from tenure.entrypoints.api.models import (
    UsageBatchIn,
    UsageIn,
)
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.security import App, Authenticated

router = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES, tags=["usage"])


def _record(app: Any, vendor_id: str, event: UsageIn) -> dict[str, Any]:
    record = app.usage.record(vendor_id, event.contract, event.metric, event.quantity, event.id)
    return {
        "object": "usage_event",
        "id": record.key,
        "contract": record.contract_id,
        "metric": record.metric,
        "quantity": str(record.quantity),
        "occurred_on": record.occurred_on,
    }


@router.post("/usage")
def record_usage(body: UsageIn, app: App, who: Authenticated) -> dict[str, Any]:
    """Idempotent by the event's own ``id``: a retry returns the first record."""
    return _record(app, who.vendor_id, body)


@router.post("/usage/batch")
def record_usage_batch(body: UsageBatchIn, app: App, who: Authenticated) -> dict[str, Any]:
    """Up to 1,000 events in one transaction; each is accepted or refused on its own
    (idempotent by its id)."""
    outcomes = app.usage.record_batch(
        who.vendor_id, [(e.contract, e.metric, e.quantity, e.id) for e in body.events]
    )
    results: list[dict[str, Any]] = []
    for event, outcome in zip(body.events, outcomes, strict=True):
        if isinstance(outcome, DomainError):
            results.append(
                {
                    "status": "refused",
                    "id": event.id,
                    "code": outcome.code,
                    "detail": outcome.message,
                }
            )
        else:
            results.append(
                {
                    "status": "accepted",
                    "object": "usage_event",
                    "id": outcome.key,
                    "contract": outcome.contract_id,
                    "metric": outcome.metric,
                    "quantity": str(outcome.quantity),
                    "occurred_on": outcome.occurred_on,
                }
            )
    return {
        "object": "usage_batch",
        "accepted": sum(r["status"] == "accepted" for r in results),
        "refused": sum(r["status"] == "refused" for r in results),
        "results": results,
    }
