"""Contracts: start, list, read, entitlements and plan changes."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from tenure.domain.contract import ContractStatus
from tenure.entrypoints.api.models import ContractIn, PlanChangeIn
from tenure.entrypoints.api.pagination import Cursor, Limit, Livemode, listing
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.routing import CREATED, StrictRoute
from tenure.entrypoints.api.security import Authenticated, IdempotencyKey, ServicesDep, idempotent
from tenure.entrypoints.presenters import (
    contract_dict,
    document_dict,
    entitlements_dict,
    plan_change_dict,
    plan_change_preview_dict,
)
from tenure.services.application import Services

router = APIRouter(
    prefix="/v1", responses=PROBLEM_RESPONSES, tags=["contracts"], route_class=StrictRoute
)


@router.post("/contracts", status_code=201, responses=CREATED)
def start_contract(
    body: ContractIn,
    services: ServicesDep,
    who: Authenticated,
    key: IdempotencyKey,
    response: Response,
) -> dict[str, Any]:
    created = idempotent(
        services,
        who,
        key,
        body,
        lambda services: contract_dict(
            services.contracts.start(
                who.vendor_id, body.customer, body.plan, body.seats, body.start
            )
        ),
    )
    response.headers["Location"] = f"/v1/contracts/{created['id']}"
    return created


@router.get("/contracts")
def list_contracts(
    services: ServicesDep,
    who: Authenticated,
    customer: str | None = None,
    status: Literal["active", "cancellation_pending", "ended", "withdrawn"] | None = None,
    livemode: Livemode = True,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Contracts ordered by id: live customers', or with ``livemode=false`` sandbox ones'."""
    found = services.queries.contract_views_page(
        who.vendor_id,
        customer_id=customer,
        status=ContractStatus(status) if status else None,
        livemode=livemode,
        after=cursor,
        limit=limit,
    )
    return listing(found, dict)


@router.get("/contracts/{contract_id}")
def get_contract(contract_id: str, services: ServicesDep, who: Authenticated) -> dict[str, Any]:
    return services.queries.contract_view(who.vendor_id, contract_id)


@router.get("/contracts/{contract_id}/entitlements")
def contract_entitlements(
    contract_id: str, services: ServicesDep, who: Authenticated
) -> dict[str, Any]:
    return entitlements_dict(
        services.queries.entitlements(who.vendor_id, contract_id), contract=contract_id
    )


@router.post("/contracts/{contract_id}/plan")
def change_plan(
    contract_id: str,
    body: PlanChangeIn,
    services: ServicesDep,
    who: Authenticated,
    key: IdempotencyKey,
    preview: Annotated[bool, Query(description="Only show what the change would do.")] = False,
) -> dict[str, Any]:
    """Upgrade at once with prorations, downgrade at the next period. With ``preview=true``:
    the prorations and the next invoice it would give, and nothing changes."""
    if preview:
        change, prorations, documents = services.billing.preview_plan_change(
            who.vendor_id, contract_id, body.plan, body.seats
        )
        return plan_change_preview_dict(change, prorations, documents)

    def run(services: Services) -> dict[str, Any]:
        change = services.contracts.change_plan(who.vendor_id, contract_id, body.plan, body.seats)
        return plan_change_dict(services.queries.contract(who.vendor_id, contract_id), change)

    return idempotent(services, who, key, body.model_dump(), run)


@router.post("/contracts/{contract_id}/withdraw")
def withdraw_contract(
    contract_id: str, services: ServicesDep, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    """The customer withdraws from the whole contract within its window (Widerruf, BGB §§ 355,
    356a): it ends at once (status ``withdrawn``), its bookings with it, and everything invoiced
    is credited by credit notes naming their invoices. Refused after the window
    (``withdrawal_period_expired``) or where no right exists (``withdrawal_not_available``).
    Confirmed by e-mail with the date and time of receipt."""

    def run(services: Services) -> dict[str, Any]:
        credit_notes = services.contracts.withdraw(who.vendor_id, contract_id)
        return {
            "object": "contract_withdrawal",
            "contract": services.queries.contract_view(who.vendor_id, contract_id),
            "credit_notes": [document_dict(n) for n in credit_notes],
        }

    return idempotent(services, who, key, None, run)
