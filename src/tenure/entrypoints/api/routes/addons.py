"""Add-on bookings of a contract: book, cancel, withdraw."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tenure.entrypoints.api.models import BookingIn
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES
from tenure.entrypoints.api.routing import StrictRoute
from tenure.entrypoints.api.security import Authenticated, IdempotencyKey, ServicesDep, idempotent
from tenure.entrypoints.presenters import (
    addon_booked_dict,
    addon_cancelled_dict,
    addon_withdrawn_dict,
)
from tenure.services.application import Services

router = APIRouter(
    prefix="/v1", responses=PROBLEM_RESPONSES, tags=["addons"], route_class=StrictRoute
)


@router.post("/contracts/{contract_id}/addons", status_code=201)
def book_addon(
    contract_id: str,
    body: BookingIn,
    services: ServicesDep,
    who: Authenticated,
    key: IdempotencyKey,
) -> dict[str, Any]:
    def run(services: Services) -> dict[str, Any]:
        booking = services.addons.book(who.vendor_id, contract_id, body.addon, body.quantity)
        contract = services.queries.contract(who.vendor_id, contract_id)
        return addon_booked_dict(contract.bookings[booking], contract.livemode)

    return idempotent(services, who, key, body, run)


@router.post("/contracts/{contract_id}/addons/{booking_id}/cancel")
def cancel_addon(
    contract_id: str,
    booking_id: str,
    services: ServicesDep,
    who: Authenticated,
    key: IdempotencyKey,
) -> dict[str, Any]:
    return idempotent(
        services,
        who,
        key,
        None,
        lambda services: addon_cancelled_dict(
            booking_id, services.addons.cancel(who.vendor_id, contract_id, booking_id)
        ),
    )


@router.post("/contracts/{contract_id}/addons/{booking_id}/withdraw")
def withdraw_addon(
    contract_id: str,
    booking_id: str,
    services: ServicesDep,
    who: Authenticated,
    key: IdempotencyKey,
) -> dict[str, Any]:
    return idempotent(
        services,
        who,
        key,
        None,
        lambda services: addon_withdrawn_dict(
            booking_id, services.addons.withdraw(who.vendor_id, contract_id, booking_id)
        ),
    )
