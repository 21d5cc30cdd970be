"""``tenure contracts``: start, list, show, entitlements, change plan or seats, one-time charges."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

import typer

from tenure.entrypoints.cli.arguments import ContractId, Sandbox
from tenure.entrypoints.cli.common import (
    done,
    fail,
    handles_errors,
    parse_date,
    show,
    show_one,
    tenure,
)
from tenure.entrypoints.cli.views import contract_row

contracts_app = typer.Typer(
    help="Contracts: start, show, change plan or seats.", no_args_is_help=True
)


@contracts_app.command("start")
@handles_errors
def contract_start(
    customer: Annotated[str, typer.Option(help="Customer id.")],
    plan: Annotated[str, typer.Option(help="Plan id from the catalog.")],
    seats: Annotated[int, typer.Option(help="Seats (per-seat plans).")] = 1,
    start: Annotated[str | None, typer.Option(help="Start date (default today).")] = None,
) -> None:
    """Start a contract (its first invoice comes with the next billing run)."""
    with tenure() as (services, vendor):
        contract = services.contracts.start(vendor, customer, plan, seats, parse_date(start))
    done(f"started contract {contract.id} on {contract.start}", **contract_row(contract))


@contracts_app.command("list")
@handles_errors
def contract_list(
    customer: Annotated[str | None, typer.Option(help="Only this customer's.")] = None,
    sandbox: Sandbox = False,
) -> None:
    """Contracts of the vendor (live ones unless --sandbox)."""
    with tenure() as (services, vendor):
        contracts = services.queries.contracts(vendor, customer, livemode=not sandbox)
    show([contract_row(c) for c in contracts], "contracts")


@contracts_app.command("show")
@handles_errors
def contract_show(contract_id: ContractId) -> None:
    """A contract with its bookings, cancellations and pending items."""
    with tenure() as (services, vendor):
        show_one(services.queries.contract_view(vendor, contract_id), contract_id)


@contracts_app.command("entitlements")
@handles_errors
def contract_entitlements(contract_id: ContractId) -> None:
    """What the customer may use right now."""
    with tenure() as (services, vendor):
        e = services.queries.entitlements(vendor, contract_id)
    show_one({**e.limits, "features": ", ".join(e.features)}, f"entitlements of {contract_id}")


@contracts_app.command("change-plan")
@handles_errors
def contract_change_plan(
    contract_id: ContractId,
    plan: Annotated[str, typer.Option(help="New plan id.")],
    seats: Annotated[int | None, typer.Option(help="New number of seats.")] = None,
) -> None:
    """Upgrade at once (with prorations) or downgrade at the next period."""
    with tenure() as (services, vendor):
        change = services.contracts.change_plan(vendor, contract_id, plan, seats)
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
    with tenure() as (services, vendor):
        services.contracts.add_one_time_charge(vendor, contract_id, description, value)
    done(f"{description}: {value} on the next invoice of {contract_id}", amount=value)


@contracts_app.command("withdraw")
@handles_errors
def contract_withdraw(contract_id: ContractId) -> None:
    """The customer withdraws from the whole contract within its window (Widerruf): it ends at
    once and everything invoiced is credited."""
    with tenure() as (services, vendor):
        notes = services.contracts.withdraw(vendor, contract_id)
    done(
        f"{contract_id} withdrawn"
        + (f"; credit notes {', '.join(n.number for n in notes)}" if notes else ""),
        contract=contract_id,
        status="withdrawn",
        credit_notes=[n.number for n in notes],
    )
