"""Contracts: start one on a plan, change its plan or seats, add a one-time charge."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tenure.domain.calendar import local_date
from tenure.domain.contract import Contract, ScheduledChange
from tenure.domain.errors import InvalidDate
from tenure.domain.invoicing import Document
from tenure.services import documents
from tenure.services.context import UseCases, plan_of, retrying
from tenure.services.errors import TooManyContractsOnClock
from tenure.services.repositories.test_clocks import MAX_CONTRACTS_PER_CLOCK


class Contracts(UseCases):
    @retrying
    def start(
        self,
        vendor_id: str,
        customer_id: str,
        plan_id: str,
        seats: int = 1,
        start: date | None = None,
    ) -> Contract:
        """Start a contract on ``plan_id`` today or on a later ``start`` day."""
        with self._uow() as uow:
            catalog = uow.vendors.catalog(vendor_id)
            # Locked: a concurrent deletion of the customer waits for this contract (and then
            # refuses), instead of leaving a contract without its customer.
            customer = uow.customers.get(vendor_id, customer_id, lock=True)
            today = local_date(self.ctx.now(uow, vendor_id, customer), catalog.vendor.timezone)
            start = start or today
            if start < today:
                raise InvalidDate(f"a contract cannot start in the past ({start} < {today})")
            if start.year > today.year + 100:
                raise InvalidDate(f"a contract cannot start as late as {start}")
            if customer.test_clock_id is not None:
                running = uow.contracts.due(vendor_id, date.min, {customer.test_clock_id: date.max})
                if len(running) >= MAX_CONTRACTS_PER_CLOCK:
                    raise TooManyContractsOnClock(
                        f"a test clock runs at most {MAX_CONTRACTS_PER_CLOCK} contracts"
                    )
            contract = Contract(
                id=self.ctx.ids("ctr"),
                catalog=catalog,
                customer=customer,
                plan=plan_of(catalog, plan_id),
                seats=seats,
                start=start,
            )
            uow.contracts.add(vendor_id, contract)
            self._commit(uow, vendor_id, contract)
            return contract

    @retrying
    def change_plan(
        self, vendor_id: str, contract_id: str, plan_id: str, seats: int | None = None
    ) -> ScheduledChange | None:
        """Upgrade now (with prorations) or schedule a downgrade for the period end. The target
        plan is looked up in the vendor's newest catalog version, whatever version the contract
        runs on (grandfathered contracts leave theirs so)."""
        with self._uow() as uow:
            contract = uow.contracts.get(vendor_id, contract_id)
            latest = uow.vendors.catalog(vendor_id)
            change = contract.change_plan(
                plan_of(latest, plan_id),
                seats,
                self.ctx.now(uow, vendor_id, contract.customer),
                latest,
            )
            self._commit(uow, vendor_id, contract)
            return change

    @retrying
    def add_one_time_charge(
        self, vendor_id: str, contract_id: str, description: str, amount: Decimal
    ) -> None:
        """A one-time fee (or, negative, a credit) onto the contract's next invoice."""
        with self._uow() as uow:
            contract = uow.contracts.get(vendor_id, contract_id)
            contract.add_one_time_charge(
                description, amount, self.ctx.now(uow, vendor_id, contract.customer)
            )
            self._commit(uow, vendor_id, contract)

    @retrying
    def withdraw(self, vendor_id: str, contract_id: str) -> list[Document]:
        """The customer withdraws from the whole contract (Widerruf, SPEC § 6): it ends at once;
        returns the credit notes issued for everything invoiced under it."""
        with self._uow() as uow:
            contract = uow.contracts.get(vendor_id, contract_id)
            now = self.ctx.now(uow, vendor_id, contract.customer)
            drafts = contract.withdraw(now, uow.documents.list(vendor_id, contract_id))
            credit_notes = [documents.issue(uow, vendor_id, contract, d, now) for d in drafts]
            self._commit(uow, vendor_id, contract)
            return credit_notes
