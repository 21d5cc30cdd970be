"""What every ``tenure`` command shares: the database and vendor it works on, output as human
tables or JSON, and errors as one line with a stable code and a non-zero exit status."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NoReturn, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from tenure.adapters.sql import SqlStore
from tenure.adapters.yaml_source import InputError
from tenure.bootstrap import bootstrap
from tenure.domain.errors import DomainError
from tenure.services.application import Services
from tenure.services.clock import SystemClock
from tenure.services.encoding import dumps, plain

# Rich assumes 80 columns when not on a terminal; tables then wrap badly in logs and CI.
out = Console(width=None if sys.stdout.isatty() else 120)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 120)

EXIT_REFUSED = 1  # a rule refused the request, or a check failed
EXIT_BAD_INPUT = 2  # malformed input: a bad file, date, option or unknown id

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Options:
    """The global options (``tenure --db URL --vendor ID --json COMMAND``)."""

    db: str | None = None
    vendor: str | None = None
    json: bool = False


OPTIONS = Options()


def services_for(actor: str = "cli") -> tuple[Services, SqlStore]:
    store = SqlStore(OPTIONS.db, SystemClock(), actor=actor)
    return bootstrap(store, store.clock), store


@contextmanager
def tenure(actor: str = "cli") -> Iterator[tuple[Services, str]]:
    """The application on the configured database, and the vendor to act for."""
    services, store = services_for(actor)
    try:
        yield services, vendor_of(services)
    finally:
        store.dispose()


def vendor_of(services: Services) -> str:
    if OPTIONS.vendor:
        return OPTIONS.vendor
    vendors = services.queries.vendors()
    if not vendors:
        fail("no vendor yet: run `tenure init --catalog FILE` first", "unknown_vendor")
    if len(vendors) > 1:
        fail(f"several vendors ({', '.join(vendors)}): choose one with --vendor", "vendor_required")
    return vendors[0]


def fail(message: str, code: str, status: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print one line (or a JSON problem with --json) and leave with ``status``."""
    if OPTIONS.json:
        sys.stdout.write(dumps({"error": {"code": code, "message": message}}) + "\n")
    else:
        err.print(f"error: {message} [{code}]", markup=False, highlight=False)
    raise typer.Exit(status)


def handles_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Domain refusals exit 1, bad input exits 2; never a traceback."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            if OPTIONS.json:
                fail("; ".join(exc.problems), exc.code)
            err.print(exc.report(), markup=False, highlight=False)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except DomainError as exc:
            # Unknown ids and impossible dates are bad input; a rule's refusal is not.
            bad_input = exc.status in (404, 422) or exc.code == "invalid_date"
            status = EXIT_BAD_INPUT if bad_input else EXIT_REFUSED
            fail(exc.message, exc.code, status)

    return run


def parse_date(value: str | None, what: str = "date") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{value!r} is not a {what} like 2026-03-31", "invalid_date")


def parse_instant(value: str, zone: str) -> datetime:
    """An ISO time; without an offset it is local time in the vendor's zone."""
    from zoneinfo import ZoneInfo

    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(f"{value!r} is not a time like 2026-03-31T10:00", "invalid_date")
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))


def show(rows: Sequence[dict[str, Any]], title: str, columns: Sequence[str] | None = None) -> None:
    """Rows as a table, or as JSON with --json."""
    if OPTIONS.json:
        sys.stdout.write(dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    columns = list(columns or (rows[0].keys() if rows else []))
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(plain(row.get(c))) for c in columns))
    out.print(table)


def show_one(record: dict[str, Any], title: str) -> None:
    if OPTIONS.json:
        sys.stdout.write(dumps(record, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table(title=title, show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    for key, value in record.items():
        table.add_row(key, "" if value is None else str(plain(value)))
    out.print(table)


def done(message: str, **data: Any) -> None:
    """Confirm a change: one line, or JSON with --json."""
    if OPTIONS.json:
        sys.stdout.write(dumps(data, ensure_ascii=False) + "\n")
    else:
        out.print(message, highlight=False)
