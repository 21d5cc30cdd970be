"""Metered usage: a recorded event, and the outcome of a batch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tenure.domain.errors import DomainError
from tenure.domain.usage import UsageRecord
from tenure.services.encoding import plain


def usage_event_dict(record: UsageRecord) -> dict[str, Any]:
    # Built field by field (a batch presents 1,000 of them): only three values need encoding.
    return {
        "object": "usage_event",
        "id": record.key,
        "contract": record.contract_id,
        "metric": record.metric,
        "quantity": plain(record.quantity),
        "occurred_at": plain(record.occurred_at),
        "occurred_on": plain(record.occurred_on),
    }


def _outcome_dict(event_id: str, outcome: UsageRecord | DomainError) -> dict[str, Any]:
    if isinstance(outcome, DomainError):
        return {
            "status": "refused",
            "id": event_id,
            "code": outcome.code,
            "detail": outcome.message,
        }
    return {"status": "accepted", **usage_event_dict(outcome)}


def usage_batch_dict(
    event_ids: Sequence[str], outcomes: Sequence[UsageRecord | DomainError]
) -> dict[str, Any]:
    """Each event's outcome, in the order sent (``event_ids``: the ids sent)."""
    results = [_outcome_dict(i, o) for i, o in zip(event_ids, outcomes, strict=True)]
    return {  # every result is plain already
        "object": "usage_batch",
        "accepted": sum(r["status"] == "accepted" for r in results),
        "refused": sum(r["status"] == "refused" for r in results),
        "results": results,
    }
