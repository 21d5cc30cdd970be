"""The in-memory store: committed tables as dicts, and units of work that keep their writes in an
overlay until they commit, so that a transaction costs what it touches, never a copy of the
store. Used by the unit tests, ``tenure simulate`` and the memory benchmark."""

from __future__ import annotations

from tenure.adapters.memory.store import InMemoryStore
from tenure.adapters.memory.unit_of_work import InMemoryUnitOfWork

__all__ = ["InMemoryStore", "InMemoryUnitOfWork"]
