"""``tenure bill``: billing runs."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tenure.entrypoints.cli.common import OPTIONS, done, err, handles_errors, parse_date, tenure

bill_app = typer.Typer(help="Billing runs.", no_args_is_help=True)


@bill_app.command("run")
@handles_errors
def bill_run(
    until: Annotated[
        str | None, typer.Option(help="Bill up to this local date (default and latest: today).")
    ] = None,
) -> None:
    """Bill every contract and apply every transition due up to a date. Safe to rerun or to run
    in parallel: each (contract, day) is billed once, numbers stay gap-free."""
    limit = parse_date(until, "date")
    with (
        tenure("billing") as (services, vendor),
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
        run = services.billing.run(
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
