"""The vendor's client."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class CustomerType(enum.Enum):
    CONSUMER = "consumer"
    BUSINESS = "business"


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    type: CustomerType
    name: str
    country: str
    email: str
    locale: str = "de"
    vat_id: str | None = None
    address: str | None = None
    #: A sandbox customer lives on a test clock (its id): its contracts see that clock's time.
    test_clock_id: str | None = None
    #: The reference the buyer asks for on its invoices (EN 16931 BT-10); for German public
    #: buyers their Leitweg-ID, which an XRechnung must carry.
    buyer_reference: str | None = None

    @property
    def livemode(self) -> bool:
        """False for a sandbox customer (on a test clock): it and everything that belongs to it
        (contracts, bookings, usage, documents, events) are test data, kept apart from the live
        number series, lists and accounting (Stripe's test mode)."""
        return self.test_clock_id is None

    @property
    def is_consumer(self) -> bool:
        return self.type is CustomerType.CONSUMER
