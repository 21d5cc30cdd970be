"""What a new catalog version does to running contracts: which follow it at their next period
start (and at what prices), which stay on their version (grandfathered) and why, which plans and
add-ons in use it removes. The preview of an upload and the safety check before storing one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from tenure.domain.catalog import Catalog, Grandfathered
from tenure.domain.contract import Contract


@dataclass(frozen=True, slots=True)
class ContractOutcome:
    """A running contract under the new version: ``grandfathered`` None means it follows."""

    contract_id: str
    plan: str
    grandfathered: Grandfathered | None


@dataclass(frozen=True, slots=True)
class RemovedItem:
    """A plan or add-on in use that the new version no longer offers."""

    id: str
    contracts: int
    bookings: int = 0  # add-ons: the live bookings of it


@dataclass(frozen=True, slots=True)
class PriceChange:
    """``item`` (``plan:…`` or ``addon:…``) costs ``new`` instead of ``old`` from the next
    period start of the ``contracts`` that follow the new version."""

    item: str
    old: Decimal
    new: Decimal
    contracts: int


@dataclass(frozen=True, slots=True)
class CatalogImpact:
    contracts: tuple[ContractOutcome, ...]
    plans_removed: tuple[RemovedItem, ...]
    addons_removed: tuple[RemovedItem, ...]
    price_changes: tuple[PriceChange, ...]

    @property
    def grandfathered(self) -> list[ContractOutcome]:
        return [c for c in self.contracts if c.grandfathered is not None]

    @property
    def strands_contracts(self) -> bool:
        """Whether some running contract would stay behind on an older version."""
        return bool(self.grandfathered)


def catalog_impact(contracts: Iterable[Contract], new: Catalog) -> CatalogImpact:
    """The impact of ``new`` on the running (not ended) ``contracts`` of its vendor."""
    outcomes: list[ContractOutcome] = []
    plans: dict[str, int] = {}
    addons: dict[str, tuple[set[str], int]] = {}
    prices: dict[tuple[str, Decimal, Decimal], set[str]] = {}
    for contract in sorted(contracts, key=lambda c: c.id):
        if contract.is_over:
            continue
        why = contract.grandfathered_by(new)
        outcomes.append(ContractOutcome(contract.id, contract.plan.id, why))
        if contract.plan.id not in new.plans:
            plans[contract.plan.id] = plans.get(contract.plan.id, 0) + 1
        live = [b for b in contract.bookings.values() if b.is_live()]
        for booking in live:
            if booking.addon not in new.addons:
                users, count = addons.get(booking.addon, (set(), 0))
                addons[booking.addon] = (users | {contract.id}, count + 1)
        if why is not None:
            continue  # a grandfathered contract keeps its prices
        plan = contract.plan
        changed = [(f"plan:{plan.id}", plan.price, new.plans[plan.id].price)]
        for booking in live:
            old = contract.catalog.addons[booking.addon].price
            changed.append((f"addon:{booking.addon}", old, new.addons[booking.addon].price))
        for item, old, price in changed:
            if old != price:
                prices.setdefault((item, old, price), set()).add(contract.id)
    return CatalogImpact(
        contracts=tuple(outcomes),
        plans_removed=tuple(RemovedItem(p, n) for p, n in sorted(plans.items())),
        addons_removed=tuple(
            RemovedItem(a, len(users), count) for a, (users, count) in sorted(addons.items())
        ),
        price_changes=tuple(
            PriceChange(item, old, price, len(users))
            for (item, old, price), users in sorted(prices.items())
        ),
    )
