"""Test clocks (as in Stripe): sandbox customers live on a clock that stands still until it is
advanced; advancing runs every billing day on the way, exactly as production would."""

from __future__ import annotations

import builtins
import threading
from dataclasses import replace
from datetime import UTC, date, datetime

from tenure.domain.calendar import local_date, start_of_local_day
from tenure.domain.errors import InvalidDate
from tenure.services.billing import Billing, BillingRun, latest_local_date
from tenure.services.context import Context, UseCases, retrying
from tenure.services.errors import AdvanceInterrupted, AdvanceTooFar
from tenure.services.repositories.test_clocks import MAX_ADVANCE, TestClock


class TestClocks(UseCases):
    __test__ = False  # not a pytest test class

    def __init__(self, ctx: Context, billing: Billing) -> None:
        super().__init__(ctx)
        self._billing = billing
        self._stopping = threading.Event()

    def stop_advances(self) -> None:
        """Make every running advance stop at its next billing day (on shutdown): each raises
        :class:`AdvanceInterrupted` with the days before committed."""
        self._stopping.set()

    @retrying
    def create(self, vendor_id: str, frozen_at: datetime, name: str = "") -> TestClock:
        """A clock frozen at ``frozen_at`` for sandbox customers (created on it with
        ``test_clock_id``)."""
        if frozen_at.tzinfo is None:
            raise InvalidDate("a test clock needs a time with a time zone")
        clock = TestClock(self.ctx.ids("clk"), name, frozen_at.astimezone(UTC))
        with self._uow() as uow:
            uow.vendors.catalog(vendor_id)
            uow.test_clocks.add(vendor_id, clock)
            uow.commit()
        return clock

    def list(self, vendor_id: str) -> builtins.list[TestClock]:
        with self._reading() as uow:
            return uow.test_clocks.list(vendor_id)

    def advance(self, vendor_id: str, clock_id: str, to: datetime) -> BillingRun:
        """Move a test clock forward to ``to``. Billing and every scheduled transition of its
        contracts that falls in between runs on the way, at the start of each due day in the zone
        of the catalog the contract runs on, exactly as production would run it."""
        if to.tzinfo is None:
            raise InvalidDate("advance a test clock to a time with a time zone")
        with self._reading() as uow:
            clock = uow.test_clocks.get(vendor_id, clock_id)
            if to < clock.frozen_at:
                raise InvalidDate(
                    f"a test clock only moves forward (it is at {clock.frozen_at:%Y-%m-%d %H:%M}Z)"
                )
            if to - clock.frozen_at > MAX_ADVANCE:
                raise AdvanceTooFar(
                    f"one advance moves a test clock at most {MAX_ADVANCE.days} days"
                    f" (to {clock.frozen_at + MAX_ADVANCE:%Y-%m-%d %H:%M}Z); advance in steps"
                )
            zone = uow.vendors.catalog(vendor_id).vendor.timezone
            customers = {
                c.id
                for c in uow.customers.list(vendor_id, livemode=False)
                if c.test_clock_id == clock_id
            }
            contracts = [
                cid
                for customer in sorted(customers)
                for cid in uow.contracts.ids(vendor_id, customer)
            ]
        issued: builtins.list[str] = []
        stuck: tuple[date, str] | None = None
        while (due := self._next_due(vendor_id, clock_id, to)) is not None:
            if self._stopping.is_set():
                raise AdvanceInterrupted(
                    "the service is shutting down; the clock stopped on its way, advance again"
                )
            day, contract_id, day_starts = due
            self._set(vendor_id, clock_id, day_starts)
            numbers = self._billing.bill_next_day(vendor_id, contract_id, day)
            if numbers is None:  # billed meanwhile by another run; never twice in a row
                if stuck == (day, contract_id):
                    raise RuntimeError(f"contract {contract_id} does not move past {day}")
                stuck = (day, contract_id)
            issued.extend(numbers or [])
        self._set(vendor_id, clock_id, to)
        return BillingRun(local_date(to, zone), len(contracts), tuple(issued))

    def _next_due(
        self, vendor_id: str, clock_id: str, to: datetime
    ) -> tuple[date, str, datetime] | None:
        """The clock's next due (day, contract, start of that day) up to ``to``: the earliest
        instant among its contracts, each day taken in the zone of the catalog the contract
        runs on. Found by the stored next due date (no aggregate is loaded)."""
        with self._reading() as uow:
            rows = uow.contracts.due(vendor_id, date.min, {clock_id: latest_local_date(to)})
        due = [
            (start_of_local_day(row.due_on, row.timezone), row.contract_id, row.due_on)
            for row in rows
            if row.due_on <= local_date(to, row.timezone)
        ]
        if not due:
            return None
        starts, contract_id, day = min(due)
        return day, contract_id, starts

    @retrying
    def _set(self, vendor_id: str, clock_id: str, instant: datetime) -> None:
        with self._uow() as uow:
            clock = uow.test_clocks.get(vendor_id, clock_id, lock=True)
            if instant > clock.frozen_at:
                uow.test_clocks.update(vendor_id, replace(clock, frozen_at=instant.astimezone(UTC)))
                uow.commit()
