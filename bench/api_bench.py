"""API benchmark: throughput and latency of `GET entitlements` and `POST usage/batch` under
concurrent load, each as a ratio to a bare FastAPI endpoint measured in the same run.

    make bench            # PostgreSQL from TENURE_BENCH_POSTGRES_URL (default local, trust auth)

Each server runs in its own uvicorn process on loopback; the load generator (httpx, asyncio) runs
in this process, so on a 2-core machine both share the CPU: compare the ratios, not absolutes.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
ADMIN_URL = os.environ.get(
    "TENURE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
DB_NAME = "tenure_bench"
DURATION = float(os.environ.get("TENURE_BENCH_SECONDS", "8"))
CONCURRENCY = int(os.environ.get("TENURE_BENCH_CONCURRENCY", "16"))

SERVER = """
import sys, uvicorn
from fastapi import FastAPI
kind, port, url = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if kind == "bare":
    app = FastAPI()
    @app.get("/bare")
    def bare() -> dict[str, bool]:
        return {"ok": True}
else:
    from tenure.adapters.sql import SqlStore
    from tenure.entrypoints.api import create_app
    from tenure.services.clock import SystemClock
    from tenure.bootstrap import bootstrap
    store = SqlStore(url, SystemClock(), actor="api", migrate=False)
    app = create_app(bootstrap(store, store.clock))
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
"""


def fresh_database() -> str:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DB_NAME}"'))
    admin.dispose()
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{DB_NAME}"


def seed(url: str) -> tuple[dict[str, str], str, dict[str, str], str]:
    """Two vendors: CloudCRM, whose customer has two contracts with add-on bookings (one of them
    cancelled), for the entitlements read; RED connect (SMS usage) for the usage batches.
    Returns (headers, customer) for the one and (headers, contract) for the other."""
    from tenure.adapters.catalog_yaml import load_catalog_file
    from tenure.adapters.sql import SqlStore
    from tenure.bootstrap import bootstrap
    from tenure.domain.customer import CustomerType
    from tenure.services.clock import SystemClock

    store = SqlStore(url, SystemClock())
    app = bootstrap(store, store.clock)
    crm = app.vendors.create(load_catalog_file(ROOT / "examples/catalogs/cloudcrm.yaml"))
    customer = app.customers.create(
        crm,
        type=CustomerType.BUSINESS,
        name="Kanzlei",
        country="DE",
        email="k@x.example",
        address="Kanzleiweg 1, 10115 Berlin",
    )
    for _ in range(2):
        contract = app.contracts.start(crm, customer.id, "business")
        app.addons.book(crm, contract.id, "extra_user", 2)
        app.addons.book(crm, contract.id, "extra_storage", 1)
        app.addons.cancel(crm, contract.id, app.addons.book(crm, contract.id, "extra_user", 1))
    red = app.vendors.create(load_catalog_file(ROOT / "examples/catalogs/redconnect.yaml"))
    praxis = app.customers.create(
        red,
        type=CustomerType.BUSINESS,
        name="Praxis",
        country="DE",
        email="p@x.example",
        address="Praxisweg 2, 20095 Hamburg",
    )
    sms_contract = app.contracts.start(red, praxis.id, "plus", seats=3)
    keys = [app.api_keys.create(v).secret for v in (crm, red)]
    store.dispose()
    crm_headers, red_headers = ({"Authorization": f"Bearer {k}"} for k in keys)
    return crm_headers, customer.id, red_headers, sms_contract.id


def start(kind: str, port: int, url: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-c", SERVER, kind, str(port), url], cwd=ROOT)
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/docs", timeout=0.5)
            return process
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{kind} server did not start")


async def load(make_request, seconds: float) -> tuple[int, list[float]]:  # type: ignore[no-untyped-def]
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=CONCURRENCY)) as c:

        async def worker() -> None:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await make_request(c)
                assert response.status_code == 200, response.text[:300]
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return len(latencies), latencies


def report(name: str, count: int, latencies: list[float], per_request: int = 1) -> dict[str, float]:
    q = statistics.quantiles(latencies, n=100)
    row = {
        "rps": count / DURATION,
        "p50": q[49] * 1000,
        "p99": q[98] * 1000,
        "items": count * per_request / DURATION,
    }
    print(
        f"{name:<28} {row['rps']:>9.0f} req/s   p50 {row['p50']:>6.1f} ms   "
        f"p99 {row['p99']:>7.1f} ms   {row['items']:>9.0f} items/s"
    )
    return row


def main() -> None:
    url = fresh_database()
    from tenure.adapters.sql import SqlStore
    from tenure.services.clock import SystemClock

    SqlStore(url, SystemClock()).dispose()  # migrate
    crm_headers, customer, red_headers, contract = seed(url)
    bare, api = start("bare", 8871, url), start("tenure", 8872, url)
    try:
        print(f"{DURATION:.0f} s per measurement, {CONCURRENCY} concurrent clients, PostgreSQL")
        n, lat = asyncio.run(load(lambda c: c.get("http://127.0.0.1:8871/bare"), DURATION))
        base = report("bare FastAPI GET", n, lat)
        entitlements = f"http://127.0.0.1:8872/v1/customers/{customer}/entitlements"
        # What is measured must be the real answer: per contract 3 + 2 + 1 users (the cancelled
        # booking runs to the period end) and 10 + 10 GB, over two contracts.
        limits = httpx.get(entitlements, headers=crm_headers).json()["limits"]
        assert limits == {"users": 12, "storage_gb": 40}, limits
        n, lat = asyncio.run(load(lambda c: c.get(entitlements, headers=crm_headers), DURATION))
        ent = report("GET entitlements", n, lat)
        # For comparison: one contract's entitlements computed from the whole aggregate (all
        # child rows loaded) instead of the stored timeline.
        contract_url = "http://127.0.0.1:8872/v1/contracts/{}/entitlements".format(
            httpx.get(
                "http://127.0.0.1:8872/v1/contracts",
                headers=crm_headers,
                params={"customer": customer},
            ).json()["data"][0]["id"]
        )
        n, lat = asyncio.run(load(lambda c: c.get(contract_url, headers=crm_headers), DURATION))
        report("GET contract entitlements", n, lat)

        def batch(c: httpx.AsyncClient):  # type: ignore[no-untyped-def]
            events = [
                {"contract": contract, "metric": "sms", "quantity": "1", "id": uuid.uuid4().hex}
                for _ in range(1000)
            ]
            return c.post(
                "http://127.0.0.1:8872/v1/usage/batch", headers=red_headers, json={"events": events}
            )

        n, lat = asyncio.run(load(batch, DURATION))
        usage = report("POST usage/batch (1000)", n, lat, per_request=1000)
        print(
            f"entitlements throughput: {ent['rps'] / base['rps']:.1%} of the bare endpoint "
            "(target >= 50 %)"
        )
        print(f"usage ingestion: {usage['items']:.0f} events/s (target >= 10,000)")
    finally:
        for process in (bare, api):
            process.terminate()
            process.wait()


if __name__ == "__main__":
    main()
