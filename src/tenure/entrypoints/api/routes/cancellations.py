"""Contract cancellation: quote, notice, revocation, decisions."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter

from tenure.domain.cancellation import CancellationKind
from tenure.entrypoints.api.models import CancellationIn, DecisionIn
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.security import App, Authenticated, IdempotencyKey, idempotent
from tenure.entrypoints.presenters import (
    cancellation_decided_dict,
    cancellation_quote_dict,
    cancellation_received_dict,
)

router = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES, tags=["cancellations"])


@router.get("/contracts/{contract_id}/cancellation-quote")
def cancellation_quote(
    contract_id: str, app: App, who: Authenticated, requested_end: date | None = None
) -> dict[str, Any]:
    """The end date an ordinary notice received now would give; changes nothing."""
    end = app.cancellations.quote(who.vendor_id, contract_id, requested_end)
    return cancellation_quote_dict(contract_id, end)


@router.post("/contracts/{contract_id}/cancellations")
def cancel_contract(
    contract_id: str, body: CancellationIn, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    return idempotent(
        app,
        who,
        key,
        body,
        lambda app: cancellation_received_dict(
            app.cancellations.cancel(
                who.vendor_id,
                contract_id,
                kind=CancellationKind(body.kind),
                requested_end=body.requested_end,
                reason=body.reason,
                email=body.email,
            )
        ),
    )


@router.post("/contracts/{contract_id}/cancellations/revoke")
def revoke_cancellation(
    contract_id: str, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    return idempotent(
        app,
        who,
        key,
        None,
        lambda app: cancellation_decided_dict(app.cancellations.revoke(who.vendor_id, contract_id)),
    )


@router.post("/contracts/{contract_id}/cancellations/accept")
def accept_cancellation(
    contract_id: str, body: DecisionIn, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    return idempotent(
        app,
        who,
        key,
        body,
        lambda app: cancellation_decided_dict(
            app.cancellations.accept(who.vendor_id, contract_id, body.end_date)
        ),
    )


@router.post("/contracts/{contract_id}/cancellations/reject")
def reject_cancellation(
    contract_id: str, body: DecisionIn, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    return idempotent(
        app,
        who,
        key,
        body,
        lambda app: cancellation_decided_dict(
            app.cancellations.reject(who.vendor_id, contract_id, body.reason)
        ),
    )
