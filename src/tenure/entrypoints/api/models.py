"""Request and response bodies of the vendor API (JSON; ids are opaque prefixed strings).

Request bodies are strict (decision 0008): integers are JSON integers (``true``, ``"2"`` and
``2.0`` are refused), booleans are JSON booleans, decimal amounts are JSON strings or numbers
(never booleans), dates and instants are ISO 8601 strings; unknown fields and NUL characters in
texts are refused, each error naming its field."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
)
from pydantic import Strict as StrictMode


def _no_nul(value: Any) -> Any:
    texts = value if isinstance(value, list) else [value]
    if any(isinstance(text, str) and "\x00" in text for text in texts):
        raise ValueError("must not contain NUL characters")
    return value


class Strict(BaseModel):
    """A request body: strict types, no unknown fields, no NUL characters in texts."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @field_validator("*", mode="after")
    @classmethod
    def _printable(cls, value: Any) -> Any:
        return _no_nul(value)


def _iso_text(value: Any) -> Any:
    """Dates and instants come as ISO 8601 strings (a number is not a date)."""
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 string")
    return value


def _not_boolean(value: Any) -> Any:
    """Amounts come as JSON strings or numbers; ``true`` is not a number."""
    if isinstance(value, bool):
        raise ValueError("must be a decimal number as a JSON string or number, not a boolean")
    return value


#: A local date ``YYYY-MM-DD``.
LocalDate = Annotated[date, StrictMode(False), BeforeValidator(_iso_text)]
#: A decimal amount: ``"12.5"`` (preferred) or ``12.5``.
Amount = Annotated[Decimal, StrictMode(False), BeforeValidator(_not_boolean)]


class CustomerIn(Strict):
    type: Literal["business", "consumer"] = "business"
    name: str = Field(min_length=1, max_length=500)
    country: str = Field(pattern=r"^[A-Za-z]{2}$")
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$", max_length=320)
    locale: Literal["de", "en", "zh"] = "de"
    vat_id: str | None = Field(default=None, max_length=32)
    address: str = Field(min_length=1, max_length=1000, description="Full billing address.")
    buyer_reference: str | None = Field(
        default=None,
        max_length=200,
        description="The reference the buyer wants on its invoices (EN 16931 BT-10), for "
        "German public buyers their Leitweg-ID.",
    )
    test_clock: str | None = None


class CustomerPatchIn(Strict):
    """The fields to change; a field left out keeps its value (``vat_id: null`` and
    ``buyer_reference: null`` remove it)."""

    name: str | None = Field(default=None, min_length=1, max_length=500)
    country: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+$", max_length=320)
    locale: Literal["de", "en", "zh"] | None = None
    vat_id: str | None = Field(default=None, max_length=32)
    address: str | None = Field(default=None, min_length=1, max_length=1000)
    buyer_reference: str | None = Field(default=None, max_length=200)


class ContractIn(Strict):
    customer: str
    plan: str
    seats: int = Field(default=1, ge=1, le=1_000_000)
    start: LocalDate | None = None


class PlanChangeIn(Strict):
    plan: str
    seats: int | None = Field(default=None, ge=1, le=1_000_000)


class BookingIn(Strict):
    addon: str
    quantity: int = Field(default=1, ge=1, le=1_000_000)


def _plausible(value: datetime) -> datetime:
    if not 1970 <= value.year <= 2200:
        raise ValueError("must lie between 1970 and 2200")
    return value


#: An instant with its UTC offset, ISO 8601: ``2026-01-15T09:00:00Z``.
Instant = Annotated[
    AwareDatetime, StrictMode(False), BeforeValidator(_iso_text), AfterValidator(_plausible)
]


class UsageIn(Strict):
    contract: str
    metric: str
    quantity: Amount = Field(gt=0, max_digits=18, decimal_places=6)
    id: str = Field(min_length=1, max_length=255, description="Idempotency key of the event.")
    occurred_at: Instant | None = Field(
        default=None,
        description="When the usage happened (with a UTC offset); default: now.",
    )


class UsageBatchIn(Strict):
    events: list[UsageIn] = Field(min_length=1, max_length=1000)


class CancellationIn(Strict):
    kind: Literal["ordinary", "extraordinary"] = "ordinary"
    requested_end: LocalDate | None = None
    reason: str | None = Field(default=None, max_length=5000)
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+$", max_length=320)


class DecisionIn(Strict):
    end_date: LocalDate | None = None
    reason: str = Field(default="", max_length=5000)


class TestClockIn(Strict):
    __test__ = False

    frozen_at: Instant
    name: str = Field(default="", max_length=200)


class AdvanceIn(Strict):
    to: Instant


class EndpointIn(Strict):
    url: str = Field(pattern=r"^https?://[^\s\x00]+$", max_length=2000)
    #: ``["*"]`` (the default) for every event type; ``[]`` and unknown types are refused.
    event_types: list[str] = Field(default_factory=lambda: ["*"], max_length=50)


class EndpointPatch(Strict):
    """What to change on a webhook endpoint; what is left out (or null) stays."""

    url: str | None = Field(default=None, pattern=r"^https?://[^\s\x00]+$", max_length=2000)
    event_types: list[str] | None = Field(default=None, max_length=50)
    enabled: bool | None = None


class Page(BaseModel):
    data: list[dict[str, Any]]
    has_more: bool
    next_cursor: str | None
