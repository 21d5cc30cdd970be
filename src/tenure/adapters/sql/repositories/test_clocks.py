"""Test clocks in SQL."""

from __future__ import annotations

import builtins

from sqlalchemy import insert, select, update

from tenure.adapters.sql import tables as t
from tenure.adapters.sql.session import Session
from tenure.services.errors import UnknownTestClock
from tenure.services.repositories.test_clocks import TestClock, TestClockRepository


class SqlTestClocks(TestClockRepository):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, vendor_id: str, clock: TestClock) -> None:
        self._s.execute(
            insert(t.test_clocks).values(
                vendor_id=vendor_id, id=clock.id, name=clock.name, frozen_at=clock.frozen_at
            )
        )

    def get(self, vendor_id: str, clock_id: str, lock: bool = False) -> TestClock:
        query = select(t.test_clocks).where(
            t.test_clocks.c.vendor_id == vendor_id, t.test_clocks.c.id == clock_id
        )
        row = self._s.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise UnknownTestClock(f"no test clock {clock_id!r}")
        return TestClock(row.id, row.name, row.frozen_at)

    def update(self, vendor_id: str, clock: TestClock) -> None:
        self._s.execute(
            update(t.test_clocks)
            .where(t.test_clocks.c.vendor_id == vendor_id, t.test_clocks.c.id == clock.id)
            .values(frozen_at=clock.frozen_at, name=clock.name)
        )

    def list(self, vendor_id: str) -> builtins.list[TestClock]:
        rows = self._s.execute(
            select(t.test_clocks)
            .where(t.test_clocks.c.vendor_id == vendor_id)
            .order_by(t.test_clocks.c.id)
        )
        return [TestClock(r.id, r.name, r.frozen_at) for r in rows]
