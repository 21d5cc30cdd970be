"""The message bus: event handlers run after the change that recorded the events has committed.

A use case never calls a side effect itself: the events its aggregates record go into the outbox
with its change, in one transaction. :meth:`MessageBus.dispatch` then takes the outbox messages
not yet dispatched, oldest first, a batch per transaction, hands each to every handler subscribed
to its event type (or to every event), and marks the batch dispatched in the same transaction.
A handler's own writes (a webhook delivery, later an e-mail to send or a document to render)
commit together with that mark: nothing is lost, nothing is handled twice. A handler that raises
rolls its batch back; the messages stay in the outbox and the next dispatch tries them again.

Handlers are wired in :func:`tenure.bootstrap.bootstrap`: today the webhook fan-out; the e-mail
sender, the document renderer and the data-lifecycle jobs plug in the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tenure.domain.events import Event
from tenure.services.repositories.outbox import OutboxMessage
from tenure.services.unit_of_work import UnitOfWork

#: A handler gets the open unit of work (its writes commit with the dispatch) and the message.
Handler = Callable[[UnitOfWork, OutboxMessage], None]


@dataclass
class MessageBus:
    """Event type → handlers, fed from the outbox."""

    uow_factory: Callable[[], UnitOfWork]
    _handlers: dict[type[Event] | None, list[Handler]] = field(default_factory=dict)

    def subscribe(self, event_type: type[Event] | None, handler: Handler) -> None:
        """Call ``handler`` for every message of ``event_type`` (None: of every type)."""
        self._handlers.setdefault(event_type, []).append(handler)

    def handlers_for(self, event: Event) -> list[Handler]:
        return [*self._handlers.get(type(event), ()), *self._handlers.get(None, ())]

    def dispatch(self, batch: int = 500) -> int:
        """Hand every waiting outbox message to its handlers; returns how many were handled."""
        handled = 0
        while made := self._dispatch_batch(batch):
            handled += made
        return handled

    def _dispatch_batch(self, limit: int) -> int:
        with self.uow_factory() as uow:
            messages = uow.outbox.undelivered(limit)
            for message in messages:
                for handler in self.handlers_for(message.event):
                    handler(uow, message)
            if messages:
                uow.outbox.mark_delivered([m.sequence for m in messages])
                uow.commit()
            return len(messages)
