"""Vendors and their catalogs: a vendor is created with its first catalog version; every upload
is a new version that running contracts take at their next period start."""

from __future__ import annotations

from tenure.domain.catalog import Catalog
from tenure.services.context import UseCases, retrying


class Vendors(UseCases):
    @retrying
    def create(self, catalog: Catalog, vendor_id: str | None = None) -> str:
        """Store a new vendor, or a new catalog version of ``vendor_id``; returns the vendor id."""
        vendor_id = vendor_id or self.ctx.ids("ven")
        with self._uow() as uow:
            uow.vendors.add(vendor_id, catalog)
            uow.commit()
        return vendor_id
