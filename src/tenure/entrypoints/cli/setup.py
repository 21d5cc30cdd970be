"""``tenure init``, ``tenure db``, ``tenure catalog``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.adapters.sql.migrate import current_revision, head_revision
from tenure.entrypoints.cli.common import (
    OPTIONS,
    app_for,
    done,
    handles_errors,
    show,
    show_one,
    tenure,
)

db_app = typer.Typer(help="The database: migrations.", no_args_is_help=True)
catalog_app = typer.Typer(
    help="Catalogs: validate, load a new version, show.", no_args_is_help=True
)

CatalogFile = Annotated[Path, typer.Argument(help="Catalog file (YAML).")]


@handles_errors
def init(
    catalog: Annotated[Path, typer.Option(help="The vendor's catalog file (YAML).")],
    vendor: Annotated[str, typer.Option(help="Id of the vendor to create.")] = "default",
) -> None:
    """Create (or migrate) the database and load a catalog for a vendor."""
    parsed = load_catalog_file(catalog)
    app, store = app_for()
    try:
        existing = vendor in app.queries.vendors()
        if not existing:
            app.vendors.create(parsed, vendor)
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
def db_upgrade() -> None:
    """Migrate the database to the newest schema (idempotent)."""
    _, store = app_for()  # opening the store migrates it
    done(
        f"{store.url} is at revision {current_revision(store.engine)}",
        database=store.url,
        revision=current_revision(store.engine),
    )
    store.dispose()


@db_app.command("current")
def db_current() -> None:
    """Show the schema revision of the database and the newest one."""
    from tenure.adapters.sql.engine import database_url, make_engine

    engine = make_engine(database_url(OPTIONS.db))
    current, head = current_revision(engine), head_revision()
    engine.dispose()
    done(f"revision {current or '(none)'}; newest {head}", current=current, head=head)


@catalog_app.command("validate")
@handles_errors
def catalog_validate(path: CatalogFile) -> None:
    """Check a catalog file and list every problem with its path."""
    catalog = load_catalog_file(path)
    done(
        f"[green]{path}[/] is valid: {len(catalog.plans)} plan(s), {len(catalog.addons)} "
        f"add-on(s), {len(catalog.metrics)} metric(s), seller {catalog.vendor.name} "
        f"({catalog.vendor.country}, {catalog.vendor.currency}, {catalog.vendor.timezone})",
        valid=True,
        plans=list(catalog.plans),
        addons=list(catalog.addons),
    )


@catalog_app.command("load")
@handles_errors
def catalog_load(path: CatalogFile) -> None:
    """Load a new catalog version for the vendor (new contracts use it)."""
    catalog = load_catalog_file(path)
    with tenure() as (app, vendor):
        app.vendors.create(catalog, vendor)
        done(f"loaded a new catalog version for {vendor}", vendor=vendor)


@catalog_app.command("show")
@handles_errors
def catalog_show() -> None:
    """The vendor's current catalog: plans and add-ons."""
    with tenure() as (app, vendor):
        catalog = app.queries.catalog(vendor)
    show_one(
        {
            "vendor": catalog.vendor.name,
            "timezone": catalog.vendor.timezone,
            "currency": catalog.vendor.currency,
            "vat_id": catalog.vendor.vat_id,
        },
        f"vendor {vendor}",
    )
    show(
        [
            {
                "plan": p.id,
                "price": p.price,
                "per_seat": p.per_seat,
                "cycle": p.billing_cycle.value,
                "notice": str(p.terms.notice),
                "notice_to": p.terms.notice_to.value,
                "addons": ", ".join(p.addons),
            }
            for p in catalog.plans.values()
        ],
        "plans",
    )
    if catalog.addons:
        show(
            [
                {"addon": a.id, "price": a.price, "entitlements": a.entitlements}
                for a in catalog.addons.values()
            ],
            "add-ons",
        )
