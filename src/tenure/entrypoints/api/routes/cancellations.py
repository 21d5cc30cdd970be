"""Contract cancellation: quote, notice, revocation, decisions."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter

from tenure.domain.cancellation import CancellationKind
from tenure.entrypoints.api.models import CancellationIn, DecisionIn
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.routing import StrictRoute
from tenure.entrypoints.api.security import Authenticated, IdempotencyKey, ServicesDep, idempotent
from tenure.entrypoints.presenters import (
    cancellation_decided_dict,
    cancellation_quote_dict,
    cancellation_received_dict,
)

router = APIRouter(
    prefix="/v1", responses=PROBLEM_RESPONSES, tags=["cancellations"], route_class=StrictRoute
)


@router.get("/contracts/{contract_id}/cancellation-quote")
def cancellation_quote(
    contract_id: str, services: ServicesDep, who: Authenticated, requested_end: date | None = None
) -> dict[str, Any]:
    """The end date an ordinary notice received now would give; changes nothing."""
    end = services.cancellations.quote(who.vendor_id, contract_id, requested_end)
    return cancellation_quote_dict(contract_id, end)


@router.post("/contracts/{contract_id}/cancellations", status_code=201)
def cancel_contract(
    contract_id: str,
    body: CancellationIn,
    services: ServicesDep,
    who: Authenticated,
    key: IdempotencyKey,
) -> dict[str, Any]:
    return idempotent(
        services,
        who,
        key,
        body,
        lambda services: cancellation_received_dict(
            services.cancellations.cancel(
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
    contract_id: str, services: ServicesDep, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    return idempotent(
        services,
        who,
        key,
        None,
        lambda services: cancellation_decided_dict(
            services.cancellations.revoke(who.vendor_id, contract_id)
        ),
    )


@router.post("/contracts/{contract_id}/cancellations/accept")
def accept_cancellation(
    contract_id: str,
    body: DecisionIn,
    services: ServicesDep,
    who: Authenticated,
    key: IdempotencyKey,
) -> dict[str, Any]:
    return idempotent(
        services,
        who,
        key,
        body,
        lambda services: cancellation_decided_dict(
            services.cancellations.accept(who.vendor_id, contract_id, body.end_date)
        ),
    )


@router.post("/contracts/{contract_id}/cancellations/reject")
def reject_cancellation(
    contract_id: str,
    body: DecisionIn,
    services: ServicesDep,
    who: Authenticated,
    key: IdempotencyKey,
) -> dict[str, Any]:
    return idempotent(
        services,
        who,
        key,
        body,
        lambda services: cancellation_decided_dict(
            services.cancellations.reject(who.vendor_id, contract_id, body.reason)
        ),
    )
