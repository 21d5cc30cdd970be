"""Metered usage: recorded with an idempotency key, billed in arrears per billing period."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from tenure.domain.calendar import Period
from tenure.domain.charges import Charge, LineKind
from tenure.domain.errors import IdempotencyKeyReused
from tenure.domain.money import round_half_up

#: How far ahead of the engine's clock a usage instant may lie (the reporting system's clock may
#: run a little fast); anything later is refused as usage in the future.
MAX_CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class UsageRecord:
    key: str  # idempotency key, unique per vendor
    contract_id: str
    metric: str
    quantity: Decimal
    occurred_at: datetime
    occurred_on: date  # local date in the vendor's time zone
    unit_price: Decimal  # the plan's price when the usage happened

    def same_request(
        self,
        metric: str,
        quantity: Decimal,
        contract_id: str,
        occurred_at: datetime | None = None,
    ) -> bool:
        """Whether a request is this usage again (an instant left out defaults to "now", which
        a retry cannot repeat, so only a given one must match)."""
        return (self.metric, self.quantity, self.contract_id) == (
            metric,
            quantity,
            contract_id,
        ) and occurred_at in (None, self.occurred_at)

    def check_retry(
        self,
        metric: str,
        quantity: Decimal,
        contract_id: str,
        occurred_at: datetime | None = None,
    ) -> None:
        """A retry with the same key must carry the same usage; anything else is refused."""
        if not self.same_request(metric, quantity, contract_id, occurred_at):
            raise IdempotencyKeyReused(
                f"usage key {self.key!r} was already used for other usage "
                f"({self.quantity} {self.metric})",
                key=self.key,
            )


def usage_charges(
    records: Iterable[UsageRecord],
    period_of: Callable[[date], Period],
    metric_name: Callable[[str], str],
    currency: str,
) -> list[Charge]:
    """One charge per metric, billing period and unit price, rounded once per line."""
    groups: dict[tuple[str, Period, Decimal], Decimal] = {}
    for record in records:
        key = (record.metric, period_of(record.occurred_on), record.unit_price)
        groups[key] = groups.get(key, Decimal(0)) + record.quantity
    charges = []
    for (metric, period, unit_price), quantity in sorted(
        groups.items(), key=lambda kv: (kv[0][1].start, kv[0][0], kv[0][2])
    ):
        charges.append(
            Charge(
                kind=LineKind.USAGE,
                item=f"metric:{metric}",
                description=metric_name(metric),
                period=period,
                quantity=quantity,
                unit_price=unit_price,
                net=round_half_up(quantity * unit_price, currency),
                source="usage",
            )
        )
    return charges
