"""The unit of work: one transaction over the repositories, the service layer's view of storage.

A use case opens one unit of work, changes aggregates through the repositories hanging off it
(``uow.contracts``, ``uow.documents``, ...; see :mod:`tenure.services.repositories`), and commits
once; anything raised before the commit rolls everything back, so no change is ever half-written.
The events the aggregates recorded are put into the outbox in the same transaction.

Implementations: in memory (:mod:`tenure.adapters.memory`) and SQL (:mod:`tenure.adapters.sql`).
"""

from __future__ import annotations

import abc
from types import TracebackType
from typing import Self

from tenure.services.repositories.api_keys import ApiKeyRepository
from tenure.services.repositories.audit import AuditLog
from tenure.services.repositories.contracts import ContractRepository
from tenure.services.repositories.customers import CustomerRepository
from tenure.services.repositories.document_files import DocumentFileRepository
from tenure.services.repositories.documents import DocumentRepository
from tenure.services.repositories.emails import EmailRepository
from tenure.services.repositories.idempotency import IdempotencyKeys
from tenure.services.repositories.outbox import Outbox
from tenure.services.repositories.test_clocks import TestClockRepository
from tenure.services.repositories.usage import UsageRepository
from tenure.services.repositories.vendors import VendorRepository
from tenure.services.repositories.webhooks import WebhookRepository


class UnitOfWork(abc.ABC):
    """One transaction over all repositories.

    Entered again while open, a unit of work opens a savepoint: the inner block's commit keeps
    its work for the outer transaction, its rollback (or an exception) undoes only the inner
    block, and nothing is durable before the outermost commit (see :meth:`Services.joined`).
    """

    vendors: VendorRepository
    customers: CustomerRepository
    contracts: ContractRepository
    documents: DocumentRepository
    usage: UsageRepository
    outbox: Outbox
    audit: AuditLog
    test_clocks: TestClockRepository
    api_keys: ApiKeyRepository
    idempotency: IdempotencyKeys
    webhooks: WebhookRepository
    document_files: DocumentFileRepository
    emails: EmailRepository

    def reading(self) -> Self:
        """Use this unit of work (not yet open) for reading only: stores may refuse writes and
        need not queue it behind writers (SQLite: a deferred transaction). A no-op on a unit of
        work that is already open, as when a use case joins a caller's transaction."""
        return self

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()  # a no-op after commit

    @abc.abstractmethod
    def commit(self) -> None:
        """Make the transaction's work durable (inside a savepoint: keep it for the outer
        transaction)."""

    @abc.abstractmethod
    def rollback(self) -> None:
        """Undo the work since the last commit (inside a savepoint: only the savepoint's)."""
