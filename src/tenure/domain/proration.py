"""Proration by calendar days (SPEC § 3).

A change on local date ``d`` inside the period ``[S, E)`` is charged
``price × quantity × days(d, E) / days(S, E)``: the day of the change counts as used. The value is
computed exactly (as a fraction) and rounded once, half-up, to the currency's minor unit.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from tenure.domain.calendar import Period
from tenure.domain.money import round_half_up


def prorate(full_amount: Decimal, part: Period, full: Period, currency: str) -> Decimal:
    """The share of ``full_amount`` (the price of all of ``full``) that falls on ``part``."""
    if part.start < full.start or part.end > full.end:
        raise ValueError(f"{part} is not inside {full}")
    if part == full:
        return round_half_up(full_amount, currency)
    exact = Fraction(full_amount) * part.days / full.days
    return round_half_up(exact, currency)


def proration_label(part: Period, full: Period) -> str:
    """``12/31`` for twelve days of a 31-day period."""
    return f"{part.days}/{full.days}"
