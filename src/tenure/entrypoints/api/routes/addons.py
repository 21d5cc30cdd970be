"""Add-on bookings of a contract: book, cancel, withdraw."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tenure.entrypoints.api.models import BookingIn
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.security import App, Authenticated, IdempotencyKey, idempotent
from tenure.entrypoints.presenters import (
    addon_booked_dict,
    addon_cancelled_dict,
    addon_withdrawn_dict,
)
from tenure.services.application import Services

router = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES, tags=["addons"])


@router.post("/contracts/{contract_id}/addons")
def book_addon(
    contract_id: str, body: BookingIn, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    def run(app: Services) -> dict[str, Any]:
        booking = app.addons.book(who.vendor_id, contract_id, body.addon, body.quantity)
        contract = app.queries.contract(who.vendor_id, contract_id)
        return addon_booked_dict(contract.bookings[booking])

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
        lambda app: addon_cancelled_dict(
            booking_id, app.addons.cancel(who.vendor_id, contract_id, booking_id)
        ),
    )


@router.post("/contracts/{contract_id}/addons/{booking_id}/withdraw")
def withdraw_addon(
    contract_id: str, booking_id: str, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    return idempotent(
        app,
        who,
        key,
        None,
        lambda app: addon_withdrawn_dict(
            booking_id, app.addons.withdraw(who.vendor_id, contract_id, booking_id)
        ),
    )
