"""Proration by calendar days (SPEC § 3):
``price × quantity × days(d, E) / days(S, E)``, the day of the change counted as used, computed
exactly and rounded once per line, half-up, to the currency's minor unit."""

from datetime import date
from decimal import Decimal

import pytest

from tenure.domain.calendar import Period
from tenure.domain.proration import prorate, proration_label

D = date.fromisoformat
JANUARY = Period(D("2026-01-01"), D("2026-02-01"))  # 31 days


def rest_of_january_from(day: str) -> Period:
    return Period(D(day), JANUARY.end)


def test_change_on_20_january_is_charged_for_12_of_31_days() -> None:
    # 5.90 × 2 × 12/31 = 141.60/31 = 4.5677… → 4.57
    part = rest_of_january_from("2026-01-20")
    assert part.days == 12
    assert prorate(Decimal("5.90") * 2, part, JANUARY, "EUR") == Decimal("4.57")


def test_change_on_22_january_is_charged_for_10_of_31_days() -> None:
    # 5.90 × 10/31 = 59/31 = 1.9032… → 1.90
    assert prorate(Decimal("5.90"), rest_of_january_from("2026-01-22"), JANUARY, "EUR") == Decimal(
        "1.90"
    )


def test_the_day_of_the_change_counts_as_used() -> None:
    # A change on the last day of the period still pays for that day: 31.00 × 1/31 = 1.00.
    assert prorate(Decimal("31.00"), rest_of_january_from("2026-01-31"), JANUARY, "EUR") == Decimal(
        "1.00"
    )
    # A change on the first day pays the whole period.
    assert prorate(Decimal("31.00"), rest_of_january_from("2026-01-01"), JANUARY, "EUR") == Decimal(
        "31.00"
    )


def test_full_period_returns_the_full_price() -> None:
    assert prorate(Decimal("5.90"), JANUARY, JANUARY, "EUR") == Decimal("5.90")
    february = Period(D("2026-02-01"), D("2026-03-01"))
    assert prorate(Decimal("49.99"), february, february, "EUR") == Decimal("49.99")


def test_price_times_quantity_is_rounded_once_not_per_seat() -> None:
    # 5.90 × 3 × 10/31 = 177/31 = 5.7096… → 5.71; rounding per seat would give 3 × 1.90 = 5.70.
    part = rest_of_january_from("2026-01-22")
    assert prorate(Decimal("5.90") * 3, part, JANUARY, "EUR") == Decimal("5.71")


def test_calendar_aligned_first_period_from_15_january_is_17_of_31_days() -> None:
    # 9.99 × 17/31 = 169.83/31 = 5.4783… → 5.48
    assert prorate(Decimal("9.99"), rest_of_january_from("2026-01-15"), JANUARY, "EUR") == Decimal(
        "5.48"
    )


def test_february_has_28_days_in_2026_and_29_in_2028() -> None:
    # 28.00 × 14/28 = 14.00; 29.00 × 15/29 = 15.00
    feb26 = Period(D("2026-02-01"), D("2026-03-01"))
    feb28 = Period(D("2028-02-01"), D("2028-03-01"))
    assert prorate(Decimal("28.00"), Period(D("2026-02-15"), feb26.end), feb26, "EUR") == Decimal(
        "14.00"
    )
    assert prorate(Decimal("29.00"), Period(D("2028-02-15"), feb28.end), feb28, "EUR") == Decimal(
        "15.00"
    )


def test_exact_half_cent_rounds_up() -> None:
    # 0.05 × 15/30 = 0.025 → 0.03
    april = Period(D("2026-04-01"), D("2026-05-01"))
    half = Period(D("2026-04-16"), april.end)
    assert prorate(Decimal("0.05"), half, april, "EUR") == Decimal("0.03")


def test_credit_half_cent_rounds_away_from_zero() -> None:
    # -0.05 × 15/30 = -0.025 → -0.03
    april = Period(D("2026-04-01"), D("2026-05-01"))
    half = Period(D("2026-04-16"), april.end)
    assert prorate(Decimal("-0.05"), half, april, "EUR") == Decimal("-0.03")


def test_credit_for_the_old_plan_mirrors_the_charge() -> None:
    part = rest_of_january_from("2026-01-20")
    assert prorate(Decimal("-11.80"), part, JANUARY, "EUR") == Decimal("-4.57")


def test_yen_proration_rounds_to_whole_yen() -> None:
    # 1000 × 10/31 = 322.58… → 323
    part = rest_of_january_from("2026-01-22")
    assert prorate(Decimal("1000"), part, JANUARY, "JPY") == Decimal("323")


def test_yen_proration_half_rounds_up() -> None:
    # 1001 × 15/30 = 500.5 → 501
    april = Period(D("2026-04-01"), D("2026-05-01"))
    assert prorate(Decimal("1001"), Period(D("2026-04-16"), april.end), april, "JPY") == Decimal(
        "501"
    )


def test_dinar_proration_rounds_to_three_decimals() -> None:
    # 10.000 × 10/31 = 3.2258… → 3.226
    part = rest_of_january_from("2026-01-22")
    assert prorate(Decimal("10.000"), part, JANUARY, "BHD") == Decimal("3.226")


def test_part_in_the_middle_of_the_period() -> None:
    # Jan 10 .. Jan 20 (10 days): 31.00 × 10/31 = 10.00
    part = Period(D("2026-01-10"), D("2026-01-20"))
    assert prorate(Decimal("31.00"), part, JANUARY, "EUR") == Decimal("10.00")


def test_quarterly_period_prorates_by_days_of_the_quarter() -> None:
    # Q2 2026 has 91 days; May 10 .. Jul 1 is 52 days: 91.00 × 52/91 = 52.00
    q2 = Period(D("2026-04-01"), D("2026-07-01"))
    part = Period(D("2026-05-10"), q2.end)
    assert q2.days == 91
    assert part.days == 52
    assert prorate(Decimal("91.00"), part, q2, "EUR") == Decimal("52.00")


@pytest.mark.parametrize(
    "part",
    [
        Period(D("2025-12-31"), D("2026-01-10")),
        Period(D("2026-01-20"), D("2026-02-02")),
    ],
)
def test_part_outside_the_period_is_refused(part: Period) -> None:
    with pytest.raises(ValueError):
        prorate(Decimal("10.00"), part, JANUARY, "EUR")


def test_proration_label_shows_days_of_days() -> None:
    assert proration_label(rest_of_january_from("2026-01-20"), JANUARY) == "12/31"
