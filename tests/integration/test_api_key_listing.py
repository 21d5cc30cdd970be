"""``ApiKeys.list`` (for ``tenure keys list``) on memory, SQLite and PostgreSQL: the vendor's
keys oldest first, revoked ones too, no other vendor's."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.bootstrap import bootstrap
from tenure.services.access import Scope
from tenure.services.clock import ManualClock
from tests.conftest import StoreFactory

CATALOG = Path(__file__).resolve().parents[2] / "examples" / "catalogs" / "cloudcrm.yaml"


def test_the_vendors_keys_are_listed_oldest_first_with_revoked_ones(
    store_factory: StoreFactory,
) -> None:
    clock = ManualClock(datetime(2026, 3, 1, 9, tzinfo=UTC))
    app = bootstrap(store_factory(clock), clock)
    vendor, other = (f"ven_{uuid.uuid4().hex[:10]}" for _ in range(2))
    for v in (vendor, other):
        app.vendors.create(load_catalog_file(CATALOG), v)
    first = app.api_keys.create(vendor, name="first")
    clock.advance_to(clock.now() + timedelta(minutes=1))
    second = app.api_keys.create(vendor, Scope.READ_ONLY, "second")
    app.api_keys.create(other, name="theirs")
    app.api_keys.revoke(vendor, first.record.id)

    listed = app.api_keys.list(vendor)

    assert [(k.id, k.name, k.scope) for k in listed] == [
        (first.record.id, "first", Scope.FULL),
        (second.record.id, "second", Scope.READ_ONLY),
    ]
    assert listed[0].revoked_at == clock.now()
    assert listed[1].revoked_at is None
    assert listed[1].created_at == clock.now()


def test_listing_the_keys_of_an_unknown_vendor_is_refused(store_factory: StoreFactory) -> None:
    from tenure.services.errors import UnknownVendor

    clock = ManualClock(datetime(2026, 3, 1, 9, tzinfo=UTC))
    app = bootstrap(store_factory(clock), clock)
    with pytest.raises(UnknownVendor):
        app.api_keys.list("ven_nobody")
