"""Customers, contracts, add-ons, usage and cancellations."""

from __future__ import annotations

import enum
from decimal import Decimal, InvalidOperation
from typing import Annotated

import typer

from tenure.domain.cancellation import CancellationKind
from tenure.domain.customer import CustomerType
from tenure.entrypoints.cli.common import (
    done,
    fail,
    handles_errors,
    parse_date,
    show,
    show_one,
    tenure,
)
from tenure.entrypoints.cli.views import contract_detail, contract_row, customer_row


class Locale(enum.StrEnum):
    de = "de"
    en = "en"
    zh = "zh"


customers_app = typer.Typer(help="Customers of the vendor.", no_args_is_help=True)
contracts_app = typer.Typer(
    help="Contracts: start, show, change plan or seats.", no_args_is_help=True
)
addons_app = typer.Typer(help="Add-on bookings: book, cancel, withdraw.", no_args_is_help=True)
cancel_app = typer.Typer(
    help="Contract cancellation: notice, revocation, decisions.", no_args_is_help=True
)
usage_app = typer.Typer(help="Metered usage.", no_args_is_help=True)

ContractId = Annotated[str, typer.Argument(help="Contract id (ctr_...).")]


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
    with tenure() as (app, vendor):
        customer = app.customers.create(
            vendor,
            type=CustomerType.CONSUMER if consumer else CustomerType.BUSINESS,
            name=name,
            country=country,
            email=email,
            locale=locale.value,
            vat_id=vat_id,
            address=address,
            test_clock=test_clock,
        )
    done(f"created customer {customer.id}", **customer_row(customer))


@customers_app.command("list")
@handles_errors
def customer_list() -> None:
    """All customers of the vendor."""
    with tenure() as (app, vendor):
        show([customer_row(c) for c in app.queries.customers(vendor)], "customers")


@customers_app.command("show")
@handles_errors
def customer_show(customer_id: Annotated[str, typer.Argument(help="Customer id.")]) -> None:
    """One customer and its contracts."""
    with tenure() as (app, vendor):
        customer = app.queries.customer(vendor, customer_id)
        contracts = app.queries.contracts(vendor, customer_id)
    show_one({**customer_row(customer), "contracts": [c.id for c in contracts]}, customer.name)


@contracts_app.command("start")
@handles_errors
def contract_start(
    customer: Annotated[str, typer.Option(help="Customer id.")],
    plan: Annotated[str, typer.Option(help="Plan id from the catalog.")],
    seats: Annotated[int, typer.Option(help="Seats (per-seat plans).")] = 1,
    start: Annotated[str | None, typer.Option(help="Start date (default today).")] = None,
) -> None:
    """Start a contract (its first invoice comes with the next billing run)."""
    with tenure() as (app, vendor):
        contract = app.contracts.start(vendor, customer, plan, seats, parse_date(start))
    done(f"started contract {contract.id} on {contract.start}", **contract_row(contract))


@contracts_app.command("list")
@handles_errors
def contract_list(
    customer: Annotated[str | None, typer.Option(help="Only this customer's.")] = None,
) -> None:
    """Contracts of the vendor."""
    with tenure() as (app, vendor):
        show([contract_row(c) for c in app.queries.contracts(vendor, customer)], "contracts")


@contracts_app.command("show")
@handles_errors
def contract_show(contract_id: ContractId) -> None:
    """A contract with its bookings, cancellations and pending items."""
    with tenure() as (app, vendor):
        show_one(contract_detail(app.queries.contract(vendor, contract_id)), contract_id)


@contracts_app.command("entitlements")
@handles_errors
def contract_entitlements(contract_id: ContractId) -> None:
    """What the customer may use right now."""
    with tenure() as (app, vendor):
        e = app.queries.entitlements(vendor, contract_id)
    show_one({**e.limits, "features": ", ".join(e.features)}, f"entitlements of {contract_id}")


@contracts_app.command("change-plan")
@handles_errors
def contract_change_plan(
    contract_id: ContractId,
    plan: Annotated[str, typer.Option(help="New plan id.")],
    seats: Annotated[int | None, typer.Option(help="New number of seats.")] = None,
) -> None:
    """Upgrade at once (with prorations) or downgrade at the next period."""
    with tenure() as (app, vendor):
        change = app.contracts.change_plan(vendor, contract_id, plan, seats)
    if change is None:
        done(f"{contract_id} is now on {plan}", contract=contract_id, plan=plan, effective="now")
    else:
        done(
            f"{contract_id} changes to {plan} on {change.effective_on}",
            contract=contract_id,
            plan=plan,
            effective=change.effective_on,
        )


@contracts_app.command("charge")
@handles_errors
def contract_charge(
    contract_id: ContractId,
    description: Annotated[str, typer.Option(help="Text on the invoice line.")],
    amount: Annotated[str, typer.Option(help="Net amount; negative for a credit.")],
) -> None:
    """Add a one-time fee (or credit) to the contract's next invoice."""
    try:
        value = Decimal(amount)
    except InvalidOperation:
        fail(f"{amount!r} is not an amount", "invalid_quantity")
    if not value.is_finite():
        fail(f"{amount!r} is not an amount", "invalid_quantity")
    with tenure() as (app, vendor):
        app.contracts.add_one_time_charge(vendor, contract_id, description, value)
    done(f"{description}: {value} on the next invoice of {contract_id}", amount=value)


