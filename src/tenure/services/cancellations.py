"""Cancelling a contract: ordinary notice or termination for cause, revocation while pending,
and the vendor's decision on a termination for cause (SPEC § 5)."""

from __future__ import annotations

from datetime import date

from tenure.domain.cancellation import Cancellation, CancellationKind
from tenure.services.context import UseCases, retrying


class Cancellations(UseCases):
    def quote(self, vendor_id: str, contract_id: str, requested: date | None = None) -> date:
        """The earliest end date a cancellation given now would get (or ``requested``, if
        allowed)."""
        with self._reading() as uow:
            contract = uow.contracts.get(vendor_id, contract_id, lock=False)
            return contract.earliest_end(self.ctx.now(uow, vendor_id, contract.customer), requested)

    @retrying
    def cancel(
        self,
        vendor_id: str,
        contract_id: str,
        *,
        kind: CancellationKind = CancellationKind.ORDINARY,
        requested_end: date | None = None,
        reason: str | None = None,
        email: str | None = None,
    ) -> Cancellation:
        with self._uow() as uow:
            contract = uow.contracts.get(vendor_id, contract_id)
            cancellation = contract.cancel(
                kind=kind,
                at=self.ctx.now(uow, vendor_id, contract.customer),
                email=email,
                requested_end=requested_end,
                reason=reason,
            )
            self._commit(uow, vendor_id, contract)
            return cancellation

    @retrying
    def revoke(self, vendor_id: str, contract_id: str) -> Cancellation:
        """Take back a pending cancellation (while its end date is ahead)."""
        with self._uow() as uow:
            contract = uow.contracts.get(vendor_id, contract_id)
            cancellation = contract.revoke_cancellation(
                self.ctx.now(uow, vendor_id, contract.customer)
            )
            self._commit(uow, vendor_id, contract)
            return cancellation

    @retrying
    def accept(
        self, vendor_id: str, contract_id: str, end_date: date | None = None
    ) -> Cancellation:
        """The vendor accepts a termination for cause (on ``end_date``, default: as asked)."""
        with self._uow() as uow:
            contract = uow.contracts.get(vendor_id, contract_id)
            now = self.ctx.now(uow, vendor_id, contract.customer)
            cancellation = contract.accept_cancellation(now, end_date)
            self._commit(uow, vendor_id, contract)
            return cancellation

    @retrying
    def reject(self, vendor_id: str, contract_id: str, reason: str = "") -> Cancellation:
        """The vendor rejects a termination for cause, giving ``reason``."""
        with self._uow() as uow:
            contract = uow.contracts.get(vendor_id, contract_id)
            now = self.ctx.now(uow, vendor_id, contract.customer)
            cancellation = contract.reject_cancellation(now, reason)
            self._commit(uow, vendor_id, contract)
            return cancellation
