"""The SQL unit of work: one database transaction over all repositories (see
docs/decisions/0007-explicit-data-mapper.md)."""

from __future__ import annotations

from tenure.adapters.sql.contracts import SqlContracts
from tenure.adapters.sql.records import SqlRecords


class SqlUnitOfWork(SqlContracts, SqlRecords):
    """Contracts (:mod:`.contracts`) and everything else (:mod:`.records`) on one connection."""
