"""The outbox in memory: every message by sequence, and the ones not yet dispatched."""

from __future__ import annotations

import builtins
import heapq

from tenure.adapters.memory.overlay import Overlay
from tenure.adapters.memory.tables import MISSING
from tenure.domain.events import Event
from tenure.services.errors import ConcurrencyConflict
from tenure.services.repositories.outbox import Outbox, OutboxMessage


class MemoryOutbox(Outbox):
    def __init__(self, overlay: Overlay) -> None:
        self._t = overlay

    def publish(self, vendor_id: str, events: builtins.list[Event]) -> None:
        for event in events:
            message = OutboxMessage(self._t.committed.next_sequence(), vendor_id, event)
            self._t.put("outbox", message.sequence, message)
            self._t.put("outbox_pending", message.sequence, message)

    def list(self, vendor_id: str | None = None) -> builtins.list[OutboxMessage]:
        messages = [m for _, m in self._t.scan("outbox") if vendor_id in (None, m.vendor_id)]
        return sorted(messages, key=lambda m: m.sequence)

    def undelivered(self, limit: int, after: int = 0) -> builtins.list[OutboxMessage]:
        pending = (m for _, m in self._t.scan("outbox_pending") if m.sequence > after)
        return heapq.nsmallest(limit, pending, key=lambda m: m.sequence)

    def mark_delivered(self, sequences: builtins.list[int]) -> None:
        for sequence in sequences:
            if self._t.get_for_update("outbox_pending", sequence) is MISSING:
                raise ConcurrencyConflict(f"outbox message {sequence} was dispatched meanwhile")
            self._t.delete("outbox_pending", sequence)
