"""Customers: create, list, read, change, delete, and what they may use."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from tenure.domain.customer import CustomerType
from tenure.entrypoints.api.models import CustomerIn, CustomerPatchIn
from tenure.entrypoints.api.pagination import Cursor, Limit, Livemode, listing
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES, ApiProblem
from tenure.entrypoints.api.routing import CREATED, StrictRoute
from tenure.entrypoints.api.security import Authenticated, IdempotencyKey, ServicesDep, idempotent
from tenure.entrypoints.presenters import (
    customer_deleted_dict,
    customer_dict,
    email_dict,
    entitlements_dict,
)

router = APIRouter(
    prefix="/v1", responses=PROBLEM_RESPONSES, tags=["customers"], route_class=StrictRoute
)


@router.post("/customers", status_code=201, responses=CREATED)
def create_customer(
    body: CustomerIn,
    services: ServicesDep,
    who: Authenticated,
    key: IdempotencyKey,
    response: Response,
) -> dict[str, Any]:
    """Create a customer. Its country, VAT ID and address are checked for the invoices it will
    get (decision 0012): problems ``invalid_country``, ``vat_id_country_mismatch``,
    ``invalid_vat_id``, ``vat_id_not_allowed`` (a consumer), ``field_required``, naming the
    field in ``details.field``."""
    created = idempotent(
        services,
        who,
        key,
        body,
        lambda services: customer_dict(
            services.customers.create(
                who.vendor_id,
                type=CustomerType(body.type),
                name=body.name,
                country=body.country,
                email=body.email,
                locale=body.locale,
                vat_id=body.vat_id,
                address=body.address,
                test_clock_id=body.test_clock,
                buyer_reference=body.buyer_reference,
            )
        ),
    )
    response.headers["Location"] = f"/v1/customers/{created['id']}"
    return created


@router.get("/customers")
def list_customers(
    services: ServicesDep,
    who: Authenticated,
    livemode: Livemode = True,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Customers ordered by id: live ones, or with ``livemode=false`` sandbox ones."""
    found = services.queries.customers_page(
        who.vendor_id, livemode=livemode, after=cursor, limit=limit
    )
    return listing(found, customer_dict)


@router.get("/customers/{customer_id}")
def get_customer(customer_id: str, services: ServicesDep, who: Authenticated) -> dict[str, Any]:
    return customer_dict(services.queries.customer(who.vendor_id, customer_id))


@router.patch("/customers/{customer_id}")
def update_customer(
    customer_id: str,
    body: CustomerPatchIn,
    services: ServicesDep,
    who: Authenticated,
    key: IdempotencyKey,
) -> dict[str, Any]:
    """Change name, e-mail, country, address, VAT ID, locale or buyer reference, checked as at
    creation. The change applies to documents issued afterwards; issued documents keep the data
    they were issued with. Audited and published as ``customer.updated``."""
    given = {name: getattr(body, name) for name in body.model_fields_set}
    for name, value in given.items():
        if value is None and name not in ("vat_id", "buyer_reference"):
            message = "may not be null (leave the field out to keep its value)"
            raise ApiProblem(
                422,
                "validation_error",
                f"{name} {message}",
                errors=[{"field": name, "message": message}],
            )
    return idempotent(
        services,
        who,
        key,
        body,
        lambda services: customer_dict(
            services.customers.update(who.vendor_id, customer_id, **given)
        ),
    )


@router.delete("/customers/{customer_id}")
def delete_customer(
    customer_id: str, services: ServicesDep, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    """Delete a customer who never had a contract (else 409 ``customer_has_contracts``).
    Audited and published as ``customer.deleted``; afterwards the customer is 404."""
    return idempotent(
        services,
        who,
        key,
        None,
        lambda services: customer_deleted_dict(
            services.customers.delete(who.vendor_id, customer_id)
        ),
    )


@router.get("/customers/{customer_id}/entitlements")
def customer_entitlements(
    customer_id: str, services: ServicesDep, who: Authenticated
) -> dict[str, Any]:
    """What the customer may use right now, over all its contracts."""
    e = services.queries.customer_entitlements(who.vendor_id, customer_id)
    return entitlements_dict(e, customer=customer_id, features=sorted(e.features))


@router.get("/customers/{customer_id}/emails")
def list_customer_emails(
    customer_id: str,
    services: ServicesDep,
    who: Authenticated,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """The customer's e-mails, oldest first: the delivery log (template, recipient, subject,
    Message-ID, status ``pending``/``sending``/``sent``/``failed``/``unknown``/``suppressed``,
    attempts, last error)."""
    found = services.emails.emails(who.vendor_id, customer_id, after=cursor, limit=limit)
    return listing(found, email_dict)


@router.post("/emails/{email_id}/resend")
def resend_email(
    email_id: str, services: ServicesDep, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    """Send a ``failed`` mail, or one whose delivery is ``unknown``, again (an unknown one may
    then arrive twice: look its Message-ID up in the mail server's log first). Any other is
    409 ``email_not_resendable``. Audited."""
    return idempotent(
        services,
        who,
        key,
        None,
        lambda services: email_dict(services.emails.resend(who.vendor_id, email_id)),
    )
