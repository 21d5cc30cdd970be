"""Test clocks for sandbox customers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tenure.entrypoints.api.models import AdvanceIn, TestClockIn
from tenure.entrypoints.api.pagination import Cursor, Limit, page
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.security import App, Authenticated, IdempotencyKey, idempotent
from tenure.entrypoints.presenters import clock_advance_dict, clock_dict
from tenure.services.application import Services

router = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES, tags=["test_clocks"])


@router.post("/test_clocks")
def create_test_clock(
    body: TestClockIn, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    """A clock for sandbox customers (create them with ``test_clock``)."""
    return idempotent(
        app,
        who,
        key,
        body.model_dump(mode="json"),
        lambda app: clock_dict(app.test_clocks.create(who.vendor_id, body.frozen_at, body.name)),
    )


@router.get("/test_clocks")
def list_test_clocks(
    app: App, who: Authenticated, limit: Limit = 20, cursor: Cursor = None
) -> dict[str, Any]:
    return page([clock_dict(c) for c in app.test_clocks.list(who.vendor_id)], limit, cursor)


@router.post("/test_clocks/{clock_id}/advance")
def advance_test_clock(
    clock_id: str, body: AdvanceIn, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    """Move the clock forward; billing and transitions on the way run as in production."""

    def run(app: Services) -> dict[str, Any]:
        return clock_advance_dict(
            clock_id, app.test_clocks.advance(who.vendor_id, clock_id, body.to)
        )

    # Moving a clock to an instant is idempotent by itself; billing day by day commits per day.
    return idempotent(app, who, key, body.model_dump(mode="json"), run, atomic=False)
