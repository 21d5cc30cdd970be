"""``tenure catalog``: validate a catalog file, load a new version, show the current one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tenure.entrypoints.cli.common import OPTIONS, done, err, handles_errors, show_one, tenure

if TYPE_CHECKING:
    from tenure.domain.catalog import Catalog

catalog_app = typer.Typer(
    help="Catalogs: validate, load a new version, show.", no_args_is_help=True
)

CatalogFile = Annotated[Path, typer.Argument(help="Catalog file (YAML).")]


@catalog_app.command("validate")
@handles_errors
def catalog_validate(path: CatalogFile) -> None:
    """Check a catalog file and list every problem with its path."""
    from tenure.adapters.catalog_yaml import load_catalog_file

    catalog = load_catalog_file(path)
    notices = catalog.vendor.document_gaps()
    if not OPTIONS.json:
        for notice in notices:
            err.print(f"note: {notice}", markup=False, highlight=False, soft_wrap=True)
    done(
        f"[green]{path}[/] is valid: {len(catalog.plans)} plan(s), {len(catalog.addons)} "
        f"add-on(s), {len(catalog.metrics)} metric(s), seller {catalog.vendor.name} "
        f"({catalog.vendor.country}, {catalog.vendor.currency}, {catalog.vendor.timezone})",
        valid=True,
        plans=list(catalog.plans),
        addons=list(catalog.addons),
        notices=list(notices),
    )


@catalog_app.command("load")
@handles_errors
def catalog_load(
    path: CatalogFile,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Only report what it does to running contracts."),
    ] = False,
    allow_grandfathering: Annotated[
        bool,
        typer.Option(
            "--allow-grandfathering",
            help="Load it even though running contracts would stay on their old version.",
        ),
    ] = False,
) -> None:
    """Load a new catalog version for the vendor: new contracts use it, running ones from their
    next period start. Refused when running contracts would stay behind on their old version
    (a plan or add-on in use removed) unless --allow-grandfathering; --dry-run reports only."""
    from tenure.adapters.catalog_yaml import load_catalog_file
    from tenure.entrypoints.presenters import catalog_uploaded_dict

    catalog = load_catalog_file(path)
    with tenure() as (services, vendor):
        upload = services.vendors.upload(
            vendor, catalog, dry_run=dry_run, allow_grandfathering=allow_grandfathering
        )
    reply = catalog_uploaded_dict(upload)
    impact = reply["impact"]
    lines = [
        f"dry run: nothing loaded for {vendor}"
        if dry_run
        else f"loaded catalog version {upload.version} for {vendor}",
        f"running contracts: {impact['contracts_following']} follow at their next period "
        f"start, {impact['contracts_grandfathered']} keep their old version",
    ]
    lines += [
        f"removed plan {p['plan']}: used by {p['contracts']} contract(s)"
        for p in impact["plans_removed"]
    ]
    lines += [
        f"removed add-on {a['addon']}: {a['bookings']} booking(s) on {a['contracts']} contract(s)"
        for a in impact["addons_removed"]
    ]
    lines += [
        f"price of {c['item']}: {c['old']} -> {c['new']} for {c['contracts']} contract(s)"
        for c in impact["price_changes"]
    ]
    lines += [
        f"  {c['contract']} ({c['plan']}) keeps its version: {c['reason']}"
        for c in impact["contracts"]
        if c["outcome"] == "grandfathered"
    ]
    done("\n".join(lines), vendor=vendor, **reply)


@catalog_app.command("show")
@handles_errors
def catalog_show() -> None:
    """The vendor's current catalog: plans and add-ons."""
    with tenure() as (services, vendor):
        catalog = services.queries.catalog(vendor)
    show_one(
        {
            "vendor": catalog.vendor.name,
            "timezone": catalog.vendor.timezone,
            "currency": catalog.vendor.currency,
            "vat_id": catalog.vendor.vat_id,
        },
        f"vendor {vendor}",
        {"plans": plans(catalog), "addons": addons(catalog)},
    )


def plans(catalog: Catalog) -> list[dict[str, Any]]:
    return [
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
    ]


def addons(catalog: Catalog) -> list[dict[str, Any]]:
    return [
        {"addon": a.id, "price": a.price, "entitlements": a.entitlements}
        for a in catalog.addons.values()
    ]
