"""The vendor API, version 1."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from tenure.domain.cancellation import Cancellation, CancellationKind
from tenure.domain.contract import ContractStatus
from tenure.domain.customer import CustomerType
from tenure.domain.errors import DomainError
from tenure.domain.invoicing import DocumentType
from tenure.entrypoints.api.models import (
    AdvanceIn,
    BookingIn,
    CancellationIn,
    ContractIn,
    CustomerIn,
    DecisionIn,
    PlanChangeIn,
    TestClockIn,
    UsageBatchIn,
    UsageIn,
    instant,
)
from tenure.entrypoints.api.pagination import Cursor, Limit, listing, page
from tenure.entrypoints.api.problems import PROBLEM_RESPONSES, ApiProblem
from tenure.entrypoints.api.security import App, Authenticated, IdempotencyKey, idempotent
from tenure.entrypoints.presenters import (
    charge_dict,
    contract_dict,
    customer_dict,
    document_dict,
    draft_dict,
    entitlements_dict,
)
from tenure.services.application import Services

router = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES)
# ---------------------------------------------------------------------- customers


@router.post("/customers", status_code=200)
def create_customer(
    body: CustomerIn, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    from tenure.adapters.vat_ids import vat_id_problem

    if body.vat_id and (problem := vat_id_problem(body.vat_id)):
        raise ApiProblem(
            422, "validation_error", problem, errors=[{"field": "vat_id", "message": problem}]
        )
    return idempotent(
        app,
        who,
        key,
        body,
        lambda app: customer_dict(
            app.customers.create(
                who.vendor_id,
                type=CustomerType(body.type),
                name=body.name,
                country=body.country,
                email=body.email,
                locale=body.locale,
                vat_id=body.vat_id,
                address=body.address,
                test_clock=body.test_clock,
            )
        ),
    )


@router.get("/customers")
def list_customers(
    app: App, who: Authenticated, limit: Limit = 20, cursor: Cursor = None
) -> dict[str, Any]:
    """Customers ordered by id."""
    return listing(
        app.queries.customers_page(who.vendor_id, after=cursor, limit=limit), customer_dict
    )


@router.get("/customers/{customer_id}")
def get_customer(customer_id: str, app: App, who: Authenticated) -> dict[str, Any]:
    return customer_dict(app.queries.customer(who.vendor_id, customer_id))


@router.get("/customers/{customer_id}/entitlements")
def customer_entitlements(customer_id: str, app: App, who: Authenticated) -> dict[str, Any]:
    """What the customer may use right now, over all its contracts."""
    e = app.queries.customer_entitlements(who.vendor_id, customer_id)
    return entitlements_dict(e, customer=customer_id, features=sorted(e.features))


# ---------------------------------------------------------------------- contracts


@router.post("/contracts")
def start_contract(
    body: ContractIn, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    return idempotent(
        app,
        who,
        key,
        body,
        lambda app: contract_dict(
            app.contracts.start(who.vendor_id, body.customer, body.plan, body.seats, body.start)
        ),
    )


@router.get("/contracts")
def list_contracts(
    app: App,
    who: Authenticated,
    customer: str | None = None,
    status: Literal["active", "cancellation_pending", "ended"] | None = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Contracts ordered by id."""
    found = app.queries.contracts_page(
        who.vendor_id,
        customer_id=customer,
        status=ContractStatus(status) if status else None,
        after=cursor,
        limit=limit,
    )
    return listing(found, contract_dict)


@router.get("/contracts/{contract_id}")
def get_contract(contract_id: str, app: App, who: Authenticated) -> dict[str, Any]:
    return contract_dict(app.queries.contract(who.vendor_id, contract_id))


@router.get("/contracts/{contract_id}/entitlements")
def contract_entitlements(contract_id: str, app: App, who: Authenticated) -> dict[str, Any]:
    return entitlements_dict(
        app.queries.entitlements(who.vendor_id, contract_id), contract=contract_id
    )


@router.post("/contracts/{contract_id}/plan")
def change_plan(
    contract_id: str,
    body: PlanChangeIn,
    app: App,
    who: Authenticated,
    key: IdempotencyKey,
    preview: Annotated[bool, Query(description="Only show what the change would do.")] = False,
) -> dict[str, Any]:
    """Upgrade at once with prorations, downgrade at the next period. With ``preview=true``:
    the prorations and the next invoice it would give, and nothing changes."""
    if preview:
        change, prorations, documents = app.billing.preview_plan_change(
            who.vendor_id, contract_id, body.plan, body.seats
        )
        return {
            "object": "plan_change_preview",
            "effective_on": change.effective_on if change else "now",
            "prorations": [charge_dict(c) for c in prorations],
            "next_invoice": [draft_dict(d) for d in documents],
        }

    def run(app: Services) -> dict[str, Any]:
        change = app.contracts.change_plan(who.vendor_id, contract_id, body.plan, body.seats)
        return {
            "contract": contract_dict(app.queries.contract(who.vendor_id, contract_id)),
            "effective_on": change.effective_on if change else "now",
        }

    return idempotent(app, who, key, body.model_dump(), run)


