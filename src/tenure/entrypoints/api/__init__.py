"""The vendor REST API (FastAPI): ``create_app(services)``; ``tenure serve`` runs it."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from tenure import __version__
from tenure.entrypoints.api import problems
from tenure.entrypoints.api.hardening import FailedAuthentications, Hardening
from tenure.entrypoints.api.routes import (
    addons,
    audit,
    cancellations,
    catalog,
    contracts,
    customers,
    invoices,
    test_clocks,
    usage,
    webhooks,
)
from tenure.services.application import Services


def create_app(services: Services) -> FastAPI:
    """The API around ``services`` (built by :func:`tenure.bootstrap.bootstrap`). Its
    interactive docs (``/docs``, ``/redoc``) load their scripts from this server, not a CDN."""
    app = FastAPIOffline(
        title="tenure vendor API",
        version=__version__,
        description="Customers, contracts, add-ons, usage, cancellations and invoices. "
        "Authenticate with `Authorization: Bearer <API key>`; send `Idempotency-Key` on POSTs; "
        "errors are RFC 9457 problem details with a stable `code`.",
    )
    app.state.services = services
    app.state.failed_authentications = FailedAuthentications()
    app.add_middleware(Hardening)
    problems.install(app)
    for feature in (
        customers,
        contracts,
        addons,
        cancellations,
        usage,
        invoices,
        catalog,
        audit,
        test_clocks,
        webhooks,
    ):
        app.include_router(feature.router)

    @app.get("/health", tags=["operations"])
    def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__}

    @app.get("/ready", tags=["operations"])
    def ready() -> dict[str, Any]:
        services.queries.vendors()  # the database answers
        return {"status": "ready"}

    build_openapi = app.openapi
    app.openapi = lambda: problems.add_problem_schemas(build_openapi())  # type: ignore[method-assign]
    return app
