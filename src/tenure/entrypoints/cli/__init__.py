"""The ``tenure`` command line (Typer + Rich).

Global options come first: ``tenure [--db URL] [--vendor ID] [--json] COMMAND``. The database is
``--db``, else ``TENURE_DATABASE_URL``, else ``./tenure.sqlite``. Exit codes: 0 ok; 1 a rule
refused the request (or a check failed); 2 bad input (file, date, option, unknown id).
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

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
    setup,
    simulate,
    test_clocks,
    usage,
)
from tenure.entrypoints.cli.common import OPTIONS, err, out

app = typer.Typer(
    name="tenure",
    help="Subscription contracts and billing for SaaS vendors in Germany and the EU.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def global_options(
    db: Annotated[
        str | None,
        typer.Option(
            help="Database URL (default: TENURE_DATABASE_URL, else sqlite:///tenure.sqlite)."
        ),
    ] = None,
    vendor: Annotated[
        str | None,
        typer.Option(help="Vendor to act for (default: TENURE_VENDOR, else the only one)."),
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    OPTIONS.db = db
    OPTIONS.vendor = vendor or os.environ.get("TENURE_VENDOR")
    OPTIONS.json = json


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


@app.command("version")
def version() -> None:
    """Print the version."""
    out.print(f"tenure {__version__}")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except Exception as exc:  # last line of defence: one line, no traceback
        if os.environ.get("TENURE_DEBUG"):
            raise
        err.print(
            f"internal error: {type(exc).__name__}: {exc} (set TENURE_DEBUG=1 for the traceback)",
            markup=False,
        )
        raise SystemExit(70) from None


if __name__ == "__main__":
    main()
