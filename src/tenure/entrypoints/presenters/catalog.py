"""The vendor's catalog."""

from __future__ import annotations

from typing import Any

from tenure.domain.catalog import Catalog
from tenure.domain.catalog_impact import CatalogImpact
from tenure.services.catalog import CatalogUpload
from tenure.services.encoding import plain_dict


def catalog_dict(catalog: Catalog) -> dict[str, Any]:
    """The catalog version in force: seller, plans and add-ons."""
    return plain_dict(
        {
            "object": "catalog",
            "vendor": {
                "name": catalog.vendor.name,
                "currency": catalog.vendor.currency,
                "timezone": catalog.vendor.timezone,
            },
            "plans": [
                {
                    "id": p.id,
                    "name": p.name,
                    "price": p.price,
                    "per_seat": p.per_seat,
                    "billing_cycle": p.billing_cycle,
                    "addons": p.addons,
                    "notice": str(p.terms.notice),
                    "notice_to": p.terms.notice_to,
                }
                for p in catalog.plans.values()
            ],
            "addons": [
                {"id": a.id, "name": a.name, "price": a.price} for a in catalog.addons.values()
            ],
        }
    )


def catalog_uploaded_dict(upload: CatalogUpload) -> dict[str, Any]:
    """The reply to an upload (or its dry run): the ids of the new version's plans and add-ons,
    the version stored (None for a dry run) and what it does to running contracts."""
    catalog = upload.catalog
    return plain_dict(
        {
            "object": "catalog",
            "dry_run": upload.version is None,
            "version": upload.version,
            "plans": list(catalog.plans),
            "addons": list(catalog.addons),
            "impact": catalog_impact_dict(upload.impact),
            "notices": list(catalog.vendor.document_gaps()),
        }
    )


def catalog_impact_dict(impact: CatalogImpact) -> dict[str, Any]:
    """What a catalog version does to running contracts (see ``docs/api.md``)."""
    return plain_dict(
        {
            "contracts_following": len(impact.contracts) - len(impact.grandfathered),
            "contracts_grandfathered": len(impact.grandfathered),
            "plans_removed": [
                {"plan": p.id, "contracts": p.contracts} for p in impact.plans_removed
            ],
            "addons_removed": [
                {"addon": a.id, "contracts": a.contracts, "bookings": a.bookings}
                for a in impact.addons_removed
            ],
            "price_changes": impact.price_changes,
            "contracts": [
                {
                    "contract": c.contract_id,
                    "plan": c.plan,
                    "outcome": "follows" if c.grandfathered is None else "grandfathered",
                    "reason": c.grandfathered,
                }
                for c in impact.contracts
            ],
        }
    )
