"""``tenure customers``: create, list, show."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from tenure.domain.customer import CustomerType
from tenure.entrypoints.cli.arguments import Sandbox
from tenure.entrypoints.cli.common import done, fail, handles_errors, show, show_one, tenure
from tenure.entrypoints.cli.views import customer_row


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
    address: Annotated[str | None, typer.Option(help="Billing address.")] = None,
    test_clock: Annotated[
        str | None, typer.Option(help="Put the customer on a test clock.")
    ] = None,
) -> None:
    """Create a customer."""
    from tenure.adapters.vat_ids import vat_id_problem

    if len(country) != 2 or not country.isalpha():
        fail(f"{country!r} is not a two-letter country code", "invalid_country")
    if vat_id and (problem := vat_id_problem(vat_id)):
        fail(problem, "invalid_vat_id")
    if "@" not in email:
        fail(f"{email!r} is not an e-mail address", "invalid_email")
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
