"""What every ``tenure`` command shares: the database and vendor it works on, output as human
tables or one JSON document, and errors as one line with a stable code and an exit status
(:data:`EXIT_CODES`).

Importing this module stays cheap (Typer, Rich and the standard library): the application, the
SQL adapter and the YAML reader are imported inside the functions that need them, so that
``tenure --help`` and every command's ``--help`` start fast.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

import typer
from rich.console import Console

from tenure.domain.errors import DomainError
from tenure.entrypoints.cli.output import print_record, print_rows
from tenure.services.encoding import dumps
from tenure.services.errors import StorageError, StoreUnavailable

if TYPE_CHECKING:
    from tenure.adapters.sql import SqlStore
    from tenure.services.application import Services


def _width(stream: Any) -> int | None:
    """The terminal's width, else ``COLUMNS``, else 120 (Rich assumes 80 off a terminal; tables
    then wrap badly in logs and CI)."""
    return None if stream.isatty() or os.environ.get("COLUMNS", "").isdigit() else 120


out = Console(width=_width(sys.stdout))
err = Console(stderr=True, width=_width(sys.stderr))

EXIT_OK = 0
EXIT_REFUSED = 1  # a rule refused the request, or a check failed
EXIT_BAD_INPUT = 2  # malformed input: a bad file, date, option, value or unknown id (click's too)
EXIT_UNAVAILABLE = 69  # sysexits EX_UNAVAILABLE: the database is unreachable or locked
EXIT_INTERNAL = 70  # sysexits EX_SOFTWARE: a bug (one line; TENURE_DEBUG=1 for the traceback)
EXIT_INTERRUPTED = 130  # Ctrl-C

#: Every exit status of ``tenure`` and what it means (the README's table).
EXIT_CODES = {
    EXIT_OK: "ok",
    EXIT_REFUSED: "a rule refused the request, or a check found differences",
    EXIT_BAD_INPUT: "bad input: usage, a bad file, date or value, an unknown id",
    EXIT_UNAVAILABLE: "the database is unreachable or stayed locked",
    EXIT_INTERNAL: "internal error (a bug)",
    EXIT_INTERRUPTED: "interrupted",
}

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Options:
    """The shared options, given before or after the command (``tenure --json invoices list``
    or ``tenure invoices list --json``): see :mod:`tenure.entrypoints.cli.shared`."""

    db: str | None = None
    vendor: str | None = None
    json: bool = False
    json_written: bool = False  # one JSON document per call


OPTIONS = Options()


def services_for(actor: str = "cli") -> tuple[Services, SqlStore]:
    """The application on the configured database (migrated if it is behind)."""
    from tenure.adapters.sql import SqlStore
    from tenure.bootstrap import bootstrap
    from tenure.services.clock import SystemClock

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


def write_json(document: Any, indent: int | None = 2) -> None:
    """Write the call's one JSON document to stdout; a second one is a bug (it would break
    every consumer that parses the output)."""
    if OPTIONS.json_written:
        raise RuntimeError("a command wrote a second JSON document")
    OPTIONS.json_written = True
    sys.stdout.write(dumps(document, indent=indent, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def fail(message: str, code: str, status: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print one line (or a JSON problem with --json) and leave with ``status``."""
    if OPTIONS.json and not OPTIONS.json_written:
        write_json({"error": {"code": code, "message": message}}, indent=None)
    else:
        err.print(f"error: {message} [{code}]", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(status)


def exit_status(exc: DomainError) -> int:
    """Unknown ids and values no rule accepts are bad input (2); a rule's refusal is 1."""
    bad_input = exc.status in (400, 404, 422) or exc.code.startswith("invalid_")
    return EXIT_BAD_INPUT if bad_input else EXIT_REFUSED


def handles_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Refusals exit 1, bad input 2, an unavailable database 69; never a traceback."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except DomainError as exc:
            fail(exc.message, exc.code, exit_status(exc))
        except StorageError as exc:
            storage_failed(exc)
        except Exception as exc:
            from tenure.adapters.yaml_source import InputError  # imports YAML: only on errors

            if not isinstance(exc, InputError):
                raise
            if OPTIONS.json:
                fail("; ".join(exc.problems), exc.code)
            err.print(exc.report(), markup=False, highlight=False)
            raise typer.Exit(EXIT_BAD_INPUT) from None

    return run


def storage_failed(exc: StorageError) -> NoReturn:
    """A database that cannot be reached (69) or refused a value (2): one line, no traceback."""
    message = " ".join(str(exc).split()) or exc.detail  # drivers' messages span lines
    if isinstance(exc, StoreUnavailable):
        fail(f"{message} (database {shown_url()})", exc.code, EXIT_UNAVAILABLE)
    fail(message, exc.code, EXIT_BAD_INPUT if exc.status < 500 else EXIT_INTERNAL)


def shown_url() -> str:
    """The configured database URL with its password hidden."""
    url = OPTIONS.db or os.environ.get("TENURE_DATABASE_URL") or "sqlite:///tenure.sqlite"
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


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
    """Rows as a table (ids and amounts never cut), or as one JSON document with --json."""
    if OPTIONS.json:
        write_json(list(rows))
        return
    print_rows(out, rows, title, columns)


def show_one(
    record: dict[str, Any], title: str, sections: Mapping[str, Sequence[dict[str, Any]]] = {}
) -> None:
    """One record as a two-column table, each of its ``sections`` (e.g. an invoice's lines) as a
    table below it; with --json all of it as one document (the sections as lists in it)."""
    if OPTIONS.json:
        write_json({**record, **{name: list(rows) for name, rows in sections.items()}})
        return
    print_record(out, record, title)
    for name, rows in sections.items():
        if rows:
            print_rows(out, rows, name)


def done(message: str, **data: Any) -> None:
    """Confirm a change: one line (never cut into pieces), or JSON with --json."""
    if OPTIONS.json:
        write_json(data, indent=None)
    else:
        out.print(message, highlight=False, soft_wrap=True)
