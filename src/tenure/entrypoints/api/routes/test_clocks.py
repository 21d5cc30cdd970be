"""Test clocks for sandbox customers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tenure.entrypoints.api.models import AdvanceIn, TestClockIn
from tenure.entrypoints.api.pagination import Cursor, Limit, page
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.routing import StrictRoute
from tenure.entrypoints.api.security import Authenticated, IdempotencyKey, ServicesDep, idempotent
from tenure.entrypoints.presenters import clock_advance_dict, clock_dict
from tenure.services.application import Services

router = APIRouter(
    prefix="/v1", responses=PROBLEM_RESPONSES, tags=["test_clocks"], route_class=StrictRoute
)


@router.post("/test_clocks", status_code=201)
def create_test_clock(
    body: TestClockIn, services: ServicesDep, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    """A clock for sandbox customers (create them with ``test_clock``)."""
    return idempotent(
        services,
        who,
        key,
        body.model_dump(mode="json"),
        lambda services: clock_dict(
            services.test_clocks.create(who.vendor_id, body.frozen_at, body.name)
        ),
    )


@router.get("/test_clocks")
def list_test_clocks(
    services: ServicesDep, who: Authenticated, limit: Limit = 20, cursor: Cursor = None
) -> dict[str, Any]:
    return page([clock_dict(c) for c in services.test_clocks.list(who.vendor_id)], limit, cursor)


@router.post("/test_clocks/{clock_id}/advance")
def advance_test_clock(
    clock_id: str, body: AdvanceIn, services: ServicesDep, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    """Move the clock forward; billing and transitions on the way run as in production."""

    def run(services: Services) -> dict[str, Any]:
        return clock_advance_dict(
            clock_id, services.test_clocks.advance(who.vendor_id, clock_id, body.to)
        )

    # Moving a clock to an instant is idempotent by itself; billing day by day commits per day.
    return idempotent(services, who, key, body.model_dump(mode="json"), run, atomic=False)
