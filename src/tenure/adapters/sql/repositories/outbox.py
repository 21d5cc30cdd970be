"""The outbox in SQL."""

from __future__ import annotations

import builtins

from sqlalchemy import insert, select, update

from tenure.adapters.sql import codec
from tenure.adapters.sql import tables as t
from tenure.adapters.sql.session import Session
from tenure.domain.events import ContractEvent, Event
from tenure.services.repositories.outbox import Outbox, OutboxMessage


class SqlOutbox(Outbox):
    def __init__(self, session: Session) -> None:
        self._s = session

    def publish(self, vendor_id: str, events: builtins.list[Event]) -> None:
        if events:
            self._s.execute(
                insert(t.outbox),
                [
                    {
                        "vendor_id": vendor_id,
                        "contract_id": e.contract_id if isinstance(e, ContractEvent) else None,
                        "name": e.name,
                        "occurred_at": e.occurred_at,
                        "payload": codec.event_to_json(e),
                        "delivered": False,
                    }
                    for e in events
                ],
            )

    def list(self, vendor_id: str | None = None) -> builtins.list[OutboxMessage]:
        query = select(t.outbox).order_by(t.outbox.c.sequence)
        if vendor_id is not None:
            query = query.where(t.outbox.c.vendor_id == vendor_id)
        return [
            OutboxMessage(r.sequence, r.vendor_id, codec.event_from_json(r.name, r.payload))
            for r in self._s.execute(query)
        ]

    def undelivered(self, limit: int, after: int = 0) -> builtins.list[OutboxMessage]:
        query = (
            select(t.outbox)
            .where(t.outbox.c.delivered.is_(False), t.outbox.c.sequence > after)
            .order_by(t.outbox.c.sequence)
            .limit(limit)
        )
        if self._s.postgres:
            query = query.with_for_update(skip_locked=True)
        return [
            OutboxMessage(r.sequence, r.vendor_id, codec.event_from_json(r.name, r.payload))
            for r in self._s.execute(query)
        ]

    def mark_delivered(self, sequences: builtins.list[int]) -> None:
        if sequences:
            self._s.execute(
                update(t.outbox).where(t.outbox.c.sequence.in_(sequences)).values(delivered=True)
            )
