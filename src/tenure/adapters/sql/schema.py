"""Whether a database has the newest schema, found cheaply: the head revision is read from the
migration files (no Alembic import), the database's from ``alembic_version`` (one read-only
query). Alembic (:mod:`tenure.adapters.sql.migrate`) is imported and run only when the database
is behind, so opening an up-to-date database costs no migration machinery."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, inspect, text

from tenure.adapters.sql.engine import READ_ONLY
from tenure.adapters.sql.session import translating

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
_ASSIGNMENT = r"^{name}\s*(?::[^=\n]*)?=\s*(?P<value>.+?)\s*(?:#.*)?$"
_REVISION = re.compile(_ASSIGNMENT.format(name="revision"), re.MULTILINE)
_DOWN_REVISION = re.compile(_ASSIGNMENT.format(name="down_revision"), re.MULTILINE)
_QUOTED = re.compile(r"""["']([^"']+)["']""")


@functools.cache
def head_revision() -> str | None:
    """The newest revision of the migration files (the one no other revises), or None if there
    is not exactly one (Alembic then decides, and reports several heads as an error)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in VERSIONS.glob("[!_]*.py"):  # not __init__.py
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or down is None:
            return None
        revisions.update(_QUOTED.findall(revision["value"]))
        revised.update(_QUOTED.findall(down["value"]))  # a str, a tuple of them, or None
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


def current_revisions(connection: Connection) -> set[str]:
    """The revisions recorded in the database (none for a new database)."""
    if not inspect(connection).has_table("alembic_version"):
        return set()
    return {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}


def current_revision(engine: Engine) -> str | None:
    """The database's revision (None for a new database)."""
    with translating(), _reading(engine) as connection:
        found = current_revisions(connection)
    return min(found) if found else None


def ensure_schema(engine: Engine) -> None:
    """Migrate the database to the newest schema if it is not there yet (an unreachable or
    locked database raises :class:`~tenure.services.errors.StoreUnavailable`)."""
    head = head_revision()
    with translating():
        if head is not None:
            with _reading(engine) as connection:
                if current_revisions(connection) == {head}:
                    return
        upgrade(engine)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run Alembic's upgrade (see :func:`tenure.adapters.sql.migrate.upgrade`)."""
    from tenure.adapters.sql.migrate import upgrade as alembic_upgrade

    alembic_upgrade(engine, revision)


def _reading(engine: Engine) -> Any:
    connection = engine.connect()
    return connection.execution_options(**READ_ONLY.get(engine.dialect.name, {}))
