"""Vendors and their catalogs: a vendor is created with its first catalog version; every upload
is a new version that running contracts take at their next period start, unless they are
grandfathered on their own version (decision 0015)."""

from __future__ import annotations

from dataclasses import dataclass

from tenure.domain.catalog import Catalog
from tenure.domain.catalog_impact import CatalogImpact, catalog_impact
from tenure.domain.errors import CatalogStrandsContracts
from tenure.services.context import UseCases, retrying


@dataclass(frozen=True, slots=True)
class CatalogUpload:
    """An upload's outcome: the version stored (None for a dry run) and its impact."""

    catalog: Catalog
    version: int | None
    impact: CatalogImpact


class Vendors(UseCases):
    @retrying
    def create(self, catalog: Catalog, vendor_id: str | None = None) -> str:
        """Store a new vendor, or a new catalog version of ``vendor_id`` without any check
        (:meth:`upload` checks what it does to running contracts); returns the vendor id."""
        vendor_id = vendor_id or self.ctx.ids("ven")
        with self._uow() as uow:
            uow.vendors.add(vendor_id, catalog)
            uow.commit()
        return vendor_id

    @retrying
    def upload(
        self,
        vendor_id: str,
        catalog: Catalog,
        *,
        dry_run: bool = False,
        allow_grandfathering: bool = False,
    ) -> CatalogUpload:
        """A new catalog version of ``vendor_id``, with what it does to running contracts. A
        version that would leave running contracts on their old one (a plan or add-on in use
        removed; a cycle, currency or time zone they cannot follow) is refused unless
        ``allow_grandfathering``; ``dry_run`` only reports, storing nothing."""
        with self._reading() if dry_run else self._uow() as uow:
            uow.vendors.catalog(vendor_id)  # an unknown vendor is refused, not created
            impact = catalog_impact(uow.contracts.for_reading(vendor_id), catalog)
            if dry_run:
                return CatalogUpload(catalog, None, impact)
            if impact.strands_contracts and not allow_grandfathering:
                left = impact.grandfathered
                raise CatalogStrandsContracts(
                    f"{len(left)} running contract(s) would stay on their old catalog version "
                    "(preview with a dry run; upload anyway with allow_grandfathering)",
                    contracts=len(left),
                    plans_removed=", ".join(p.id for p in impact.plans_removed) or None,
                    addons_removed=", ".join(a.id for a in impact.addons_removed) or None,
                )
            version = uow.vendors.add(vendor_id, catalog)
            uow.commit()
            return CatalogUpload(catalog, version, impact)
