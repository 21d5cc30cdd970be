"""The vendor's catalog."""

from __future__ import annotations

from typing import Any

from tenure.domain.catalog import Catalog
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


def catalog_uploaded_dict(catalog: Catalog) -> dict[str, Any]:
    """The reply to an upload: the ids of the new version's plans and add-ons."""
    return plain_dict(
        {"object": "catalog", "plans": list(catalog.plans), "addons": list(catalog.addons)}
    )
