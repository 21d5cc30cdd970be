"""Usage: metered events (an SMS sent) recorded once per idempotency key and billed in arrears in
the period they happened in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from tenure.domain.contract import Contract
from tenure.domain.errors import DomainError, UnknownMetric
from tenure.domain.usage import UsageRecord
from tenure.services.context import UseCases, retrying


class UsageEvent(NamedTuple):
    """One event of a batch: ``quantity`` of ``metric`` on ``contract``, idempotent by ``key``,
    that happened at ``occurred_at`` (None: now)."""

    contract: str
    metric: str
    quantity: Decimal
    key: str
    occurred_at: datetime | None = None


class Usage(UseCases):
    @retrying
    def record(
        self,
        vendor_id: str,
        contract_id: str,
        metric: str,
        quantity: Decimal,
        key: str,
        occurred_at: datetime | None = None,
    ) -> UsageRecord:
        """Record usage that happened at ``occurred_at`` (default now) once per idempotency
        ``key``; a retry returns the first record."""
        with self._uow() as uow:
            existing = uow.usage.get(vendor_id, key)
            if existing is not None:
                existing.check_retry(metric, quantity, contract_id, occurred_at)
                return existing
            contract = uow.contracts.get(vendor_id, contract_id)
            _check_metric(contract, metric)
            record = contract.record_usage(
                key, metric, quantity, self.ctx.now(uow, vendor_id, contract.customer), occurred_at
            )
            uow.usage.add(vendor_id, record)
            self._commit(uow, vendor_id, contract)
            return record

    @retrying
    def record_batch(
        self, vendor_id: str, events: Sequence[UsageEvent]
    ) -> list[UsageRecord | DomainError]:
        """Record many usage events in one transaction. Each is accepted (a retry of a known key
        returns the first record) or refused on its own; the result lists a record or the
        refusal for every event, in order."""
        results: list[UsageRecord | DomainError] = []
        with self._uow() as uow:
            known = uow.usage.get_many(vendor_id, [e.key for e in events])
            contracts: dict[str, Contract] = {}
            fresh: dict[str, UsageRecord] = {}
            for contract_id, metric, quantity, key, occurred_at in events:
                try:
                    earlier = known.get(key) or fresh.get(key)
                    if earlier is not None:
                        earlier.check_retry(metric, quantity, contract_id, occurred_at)
                        results.append(earlier)
                        continue
                    if contract_id not in contracts:
                        contracts[contract_id] = uow.contracts.get(
                            vendor_id, contract_id, lock=False
                        )
                    contract = contracts[contract_id]
                    _check_metric(contract, metric)
                    now = self.ctx.now(uow, vendor_id, contract.customer)
                    fresh[key] = contract.record_usage(key, metric, quantity, now, occurred_at)
                    results.append(fresh[key])
                except DomainError as exc:
                    results.append(exc)
            uow.usage.add_many(vendor_id, list(fresh.values()))
            for contract in contracts.values():
                uow.outbox.publish(vendor_id, contract.pull_events())
            uow.commit()
        return results


def _check_metric(contract: Contract, metric: str) -> None:
    if metric not in contract.catalog.metrics:
        raise UnknownMetric(f"no metric {metric!r} in the catalog", metric=metric)
