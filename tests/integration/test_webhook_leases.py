"""The lease of a webhook attempt (issue 14.1): two workers (threads of two processes) never send
one delivery twice at once, a worker that dies mid-attempt leaves the delivery due again once its
lease ends (at least once), and a redelivery made during an attempt wins over its outcome."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tenure.adapters.sql import SqlStore
from tenure.bootstrap import bootstrap
from tenure.services.clock import ManualClock
from tenure.services.webhook_rules import SenderAnswer, WebhookSettings
from tenure.services.webhooks import LEASE
from tests.integration.fleet import new_vendor_id, populate
from tests.integration.test_webhook_isolation import (
    SlowReceiver,
    new_vendor,
    senders,
    setup,
    timed,
)
from tests.integration.test_webhooks import LOOPBACK, Receiver

NOW = datetime(2026, 2, 3, 9, 0, tzinfo=UTC)


def test_two_processes_with_three_threads_each_send_every_delivery_once(
    db_url: str, receiver: Receiver
) -> None:
    clock = ManualClock(NOW)
    stores = [SqlStore(db_url, clock, migrate=False) for _ in range(2)]
    apps = [bootstrap(store, clock, webhooks=LOOPBACK) for store in stores]
    vendor = new_vendor_id()
    contracts = populate(apps[0], vendor, 2, NOW.date())
    apps[0].webhooks.create_endpoint(vendor, receiver.url, ("addon.booked",))
    for n in range(24):
        apps[0].addons.book(vendor, contracts[n % 2], "extra_user", 1)
    apps[0].bus.dispatch()

    def work(app: Any) -> None:
        while app.webhooks.deliver_next():
            pass

    threads = [threading.Thread(target=work, args=(app,)) for app in apps for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for store in stores:
        store.dispose()
    sent = Counter(headers["webhook-id"] for headers, _ in receiver.received)
    ours = {d.message_id for d in apps[0].webhooks.deliveries(vendor, _endpoint(apps[0], vendor))}
    assert len(ours) == 24
    assert {m: sent[m] for m in ours} == dict.fromkeys(ours, 1)


def _endpoint(app: Any, vendor: str) -> str:
    (endpoint,) = app.webhooks.endpoints(vendor)
    return str(endpoint.id)


class CrashingSender:
    """Fault injection: the worker dies in the middle of its first attempt to ``url`` (after
    the lease committed, before an outcome), as a killed process would. (On the shared
    PostgreSQL test database other tests' deliveries may come first: they are answered 204.)"""

    def __init__(self, url: str) -> None:
        self.url = url
        self.posts = 0

    def post(self, url: str, headers: dict[str, str], body: bytes) -> SenderAnswer:
        if url != self.url:
            return SenderAnswer(204)
        self.posts += 1
        if self.posts == 1:
            raise RuntimeError("the worker died")
        return SenderAnswer(204)


def test_a_delivery_whose_worker_died_is_sent_again_after_the_lease(store_factory: Any) -> None:
    clock = ManualClock(NOW)
    sender = CrashingSender(f"http://127.0.0.1:9/hooks/{uuid.uuid4().hex}")
    app = bootstrap(
        store_factory(clock), clock, sender=sender, webhooks=WebhookSettings(allow_private=True)
    )
    vendor, contract = new_vendor(app)
    endpoint = app.webhooks.create_endpoint(vendor, sender.url, ("addon.booked",))
    app.addons.book(vendor, contract, "extra_user", 1)
    app.bus.dispatch()

    with pytest.raises(RuntimeError, match="the worker died"):
        app.webhooks.deliver_due(limit=1000)
    (leased,) = app.webhooks.deliveries(vendor, endpoint.id)
    assert (leased.status, leased.attempts, leased.next_attempt_at) == ("pending", 1, NOW + LEASE)

    clock.advance_to(NOW + LEASE - timedelta(seconds=1))
    app.webhooks.deliver_due()
    assert sender.posts == 1  # still leased: nobody sends it meanwhile

    clock.advance_to(NOW + LEASE)
    app.webhooks.deliver_due()
    (delivered,) = app.webhooks.deliveries(vendor, endpoint.id)
    assert (sender.posts, delivered.status, delivered.attempts) == (2, "delivered", 2)


@pytest.mark.parametrize("store_kind", ["sqlite", "postgresql"])
def test_a_redelivery_during_an_attempt_wins_over_its_outcome(
    store_factory: Any, senders: Any
) -> None:
    app, vendor, contract = setup(store_factory, senders, deadline=20)
    slow = SlowReceiver("silent")
    try:
        endpoint = app.webhooks.create_endpoint(vendor, slow.url, ("addon.booked",))
        app.addons.book(vendor, contract, "extra_user", 1)
        app.bus.dispatch()
        attempt = threading.Thread(target=app.webhooks.deliver_next, daemon=True)
        attempt.start()
        assert slow.started.wait(20)
        (delivery,) = app.webhooks.deliveries(vendor, endpoint.id)
        took = timed(lambda: app.webhooks.redeliver(vendor, delivery.id))
        assert took < 3.0, took  # no lock of the open attempt in the way
        slow.release.set()  # the first attempt now answers 204
        attempt.join(timeout=30)
    finally:
        slow.close()
    (after,) = app.webhooks.deliveries(vendor, endpoint.id)
    # The first attempt's 204 was not recorded over the redelivery: it is still due now.
    assert (after.status, after.attempts, after.next_attempt_at) == ("pending", 1, NOW)


@pytest.fixture
def receiver() -> Any:
    r = Receiver()
    yield r
    r.close()


__all__ = ["senders"]  # the fixture, used here
