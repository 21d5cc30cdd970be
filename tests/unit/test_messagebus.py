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

CATALOG = Path(__file__).resolve().parents[2] / "examples" / "catalogs" / "cloudcrm.yaml"
NOW = datetime(2026, 2, 3, 9, 0, tzinfo=UTC)


def crm() -> tuple[Services, str, str]:
    """A vendor with one contract: its start is in the outbox."""
    services = bootstrap(InMemoryStore(), ManualClock(NOW))
    vendor = services.vendors.create(load_catalog_file(CATALOG))
    customer = services.customers.create(
        vendor, type=CustomerType.BUSINESS, name="K", country="DE", email="k@x.example"
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


def test_a_failing_handler_rolls_its_batch_back_and_the_next_dispatch_retries() -> None:
    services, vendor, _ = crm()
    seen: list[str] = []
    fail = True

    def flaky(uow: UnitOfWork, message: OutboxMessage) -> None:
        seen.append(message.event.name)
        uow.webhooks.add_endpoint(
            WebhookEndpoint("we_1", vendor, "https://h.example", "whsec_x", ("*",), NOW)
        )
        if fail:
            raise RuntimeError("the mail server is down")

    services.bus.subscribe(None, flaky)
    with pytest.raises(RuntimeError):
        services.bus.dispatch()
    assert waiting(services) == ["contract.started"]  # still there
    assert services.webhooks.endpoints(vendor) == []  # the handler's write is undone

    fail = False
    assert services.bus.dispatch() == 1
    assert seen == ["contract.started", "contract.started"]
    assert waiting(services) == []


def test_the_bootstrap_wires_the_webhook_fan_out() -> None:
    services, vendor, contract = crm()
    endpoint = services.webhooks.create_endpoint(vendor, "https://h.example", ("addon.booked",))
    services.addons.book(vendor, contract, "extra_user")
    services.bus.dispatch()
    assert [d.event_name for d in services.webhooks.deliveries(vendor, endpoint.id)] == [
        "addon.booked"
    ]
