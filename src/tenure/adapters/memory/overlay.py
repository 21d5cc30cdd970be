"""A unit of work's view of the store: its writes in an overlay over the committed tables, one
level per savepoint. Reads look through the levels (innermost first) to the committed rows, so a
transaction sees its own writes; nothing is copied but the rows it writes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tenure.adapters.memory.tables import DELETED, MISSING, Tables
from tenure.domain.contract import Contract


class Level:
    """The work of one transaction level (the transaction itself, or a savepoint in it)."""

    __slots__ = ("expected", "loaded", "writes")

    def __init__(self) -> None:
        #: table -> key -> new value (or DELETED)
        self.writes: dict[str, dict[Any, Any]] = {}
        #: (table, key) -> the committed value read for change, checked again on commit
        self.expected: dict[tuple[str, Any], Any] = {}
        #: contracts loaded for change (or added) at this level, by (vendor, contract id);
        #: written into ``writes`` when the level commits (see MemoryContracts.flush)
        self.loaded: dict[tuple[str, str], Contract] = {}

    def merge_into(self, outer: Level) -> None:
        for name, rows in self.writes.items():
            outer.writes.setdefault(name, {}).update(rows)
        for key, seen in self.expected.items():
            outer.expected.setdefault(key, seen)  # the outer level read it first


class Overlay:
    def __init__(self, committed: Tables) -> None:
        self.committed = committed
        self.levels: list[Level] = [Level()]

    @property
    def level(self) -> Level:
        """The innermost level: where writes go."""
        return self.levels[-1]

    # ------------------------------------------------------------------ reading and writing

    def get(self, name: str, key: Any, default: Any = None) -> Any:
        """The row as this transaction sees it, or ``default``."""
        for level in reversed(self.levels):
            rows = level.writes.get(name)
            if rows is not None and key in rows:
                value = rows[key]
                return default if value is DELETED else value
        return self.committed.tables[name].get(key, default)

    def get_for_update(self, name: str, key: Any) -> Any:
        """The row (MISSING if none), read to be changed: a row read from the committed table
        is checked on commit to be unchanged, else the commit is a ConcurrencyConflict."""
        value = self.get(name, key, MISSING)
        if not any(name in level.writes and key in level.writes[name] for level in self.levels):
            self.level.expected.setdefault((name, key), value)
        return value

    def still(self, name: str, key: Any, seen: Any) -> bool:
        """Whether the row is still ``seen`` (what a scan chose), read for change: a worker that
        changed it since the scan (leased it) wins, and a change committed after this read makes
        this transaction's commit conflict. How a queue's next row is taken."""
        return bool(self.get_for_update(name, key) == seen)

    def validate(self) -> None:
        """Raise ConcurrencyConflict now if a row this transaction read for change was changed
        by a commit since: before refusing on a clash that a concurrent commit may have caused,
        so that the use case runs again instead (as it would on SQL, behind the row lock)."""
        self.committed.validate([item for level in self.levels for item in level.expected.items()])

    def put(self, name: str, key: Any, value: Any) -> None:
        self.level.writes.setdefault(name, {})[key] = value

    def delete(self, name: str, key: Any) -> None:
        self.put(name, key, DELETED)

    def scan(self, name: str) -> Iterator[tuple[Any, Any]]:
        """Every row of a table as this transaction sees it: committed rows in the order they
        were first written, then the rows this transaction added."""
        changed: dict[Any, Any] = {}
        for level in self.levels:
            changed.update(level.writes.get(name, {}))
        rows = self.committed.rows(name)
        if not changed:
            yield from rows
            return
        for key, value in rows:
            value = changed.pop(key, value)
            if value is not DELETED:
                yield key, value
        for key, value in changed.items():
            if value is not DELETED:
                yield key, value

    # ------------------------------------------------------------------ transaction

    def push(self) -> None:
        """Open a savepoint."""
        self.levels.append(Level())

    def pop(self) -> None:
        """Close the innermost savepoint (after its commit or rollback)."""
        self.levels.pop()

    def commit(self) -> None:
        """Apply the innermost level: into the store (outermost), or into the enclosing level
        (a savepoint, so that the outer transaction keeps its work)."""
        if len(self.levels) > 1:
            self.levels[-1].merge_into(self.levels[-2])
        else:
            level = self.levels[0]
            self.committed.apply(level.writes, level.expected.items())
        self.levels[-1] = Level()

    def rollback(self) -> None:
        """Forget the innermost level's work."""
        self.levels[-1] = Level()
