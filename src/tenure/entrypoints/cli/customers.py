"""``tenure customers``: create, list, show, update, delete."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated

import typer

from tenure.domain.customer import CustomerType
from tenure.entrypoints.cli.arguments import Sandbox
from tenure.entrypoints.cli.common import done, fail, handles_errors, show, show_one, tenure
from tenure.entrypoints.cli.views import customer_row

if TYPE_CHECKING:
    from tenure.services.customers import Keep


class Locale(enum.StrEnum):
    de = "de"
    en = "en"
    zh = "zh"


customers_app = typer.Typer(help="Customers of the vendor.", no_args_is_help=True)


@customers_app.command("create")
@handles_errors
def customer_create(
    name: Annotated[str, typer.Option(help="Legal name.")],
    email: Annotated[str, typer.Option(help="Contact e-mail for invoices and confirmations.")],
    country: Annotated[str, typer.Option(help="Two-letter country code.")] = "DE",
    consumer: Annotated[bool, typer.Option("--consumer", help="A consumer (B2C).")] = False,
    vat_id: Annotated[str | None, typer.Option(help="EU VAT ID.")] = None,
    locale: Annotated[Locale, typer.Option(help="Language of documents and e-mails.")] = Locale.de,
    address: Annotated[
        str, typer.Option(help="Full billing address (required: it goes on every invoice).")
    ] = "",
    test_clock: Annotated[
        str | None, typer.Option(help="Put the customer on a test clock.")
    ] = None,
    buyer_reference: Annotated[
        str | None, typer.Option(help="Reference for its invoices (BT-10, a Leitweg-ID).")
    ] = None,
) -> None:
    """Create a customer (country, VAT ID and address are checked as for the API)."""
    with tenure() as (services, vendor):
        customer = services.customers.create(
            vendor,
            type=CustomerType.CONSUMER if consumer else CustomerType.BUSINESS,
            name=name,
            country=country,
            email=email,
            locale=locale.value,
            vat_id=vat_id,
            address=address,
            test_clock_id=test_clock,
            buyer_reference=buyer_reference,
        )
    done(f"created customer {customer.id}", **customer_row(customer))


@customers_app.command("list")
@handles_errors
def customer_list(sandbox: Sandbox = False) -> None:
    """The vendor's customers (live ones unless --sandbox)."""
    with tenure() as (services, vendor):
        customers = services.queries.customers(vendor, livemode=not sandbox)
    show([customer_row(c) for c in customers], "customers")


@customers_app.command("show")
@handles_errors
def customer_show(customer_id: Annotated[str, typer.Argument(help="Customer id.")]) -> None:
    """One customer and its contracts."""
    with tenure() as (services, vendor):
        customer = services.queries.customer(vendor, customer_id)
        contracts = services.queries.contracts(vendor, customer_id)
    show_one({**customer_row(customer), "contracts": [c.id for c in contracts]}, customer.name)


def _given(value: str | None) -> str | Keep:
    """An option left out keeps the customer's value."""
    from tenure.services.customers import KEEP

    return KEEP if value is None else value


@customers_app.command("update")
@handles_errors
def customer_update(
    customer_id: Annotated[str, typer.Argument(help="Customer id.")],
    name: Annotated[str | None, typer.Option(help="Legal name.")] = None,
    email: Annotated[str | None, typer.Option(help="Contact e-mail.")] = None,
    country: Annotated[str | None, typer.Option(help="Two-letter country code.")] = None,
    address: Annotated[str | None, typer.Option(help="Full billing address.")] = None,
    vat_id: Annotated[str | None, typer.Option(help="EU VAT ID.")] = None,
    no_vat_id: Annotated[bool, typer.Option("--no-vat-id", help="Remove the VAT ID.")] = False,
    locale: Annotated[Locale | None, typer.Option(help="Language of documents.")] = None,
    buyer_reference: Annotated[
        str | None, typer.Option(help="Reference for its invoices (BT-10, a Leitweg-ID).")
    ] = None,
) -> None:
    """Change a customer's data; documents issued afterwards show it, issued ones keep theirs."""
    if vat_id is not None and no_vat_id:
        fail("give either --vat-id or --no-vat-id", "conflicting_options")
    with tenure() as (services, vendor):
        customer = services.customers.update(
            vendor,
            customer_id,
            name=_given(name),
            email=_given(email),
            country=_given(country),
            address=_given(address),
            vat_id=None if no_vat_id else _given(vat_id),
            locale=_given(locale.value if locale else None),
            buyer_reference=_given(buyer_reference),
        )
    done(f"updated customer {customer.id}", **customer_row(customer))


@customers_app.command("delete")
@handles_errors
def customer_delete(customer_id: Annotated[str, typer.Argument(help="Customer id.")]) -> None:
    """Delete a customer who never had a contract."""
    with tenure() as (services, vendor):
        customer = services.customers.delete(vendor, customer_id)
    done(f"deleted customer {customer.id}", id=customer.id, deleted=True)
