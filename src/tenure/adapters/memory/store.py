"""The in-memory store and the factory of its units of work."""

from __future__ import annotations

from tenure.adapters.memory.tables import Tables
from tenure.adapters.memory.unit_of_work import InMemoryUnitOfWork


class InMemoryStore(Tables):
    """The committed state shared by in-memory units of work (one process; concurrent units of
    work commit one at a time, and one whose rows were changed meanwhile is refused with a
    ConcurrencyConflict, which the use cases retry)."""

    def unit_of_work(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self)
