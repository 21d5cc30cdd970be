"""``tenure init`` and ``tenure db``: create and migrate the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tenure.entrypoints.cli.common import OPTIONS, done, handles_errors, services_for

db_app = typer.Typer(help="The database: migrations.", no_args_is_help=True)


@handles_errors
def init(
    catalog: Annotated[Path, typer.Option(help="The vendor's catalog file (YAML).")],
    vendor: Annotated[str, typer.Option(help="Id of the vendor to create.")] = "default",
) -> None:
    """Create (or migrate) the database and load a catalog for a vendor."""
    from tenure.adapters.catalog_yaml import load_catalog_file

    parsed = load_catalog_file(catalog)
    services, store = services_for()
    try:
        existing = vendor in services.queries.vendors()
        if not existing:
            services.vendors.create(parsed, vendor)
        done(
            f"database {store.url} ready; vendor {vendor} "
            + (
                "exists (load a new catalog with `tenure catalog load`)"
                if existing
                else f"created with {len(parsed.plans)} plan(s)"
            ),
            database=store.url,
            vendor=vendor,
            created=not existing,
        )
    finally:
        store.dispose()


@db_app.command("upgrade")
@handles_errors
def db_upgrade() -> None:
    """Migrate the database to the newest schema (idempotent)."""
    from tenure.adapters.sql.schema import current_revision

    _, store = services_for()  # opening the store migrates it
    done(
        f"{store.url} is at revision {current_revision(store.engine)}",
        database=store.url,
        revision=current_revision(store.engine),
    )
    store.dispose()


@db_app.command("current")
@handles_errors
def db_current() -> None:
    """Show the schema revision of the database and the newest one."""
    from tenure.adapters.sql.engine import database_url, make_engine
    from tenure.adapters.sql.schema import current_revision, head_revision

    engine = make_engine(database_url(OPTIONS.db))
    try:
        current, head = current_revision(engine), head_revision()
    finally:
        engine.dispose()
    done(f"revision {current or '(none)'}; newest {head}", current=current, head=head)
