"""The message bus: handlers run after commit, from the outbox, each message once, in order; a
handler's writes commit with the dispatch, and a failing handler leaves its batch to be retried."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.adapters.memory import InMemoryStore
from tenure.bootstrap import bootstrap
from tenure.domain import events as ev
from tenure.domain.customer import CustomerType
from tenure.services.application import Services
from tenure.services.clock import ManualClock
from tenure.services.repositories.outbox import OutboxMessage
from tenure.services.repositories.webhooks import WebhookEndpoint
from tenure.services.unit_of_work import UnitOfWork
from tenure.services.webhook_rules import WebhookSettings

CATALOG = Path(__file__).resolve().parents[2] / "examples" / "catalogs" / "cloudcrm.yaml"
NOW = datetime(2026, 2, 3, 9, 0, tzinfo=UTC)


def crm() -> tuple[Services, str, str]:
    """A vendor with one contract: its start is in the outbox."""
    services = bootstrap(
        InMemoryStore(), ManualClock(NOW), webhooks=WebhookSettings(allow_private=True)
    )
    vendor = services.vendors.create(load_catalog_file(CATALOG))
    customer = services.customers.create(
        vendor,
        type=CustomerType.BUSINESS,
        name="K",
        country="DE",
        email="k@x.example",
        address="Kundenweg 1, 10115 Berlin",
    )
    contract = services.contracts.start(vendor, customer.id, "business").id
    return services, vendor, contract


def waiting(services: Services) -> list[str]:
    with services.uow_factory() as uow:
        return [m.event.name for m in uow.outbox.undelivered(100)]


def test_handlers_get_each_message_once_in_order_by_type_or_all() -> None:
    services, vendor, contract = crm()
    every: list[str] = []
    booked: list[str] = []
    services.bus.subscribe(None, lambda _uow, m: every.append(m.event.name))
    services.bus.subscribe(ev.AddonBooked, lambda _uow, m: booked.append(m.event.name))
    services.addons.book(vendor, contract, "extra_user")

    assert services.bus.dispatch() == 2
    assert every == ["contract.started", "addon.booked"]
    assert booked == ["addon.booked"]
    assert services.bus.dispatch() == 0  # nothing is handled twice
    assert every == ["contract.started", "addon.booked"]


def test_a_handlers_writes_commit_with_the_dispatch() -> None:
    services, vendor, _ = crm()

    def remember(uow: UnitOfWork, message: OutboxMessage) -> None:
        uow.webhooks.add_endpoint(
            WebhookEndpoint(
                f"we_{message.sequence}", vendor, "https://h.example", "whsec_x", ("*",), NOW
            )
        )

    services.bus.subscribe(ev.ContractStarted, remember)
    services.bus.dispatch()
    assert [e.id for e in services.webhooks.endpoints(vendor)] == ["we_1"]


def test_a_failing_message_stays_for_the_next_dispatch_and_does_not_block_the_others(
    caplog: pytest.LogCaptureFixture,
) -> None:
    services, vendor, contract = crm()
    services.addons.book(vendor, contract, "extra_user")
    services.addons.book(vendor, contract, "extra_storage")
    seen: list[str] = []
    mail_server_down = True

    def flaky(uow: UnitOfWork, message: OutboxMessage) -> None:
        seen.append(message.event.name)
        uow.webhooks.add_endpoint(
            WebhookEndpoint(
                f"we_{message.sequence}", vendor, "https://h.example", "whsec_x", ("*",), NOW
            )
        )
        if mail_server_down and isinstance(message.event, ev.ContractStarted):
            raise RuntimeError("the mail server is down")

    services.bus.subscribe(None, flaky)
    assert services.bus.dispatch() == 2  # the two bookings; the start failed
    assert waiting(services) == ["contract.started"]  # still there, logged
    assert "contract.started" in caplog.text
    # The failing handler's write was undone with it; the others' writes committed.
    assert sorted(e.id for e in services.webhooks.endpoints(vendor)) == ["we_2", "we_3"]

    mail_server_down = False
    assert services.bus.dispatch() == 1
    assert waiting(services) == []
    assert sorted(e.id for e in services.webhooks.endpoints(vendor)) == ["we_1", "we_2", "we_3"]
    assert seen.count("contract.started") == 3  # in the batch, alone, and again


def test_the_bootstrap_wires_the_webhook_fan_out() -> None:
    services, vendor, contract = crm()
    endpoint = services.webhooks.create_endpoint(vendor, "https://h.example", ("addon.booked",))
    services.addons.book(vendor, contract, "extra_user")
    services.bus.dispatch()
    assert [d.event_name for d in services.webhooks.deliveries(vendor, endpoint.id)] == [
        "addon.booked"
    ]
