"""Add-on bookings of a contract: book, cancel, withdraw."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tenure.entrypoints.api.models import (
    BookingIn,
)
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.security import App, Authenticated, IdempotencyKey, idempotent
from tenure.entrypoints.presenters import (
    contract_dict,
    document_dict,
)
from tenure.services.application import Services

router = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES, tags=["addons"])


@router.post("/contracts/{contract_id}/addons")
def book_addon(
    contract_id: str, body: BookingIn, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    def run(app: Services) -> dict[str, Any]:
        booking = app.addons.book(who.vendor_id, contract_id, body.addon, body.quantity)
        contract = contract_dict(app.queries.contract(who.vendor_id, contract_id))
        found: dict[str, Any] = next(b for b in contract["addons"] if b["id"] == booking)
        return {"object": "booking", **found}

    return idempotent(app, who, key, body, run)


@router.post("/contracts/{contract_id}/addons/{booking_id}/cancel")
def cancel_addon(
    contract_id: str, booking_id: str, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    return idempotent(
        app,
        who,
        key,
        None,
        lambda app: {
            "object": "booking",
            "id": booking_id,
            "status": "cancellation_pending",
            "ends_on": app.addons.cancel(who.vendor_id, contract_id, booking_id),
        },
    )


@router.post("/contracts/{contract_id}/addons/{booking_id}/withdraw")
def withdraw_addon(
    contract_id: str, booking_id: str, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    def run(app: Services) -> dict[str, Any]:
        notes = app.addons.withdraw(who.vendor_id, contract_id, booking_id)
        return {
            "object": "booking",
            "id": booking_id,
            "status": "withdrawn",
            "credit_notes": [document_dict(n) for n in notes],
        }

    return idempotent(app, who, key, None, run)
