"""Webhooks against a real HTTP receiver on loopback: signed per Standard Webhooks, retried with
backoff while the receiver is down (an hour loses nothing), logged, and redeliverable."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.bootstrap import bootstrap
from tenure.domain.customer import CustomerType
from tenure.services.application import Services
from tenure.services.clock import ManualClock
from tenure.services.webhook_rules import WebhookSettings
from tenure.services.webhooks import Webhooks, sign

CATALOG = Path(__file__).resolve().parents[2] / "examples" / "catalogs" / "cloudcrm.yaml"


class Receiver:
    """A loopback HTTP server that records what it receives and can play 'down'."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.answer = 204
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.answer)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


#: The receivers listen on loopback: private targets allowed, as `make run` demos set it.
LOOPBACK = WebhookSettings(allow_private=True)


def setup(
    store_factory: Any, webhooks: WebhookSettings = LOOPBACK
) -> tuple[Services, Webhooks, ManualClock, str, str]:
    clock = ManualClock(datetime(2026, 2, 3, 9, 0, tzinfo=UTC))
    store = store_factory(clock)
    app = bootstrap(store, clock, webhooks=webhooks)
    hooks = app.webhooks
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    customer = app.customers.create(
        vendor,
        type=CustomerType.BUSINESS,
        name="M",
        country="DE",
        email="m@k.example",
        address="Kundenweg 1, 10115 Berlin",
    )
    contract = app.contracts.start(vendor, customer.id, "business").id
    return app, hooks, clock, vendor, contract


def test_an_event_arrives_signed(store_factory: Any, receiver: Receiver) -> None:
    app, hooks, _, vendor, contract = setup(store_factory)
    endpoint = hooks.create_endpoint(vendor, receiver.url, ("addon.booked",))
    app.addons.book(vendor, contract, "extra_user", 2)

    # The worker serves every vendor: on the shared test database it may fan out and deliver
    # other tests' events too, so what counts is what this endpoint got.
    app.bus.dispatch()
    hooks.deliver_due()
    assert [d.event_name for d in hooks.deliveries(vendor, endpoint.id)] == ["addon.booked"]

    ((headers, body),) = receiver.received
    assert headers["webhook-signature"] == sign(
        endpoint.secret, headers["webhook-id"], int(headers["webhook-timestamp"]), body
    )
    event = json.loads(body)
    assert (event["type"], event["data"]["quantity"]) == ("addon.booked", 2)
    (delivery,) = hooks.deliveries(vendor, endpoint.id)
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("delivered", 1, 204)


def test_a_receiver_down_for_an_hour_loses_nothing(store_factory: Any, receiver: Receiver) -> None:
    app, hooks, clock, vendor, contract = setup(store_factory)
    endpoint = hooks.create_endpoint(vendor, receiver.url)
    receiver.answer = 503
    app.addons.book(vendor, contract, "extra_user", 1)
    app.cancellations.cancel(vendor, contract)
    app.bus.dispatch()
    events = len(hooks.deliveries(vendor, endpoint.id))
    assert events >= 3  # contract.started, addon.booked, cancellation.received

    start = clock.now()
    while clock.now() - start < timedelta(hours=1):  # the receiver is down for an hour
        hooks.deliver_due()
        clock.advance_to(clock.now() + timedelta(seconds=30))
    assert all(d.status == "pending" for d in hooks.deliveries(vendor, endpoint.id))

    receiver.answer = 200
    clock.advance_to(clock.now() + timedelta(hours=1))
    hooks.deliver_due()

    deliveries = hooks.deliveries(vendor, endpoint.id)
    assert [d.status for d in deliveries] == ["delivered"] * events
    assert all(d.attempts > 3 for d in deliveries)  # retried with backoff, not once a second
    delivered_ids = {h["webhook-id"] for h, _ in receiver.received}
    assert len(delivered_ids) == events  # the same webhook-id on every attempt


def test_a_delivery_can_be_sent_again_by_hand(store_factory: Any, receiver: Receiver) -> None:
    app, hooks, _, vendor, contract = setup(store_factory)
    endpoint = hooks.create_endpoint(vendor, receiver.url, ("addon.booked",))
    app.addons.book(vendor, contract, "extra_user", 1)
    app.bus.dispatch()
    hooks.deliver_due()
    (delivery,) = hooks.deliveries(vendor, endpoint.id)

    hooks.redeliver(vendor, delivery.id)
    hooks.deliver_due()

    assert [h["webhook-id"] for h, _ in receiver.received] == [delivery.message_id] * 2


def test_another_vendors_endpoint_gets_nothing(store_factory: Any, receiver: Receiver) -> None:
    app, hooks, _, vendor, contract = setup(store_factory)
    other = app.vendors.create(load_catalog_file(CATALOG))
    hooks.create_endpoint(other, receiver.url)
    app.addons.book(vendor, contract, "extra_user", 1)
    app.bus.dispatch()
    hooks.deliver_due()
    assert receiver.received == []
