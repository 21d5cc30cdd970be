"""Charges: what a contract owes for a stretch of time, before they land on a document.

A charge that is not invoiced yet is a *pending item*: prorations, one-time fees and credits wait
for the next consolidated invoice (Sammelrechnung) and are never invoiced alone.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tenure.domain.calendar import Period


class LineKind(enum.Enum):
    RECURRING = "recurring"
    PRORATION = "proration"
    USAGE = "usage"
    ONE_TIME = "one_time"
    CREDIT = "credit"


PLAN_SOURCE = "plan"


@dataclass(frozen=True, slots=True)
class Charge:
    """One future invoice line. ``net`` is already rounded (once); negative for a credit.

    ``source`` names what the charge is for (``plan``, a booking id, ``usage``) so that a later
    withdrawal or correction can find it again.
    """

    kind: LineKind
    item: str
    description: str
    period: Period | None
    quantity: Decimal
    unit_price: Decimal
    net: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class PendingItem:
    id: str
    charge: Charge
    created_on: date
