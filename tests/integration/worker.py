"""A separate process for the concurrency and crash tests:

    python -m tests.integration.worker bill URL VENDOR UNTIL [PAUSE_SECONDS]

bills every contract of VENDOR up to UNTIL (ISO date) through the use cases, day by day, pausing
between days when PAUSE_SECONDS is given (so that a test can kill it half-way)."""

from __future__ import annotations

import sys
import time
from datetime import UTC, date, datetime

from tenure.adapters.sql import SqlStore
from tenure.bootstrap import bootstrap
from tenure.services.clock import ManualClock


def bill(url: str, vendor: str, until: date, pause: float) -> None:
    # Noon UTC of ``until``: that day in Europe/Berlin, so no run bills past the vendor's today.
    clock = ManualClock(datetime(until.year, until.month, until.day, 12, tzinfo=UTC))
    store = SqlStore(url, clock, actor="worker", migrate=False)
    app = bootstrap(store, clock)
    if not pause:
        app.billing.run(until=until, vendor_id=vendor)
        return
    for vendor_id, contract_id in app.billing.due(until, vendor):
        while app.billing.bill_next_day(vendor_id, contract_id, until) is not None:
            time.sleep(pause)


if __name__ == "__main__":
    command, url, vendor, until, *rest = sys.argv[1:]
    assert command == "bill"
    bill(url, vendor, date.fromisoformat(until), float(rest[0]) if rest else 0.0)
