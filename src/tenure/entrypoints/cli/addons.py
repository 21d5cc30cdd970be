"""``tenure addons``: book, cancel and withdraw add-on bookings."""

from __future__ import annotations

from typing import Annotated

import typer

from tenure.entrypoints.cli.arguments import ContractId
from tenure.entrypoints.cli.common import done, handles_errors, tenure

addons_app = typer.Typer(help="Add-on bookings: book, cancel, withdraw.", no_args_is_help=True)


@addons_app.command("book")
@handles_errors
def addon_book(
    contract_id: ContractId,
    addon: Annotated[str, typer.Option(help="Add-on id.")],
    quantity: Annotated[int, typer.Option(help="Units.")] = 1,
) -> None:
    """Book an add-on: usable at once, prorated onto the next invoice."""
    with tenure() as (services, vendor):
        booking = services.addons.book(vendor, contract_id, addon, quantity)
    done(f"booked {quantity} × {addon}: {booking}", booking=booking)


@addons_app.command("cancel")
@handles_errors
def addon_cancel(
    contract_id: ContractId, booking: Annotated[str, typer.Argument(help="Booking id.")]
) -> None:
    """Cancel a booking to the end of its paid period."""
    with tenure() as (services, vendor):
        ends_on = services.addons.cancel(vendor, contract_id, booking)
    done(f"{booking}: Kündigung zum {ends_on}", booking=booking, ends_on=ends_on)


@addons_app.command("withdraw")
@handles_errors
def addon_withdraw(
    contract_id: ContractId, booking: Annotated[str, typer.Argument(help="Booking id.")]
) -> None:
    """Withdraw from a booking within its window (Widerruf)."""
    with tenure() as (services, vendor):
        notes = services.addons.withdraw(vendor, contract_id, booking)
    done(
        f"{booking} withdrawn"
        + (f"; credit notes {', '.join(n.number for n in notes)}" if notes else ""),
        booking=booking,
        credit_notes=[n.number for n in notes],
    )
