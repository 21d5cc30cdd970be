"""``webhook-id`` is random per event: one vendor's ids reveal nothing about other vendors'
activity (a shared sequence would show the gaps their events leave)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.bootstrap import bootstrap
from tenure.domain.customer import CustomerType
from tenure.services.clock import ManualClock
from tenure.services.webhook_rules import WebhookSettings

CATALOG = Path(__file__).resolve().parents[2] / "examples" / "catalogs" / "cloudcrm.yaml"


def test_message_ids_are_random_and_shared_by_the_endpoints_of_one_event(
    store_factory: Any,
) -> None:
    clock = ManualClock(datetime(2026, 2, 3, 9, 0, tzinfo=UTC))
    # Production ids (random); the endpoints point at loopback.
    app = bootstrap(store_factory(clock), clock, webhooks=WebhookSettings(allow_private=True))
    vendors = [app.vendors.create(load_catalog_file(CATALOG)) for _ in range(2)]
    endpoints = {
        v: [
            app.webhooks.create_endpoint(v, f"http://127.0.0.1:9/{v}/{n}", ("addon.booked",))
            for n in range(2)
        ]
        for v in vendors
    }
    for _ in range(3):
        for vendor in vendors:
            customer = app.customers.create(
                vendor,
                type=CustomerType.BUSINESS,
                name="M",
                country="DE",
                email="m@k.example",
                address="Kundenweg 1, 10115 Berlin",
            )
            contract = app.contracts.start(vendor, customer.id, "business").id
            app.addons.book(vendor, contract, "extra_user", 1)
    app.bus.dispatch()

    first, second = (app.webhooks.deliveries(vendors[0], e.id) for e in endpoints[vendors[0]])
    ids = [d.message_id for d in first]
    assert len(set(ids)) == len(ids) == 3
    assert all(re.fullmatch(r"msg_[0-9a-f]{16}", i) for i in ids), ids
    # Both endpoints of the vendor got each event under the same id (receivers deduplicate).
    assert sorted(ids) == sorted(d.message_id for d in second)
    others = {
        d.message_id
        for e in endpoints[vendors[1]]
        for d in app.webhooks.deliveries(vendors[1], e.id)
    }
    assert not others & set(ids)
