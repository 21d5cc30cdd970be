"""Customers and what they may use."""

from __future__ import annotations

from typing import Any

from tenure.domain.contract import Entitlements
from tenure.domain.customer import Customer
from tenure.services.encoding import plain_dict


def customer_dict(c: Customer) -> dict[str, Any]:
    return plain_dict(
        {
            "id": c.id,
            "object": "customer",
            "livemode": c.livemode,
            "type": c.type,
            "name": c.name,
            "country": c.country,
            "email": c.email,
            "locale": c.locale,
            "vat_id": c.vat_id,
            "address": c.address,
            "buyer_reference": c.buyer_reference,
            "test_clock": c.test_clock_id,
        }
    )


def customer_deleted_dict(c: Customer) -> dict[str, Any]:
    return {"id": c.id, "object": "customer", "deleted": True}


def entitlements_dict(
    e: Entitlements, features: list[str] | None = None, **owner: str
) -> dict[str, Any]:
    """``owner`` names whose they are (``customer=`` or ``contract=``)."""
    return plain_dict(
        {
            "object": "entitlements",
            **owner,
            "limits": e.limits,
            "features": features if features is not None else list(e.features),
        }
    )
