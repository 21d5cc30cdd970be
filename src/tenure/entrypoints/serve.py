"""``tenure serve``: the vendor API in one process on the embedded default (SQLite), with a demo
vendor, its CloudCRM catalog, a few demo customers and an API key on first start."""

from __future__ import annotations

import logging
import os
import shlex
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.adapters.sql import SqlStore
from tenure.bootstrap import MailSettings, bootstrap
from tenure.domain.customer import CustomerType
from tenure.services.application import Services
from tenure.services.clock import SystemClock

LOG = logging.getLogger("tenure.worker")
#: Seconds between two purges of expired Idempotency-Keys.
PURGE_INTERVAL = 3600.0
#: Webhook delivery threads of ``tenure serve``.
DELIVERY_THREADS = 4
#: Seconds a shutdown waits for the workers (a delivery attempt ends within its 10 s deadline).
STOP_WAIT = 15.0
#: Seconds a shutdown waits for requests in flight before it closes their connections.
SHUTDOWN_GRACE = 10
DEMO_VENDOR = "demo"
DEMO_CATALOG = Path(__file__).resolve().parents[1] / "demo" / "cloudcrm.yaml"
DEMO_CUSTOMERS = (
    (
        "Muster GmbH",
        "billing@muster.example",
        CustomerType.BUSINESS,
        "DE129273398",
        "Musterweg 1, 10115 Berlin",
    ),
    (
        "Praxis Dr. Beispiel",
        "praxis@beispiel.example",
        CustomerType.BUSINESS,
        None,
        "Praxisstraße 5, 20095 Hamburg",
    ),
    (
        "Erika Mustermann",
        "erika@mustermann.example",
        CustomerType.CONSUMER,
        None,
        "Heidestraße 17, 51147 Köln",
    ),
)


@dataclass(frozen=True, slots=True)
class Demo:
    vendor: str
    api_key: str | None  # shown once, on the start that created it


def ensure_demo(services: Services, catalog: Path = DEMO_CATALOG) -> Demo:
    """Create the demo vendor, customers and an API key unless the vendor exists already."""
    if DEMO_VENDOR in services.queries.vendors():
        return Demo(DEMO_VENDOR, None)
    services.vendors.create(load_catalog_file(catalog), DEMO_VENDOR)
    for name, email, kind, vat_id, address in DEMO_CUSTOMERS:
        customer = services.customers.create(
            DEMO_VENDOR,
            type=kind,
            name=name,
            country="DE",
            email=email,
            vat_id=vat_id,
            address=address,
        )
        services.contracts.start(DEMO_VENDOR, customer.id, "business")
    services.billing.run(vendor_id=DEMO_VENDOR)
    return Demo(DEMO_VENDOR, services.api_keys.create(DEMO_VENDOR, name="demo").secret)


def tenure_command(argv0: str | None = None) -> list[str]:
    """How to run ``tenure`` as this process was run: the console script by its absolute path
    (``make run`` starts ``.venv/bin/tenure``, which need not be on PATH), else this Python with
    ``-m tenure.entrypoints.cli``."""
    script = Path(argv0 if argv0 is not None else sys.argv[0])
    if script.name == "tenure" and script.is_file():
        return [str(script.resolve())]
    return [sys.executable, "-m", "tenure.entrypoints.cli"]


def absolute_url(url: str) -> str:
    """``url`` with a relative SQLite path made absolute, so it names the same file anywhere."""
    prefix = "sqlite:///"
    path = url.removeprefix(prefix)
    if not url.startswith(prefix) or path.startswith("/") or path in ("", ":memory:"):
        return url
    return prefix + str(Path(path).resolve())


def key_command(url: str, vendor: str, argv0: str | None = None) -> str:
    """A shell command that creates an API key for ``vendor`` on the database at ``url`` and
    works as printed: from any directory, whatever the PATH, with any number of vendors."""
    return shlex.join(
        [*tenure_command(argv0), "--db", absolute_url(url), "--vendor", vendor, "keys", "create"]
    )


