"""The append-only audit trail."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tenure.entrypoints.api.pagination import Cursor, Limit, listing
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.routing import StrictRoute
from tenure.entrypoints.api.security import Authenticated, ServicesDep
from tenure.entrypoints.presenters import audit_entry_dict

router = APIRouter(
    prefix="/v1", responses=PROBLEM_RESPONSES, tags=["audit"], route_class=StrictRoute
)


@router.get("/audit")
def audit_log(
    services: ServicesDep,
    who: Authenticated,
    entity: str | None = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """The append-only audit trail, oldest first: who changed what, when, before and after."""
    found = services.queries.audit_page(who.vendor_id, entity_id=entity, after=cursor, limit=limit)
    return listing(found, audit_entry_dict)
