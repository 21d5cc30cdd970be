"""The vendor's catalog: seller data, plans, add-ons and metered usage, as immutable values.

Parsing and validating the YAML format lives in ``tenure.adapters.catalog_yaml``; everything here is
already valid.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal

from tenure.domain.calendar import BillingAlignment, BillingCycle
from tenure.domain.notice import TermPolicy

LocalizedText = dict[str, str]


def localized(text: LocalizedText, locale: str, fallback: str = "en") -> str:
    """``text`` in ``locale``, else German, else English, else any."""
    for key in (locale, "de", fallback):
        if key in text:
            return text[key]
    return next(iter(text.values()), "")


@dataclass(frozen=True, slots=True)
class Vendor:
    """The seller: legal data printed on invoices and the vendor's policy settings."""

    name: str
    address: str
    vat_id: str | None
    country: str
    timezone: str = "Europe/Berlin"
    currency: str = "EUR"
    withdrawal_days: int = 14
    withdrawal_for_business: bool = False
    deletion_grace_days: int = 0
    tax_number: str | None = None
    invoice_prefix: str = "RE"
    credit_note_prefix: str = "KR"
    #: The seller's contact, printed on documents (EN 16931 BG-6) and the From of its e-mails.
    email: str | None = None
    phone: str | None = None
    #: Where the vendor's customers' replies to its e-mails go (default: ``email``).
    reply_to: str | None = None
    #: The account customers pay to (EN 16931 BG-17), printed on documents.
    iban: str | None = None
    bic: str | None = None
    #: Days from the issue date an invoice is due (its payment terms).
    payment_terms_days: int = 14

    def document_gaps(self) -> tuple[str, ...]:
        """What this vendor's documents and e-mails lack though the catalog is valid: notices
        for the vendor, not errors (EN 16931 does not require these, XRechnung does)."""
        gaps = []
        if self.email is None:
            gaps.append(
                "vendor.email is not set: XRechnung requires the seller's e-mail (BR-DE-7), and"
                " e-mails to customers go out from no-reply@tenure.invalid"
            )
        if self.phone is None:
            gaps.append("vendor.phone is not set: XRechnung requires the seller's phone (BR-DE-6)")
        if self.iban is None:
            gaps.append(
                "vendor.iban is not set: invoices name no account to pay to (EN 16931 BG-17)"
            )
        return tuple(gaps)


@dataclass(frozen=True, slots=True)
class Plan:
    id: str
    name: LocalizedText
    price: Decimal
    per_seat: bool
    billing_cycle: BillingCycle
    billing_alignment: BillingAlignment
    terms: TermPolicy
    entitlements: dict[str, int] = field(default_factory=dict)
    features: tuple[str, ...] = ()
    addons: tuple[str, ...] = ()
    usage: dict[str, Decimal] = field(default_factory=dict)

    def recurring_amount(self, seats: int) -> Decimal:
        """Net price of one full period for ``seats`` (seats count only on per-seat plans)."""
        return self.price * (seats if self.per_seat else 1)

    def monthly_equivalent(self, seats: int) -> Decimal:
        """Recurring price per month, to compare plans of different cycles."""
        return self.recurring_amount(seats) / self.billing_cycle.months


@dataclass(frozen=True, slots=True)
class Addon:
    id: str
    name: LocalizedText
    price: Decimal
    entitlements: dict[str, int] = field(default_factory=dict)


#: The finest usage quantity a metric may allow (the API accepts six decimal places).
MAX_METRIC_DECIMALS = 6


@dataclass(frozen=True, slots=True)
class Metric:
    """A metered quantity. ``decimals``: the decimal places a usage quantity may have; 0 (the
    default) counts whole units (an SMS), 3 would allow 1.5 GB or 0.125 GB."""

    id: str
    name: LocalizedText
    unit: str
    decimals: int = 0

    def allows(self, quantity: Decimal) -> bool:
        """Whether ``quantity`` is a multiple of this metric's smallest unit."""
        return quantity == quantity.quantize(Decimal(1).scaleb(-self.decimals))


@dataclass(frozen=True, slots=True)
class Catalog:
    vendor: Vendor
    plans: dict[str, Plan]
    addons: dict[str, Addon]
    metrics: dict[str, Metric]


class Grandfathered(enum.Enum):
    """Why a running contract stays on its catalog version instead of moving to a new one."""

    PLAN_REMOVED = "plan_removed"
    ADDON_REMOVED = "addon_removed"
    BILLING_CHANGED = "billing_changed"
    CURRENCY_OR_TIMEZONE_CHANGED = "currency_or_timezone_changed"
