"""The outbox: events stored with the change that caused them, for delivery afterwards."""

from __future__ import annotations

import abc
import builtins
from dataclasses import dataclass

from tenure.domain.events import Event


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """An event waiting for delivery (e-mail, webhook), stored with the change that caused it."""

    sequence: int
    vendor_id: str
    event: Event


class Outbox(abc.ABC):
    @abc.abstractmethod
    def publish(self, vendor_id: str, events: builtins.list[Event]) -> None:
        """Put ``events`` into the outbox (they are stored only if the transaction commits)."""

    @abc.abstractmethod
    def list(self, vendor_id: str | None = None) -> builtins.list[OutboxMessage]:
        """Every message (of one vendor), oldest first."""

    @abc.abstractmethod
    def undelivered(self, limit: int, after: int = 0) -> builtins.list[OutboxMessage]:
        """Messages not yet dispatched to the message bus's handlers, with a sequence above
        ``after``, oldest first (PostgreSQL: locked, skipping those another dispatcher holds)."""

    @abc.abstractmethod
    def mark_delivered(self, sequences: builtins.list[int]) -> None:
        """Mark messages dispatched (in the transaction of their handlers' writes)."""
