"""Request and response bodies of the vendor API (JSON; ids are opaque prefixed strings)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tenure.domain.contract import Contract
from tenure.domain.customer import Customer
from tenure.domain.invoicing import Document
from tenure.domain.tax import format_rate


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CustomerIn(Strict):
    type: Literal["business", "consumer"] = "business"
    name: str = Field(min_length=1, max_length=500)
    country: str = Field(pattern=r"^[A-Za-z]{2}$")
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$", max_length=320)
    locale: Literal["de", "en", "zh"] = "de"
    vat_id: str | None = Field(default=None, max_length=32)
    address: str | None = Field(default=None, max_length=1000)
    test_clock: str | None = None


class ContractIn(Strict):
    customer: str
    plan: str
    seats: int = Field(default=1, ge=1, le=1_000_000)
    start: date | None = None


class PlanChangeIn(Strict):
    plan: str
    seats: int | None = Field(default=None, ge=1, le=1_000_000)


class BookingIn(Strict):
    addon: str
    quantity: int = Field(default=1, ge=1, le=1_000_000)


class UsageIn(Strict):
    contract: str
    metric: str
    quantity: Decimal = Field(gt=0, max_digits=18, decimal_places=6)
    id: str = Field(min_length=1, max_length=255, description="Idempotency key of the event.")


class UsageBatchIn(Strict):
    events: list[UsageIn] = Field(min_length=1, max_length=1000)


class CancellationIn(Strict):
    kind: Literal["ordinary", "extraordinary"] = "ordinary"
    requested_end: date | None = None
    reason: str | None = Field(default=None, max_length=5000)
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+$", max_length=320)


class DecisionIn(Strict):
    end_date: date | None = None
    reason: str = Field(default="", max_length=5000)


class Page(BaseModel):
    data: list[dict[str, Any]]
    has_more: bool
    next_cursor: str | None


def customer_out(c: Customer) -> dict[str, Any]:
    return {
        "id": c.id,
        "object": "customer",
        "type": c.type.value,
        "name": c.name,
        "country": c.country,
        "email": c.email,
        "locale": c.locale,
        "vat_id": c.vat_id,
        "address": c.address,
        "test_clock": c.test_clock,
    }


def contract_out(c: Contract) -> dict[str, Any]:
    change = c.scheduled_change
    open_one = c.open_cancellation()
    return {
        "id": c.id,
        "object": "contract",
        "customer": c.customer.id,
        "plan": c.plan.id,
        "seats": c.seats,
        "start": c.start,
        "status": c.status.value,
        "end_date": c.end_date,
        "next_invoice_date": c.next_bill_date,
        "term_end": c.terms.term_last_day_on_or_after(max(c.processed_through, c.start)),
        "scheduled_change": {
            "plan": change.plan.id,
            "seats": change.seats,
            "effective_on": change.effective_on,
        }
        if change
        else None,
        "cancellation": {
            "id": open_one.id,
            "kind": open_one.kind.value,
            "status": open_one.status.value,
            "received_at": open_one.received_at,
            "effective_end": open_one.effective_end,
        }
        if open_one
        else None,
        "addons": [
            {
                "id": b.id,
                "addon": b.addon,
                "quantity": b.quantity,
                "status": b.status.value,
                "booked_on": b.booked_on,
                "billed_until": b.billed_until,
                "ends_on": b.ends_on,
                "withdrawal_last_day": b.withdrawal_last_day,
            }
            for b in c.bookings.values()
        ],
    }


def document_out(d: Document) -> dict[str, Any]:
    draft = d.draft
    return {
        "id": d.number,
        "object": d.type.value,
        "number": d.number,
        "contract": draft.contract_id,
        "issue_date": draft.issue_date,
        "refers_to": draft.refers_to,
        "currency": draft.currency,
        "net_total": str(draft.net_total),
        "vat_total": str(draft.vat_total),
        "gross_total": str(draft.gross_total),
        "tax_note": draft.tax_note,
        "lines": [
            {
                "kind": x.kind.value,
                "item": x.item,
                "description": x.description,
                "period_start": x.period.start if x.period else None,
                "period_end": x.period.last_day if x.period else None,
                "quantity": str(x.quantity),
                "unit_price": str(x.unit_price),
                "net": str(x.net),
                "vat_rate": format_rate(x.vat_rate),
            }
            for x in draft.lines
        ],
    }


def instant(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")
