"""The contract aggregate."""

from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from tenure.domain.contract import Contract, ContractStatus, EntitlementGrant
from tenure.services.paging import Page, offset_page
from tenure.services.read_models import contract_view


@dataclass(frozen=True, slots=True)
class DueContract:
    """A contract with something due on ``due_on``, a local date in ``timezone`` (the zone of
    the catalog version the contract runs on); a sandbox contract's customer lives on
    ``test_clock_id``."""

    vendor_id: str
    contract_id: str
    due_on: date
    test_clock_id: str | None
    timezone: str


class ContractRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, vendor_id: str, contract: Contract) -> None:
        """A new contract, stored when the transaction commits (with what it did until then)."""

    @abc.abstractmethod
    def get(self, vendor_id: str, contract_id: str, lock: bool = True) -> Contract:
        """The contract, locked against concurrent writers until the transaction ends (unless
        ``lock`` is False, for reads that will not change it). A contract loaded with the lock
        is saved with its changes when the transaction commits; one loaded without it never is.
        Raises UnknownContract."""

    @abc.abstractmethod
    def due(
        self, vendor_id: str, live_until: date, clocks: Mapping[str, date]
    ) -> list[DueContract]:
        """The vendor's contracts, by id, whose next due date is on or before ``live_until``
        (live customers) or on or before ``clocks[c]`` (sandbox customers on test clock ``c``;
        clocks not named: none), found by the stored next due date (SQL: an index), read
        without locks."""

    @abc.abstractmethod
    def ids(self, vendor_id: str, customer_id: str | None = None) -> list[str]:
        """The ids of the vendor's (or one customer's) contracts."""

    def for_reading(self, vendor_id: str, customer_id: str | None = None) -> list[Contract]:
        """The vendor's (or one customer's) contracts, ordered as :meth:`ids`, loaded for
        reading only: changes made to them are never saved. Stores may load them in bulk."""
        return [self.get(vendor_id, cid, lock=False) for cid in self.ids(vendor_id, customer_id)]

    def view(self, vendor_id: str, contract_id: str) -> dict[str, Any]:
        """The contract as displayed (:func:`~tenure.services.read_models.contract_view`).
        Stores keep it with each save, so a read loads no aggregate. Raises UnknownContract."""
        return contract_view(self.get(vendor_id, contract_id, lock=False))

    def views_page(
        self,
        vendor_id: str,
        after: str | None,
        limit: int,
        customer_id: str | None = None,
        status: ContractStatus | None = None,
        livemode: bool | None = None,
    ) -> Page[dict[str, Any]]:
        """Contracts ordered by id, each as displayed; ``livemode`` True: only live customers',
        False: only sandbox customers', None: both (in memory by offset; the SQL store pages
        its stored views by key)."""
        contracts = sorted(self.for_reading(vendor_id, customer_id), key=lambda c: c.id)
        shown = [
            contract_view(c)
            for c in contracts
            if status in (None, c.status) and livemode in (None, c.livemode)
        ]
        return offset_page(shown, after, limit)

    def entitlement_timelines(
        self, vendor_id: str, customer_id: str
    ) -> list[tuple[EntitlementGrant, ...]]:
        """The entitlement timeline of each of the customer's contracts. Stores keep them as a
        read model written with each contract (see :meth:`Contract.entitlement_timeline`)."""
        return [c.entitlement_timeline() for c in self.for_reading(vendor_id, customer_id)]
