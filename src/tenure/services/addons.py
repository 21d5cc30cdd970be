"""Add-ons: book one that works at once, cancel it to the end of its paid period, or withdraw
within the withdrawal period (Widerruf) so that its charge disappears or is credited."""

from __future__ import annotations

from datetime import date

from tenure.domain.errors import AddonNotInPlan, AddonWithdrawn, UnknownAddon
from tenure.domain.invoicing import Document
from tenure.services import documents
from tenure.services.context import UseCases, retrying


class Addons(UseCases):
    @retrying
    def book(self, vendor_id: str, contract_id: str, addon_id: str, quantity: int = 1) -> str:
        """Book an add-on; returns the booking id. Its prorated charge becomes a pending item.
        The add-on must still be offered by the vendor's newest catalog version (else
        ``addon_withdrawn``); it is priced as the contract's version prices it (a new version
        reaches the contract at its next period start)."""
        with self._uow() as uow:
            contract = uow.contracts.get(vendor_id, contract_id)
            addon = contract.catalog.addons.get(addon_id)
            if addon_id not in uow.vendors.catalog(vendor_id).addons:
                if addon is not None:
                    raise AddonWithdrawn(
                        f"add-on {addon_id!r} is no longer offered (running bookings keep it)",
                        addon=addon_id,
                    )
                raise UnknownAddon(f"no add-on {addon_id!r} in the catalog", addon=addon_id)
            if addon is None:
                raise AddonNotInPlan(
                    f"add-on {addon_id!r} is not offered with plan {contract.plan.id!r} as this "
                    "contract runs it (a new catalog version reaches it at its next period start)",
                    addon=addon_id,
                    plan=contract.plan.id,
                )
            booking = contract.book_addon(
                addon, quantity, self.ctx.now(uow, vendor_id, contract.customer)
            )
            self._commit(uow, vendor_id, contract)
            return booking.id

    @retrying
    def cancel(self, vendor_id: str, contract_id: str, booking_id: str) -> date | None:
        """Cancel a booking to the end of its paid period; returns its last day."""
        with self._uow() as uow:
            contract = uow.contracts.get(vendor_id, contract_id)
            booking = contract.cancel_addon(
                booking_id, self.ctx.now(uow, vendor_id, contract.customer)
            )
            self._commit(uow, vendor_id, contract)
            return booking.ends_on

    @retrying
    def withdraw(self, vendor_id: str, contract_id: str, booking_id: str) -> list[Document]:
        """Withdraw a booking; returns the credit notes issued for what was already invoiced."""
        with self._uow() as uow:
            contract = uow.contracts.get(vendor_id, contract_id)
            now = self.ctx.now(uow, vendor_id, contract.customer)
            drafts = contract.withdraw_addon(
                booking_id, now, uow.documents.list(vendor_id, contract_id)
            )
            credit_notes = [documents.issue(uow, vendor_id, contract, d, now) for d in drafts]
            self._commit(uow, vendor_id, contract)
            return credit_notes
