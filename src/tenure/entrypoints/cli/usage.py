"""``tenure usage``: record metered usage."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

import typer

from tenure.entrypoints.cli.arguments import ContractId
from tenure.entrypoints.cli.common import done, fail, handles_errors, parse_instant, tenure

usage_app = typer.Typer(help="Metered usage.", no_args_is_help=True)


@usage_app.command("record")
@handles_errors
def usage_record(
    contract_id: ContractId,
    metric: Annotated[str, typer.Option(help="Metric id, e.g. sms.")],
    quantity: Annotated[str, typer.Option(help="Quantity (decimal).")],
    key: Annotated[str, typer.Option(help="Idempotency key of the event.")],
    occurred_at: Annotated[
        str | None,
        typer.Option(
            help="When it happened, e.g. 2026-03-31T10:00 (local time in the vendor's zone "
            "unless it has an offset); default now."
        ),
    ] = None,
) -> None:
    """Record usage once per key (a retry with the same key changes nothing). It is billed in
    the period it happened in; refused in the future, before the contract or in a period
    already invoiced."""
    try:
        amount = Decimal(quantity)
    except InvalidOperation:
        fail(f"{quantity!r} is not a number", "invalid_quantity")
    if not amount.is_finite() or amount <= 0:
        fail(f"{quantity!r} is not a positive number", "invalid_quantity")
    with tenure() as (services, vendor):
        instant = None
        if occurred_at is not None:
            zone = services.queries.catalog(vendor).vendor.timezone
            instant = parse_instant(occurred_at, zone)
        record = services.usage.record(vendor, contract_id, metric, amount, key, instant)
    done(
        f"recorded {record.quantity} {metric} on {record.occurred_on} ({key})",
        key=key,
        metric=metric,
        quantity=record.quantity,
        occurred_at=record.occurred_at,
        occurred_on=record.occurred_on,
    )
