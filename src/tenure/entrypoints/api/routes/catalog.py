"""The vendor's catalog: read the current version, upload a new one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.routing import StrictRoute
from tenure.entrypoints.api.security import Authenticated, ServicesDep
from tenure.entrypoints.presenters import catalog_dict, catalog_uploaded_dict
from tenure.services.application import Services

router = APIRouter(
    prefix="/v1", responses=PROBLEM_RESPONSES, tags=["catalog"], route_class=StrictRoute
)


@router.get("/catalog")
def get_catalog(services: ServicesDep, who: Authenticated) -> dict[str, Any]:
    """The vendor's current catalog version."""
    return catalog_dict(services.queries.catalog(who.vendor_id))


@router.post(
    "/catalog",
    status_code=201,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                media_type: {"schema": {"type": "string"}}
                for media_type in ("application/yaml", "application/x-yaml", "text/yaml")
            },
        }
    },
)
async def upload_catalog(
    request: Request,
    response: Response,
    services: ServicesDep,
    who: Authenticated,
    dry_run: Annotated[
        bool, Query(description="Only report what the version would do; store nothing.")
    ] = False,
    allow_grandfathering: Annotated[
        bool,
        Query(
            description="Store it even though running contracts would stay on their old "
            "version (a plan or add-on in use removed, a cycle, currency or time zone changed)."
        ),
    ] = False,
) -> dict[str, Any]:
    """Upload a new catalog version (the YAML format of the scenario README). Running contracts
    take it at their next period start, unless it removes their plan or a live add-on (or
    changes what they cannot follow): they keep their version (grandfathered), and such an
    upload is refused (409 ``catalog_strands_contracts``) without ``allow_grandfathering``. The
    reply reports the impact on running contracts; ``dry_run`` stores nothing. Every problem of
    the file is listed by path when it is refused."""
    body = await request.body()  # capped by the hardening middleware
    # Parsing YAML (pure Python) and storing the version take a while: off the event loop, so
    # that every other request is served meanwhile.
    if dry_run:
        response.status_code = 200  # nothing is created
    return await run_in_threadpool(
        _upload, services, who.vendor_id, body, dry_run, allow_grandfathering
    )


def _upload(
    services: Services, vendor_id: str, body: bytes, dry_run: bool, allow_grandfathering: bool
) -> dict[str, Any]:
    from tenure.adapters.catalog_yaml import load_catalog_text

    catalog = load_catalog_text(body.decode("utf-8", errors="replace"), "catalog")
    upload = services.vendors.upload(
        vendor_id, catalog, dry_run=dry_run, allow_grandfathering=allow_grandfathering
    )
    return catalog_uploaded_dict(upload)