@router.get("/contracts/{contract_id}/upcoming-invoice")
def upcoming_invoice(contract_id: str, app: App, who: Authenticated) -> dict[str, Any]:
    """The document(s) the next billing day would issue, as things stand (not numbered)."""
    documents = app.billing.preview_next_invoice(who.vendor_id, contract_id)
    return {
        "object": "upcoming_invoice",
        "contract": contract_id,
        "documents": [draft_dict(d) for d in documents],
    }


# ---------------------------------------------------------------------- add-on bookings


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


# ---------------------------------------------------------------------- cancellation


@router.get("/contracts/{contract_id}/cancellation-quote")
def cancellation_quote(
    contract_id: str, app: App, who: Authenticated, requested_end: date | None = None
) -> dict[str, Any]:
    """The end date an ordinary notice received now would give; changes nothing."""
    end = app.cancellations.quote(who.vendor_id, contract_id, requested_end)
    return {"object": "cancellation_quote", "contract": contract_id, "end_date": end}


@router.post("/contracts/{contract_id}/cancellations")
def cancel_contract(
    contract_id: str, body: CancellationIn, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    def run(app: Services) -> dict[str, Any]:
        c = app.cancellations.cancel(
            who.vendor_id,
            contract_id,
            kind=CancellationKind(body.kind),
            requested_end=body.requested_end,
            reason=body.reason,
            email=body.email,
        )
        return {
            "object": "cancellation",
            "id": c.id,
            "kind": c.kind.value,
            "status": c.status.value,
            "received_at": instant(c.received_at),
            "received_on": c.received_on,
            "effective_end": c.effective_end,
        }

    return idempotent(app, who, key, body, run)


def _cancellation_dict(c: Cancellation) -> dict[str, Any]:
    return {
        "object": "cancellation",
        "id": c.id,
        "status": c.status.value,
        "effective_end": c.effective_end,
    }


@router.post("/contracts/{contract_id}/cancellations/revoke")
def revoke_cancellation(
    contract_id: str, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    return idempotent(
        app,
        who,
        key,
        None,
        lambda app: _cancellation_dict(app.cancellations.revoke(who.vendor_id, contract_id)),
    )


@router.post("/contracts/{contract_id}/cancellations/accept")
def accept_cancellation(
    contract_id: str, body: DecisionIn, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    return idempotent(
        app,
        who,
        key,
        body,
        lambda app: _cancellation_dict(
            app.cancellations.accept(who.vendor_id, contract_id, body.end_date)
        ),
    )


@router.post("/contracts/{contract_id}/cancellations/reject")
def reject_cancellation(
    contract_id: str, body: DecisionIn, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    return idempotent(
        app,
        who,
        key,
        body,
        lambda app: _cancellation_dict(
            app.cancellations.reject(who.vendor_id, contract_id, body.reason)
        ),
    )


# ---------------------------------------------------------------------- usage


def _record(app: Any, vendor_id: str, event: UsageIn) -> dict[str, Any]:
    record = app.usage.record(vendor_id, event.contract, event.metric, event.quantity, event.id)
    return {
        "object": "usage_event",
        "id": record.key,
        "contract": record.contract_id,
        "metric": record.metric,
        "quantity": str(record.quantity),
        "occurred_on": record.occurred_on,
    }


@router.post("/usage")
def record_usage(body: UsageIn, app: App, who: Authenticated) -> dict[str, Any]:
    """Idempotent by the event's own ``id``: a retry returns the first record."""
    return _record(app, who.vendor_id, body)


@router.post("/usage/batch")
def record_usage_batch(body: UsageBatchIn, app: App, who: Authenticated) -> dict[str, Any]:
    """Up to 1,000 events in one transaction; each is accepted or refused on its own
    (idempotent by its id)."""
    outcomes = app.usage.record_batch(
        who.vendor_id, [(e.contract, e.metric, e.quantity, e.id) for e in body.events]
    )
    results: list[dict[str, Any]] = []
    for event, outcome in zip(body.events, outcomes, strict=True):
        if isinstance(outcome, DomainError):
            results.append(
                {
                    "status": "refused",
                    "id": event.id,
                    "code": outcome.code,
                    "detail": outcome.message,
                }
            )
        else:
            results.append(
                {
                    "status": "accepted",
                    "object": "usage_event",
                    "id": outcome.key,
                    "contract": outcome.contract_id,
                    "metric": outcome.metric,
                    "quantity": str(outcome.quantity),
                    "occurred_on": outcome.occurred_on,
                }
            )
    return {
        "object": "usage_batch",
        "accepted": sum(r["status"] == "accepted" for r in results),
        "refused": sum(r["status"] == "refused" for r in results),
        "results": results,
    }


# ---------------------------------------------------------------------- invoices


@router.get("/invoices")
def list_invoices(
    app: App,
    who: Authenticated,
    contract: str | None = None,
    type: Literal["invoice", "credit_note"] | None = None,
    issued_from: date | None = None,
    issued_to: date | None = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Invoices and credit notes in issue order."""
    found = app.queries.documents_page(
        who.vendor_id,
        contract_id=contract,
        type=DocumentType(type) if type else None,
        issued_from=issued_from,
        issued_to=issued_to,
        after=cursor,
        limit=limit,
    )
    return listing(found, document_dict)


@router.get("/invoices/{number}")
def get_invoice(number: str, app: App, who: Authenticated) -> dict[str, Any]:
    for document in app.queries.documents(who.vendor_id):
        if document.number == number:
            return document_dict(document)
    raise ApiProblem(404, "unknown_document", f"no invoice or credit note {number!r}")


# ---------------------------------------------------------------------- catalog, audit, clocks


@router.get("/catalog")
def get_catalog(app: App, who: Authenticated) -> dict[str, Any]:
    """The vendor's current catalog version."""
    catalog = app.queries.catalog(who.vendor_id)
    return {
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
                "price": str(p.price),
                "per_seat": p.per_seat,
                "billing_cycle": p.billing_cycle.value,
                "addons": list(p.addons),
                "notice": str(p.terms.notice),
                "notice_to": p.terms.notice_to.value,
            }
            for p in catalog.plans.values()
        ],
        "addons": [
            {"id": a.id, "name": a.name, "price": str(a.price)} for a in catalog.addons.values()
        ],
    }


@router.post(
    "/catalog",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/yaml": {"schema": {"type": "string"}}},
        }
    },
)
async def upload_catalog(request: Request, app: App, who: Authenticated) -> dict[str, Any]:
    """Upload a new catalog version (the YAML format of the scenario README). Running contracts
    take it at their next period start; every problem is listed by path when it is refused."""
    from tenure.adapters.catalog_yaml import load_catalog_text

    text = (await request.body()).decode("utf-8", errors="replace")
    catalog = load_catalog_text(text, "catalog")
    app.vendors.create(catalog, who.vendor_id)
    return {"object": "catalog", "plans": list(catalog.plans), "addons": list(catalog.addons)}


@router.get("/audit")
def audit_log(
    app: App,
    who: Authenticated,
    entity: str | None = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """The append-only audit trail, oldest first: who changed what, when, before and after."""
    found = app.queries.audit_page(who.vendor_id, entity_id=entity, after=cursor, limit=limit)
    return listing(
        found,
        lambda e: {
            "at": e.at,
            "actor": e.actor,
            "action": e.action,
            "entity": e.entity,
            "entity_id": e.entity_id,
            "before": e.before,
            "after": e.after,
        },
    )


@router.post("/test_clocks")
def create_test_clock(
    body: TestClockIn, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    """A clock for sandbox customers (create them with ``test_clock``)."""
    return idempotent(
        app,
        who,
        key,
        body.model_dump(mode="json"),
        lambda app: clock_dict(app.test_clocks.create(who.vendor_id, body.frozen_at, body.name)),
    )


@router.get("/test_clocks")
def list_test_clocks(
    app: App, who: Authenticated, limit: Limit = 20, cursor: Cursor = None
) -> dict[str, Any]:
    return page([clock_dict(c) for c in app.test_clocks.list(who.vendor_id)], limit, cursor)


@router.post("/test_clocks/{clock_id}/advance")
def advance_test_clock(
    clock_id: str, body: AdvanceIn, app: App, who: Authenticated, key: IdempotencyKey
) -> dict[str, Any]:
    """Move the clock forward; billing and transitions on the way run as in production."""

    def run(app: Services) -> dict[str, Any]:
        result = app.test_clocks.advance(who.vendor_id, clock_id, body.to)
        return {
            "object": "test_clock_advance",
            "clock": clock_id,
            "documents": list(result.documents),
        }

    # Moving a clock to an instant is idempotent by itself; billing day by day commits per day.
    return idempotent(app, who, key, body.model_dump(mode="json"), run, atomic=False)


def clock_dict(clock: Any) -> dict[str, Any]:
    return {
        "id": clock.id,
        "object": "test_clock",
        "name": clock.name,
        "frozen_at": instant(clock.frozen_at),
    }
