"""Property-based API testing: schemathesis generates requests from ``/openapi.json`` and checks
that no request gives a 500 and every response matches the schema (in memory, for speed; the
same routes run on SQLite and PostgreSQL in test_api.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.adapters.memory import InMemoryStore
from tenure.bootstrap import bootstrap
from tenure.domain.customer import CustomerType
from tenure.entrypoints.api import create_app
from tenure.services.clock import ManualClock
from tenure.services.webhook_rules import WebhookSettings

CATALOG = Path(__file__).resolve().parents[2] / "examples" / "catalogs" / "cloudcrm.yaml"

clock = ManualClock(datetime(2026, 2, 3, 9, 0, tzinfo=UTC))
# Private webhook targets allowed: generated URLs are never resolved (no DNS off this machine).
tenure = bootstrap(InMemoryStore(), clock, webhooks=WebhookSettings(allow_private=True))
VENDOR = tenure.vendors.create(load_catalog_file(CATALOG))
KEY = tenure.api_keys.create(VENDOR).secret
CUSTOMER = tenure.customers.create(
    VENDOR,
    type=CustomerType.BUSINESS,
    name="Muster GmbH",
    country="DE",
    email="b@m.example",
    address="Kundenweg 1, 10115 Berlin",
)
CONTRACT = tenure.contracts.start(VENDOR, CUSTOMER.id, "business")
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(tenure))


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_fails_and_keeps_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(
        # A fresh Idempotency-Key per request: reusing one for another request is refused (422).
        headers={"Authorization": f"Bearer {KEY}", "Idempotency-Key": uuid.uuid4().hex},
        # What issue #4 asks: never a 500, and every response (status, content type, body,
        # headers) as the schema documents it.
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            response_headers_conformance,
        ],
    )
