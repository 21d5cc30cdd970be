"""The ``tenure`` command line (Typer + Rich).

The shared options go before or after the command: ``tenure [--db URL] [--vendor ID] [--json]
COMMAND`` or ``tenure COMMAND ... --json`` (see :mod:`tenure.entrypoints.cli.shared`). The
database is ``--db``, else ``TENURE_DATABASE_URL``, else ``./tenure.sqlite``. Exit codes:
:data:`tenure.entrypoints.cli.common.EXIT_CODES` (0 ok, 1 refused, 2 bad input, 69 database
unavailable, 70 internal error). Importing the command modules imports no SQLAlchemy, Alembic or
FastAPI: a command imports what it needs when it runs.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer
import typer.main
from typer import _click as click  # Typer's own copy of Click

from tenure import __version__
from tenure.entrypoints.cli import (
    addons,
    audit,
    billing,
    cancellations,
    catalog,
    contracts,
    customers,
    invoices,
    keys,
    mail,
    setup,
    simulate,
    test_clocks,
    usage,
)
from tenure.entrypoints.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    OPTIONS,
    err,
    out,
    storage_failed,
)
from tenure.entrypoints.cli.shared import DbOption, JsonOption, VendorOption, add_shared_options
from tenure.services.errors import InvalidSetting, StorageError

app = typer.Typer(
    name="tenure",
    help="Subscription contracts and billing for SaaS vendors in Germany and the EU.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def global_options(
    db: DbOption = None, vendor: VendorOption = None, json: JsonOption = False
) -> None:
    OPTIONS.db = db
    OPTIONS.vendor = vendor or os.environ.get("TENURE_VENDOR")
    OPTIONS.json = json
    OPTIONS.json_written = False  # a new call (tests invoke the app several times per process)


app.command("simulate")(simulate.simulate_command)
app.command("init")(setup.init)
app.command("audit")(audit.audit)
app.add_typer(setup.db_app, name="db")
app.add_typer(catalog.catalog_app, name="catalog")
app.add_typer(customers.customers_app, name="customers")
app.add_typer(contracts.contracts_app, name="contracts")
app.add_typer(addons.addons_app, name="addons")
app.add_typer(cancellations.cancel_app, name="cancel")
app.add_typer(usage.usage_app, name="usage")
app.add_typer(billing.bill_app, name="bill")
app.add_typer(invoices.invoices_app, name="invoices")
app.add_typer(test_clocks.clock_app, name="clock")
app.add_typer(keys.keys_app, name="keys")
app.add_typer(mail.mail_app, name="mail")


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    demo: Annotated[bool, typer.Option(help="Create a demo vendor and key on first start.")] = True,
    billing_interval: Annotated[
        float, typer.Option(help="Seconds between the in-process billing runs.")
    ] = 60.0,
) -> None:
    """Run the vendor API with its in-process billing worker (SQLite by default;
    TENURE_DATABASE_URL or --db for PostgreSQL)."""
    from tenure.entrypoints.serve import serve

    serve(OPTIONS.db, host, port, demo, billing_interval)


@app.command("worker")
def worker_command(
    once: Annotated[
        bool, typer.Option("--once", help="Do what is due now, print how much, and exit.")
    ] = False,
    billing_interval: Annotated[float, typer.Option(help="Seconds between billing runs.")] = 60.0,
) -> None:
    """Run the background work without the API: billing runs, events to their handlers,
    document rendering, webhook and e-mail delivery (what ``tenure serve`` runs in-process)."""
    from tenure.entrypoints.cli.common import done, handles_errors, services_for
    from tenure.entrypoints.serve import drain, work

    if not once:
        work(OPTIONS.db, billing_interval)
        return

    @handles_errors
    def run_once() -> None:  # every vendor's work
        services, store = services_for("worker")
        try:
            counts = drain(services)
        finally:
            store.dispose()
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        done(f"worker: {summary}", **counts)

    run_once()


@app.command("version")
def version() -> None:
    """Print the version."""
    out.print(f"tenure {__version__}")


def command() -> click.Command:
    """The command tree, each command taking the shared options after its name too."""
    return add_shared_options(typer.main.get_command(app))


def main() -> None:
    try:
        command().main(prog_name="tenure", standalone_mode=True)
    except KeyboardInterrupt:
        raise SystemExit(EXIT_INTERRUPTED) from None
    except InvalidSetting as exc:  # read at start, e.g. by `serve`: one line, exit 2
        err.print(f"error: {exc.message} [{exc.code}]", markup=False, soft_wrap=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    except StorageError as exc:  # a command without handles_errors, e.g. `db upgrade`
        try:
            storage_failed(exc)
        except typer.Exit as leave:
            raise SystemExit(leave.exit_code) from None
    except Exception as exc:  # last line of defence: one line, no traceback
        if os.environ.get("TENURE_DEBUG"):
            raise
        err.print(
            f"internal error: {type(exc).__name__}: {exc} (set TENURE_DEBUG=1 for the traceback)",
            markup=False,
            soft_wrap=True,
        )
        raise SystemExit(EXIT_INTERNAL) from None


if __name__ == "__main__":
    main()
