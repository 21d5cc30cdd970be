"""The in-memory unit of work: its writes stay in an overlay (a level per savepoint) until the
outermost commit applies them to the store; a rollback or an exception just drops them."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Self

from tenure.adapters.memory.access import MemoryApiKeys, MemoryIdempotencyKeys
from tenure.adapters.memory.contracts import MemoryContracts
from tenure.adapters.memory.documents import MemoryDocuments
from tenure.adapters.memory.files import MemoryDocumentFiles, MemoryEmails
from tenure.adapters.memory.outbox import MemoryOutbox
from tenure.adapters.memory.overlay import Overlay
from tenure.adapters.memory.usage import MemoryUsage
from tenure.adapters.memory.vendors import (
    MemoryAuditLog,
    MemoryCustomers,
    MemoryTestClocks,
    MemoryVendors,
)
from tenure.adapters.memory.webhooks import MemoryWebhooks
from tenure.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from tenure.adapters.memory.tables import Tables


class InMemoryUnitOfWork(UnitOfWork):
    """Reads see the committed tables through this transaction's own writes; a contract is
    loaded as a private copy (so a refused use case leaves no trace) and written back, copied
    once more, when the transaction commits."""

    def __init__(self, store: Tables) -> None:
        self._overlay = Overlay(store)
        self._open = False
        self.vendors = MemoryVendors(self._overlay)
        self.customers = MemoryCustomers(self._overlay)
        self.contracts: MemoryContracts = MemoryContracts(self._overlay)
        self.documents = MemoryDocuments(self._overlay)
        self.usage = MemoryUsage(self._overlay)
        self.outbox = MemoryOutbox(self._overlay)
        self.audit = MemoryAuditLog()
        self.test_clocks = MemoryTestClocks(self._overlay)
        self.api_keys = MemoryApiKeys(self._overlay)
        self.idempotency = MemoryIdempotencyKeys(self._overlay)
        self.webhooks = MemoryWebhooks(self._overlay)
        self.document_files = MemoryDocumentFiles(self._overlay)
        self.emails = MemoryEmails(self._overlay)

    def __enter__(self) -> Self:
        if self._open:  # entered again: a savepoint, as in the SQL unit of work
            self.contracts.flush()
            self._overlay.push()
        self._open = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()
        if len(self._overlay.levels) > 1:
            self._overlay.pop()
        else:
            self._open = False

    def commit(self) -> None:
        self.contracts.flush()
        self._overlay.commit()

    def rollback(self) -> None:
        self._overlay.rollback()
