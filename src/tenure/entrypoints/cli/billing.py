"""Billing runs, invoices, the audit log and test clocks."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tenure.entrypoints.cli.common import (
    OPTIONS,
    done,
    err,
    fail,
    handles_errors,
    parse_date,
    parse_instant,
    show,
    show_one,
    tenure,
)
from tenure.entrypoints.cli.views import document_detail, document_row

bill_app = typer.Typer(help="Billing runs.", no_args_is_help=True)
invoices_app = typer.Typer(help="Invoices and credit notes.", no_args_is_help=True)
clock_app = typer.Typer(help="Test clocks for sandbox customers.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys of the vendor API.", no_args_is_help=True)


@keys_app.command("create")
@handles_errors
def keys_create(
    read_only: Annotated[bool, typer.Option("--read-only", help="GET requests only.")] = False,
    name: Annotated[str, typer.Option(help="A label.")] = "",
) -> None:
    """Create an API key. Its secret is shown now and never again (only a hash is kept)."""
    from tenure.services.access import Scope

    with tenure() as (app, vendor):
        key = app.api_keys.create(vendor, Scope.READ_ONLY if read_only else Scope.FULL, name)
    done(
        f"API key {key.record.id} ({key.record.scope.value}): {key.secret}",
        id=key.record.id,
        scope=key.record.scope.value,
        secret=key.secret,
    )


@keys_app.command("revoke")
@handles_errors
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key's id.")]) -> None:
    """Revoke an API key at once."""
    with tenure() as (app, vendor):
        app.api_keys.revoke(vendor, key_id)
    done(f"revoked {key_id}", id=key_id, revoked=True)


@bill_app.command("run")
@handles_errors
def bill_run(
    until: Annotated[
        str | None, typer.Option(help="Bill up to this local date (default today).")
    ] = None,
) -> None:
    """Bill every contract and apply every transition due up to a date. Safe to rerun or to run
    in parallel: each (contract, day) is billed once, numbers stay gap-free."""
    limit = parse_date(until, "date")
    with (
        tenure("billing") as (app, vendor),
        Progress(
            TextColumn("billing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            disable=OPTIONS.json,
        ) as bar,
    ):
        task = bar.add_task("contracts", total=None)
        run = app.billing.run(
            limit, vendor, lambda n, total: bar.update(task, completed=n, total=total)
        )
    issued = list(run.documents)
    failed = [f"{contract}: {error}" for _, contract, error in run.failed]
    done(
        f"billed {run.contracts} contract(s) up to {limit or 'today'}: {len(issued)} document(s)"
        + (f" ({issued[0]} … {issued[-1]})" if issued else ""),
        contracts=run.contracts,
        documents=issued,
        failed=failed,
    )
    if failed:
        for line in failed:
            err.print(f"not billed: {line}", markup=False)
        raise typer.Exit(1)


@invoices_app.command("list")
@handles_errors
def invoices_list(
    contract: Annotated[str | None, typer.Option(help="Only this contract's.")] = None,
    since: Annotated[str | None, typer.Option(help="Issued on or after this date.")] = None,
) -> None:
    """Invoices and credit notes in issue order."""
    start = parse_date(since)
    with tenure() as (app, vendor):
        documents = app.queries.documents(vendor, contract)
    show(
        [document_row(d) for d in documents if start is None or d.issue_date >= start],
        "invoices and credit notes",
    )


@invoices_app.command("show")
@handles_errors
def invoices_show(number: Annotated[str, typer.Argument(help="RE-2026-000001")]) -> None:
    """One document with its lines."""
    with tenure() as (app, vendor):
        found = [d for d in app.queries.documents(vendor) if d.number == number]
    if not found:
        fail(f"no document {number}", "unknown_document")
    detail = document_detail(found[0])
    lines = detail.pop("lines")
    show_one(detail, number)
    show(lines, "lines")


def audit(
    entity: Annotated[str | None, typer.Option(help="Only this contract (or other id).")] = None,
) -> None:
    """The append-only audit trail: who changed what, when, before and after."""
    with tenure() as (app, vendor):
        entries = app.queries.audit(vendor, entity)
    show(
        [
            {
                "at": e.at,
                "actor": e.actor,
                "action": e.action,
                "entity": e.entity_id,
                "status": (e.after or {}).get("status"),
                "version": (e.after or {}).get("version"),
            }
            for e in entries
        ],
        "audit log",
    )


@clock_app.command("create")
@handles_errors
def clock_create(
    at: Annotated[str, typer.Option(help="Frozen time, e.g. 2026-01-15T00:00 (vendor zone).")],
    name: Annotated[str, typer.Option(help="A label.")] = "",
) -> None:
    """Create a test clock; attach customers with `customers create --test-clock`."""
    with tenure() as (app, vendor):
        zone = app.queries.catalog(vendor).vendor.timezone
        clock = app.test_clocks.create(vendor, parse_instant(at, zone), name)
    done(
        f"created test clock {clock.id} at {clock.frozen_at:%Y-%m-%d %H:%M}Z",
        id=clock.id,
        frozen_at=clock.frozen_at,
    )


@clock_app.command("advance")
@handles_errors
def clock_advance(
    clock_id: Annotated[str, typer.Argument(help="Test clock id (clk_...).")],
    to: Annotated[str, typer.Option(help="New time, e.g. 2026-03-20T09:00 (vendor zone).")],
) -> None:
    """Move a test clock forward, running the billing and transitions on the way."""
    with tenure("test-clock") as (app, vendor):
        zone = app.queries.catalog(vendor).vendor.timezone
        run = app.test_clocks.advance(vendor, clock_id, parse_instant(to, zone))
    done(
        f"{clock_id} is at {to}: {len(run.documents)} document(s) issued on the way",
        clock=clock_id,
        documents=list(run.documents),
    )


@clock_app.command("list")
@handles_errors
def clock_list() -> None:
    """Test clocks of the vendor."""
    with tenure() as (app, vendor):
        show(
            [
                {"id": c.id, "name": c.name, "frozen_at": c.frozen_at}
                for c in app.test_clocks.list(vendor)
            ],
            "test clocks",
        )


audit = handles_errors(audit)