@addons_app.command("book")
@handles_errors
def addon_book(
    contract_id: ContractId,
    addon: Annotated[str, typer.Option(help="Add-on id.")],
    quantity: Annotated[int, typer.Option(help="Units.")] = 1,
) -> None:
    """Book an add-on: usable at once, prorated onto the next invoice."""
    with tenure() as (app, vendor):
        booking = app.addons.book(vendor, contract_id, addon, quantity)
    done(f"booked {quantity} × {addon}: {booking}", booking=booking)


@addons_app.command("cancel")
@handles_errors
def addon_cancel(
    contract_id: ContractId, booking: Annotated[str, typer.Argument(help="Booking id.")]
) -> None:
    """Cancel a booking to the end of its paid period."""
    with tenure() as (app, vendor):
        ends_on = app.addons.cancel(vendor, contract_id, booking)
    done(f"{booking}: Kündigung zum {ends_on}", booking=booking, ends_on=ends_on)


@addons_app.command("withdraw")
@handles_errors
def addon_withdraw(
    contract_id: ContractId, booking: Annotated[str, typer.Argument(help="Booking id.")]
) -> None:
    """Withdraw from a booking within its window (Widerruf)."""
    with tenure() as (app, vendor):
        notes = app.addons.withdraw(vendor, contract_id, booking)
    done(
        f"{booking} withdrawn"
        + (f"; credit notes {', '.join(n.number for n in notes)}" if notes else ""),
        booking=booking,
        credit_notes=[n.number for n in notes],
    )


@usage_app.command("record")
@handles_errors
def usage_record(
    contract_id: ContractId,
    metric: Annotated[str, typer.Option(help="Metric id, e.g. sms.")],
    quantity: Annotated[str, typer.Option(help="Quantity (decimal).")],
    key: Annotated[str, typer.Option(help="Idempotency key of the event.")],
) -> None:
    """Record usage once per key (a retry with the same key changes nothing)."""
    try:
        amount = Decimal(quantity)
    except InvalidOperation:
        fail(f"{quantity!r} is not a number", "invalid_quantity")
    if not amount.is_finite() or amount <= 0:
        fail(f"{quantity!r} is not a positive number", "invalid_quantity")
    with tenure() as (app, vendor):
        record = app.usage.record(vendor, contract_id, metric, amount, key)
    done(
        f"recorded {record.quantity} {metric} on {record.occurred_on} ({key})",
        key=key,
        metric=metric,
        quantity=record.quantity,
        occurred_on=record.occurred_on,
    )


@cancel_app.command("create")
@handles_errors
def cancel_create(
    contract_id: ContractId,
    extraordinary: Annotated[
        bool,
        typer.Option(
            "--extraordinary", help="Termination for cause (BGB § 314), decided by the vendor."
        ),
    ] = False,
    end: Annotated[str | None, typer.Option(help="Requested end date (default earliest).")] = None,
    reason: Annotated[str | None, typer.Option(help="Reason (required if extraordinary).")] = None,
    email: Annotated[str | None, typer.Option(help="Where the confirmation goes.")] = None,
) -> None:
    """Receive a cancellation now; prints the end date."""
    kind = CancellationKind.EXTRAORDINARY if extraordinary else CancellationKind.ORDINARY
    with tenure() as (app, vendor):
        c = app.cancellations.cancel(
            vendor,
            contract_id,
            kind=kind,
            requested_end=parse_date(end),
            reason=reason,
            email=email,
        )
    done(
        f"received {c.received_at:%Y-%m-%d %H:%M}Z ({c.received_on}): "
        + (f"contract ends on {c.effective_end}" if c.effective_end else "awaits your decision"),
        cancellation=c.id,
        status=c.status.value,
        received_at=c.received_at,
        effective_end=c.effective_end,
    )


@cancel_app.command("quote")
@handles_errors
def cancel_quote(
    contract_id: ContractId,
    end: Annotated[str | None, typer.Option(help="A requested end date.")] = None,
) -> None:
    """The end date a notice received now would give (changes nothing)."""
    with tenure() as (app, vendor):
        earliest = app.cancellations.quote(vendor, contract_id, parse_date(end))
    done(f"a notice now ends {contract_id} on {earliest}", end_date=earliest)


@cancel_app.command("revoke")
@handles_errors
def cancel_revoke(contract_id: ContractId) -> None:
    """Revoke the pending cancellation."""
    with tenure() as (app, vendor):
        c = app.cancellations.revoke(vendor, contract_id)
    done(f"revoked {c.id}; the contract continues", cancellation=c.id, status=c.status.value)


@cancel_app.command("accept")
@handles_errors
def cancel_accept(
    contract_id: ContractId,
    end: Annotated[str | None, typer.Option(help="End date (default requested, or today).")] = None,
) -> None:
    """Accept a termination for cause."""
    with tenure() as (app, vendor):
        c = app.cancellations.accept(vendor, contract_id, parse_date(end))
    done(f"accepted; the contract ends on {c.effective_end}", effective_end=c.effective_end)


@cancel_app.command("reject")
@handles_errors
def cancel_reject(
    contract_id: ContractId,
    reason: Annotated[str, typer.Option(help="Why (the customer is told).")],
) -> None:
    """Reject a termination for cause."""
    with tenure() as (app, vendor):
        c = app.cancellations.reject(vendor, contract_id, reason)
    done(f"rejected {c.id}", cancellation=c.id, status=c.status.value)
