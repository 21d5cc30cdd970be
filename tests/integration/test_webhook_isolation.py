"""One vendor's webhook receiver never stalls another vendor (issue 14.1), with real receivers on
loopback: no transaction is open while a webhook is posted, an attempt ends at one overall
deadline however the receiver trickles, at most a few KiB of an answer are read, and in
``tenure serve`` deliveries run in their own threads, one attempt per endpoint at a time.

The bounds are generous (a loaded 2-core machine): what they tell apart are seconds against the
tens of seconds a slow receiver holds an attempt."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.adapters.webhook_http import ANSWER_LIMIT, HttpSender
from tenure.adapters.webhook_targets import TargetPolicy
from tenure.bootstrap import bootstrap
from tenure.domain.customer import CustomerType
from tenure.entrypoints.serve import Workers
from tenure.services.application import Services
from tenure.services.clock import ManualClock
from tenure.services.webhook_rules import WebhookSettings
from tests.integration.test_webhooks import Receiver

CATALOG = Path(__file__).resolve().parents[2] / "examples" / "catalogs" / "cloudcrm.yaml"
HUGE = 200 * 1024 * 1024


class SlowReceiver:
    """A loopback receiver that answers badly: ``silent`` sends nothing for 30 s, ``trickle``
    sends its headers and then one byte a second for 40 s, ``huge`` a 200 MB body (counting
    what it managed to send before the client closed the connection)."""

    def __init__(self, mode: str) -> None:
        self.started = threading.Event()  # a request arrived
        self.finished = threading.Event()  # the handler is done (answered or cut off)
        self.release = threading.Event()  # end every answer now (teardown)
        self.sent = 0
        self.cut_off = False
        self.in_flight = self.most_in_flight = 0
        lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["content-length"]))
                with lock:
                    receiver.in_flight += 1
                    receiver.most_in_flight = max(receiver.most_in_flight, receiver.in_flight)
                receiver.started.set()
                try:
                    getattr(receiver, mode)(self)
                except OSError:
                    receiver.cut_off = True
                finally:
                    with lock:
                        receiver.in_flight -= 1
                    receiver.finished.set()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def silent(self, handler: BaseHTTPRequestHandler) -> None:
        self.release.wait(30)
        handler.send_response(204)
        handler.end_headers()

    def trickle(self, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("content-length", "40")
        handler.end_headers()
        for _ in range(40):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            if self.release.wait(1.0):
                return

    def huge(self, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(500)
        handler.send_header("content-length", str(HUGE))
        handler.end_headers()
        chunk = b"x" * 65536
        while self.sent < HUGE and not self.release.is_set():
            handler.wfile.write(chunk)
            self.sent += len(chunk)

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def senders() -> Iterator[list[HttpSender]]:
    made: list[HttpSender] = []
    yield made
    for sender in made:
        sender.close()


def setup(
    store_factory: Any, senders: list[HttpSender], deadline: float
) -> tuple[Services, str, str]:
    """Services posting through a real HttpSender with ``deadline``; a vendor with a contract."""
    sender = HttpSender(TargetPolicy(allow_private=True), deadline=deadline)
    senders.append(sender)
    clock = ManualClock(datetime(2026, 2, 3, 9, 0, tzinfo=UTC))
    app = bootstrap(
        store_factory(clock), clock, sender=sender, webhooks=WebhookSettings(allow_private=True)
    )
    vendor, contract = new_vendor(app)
    return app, vendor, contract


def new_vendor(app: Services) -> tuple[str, str]:
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    return vendor, app.contracts.start(vendor, new_customer(app, vendor), "business").id


def new_customer(app: Services, vendor: str) -> str:
    return app.customers.create(
        vendor,
        type=CustomerType.BUSINESS,
        name="K",
        country="DE",
        email="k@x.example",
        address="Kundenweg 1, 10115 Berlin",
    ).id


def timed(work: Any) -> float:
    start = time.monotonic()
    work()
    return time.monotonic() - start


@pytest.mark.parametrize("store_kind", ["sqlite", "postgresql"])
@pytest.mark.parametrize("mode", ["silent", "trickle"])
def test_a_slow_receiver_stalls_no_other_vendor_and_its_attempt_ends_at_the_deadline(
    store_factory: Any, senders: list[HttpSender], mode: str
) -> None:
    app, vendor_a, contract_a = setup(store_factory, senders, deadline=5)
    slow = SlowReceiver(mode)
    try:
        endpoint = app.webhooks.create_endpoint(vendor_a, slow.url, ("addon.booked",))
        app.addons.book(vendor_a, contract_a, "extra_user", 1)
        app.bus.dispatch()
        vendor_b, contract_b = new_vendor(app)

        attempt = threading.Thread(target=app.webhooks.deliver_due, daemon=True)
        attempt.start()
        assert slow.started.wait(20), "the slow receiver got no request"
        began = time.monotonic()
        # Vendor B writes and bills while A's attempt is in flight: no lock of A's in the way.
        writes = [
            timed(lambda: new_customer(app, vendor_b)),
            timed(lambda: app.addons.book(vendor_b, contract_b, "extra_user", 1)),
            timed(lambda: app.billing.run(vendor_id=vendor_b)),
        ]
        assert max(writes) < 3.0, writes
        attempt.join(timeout=60)
        took = time.monotonic() - began
    finally:
        slow.close()
    assert not attempt.is_alive()
    assert took < 5 + 10  # the deadline (5 s) and a margin, not the receiver's 30 or 40 s
    (delivery,) = app.webhooks.deliveries(vendor_a, endpoint.id)
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("pending", 1, None)
    assert delivery.last_error == "TimeoutError: no complete answer within the deadline of 5 s"


@pytest.mark.parametrize("store_kind", ["sqlite", "postgresql"])
def test_of_a_huge_answer_only_the_first_kib_are_read(
    store_factory: Any, senders: list[HttpSender]
) -> None:
    app, vendor, contract = setup(store_factory, senders, deadline=30)
    huge = SlowReceiver("huge")
    try:
        endpoint = app.webhooks.create_endpoint(vendor, huge.url, ("addon.booked",))
        app.addons.book(vendor, contract, "extra_user", 1)
        app.bus.dispatch()
        app.webhooks.deliver_due()
        assert huge.finished.wait(30), "the receiver is still sending"
    finally:
        huge.close()
    # The client closed the connection after ANSWER_LIMIT bytes: the receiver could send no
    # more than what the loopback socket buffers hold, far from the 200 MB.
    assert huge.sent < 64 * 1024 * 1024, huge.sent
    assert huge.cut_off
    (delivery,) = app.webhooks.deliveries(vendor, endpoint.id)
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("pending", 1, 500)
    assert delivery.last_error is not None
    assert delivery.last_error.startswith("HTTP 500: xxxx")
    assert len(delivery.last_error) <= 300
    assert ANSWER_LIMIT == 4096


@pytest.mark.parametrize("store_kind", ["sqlite", "postgresql"])
def test_in_serve_one_vendors_slow_receiver_delays_no_other_vendors_webhooks(
    store_factory: Any, senders: list[HttpSender], receiver: Receiver
) -> None:
    app, vendor_a, contract_a = setup(store_factory, senders, deadline=25)
    vendor_c, contract_c = new_vendor(app)
    slow = SlowReceiver("silent")
    workers = Workers(app, interval=3600)
    try:
        app.webhooks.create_endpoint(vendor_a, slow.url, ("addon.booked",))
        app.webhooks.create_endpoint(vendor_c, receiver.url, ("addon.booked",))
        for _ in range(3):  # A's three deliveries are due first
            app.addons.book(vendor_a, contract_a, "extra_user", 1)
        app.addons.book(vendor_c, contract_c, "extra_user", 1)

        workers.start()
        began = time.monotonic()
        arrived = None
        # Until C's webhook has arrived and A's attempt has begun (the threads of the render
        # and mail workers compete for the database too, so either may come first).
        while time.monotonic() - began < 20 and (arrived is None or not slow.started.is_set()):
            if arrived is None and receiver.received:
                arrived = time.monotonic() - began
            time.sleep(0.05)
        a_in_flight = slow.started.is_set() and not slow.finished.is_set()
    finally:
        slow.close()
        stopping = time.monotonic()
        workers.stop()
        stopped = time.monotonic() - stopping
    assert len(receiver.received) == 1
    assert arrived is not None
    assert arrived < 10, arrived  # A's receiver holds its attempt for 25 s
    assert a_in_flight  # and A's attempt still hangs: C did not wait for it
    assert slow.most_in_flight == 1  # one attempt per endpoint: A holds one thread, not four
    assert stopped < 10, stopped


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()
