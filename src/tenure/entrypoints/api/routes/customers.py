"""Customers: create, list, read, and what they may use."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tenure.domain.customer import CustomerType
from tenure.entrypoints.api.models import CustomerIn
from tenure.entrypoints.api.pagination import Cursor, Limit, Livemode, listing
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES, ApiProblem
from tenure.entrypoints.api.security import Authenticated, IdempotencyKey, ServicesDep, idempotent
from tenure.entrypoints.presenters import customer_dict, entitlements_dict

router = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES, tags=["customers"])


@router.post("/customers", status_code=200)
def create_customer(
    body: CustomerIn, services: ServicesDep, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    from tenure.adapters.vat_ids import vat_id_problem

    if body.vat_id and (problem := vat_id_problem(body.vat_id)):
        raise ApiProblem(
            422, "validation_error", problem, errors=[{"field": "vat_id", "message": problem}]
        )
    return idempotent(
        services,
        who,
        key,
        body,
        lambda services: customer_dict(
            services.customers.create(
                who.vendor_id,
                type=CustomerType(body.type),
                name=body.name,
                country=body.country,
                email=body.email,
                locale=body.locale,
                vat_id=body.vat_id,
                address=body.address,
                test_clock_id=body.test_clock,
            )
        ),
    )


@router.get("/customers")
def list_customers(
    services: ServicesDep,
    who: Authenticated,
    livemode: Livemode = True,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Customers ordered by id: live ones, or with ``livemode=false`` sandbox ones."""
    found = services.queries.customers_page(
        who.vendor_id, livemode=livemode, after=cursor, limit=limit
    )
    return listing(found, customer_dict)


@router.get("/customers/{customer_id}")
def get_customer(customer_id: str, services: ServicesDep, who: Authenticated) -> dict[str, Any]:
    return customer_dict(services.queries.customer(who.vendor_id, customer_id))


@router.get("/customers/{customer_id}/entitlements")
def customer_entitlements(
    customer_id: str, services: ServicesDep, who: Authenticated
) -> dict[str, Any]:
    """What the customer may use right now, over all its contracts."""
    e = services.queries.customer_entitlements(who.vendor_id, customer_id)
    return entitlements_dict(e, customer=customer_id, features=sorted(e.features))
