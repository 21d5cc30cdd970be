"""In-memory store benchmark: seeding N contracts and one billing run over all of them.

    make bench-memory                       # N = 2,000 and 20,000
    python bench/memory_billing.py 500 5000 # other sizes

Each size gets a fresh store: one vendor on the CloudCRM catalog, a few customers, N contracts
starting on one day, every fifth with an add-on booked. The billing run bills each contract's
first day once. A unit of work costs what it touches (never a copy of the store), so both phases
grow linearly: the 20k/2k ratio of the times should stay near 10.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.adapters.memory import InMemoryStore
from tenure.bootstrap import bootstrap
from tenure.domain.customer import CustomerType
from tenure.services.clock import ManualClock
from tenure.services.context import SequentialIds

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "examples" / "catalogs" / "cloudcrm.yaml"
START = date(2026, 1, 15)
NOW = datetime(2026, 1, 14, 23, 0, tzinfo=UTC)  # 2026-01-15 00:00 in Berlin
CUSTOMERS = 10
SIZES = (2_000, 20_000)


def measure(n: int) -> tuple[float, float]:
    """Seconds to seed ``n`` contracts and to bill them all once."""
    app = bootstrap(InMemoryStore(), ManualClock(NOW), SequentialIds())
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    began = time.perf_counter()
    customers = [
        app.customers.create(
            vendor,
            type=CustomerType.BUSINESS,
            name=f"Kunde {i}",
            country="DE",
            email=f"k{i}@kunde.example",
            address="Kundenweg 1, 10115 Berlin",
        ).id
        for i in range(CUSTOMERS)
    ]
    for i in range(n):
        contract = app.contracts.start(vendor, customers[i % CUSTOMERS], "business", 1, START)
        if i % 5 == 0:
            app.addons.book(vendor, contract.id, "extra_user", 2)
    seeded = time.perf_counter()
    run = app.billing.run(until=START, vendor_id=vendor)
    billed = time.perf_counter()
    if run.contracts != n or run.failed or len(run.documents) != n:
        raise SystemExit(f"the run billed {run.contracts} contracts ({run.failed[:3]}), not {n}")
    return seeded - began, billed - seeded


def main(sizes: tuple[int, ...]) -> None:
    print(f"{'contracts':>10} {'seed s':>8} {'seed/s':>8} {'bill s':>8} {'bill/s':>8}")
    results = {}
    for n in sizes:
        seed, bill = results[n] = measure(n)
        print(f"{n:>10,} {seed:>8.2f} {n / seed:>8,.0f} {bill:>8.2f} {n / bill:>8,.0f}")
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print(
            f"{large:,}/{small:,} time ratio ({large / small:.0f}x the contracts): "
            f"seeding {results[large][0] / results[small][0]:.1f}, "
            f"billing {results[large][1] / results[small][1]:.1f}"
        )


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
