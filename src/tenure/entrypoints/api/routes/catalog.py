"""The vendor's catalog: read the current version, upload a new one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.security import App, Authenticated

router = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES, tags=["catalog"])


@router.get("/catalog")
def get_catalog(app: App, who: Authenticated) -> dict[str, Any]:
    """The vendor's current catalog version."""
    catalog = app.queries.catalog(who.vendor_id)
    return {
        "object": "catalog",
        "vendor": {
            "name": catalog.vendor.name,
            "currency": catalog.vendor.currency,
            "timezone": catalog.vendor.timezone,
        },
        "plans": [
            {
                "id": p.id,
                "name": p.name,
                "price": str(p.price),
                "per_seat": p.per_seat,
                "billing_cycle": p.billing_cycle.value,
                "addons": list(p.addons),
                "notice": str(p.terms.notice),
                "notice_to": p.terms.notice_to.value,
            }
            for p in catalog.plans.values()
        ],
        "addons": [
            {"id": a.id, "name": a.name, "price": str(a.price)} for a in catalog.addons.values()
        ],
    }


@router.post(
    "/catalog",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/yaml": {"schema": {"type": "string"}}},
        }
    },
)
async def upload_catalog(request: Request, app: App, who: Authenticated) -> dict[str, Any]:
    """Upload a new catalog version (the YAML format of the scenario README). Running contracts
    take it at their next period start; every problem is listed by path when it is refused."""
    from tenure.adapters.catalog_yaml import load_catalog_text

    text = (await request.body()).decode("utf-8", errors="replace")
    catalog = load_catalog_text(text, "catalog")
    app.vendors.create(catalog, who.vendor_id)
    return {"object": "catalog", "plans": list(catalog.plans), "addons": list(catalog.addons)}
