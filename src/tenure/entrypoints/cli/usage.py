"""``tenure usage``: record metered usage."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

import typer

from tenure.entrypoints.cli.arguments import ContractId
from tenure.entrypoints.cli.common import done, fail, handles_errors, tenure

usage_app = typer.Typer(help="Metered usage.", no_args_is_help=True)


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
    with tenure() as (services, vendor):
        record = services.usage.record(vendor, contract_id, metric, amount, key)
    done(
        f"recorded {record.quantity} {metric} on {record.occurred_on} ({key})",
        key=key,
        metric=metric,
        quantity=record.quantity,
        occurred_on=record.occurred_on,
    )
