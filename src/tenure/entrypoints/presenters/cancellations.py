"""Contract cancellations: as a contract lists them, and the replies to a notice, a quote and a
decision."""

from __future__ import annotations

from datetime import date
from typing import Any

from tenure.domain.cancellation import Cancellation
from tenure.services.encoding import plain_dict


def cancellation_received_dict(c: Cancellation) -> dict[str, Any]:
    """The reply to a notice."""
    return plain_dict(
        {
            "object": "cancellation",
            "id": c.id,
            "kind": c.kind,
            "status": c.status,
            "received_at": c.received_at,
            "received_on": c.received_on,
            "requested_end": c.requested_end,
            "effective_end": c.effective_end,
            "adjusted_reason": c.adjusted_reason,
        }
    )


def cancellation_decided_dict(c: Cancellation) -> dict[str, Any]:
    """The reply to a revocation, an acceptance or a rejection."""
    return plain_dict(
        {
            "object": "cancellation",
            "id": c.id,
            "status": c.status,
            "effective_end": c.effective_end,
            "adjusted_reason": c.adjusted_reason,
        }
    )


def cancellation_quote_dict(contract_id: str, end_date: date) -> dict[str, Any]:
    return plain_dict(
        {"object": "cancellation_quote", "contract": contract_id, "end_date": end_date}
    )
