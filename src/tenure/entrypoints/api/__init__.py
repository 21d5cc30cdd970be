"""The vendor REST API (FastAPI): ``create_app(tenure)``; ``tenure serve`` runs it."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from tenure import __version__
from tenure.adapters.webhook_http import HttpSender
from tenure.entrypoints.api import problems
from tenure.entrypoints.api.routes import router
from tenure.entrypoints.api.webhook_routes import webhook_router
from tenure.services.use_cases import Tenure
from tenure.services.webhooks import Webhooks


def create_app(tenure: Tenure, webhooks: Webhooks | None = None) -> FastAPI:
    """The API around ``tenure``; ``webhooks`` (default: one with an HTTP sender on the same
    storage) serves the webhook endpoints."""
    app = FastAPI(
        title="tenure vendor API",
        version=__version__,
        description="Customers, contracts, add-ons, usage, cancellations and invoices. "
        "Authenticate with `Authorization: Bearer <API key>`; send `Idempotency-Key` on POSTs; "
        "errors are RFC 9457 problem details with a stable `code`.",
    )
    app.state.tenure = tenure
    app.state.webhooks = webhooks or Webhooks(tenure.uow_factory, tenure.clock, HttpSender())
    problems.install(app)
    app.include_router(router)
    app.include_router(webhook_router)

    @app.get("/health", tags=["operations"])
    def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__}

    @app.get("/ready", tags=["operations"])
    def ready() -> dict[str, Any]:
        tenure.vendors()  # the database answers
        return {"status": "ready"}

    return app
