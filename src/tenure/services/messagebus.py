"""The message bus: event handlers run after the change that recorded the events has committed.

A use case never calls a side effect itself: the events its aggregates record go into the outbox
with its change, in one transaction. :meth:`MessageBus.dispatch` then takes the outbox messages
not yet dispatched, oldest first, a batch per transaction, hands each to every handler subscribed
to its event type (or to every event), and marks the batch dispatched in the same transaction.
A handler's own writes (a webhook delivery, later an e-mail to send or a document to render)
commit together with that mark: nothing is lost, nothing is handled twice. A handler that raises
rolls its batch back; the batch is then dispatched a message per transaction, so that only the
failing message stays in the outbox (logged) for the next dispatch. There is no dead-letter state
yet: a message that always fails is tried on every dispatch.

Handlers are wired in :func:`tenure.bootstrap.bootstrap`: today the webhook fan-out; the e-mail
sender, the document renderer and the data-lifecycle jobs plug in the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from tenure.domain.events import Event
from tenure.services.repositories.outbox import OutboxMessage
from tenure.services.unit_of_work import UnitOfWork

LOG = logging.getLogger("tenure.messagebus")

#: Messages per dispatch transaction. With the e-mail handler, which loads what a mail needs,
#: a message takes about 2 ms on SQLite, where the dispatch transaction holds the write lock: a
#: batch holds it about a second (smaller batches hold it shorter but dispatch at about half the
#: rate; issue #11 takes the dispatch off the write path).
BATCH = 500

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

    def dispatch(self, batch: int = BATCH) -> int:
        """Hand every waiting outbox message to its handlers; returns how many were handled.

        A batch is one transaction. When one of its handlers raises, the batch is rolled back
        and its messages are dispatched one per transaction instead: the failing message is
        logged and stays in the outbox for the next dispatch, and the others go on."""
        handled, after = 0, 0
        while True:
            try:
                made, last = self._dispatch_batch(batch, after)
            except Exception:
                made, last = self._dispatch_singly(batch, after)
            if last is None:
                return handled
            handled, after = handled + made, last

    def _dispatch_batch(self, limit: int, after: int) -> tuple[int, int | None]:
        with self.uow_factory() as uow:
            messages = uow.outbox.undelivered(limit, after)
            if not messages:
                return 0, None
            for message in messages:
                self._handle(uow, message)
            uow.outbox.mark_delivered([m.sequence for m in messages])
            uow.commit()
            return len(messages), messages[-1].sequence

    def _dispatch_singly(self, limit: int, after: int) -> tuple[int, int | None]:
        handled, last = 0, None
        for _ in range(limit):
            with self.uow_factory() as uow:
                found = uow.outbox.undelivered(1, after)
                if not found:
                    break
                message = found[0]
                last = after = message.sequence
                try:
                    self._handle(uow, message)
                    uow.outbox.mark_delivered([message.sequence])
                    uow.commit()
                    handled += 1
                except Exception:
                    uow.rollback()
                    LOG.exception(
                        "event %s (outbox %d) failed; it stays for the next dispatch",
                        message.event.name,
                        message.sequence,
                    )
        return handled, last

    def _handle(self, uow: UnitOfWork, message: OutboxMessage) -> None:
        for handler in self.handlers_for(message.event):
            handler(uow, message)
