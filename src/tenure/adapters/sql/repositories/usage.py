"""Usage records in SQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from tenure.adapters.sql import tables as t
from tenure.adapters.sql.session import Session
from tenure.domain.usage import UsageRecord
from tenure.services.errors import ConcurrencyConflict
from tenure.services.repositories.usage import UsageRepository


class SqlUsage(UsageRepository):
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, vendor_id: str, key: str) -> UsageRecord | None:
        row = self._s.execute(
            select(t.usage_events).where(
                t.usage_events.c.vendor_id == vendor_id, t.usage_events.c.key == key
            )
        ).first()
        return _usage(row) if row else None

    def add(self, vendor_id: str, record: UsageRecord) -> None:
        try:
            with self._s.conn.begin_nested():
                self._s.execute(insert(t.usage_events).values(**_values(vendor_id, record)))
        except IntegrityError as exc:  # the same key arrived concurrently: retry sees it
            raise ConcurrencyConflict(f"usage key {record.key!r} was recorded meanwhile") from exc

    def get_many(self, vendor_id: str, keys: list[str]) -> dict[str, UsageRecord]:
        found: dict[str, UsageRecord] = {}
        for start in range(0, len(keys), 500):
            rows = self._s.execute(
                select(t.usage_events).where(
                    t.usage_events.c.vendor_id == vendor_id,
                    t.usage_events.c.key.in_(keys[start : start + 500]),
                )
            )
            found.update((r.key, _usage(r)) for r in rows)
        return found

    def add_many(self, vendor_id: str, records: list[UsageRecord]) -> None:
        if not records:
            return
        try:
            with self._s.conn.begin_nested():
                self._s.execute(insert(t.usage_events), [_values(vendor_id, r) for r in records])
        except IntegrityError as exc:  # a key arrived concurrently: the retry sees it
            raise ConcurrencyConflict("a usage key of the batch was recorded meanwhile") from exc

    def unbilled(self, vendor_id: str, contract_id: str, before: date) -> list[UsageRecord]:
        rows = self._s.execute(
            select(t.usage_events)
            .where(
                t.usage_events.c.vendor_id == vendor_id,
                t.usage_events.c.contract_id == contract_id,
                t.usage_events.c.invoice_number.is_(None),
                t.usage_events.c.occurred_on < before,
            )
            .order_by(t.usage_events.c.occurred_at, t.usage_events.c.key)
        ).all()
        return [_usage(r) for r in rows]

    def mark_billed(self, vendor_id: str, records: list[UsageRecord], number: str) -> None:
        for record in records:
            self._s.execute(
                update(t.usage_events)
                .where(
                    t.usage_events.c.vendor_id == vendor_id,
                    t.usage_events.c.contract_id == record.contract_id,
                    t.usage_events.c.key == record.key,
                )
                .values(invoice_number=number)
            )


def _values(vendor_id: str, r: UsageRecord) -> dict[str, Any]:
    return {
        "vendor_id": vendor_id,
        "key": r.key,
        "contract_id": r.contract_id,
        "metric": r.metric,
        "quantity": str(r.quantity),
        "occurred_at": r.occurred_at,
        "occurred_on": r.occurred_on,
        "unit_price": str(r.unit_price),
    }


def _usage(row: Row[Any]) -> UsageRecord:
    return UsageRecord(
        key=row.key,
        contract_id=row.contract_id,
        metric=row.metric,
        quantity=Decimal(row.quantity),
        occurred_at=row.occurred_at,
        occurred_on=row.occurred_on,
        unit_price=Decimal(row.unit_price),
    )
