"""``tenure serve``: the vendor API in one process on the embedded default (SQLite), with a demo
vendor, its CloudCRM catalog, a few demo customers and an API key on first start."""

from __future__ import annotations

import logging
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
from tenure.bootstrap import bootstrap
from tenure.domain.customer import CustomerType
from tenure.services.application import Services
from tenure.services.clock import SystemClock

LOG = logging.getLogger("tenure.worker")
#: Seconds between two purges of expired Idempotency-Keys.
PURGE_INTERVAL = 3600.0
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


class BillingLoop:
    """The in-process worker of the embedded default: a billing run every ``interval`` seconds
    (a run bills only what is due, so running often is cheap and safe)."""

    def __init__(self, services: Services, interval: float, webhooks: bool = True) -> None:
        self.services, self.interval, self.webhooks = services, interval, webhooks
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="tenure-billing", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _loop(self) -> None:
        last_billing = last_purge = 0.0
        while not self._stop.is_set():
            if time.monotonic() - last_billing >= self.interval:
                last_billing = time.monotonic()
                self._step("billing run", self._bill)
            if time.monotonic() - last_purge >= PURGE_INTERVAL:
                last_purge = time.monotonic()
                self._step("idempotency key purge", self.services.api_keys.purge_idempotency_keys)
            if self.webhooks:  # every second: events to their handlers, deliveries due
                self._step("message bus", self.services.bus.dispatch)
                self._step("webhook deliveries", self.services.webhooks.deliver_due)
            self._stop.wait(1.0)

    def _bill(self) -> None:
        run = self.services.billing.run()
        if run.documents or run.failed:
            print(f"billing: {len(run.documents)} document(s), {len(run.failed)} failed")

    @staticmethod
    def _step(name: str, work: Callable[[], object]) -> None:
        """Run one step of the loop; a failure (the database away, a bug) is logged and the
        worker goes on with the next step and the next round, instead of dying silently."""
        try:
            work()
        except Exception:
            LOG.exception("%s failed; retrying on the next round", name)


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
    services = bootstrap(store, store.clock)
    print(f"tenure API on http://{host}:{port}  (docs: /docs, OpenAPI: /openapi.json)")
    print(f"database: {store.url}")
    if demo:
        created = ensure_demo(services)
        if created.api_key:
            print(f"demo vendor {created.vendor!r}; API key (shown once): {created.api_key}")
        else:
            print(f"demo vendor {created.vendor!r} exists; create a key with:")
            print(f"  {key_command(store.url, created.vendor)}", flush=True)
    worker = BillingLoop(services, interval)
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
