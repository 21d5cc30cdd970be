"""The read side: what is only displayed (lists, pages, single objects, entitlements) is read in
one read-only transaction and changes nothing.

Lists take ``livemode``: True only live objects, False only sandbox ones (customers on a test
clock and all that belongs to them), None both. The entry points list live objects unless asked
for sandbox ones; a single object is found in either mode."""

from __future__ import annotations

from datetime import date
from typing import Any

from tenure.domain.catalog import Catalog
from tenure.domain.contract import (
    Contract,
    ContractStatus,
    Entitlements,
    combined,
    entitlements_at,
)
from tenure.domain.customer import Customer
from tenure.domain.invoicing import Document, DocumentType
from tenure.services.context import UseCases
from tenure.services.paging import Page, page_size
from tenure.services.repositories.audit import AuditEntry


class Queries(UseCases):
    def vendors(self) -> list[str]:
        with self._reading() as uow:
            return uow.vendors.list()

    def catalog(self, vendor_id: str) -> Catalog:
        with self._reading() as uow:
            return uow.vendors.catalog(vendor_id)

    def customers(self, vendor_id: str, livemode: bool | None = None) -> list[Customer]:
        with self._reading() as uow:
            return uow.customers.list(vendor_id, livemode)

    def customer(self, vendor_id: str, customer_id: str) -> Customer:
        with self._reading() as uow:
            return uow.customers.get(vendor_id, customer_id)

    def contract(self, vendor_id: str, contract_id: str) -> Contract:
        with self._reading() as uow:
            return uow.contracts.get(vendor_id, contract_id, lock=False)

    def contracts(
        self, vendor_id: str, customer_id: str | None = None, livemode: bool | None = None
    ) -> list[Contract]:
        with self._reading() as uow:
            contracts = uow.contracts.for_reading(vendor_id, customer_id)
            return [c for c in contracts if livemode in (None, c.livemode)]

    def contract_view(self, vendor_id: str, contract_id: str) -> dict[str, Any]:
        """The contract as displayed, from the stored read model (no aggregate is loaded)."""
        with self._reading() as uow:
            return uow.contracts.view(vendor_id, contract_id)

    def contract_views_page(
        self,
        vendor_id: str,
        *,
        customer_id: str | None = None,
        status: ContractStatus | None = None,
        livemode: bool | None = None,
        after: str | None = None,
        limit: int = 20,
    ) -> Page[dict[str, Any]]:
        """A page of contracts as displayed, ordered by id, from the stored read model."""
        with self._reading() as uow:
            return uow.contracts.views_page(
                vendor_id, after, page_size(limit), customer_id, status, livemode
            )

    def documents(
        self, vendor_id: str, contract_id: str | None = None, livemode: bool | None = None
    ) -> list[Document]:
        with self._reading() as uow:
            return uow.documents.list(vendor_id, contract_id, livemode)

    def document(self, vendor_id: str, number: str) -> Document:
        """One invoice or credit note by its number."""
        with self._reading() as uow:
            return uow.documents.get(vendor_id, number)

    def audit(self, vendor_id: str, entity_id: str | None = None) -> list[AuditEntry]:
        with self._reading() as uow:
            return uow.audit.list(vendor_id, entity_id)

    def entitlements(self, vendor_id: str, contract_id: str) -> Entitlements:
        """What one contract grants now."""
        with self._reading() as uow:
            contract = uow.contracts.get(vendor_id, contract_id, lock=False)
            return contract.entitlements(self.ctx.now(uow, vendor_id, contract.customer))

    def customer_entitlements(self, vendor_id: str, customer_id: str) -> Entitlements:
        """What a customer may use now over all its contracts (limits add up), in one read of
        the stored entitlement timelines."""
        with self._reading() as uow:
            now = self.ctx.now(uow, vendor_id, uow.customers.get(vendor_id, customer_id))
            timelines = uow.contracts.entitlement_timelines(vendor_id, customer_id)
            return combined(entitlements_at(grants, now) for grants in timelines)

    # Pages of lists for the API: ``after`` is the ``next`` cursor of the previous page.

    def customers_page(
        self,
        vendor_id: str,
        *,
        livemode: bool | None = None,
        after: str | None = None,
        limit: int = 20,
    ) -> Page[Customer]:
        with self._reading() as uow:
            return uow.customers.page(vendor_id, after, page_size(limit), livemode)

    def documents_page(
        self,
        vendor_id: str,
        *,
        contract_id: str | None = None,
        type: DocumentType | None = None,
        issued_from: date | None = None,
        issued_to: date | None = None,
        livemode: bool | None = None,
        after: str | None = None,
        limit: int = 20,
    ) -> Page[Document]:
        with self._reading() as uow:
            return uow.documents.page(
                vendor_id,
                after,
                page_size(limit),
                contract_id,
                type,
                issued_from,
                issued_to,
                livemode,
            )

    def audit_page(
        self,
        vendor_id: str,
        *,
        entity_id: str | None = None,
        after: str | None = None,
        limit: int = 20,
    ) -> Page[AuditEntry]:
        with self._reading() as uow:
            return uow.audit.page(vendor_id, after, page_size(limit), entity_id)
