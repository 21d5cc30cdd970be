"""Builders for the integration tests: databases and a fleet of contracts."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.adapters.sql import SqlStore
from tenure.domain.customer import CustomerType
from tenure.services.application import Services
from tenure.services.clock import ManualClock

CATALOGS = Path(__file__).resolve().parents[2] / "examples" / "catalogs"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated database: a fresh SQLite file, or this worker's PostgreSQL test database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/tenure.sqlite"
        SqlStore(url, ManualClock(datetime(2026, 1, 1, tzinfo=UTC))).dispose()
        return url
    return str(request.getfixturevalue("postgres_url"))


def new_vendor_id() -> str:
    return f"ven_{uuid.uuid4().hex[:12]}"


def populate(app: Services, vendor_id: str, contracts: int, start: date) -> list[str]:
    """A vendor with the CloudCRM catalog and ``contracts`` business customers, each with one
    contract starting on ``start``; returns the contract ids."""
    app.vendors.create(load_catalog_file(CATALOGS / "cloudcrm.yaml"), vendor_id)
    ids = []
    for n in range(contracts):
        customer = app.customers.create(
            vendor_id,
            type=CustomerType.BUSINESS,
            name=f"Kunde {n}",
            country="DE",
            email=f"k{n}@kunde.example",
            address="Kundenweg 1, 10115 Berlin",
        )
        ids.append(app.contracts.start(vendor_id, customer.id, "business", start=start).id)
    return ids