class Workers:
    """The in-process workers of the embedded default, each in its own thread, so that none
    waits for another: billing (a run every ``interval`` seconds; a run bills only what is due,
    so running often is cheap and safe; and the hourly purge of expired Idempotency-Keys), the
    message bus (every second), ``deliverers`` webhook delivery threads, each attempting one
    delivery at a time (one attempt per endpoint at a time: a slow receiver holds one of them,
    the others serve the other endpoints), the document renderer (PDF and e-invoices of issued
    documents, after their billing transaction) and the e-mail sender."""

    def __init__(
        self,
        services: Services,
        interval: float,
        webhooks: bool = True,
        deliverers: int = DELIVERY_THREADS,
    ) -> None:
        self.services, self.interval = services, interval
        self._stop = threading.Event()
        loops: list[tuple[str, Callable[[], None]]] = [("billing", self._billing)]
        if webhooks:
            loops.append(("bus", self._bus))
            loops += [(f"deliveries-{n + 1}", self._deliveries) for n in range(deliverers)]
            loops += [("documents", self._documents), ("mail", self._mail)]
        self._threads = [
            threading.Thread(target=loop, name=f"tenure-{name}", daemon=True)
            for name, loop in loops
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Stop every thread: they end after their current step (a delivery attempt within
        its deadline)."""
        self._stop.set()
        until = time.monotonic() + STOP_WAIT
        for thread in self._threads:
            thread.join(timeout=max(0.0, until - time.monotonic()))

    def _billing(self) -> None:
        last_billing = last_purge = 0.0
        while not self._stop.is_set():
            if time.monotonic() - last_billing >= self.interval:
                last_billing = time.monotonic()
                self._step("billing run", self._bill)
            if time.monotonic() - last_purge >= PURGE_INTERVAL:
                last_purge = time.monotonic()
                self._step("idempotency key purge", self.services.api_keys.purge_idempotency_keys)
            self._stop.wait(min(1.0, self.interval))

    def _bus(self) -> None:
        while not self._stop.is_set():  # every second: events to their handlers
            self._step("message bus", self.services.bus.dispatch)
            self._stop.wait(1.0)

    def _deliveries(self) -> None:
        while not self._stop.is_set():
            if not self._step("webhook delivery", self.services.webhooks.deliver_next):
                self._stop.wait(1.0)  # nothing due (or a failure): look again in a second

    def _documents(self) -> None:
        while not self._stop.is_set():
            if not self._step("document rendering", self.services.document_files.render_next):
                self._stop.wait(0.5)

    def _mail(self) -> None:
        while not self._stop.is_set():
            if not self._step("e-mail delivery", self.services.emails.deliver_next):
                self._stop.wait(0.5)

    def _bill(self) -> None:
        run = self.services.billing.run()
        if run.documents or run.failed:
            print(f"billing: {len(run.documents)} document(s), {len(run.failed)} failed")

    @staticmethod
    def _step(name: str, work: Callable[[], object]) -> object:
        """Run one step of a loop; a failure (the database away, a bug) is logged and the
        worker goes on with the next round, instead of dying silently."""
        try:
            return work()
        except Exception:
            LOG.exception("%s failed; retrying on the next round", name)
            return None


def drain(services: Services) -> dict[str, int]:
    """Do the background work that is due now, once, and return how much: events to their
    handlers, documents rendered, webhook attempts, e-mail attempts (``tenure worker --once``,
    e.g. from cron after ``tenure bill run``)."""
    done = {"events": services.bus.dispatch(), "documents": 0, "webhooks": 0, "emails": 0}
    steps = (
        ("documents", services.document_files.render_next),
        ("webhooks", services.webhooks.deliver_next),
        ("emails", services.emails.deliver_next),
    )
    for name, step in steps:
        while step():
            done[name] += 1
    return done


def work(db: str | None, interval: float) -> None:
    """The workers of ``tenure serve`` without the API, until SIGINT/SIGTERM."""
    import signal

    store = SqlStore(db, SystemClock(), actor="worker")
    mail = MailSettings.from_env(os.environ)
    services = bootstrap(store, store.clock, mail=mail)
    print(f"tenure worker on {store.url}; e-mail: {mail.description}", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    workers = Workers(services, interval)
    workers.start()
    try:
        stop.wait()
    finally:
        workers.stop()
        store.dispose()


def serve(db: str | None, host: str, port: int, demo: bool, interval: float = 60.0) -> None:
    import uvicorn

    from tenure.entrypoints.api import create_app

    class Server(uvicorn.Server):
        """uvicorn's server, which on SIGINT/SIGTERM also stops running test-clock advances
        (they run in request threads that a graceful shutdown would otherwise wait for)."""

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            services.test_clocks.stop_advances()
            super().handle_exit(sig, frame)

    store = SqlStore(db, SystemClock(), actor="api")
    mail = MailSettings.from_env(os.environ)
    services = bootstrap(store, store.clock, mail=mail)
    print(f"tenure API on http://{host}:{port}  (docs: /docs, OpenAPI: /openapi.json)")
    print(f"database: {store.url}")
    print(f"e-mail: {mail.description}")
    if demo:
        created = ensure_demo(services)
        if created.api_key:
            print(f"demo vendor {created.vendor!r}; API key (shown once): {created.api_key}")
        else:
            print(f"demo vendor {created.vendor!r} exists; create a key with:")
            print(f"  {key_command(store.url, created.vendor)}", flush=True)
    worker = Workers(services, interval)
    worker.start()
    config = uvicorn.Config(
        create_app(services),
        host=host,
        port=port,
        log_level="info",
        timeout_graceful_shutdown=SHUTDOWN_GRACE,
        server_header=False,
    )
    try:
        Server(config).run()
    finally:
        worker.stop()
        store.dispose()
