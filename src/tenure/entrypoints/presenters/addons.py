"""Add-on bookings of a contract, and the replies to booking, cancelling and withdrawing one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from tenure.domain.booking import AddonBooking
from tenure.domain.invoicing import Document
from tenure.entrypoints.presenters.invoices import document_dict
from tenure.services.encoding import plain_dict
from tenure.services.read_models import booking_dict


def addon_booked_dict(b: AddonBooking, livemode: bool) -> dict[str, Any]:
    """A booking just made; ``livemode``: its contract's (:attr:`Contract.livemode`)."""
    return plain_dict({"object": "booking", "livemode": livemode, **booking_dict(b)})


def addon_cancelled_dict(booking_id: str, ends_on: date | None) -> dict[str, Any]:
    return plain_dict(
        {
            "object": "booking",
            "id": booking_id,
            "status": "cancellation_pending",
            "ends_on": ends_on,
        }
    )


def addon_withdrawn_dict(booking_id: str, credit_notes: Sequence[Document]) -> dict[str, Any]:
    return plain_dict(
        {
            "object": "booking",
            "id": booking_id,
            "status": "withdrawn",
            "credit_notes": [document_dict(n) for n in credit_notes],
        }
    )
