"""Calendar rules (SPEC § 2): month-end clamping, periods computed from the anchor, calendar
alignment, half-open periods and legal local dates in the vendor's time zone."""

from datetime import UTC, date, datetime, timedelta

import pytest

from tenure.domain.calendar import (
    BillingAlignment,
    BillingCycle,
    BillingSchedule,
    Period,
    add_months,
    calendar_anchor,
    days_between,
    last_day_of_month,
    last_day_of_quarter,
    last_day_of_year,
    local_date,
    start_of_local_day,
)

BERLIN = "Europe/Berlin"
D = date.fromisoformat


def anniversary(start: str, cycle: BillingCycle) -> BillingSchedule:
    return BillingSchedule.for_contract(D(start), cycle, BillingAlignment.ANNIVERSARY)


def calendar_aligned(start: str, cycle: BillingCycle) -> BillingSchedule:
    return BillingSchedule.for_contract(D(start), cycle, BillingAlignment.CALENDAR)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# --- add_months: month-end clamping --------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2026-01-31", 1, "2026-02-28"),
        ("2026-01-31", 2, "2026-03-31"),
        ("2026-01-31", 3, "2026-04-30"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2024-11-30", 3, "2025-02-28"),
        ("2026-03-31", 3, "2026-06-30"),
        ("2026-01-15", 12, "2027-01-15"),
        ("2026-12-31", 2, "2027-02-28"),
        ("2028-02-29", 12, "2029-02-28"),
        ("2028-02-29", 48, "2032-02-29"),
        ("2026-03-31", -1, "2026-02-28"),
        ("2026-05-10", 0, "2026-05-10"),
    ],
)
def test_add_months_clamps_to_the_last_day_of_the_target_month(
    start: str, months: int, expected: str
) -> None:
    assert add_months(D(start), months) == D(expected)


@pytest.mark.parametrize(
    ("day", "month_end", "quarter_end", "year_end"),
    [
        ("2026-01-15", "2026-01-31", "2026-03-31", "2026-12-31"),
        ("2026-02-01", "2026-02-28", "2026-03-31", "2026-12-31"),
        ("2028-02-10", "2028-02-29", "2028-03-31", "2028-12-31"),
        ("2026-04-01", "2026-04-30", "2026-06-30", "2026-12-31"),
        ("2026-09-30", "2026-09-30", "2026-09-30", "2026-12-31"),
        ("2026-11-05", "2026-11-30", "2026-12-31", "2026-12-31"),
    ],
)
def test_last_day_of_month_quarter_and_year(
    day: str, month_end: str, quarter_end: str, year_end: str
) -> None:
    assert last_day_of_month(D(day)) == D(month_end)
    assert last_day_of_quarter(D(day)) == D(quarter_end)
    assert last_day_of_year(D(day)) == D(year_end)


def test_days_between_counts_the_half_open_range() -> None:
    assert days_between(D("2026-01-01"), D("2026-02-01")) == 31
    assert days_between(D("2026-02-01"), D("2026-03-01")) == 28
    assert days_between(D("2028-02-01"), D("2028-03-01")) == 29


# --- Period: half-open ---------------------------------------------------------------------------


def test_period_is_half_open_and_shows_the_inclusive_last_day() -> None:
    p = Period(D("2026-01-01"), D("2026-02-01"))
    assert p.last_day == D("2026-01-31")
    assert p.days == 31
    assert D("2026-01-01") in p
    assert D("2026-01-31") in p
    assert D("2026-02-01") not in p
    assert D("2025-12-31") not in p


def test_empty_or_reversed_period_is_refused() -> None:
    with pytest.raises(ValueError):
        Period(D("2026-01-01"), D("2026-01-01"))
    with pytest.raises(ValueError):
        Period(D("2026-01-02"), D("2026-01-01"))


def test_period_clipped_keeps_only_the_overlap() -> None:
    p = Period(D("2026-01-01"), D("2026-02-01"))
    assert p.clipped(end=D("2026-01-21")) == Period(D("2026-01-01"), D("2026-01-21"))
    assert p.clipped(start=D("2026-01-20")) == Period(D("2026-01-20"), D("2026-02-01"))
    assert p.clipped(start=D("2026-02-01")) is None
    assert p.clipped(end=D("2026-01-01")) is None


# --- anniversary periods: from the anchor, never by stepping -------------------------------------


def test_monthly_from_jan_31_clamps_each_period_from_the_anchor() -> None:
    s = anniversary("2026-01-31", BillingCycle.MONTHLY)
    starts = [s.period(n).start for n in range(5)]
    assert starts == [
        D("2026-01-31"),
        D("2026-02-28"),
        D("2026-03-31"),
        D("2026-04-30"),
        D("2026-05-31"),
    ]


def test_period_after_a_clamped_february_returns_to_the_31st_not_the_28th() -> None:
    s = anniversary("2026-01-31", BillingCycle.MONTHLY)
    assert s.period(1) == Period(D("2026-02-28"), D("2026-03-31"))
    assert s.period(1).last_day == D("2026-03-30")


def test_monthly_from_jan_31_in_a_leap_year_uses_feb_29() -> None:
    s = anniversary("2028-01-31", BillingCycle.MONTHLY)
    assert s.period(0) == Period(D("2028-01-31"), D("2028-02-29"))
    assert s.period(1) == Period(D("2028-02-29"), D("2028-03-31"))


def test_quarterly_from_nov_30_is_computed_from_the_anchor() -> None:
    s = anniversary("2025-11-30", BillingCycle.QUARTERLY)
    assert s.period(0) == Period(D("2025-11-30"), D("2026-02-28"))
    # stepping from Feb 28 would give May 28
    assert s.period(1) == Period(D("2026-02-28"), D("2026-05-30"))
    assert s.period(2) == Period(D("2026-05-30"), D("2026-08-30"))
    assert s.period(3) == Period(D("2026-08-30"), D("2026-11-30"))


def test_yearly_from_jan_15() -> None:
    s = anniversary("2026-01-15", BillingCycle.YEARLY)
    assert s.period(0) == Period(D("2026-01-15"), D("2027-01-15"))
    assert s.period(2) == Period(D("2028-01-15"), D("2029-01-15"))


def test_yearly_from_feb_29_uses_feb_28_then_feb_29_again_in_2032() -> None:
    s = anniversary("2028-02-29", BillingCycle.YEARLY)
    assert [s.period(n).start for n in range(5)] == [
        D("2028-02-29"),
        D("2029-02-28"),
        D("2030-02-28"),
        D("2031-02-28"),
        D("2032-02-29"),
    ]
    assert s.period(3) == Period(D("2031-02-28"), D("2032-02-29"))


def test_anniversary_full_period_equals_period() -> None:
    s = anniversary("2026-01-15", BillingCycle.MONTHLY)
    assert s.anchor == D("2026-01-15")
    for n in range(3):
        assert s.full_period(n) == s.period(n)


def test_periods_iterator_yields_consecutive_periods() -> None:
    s = anniversary("2026-01-31", BillingCycle.MONTHLY)
    it = s.periods()
    assert [next(it) for _ in range(3)] == [s.period(0), s.period(1), s.period(2)]
    assert next(s.periods(from_index=5)) == s.period(5)


# --- calendar alignment --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "cycle", "anchor"),
    [
        ("2026-01-15", BillingCycle.MONTHLY, "2026-01-01"),
        ("2026-05-10", BillingCycle.QUARTERLY, "2026-04-01"),
        ("2026-12-31", BillingCycle.QUARTERLY, "2026-10-01"),
        ("2026-05-10", BillingCycle.YEARLY, "2026-01-01"),
        ("2026-03-01", BillingCycle.MONTHLY, "2026-03-01"),
    ],
)
def test_calendar_anchor_is_the_boundary_on_or_before_the_start(
    start: str, cycle: BillingCycle, anchor: str
) -> None:
    assert calendar_anchor(D(start), cycle) == D(anchor)


def test_calendar_monthly_from_jan_15_first_period_runs_to_feb_1() -> None:
    s = calendar_aligned("2026-01-15", BillingCycle.MONTHLY)
    assert s.period(0) == Period(D("2026-01-15"), D("2026-02-01"))
    assert s.full_period(0) == Period(D("2026-01-01"), D("2026-02-01"))
    assert s.period(1) == Period(D("2026-02-01"), D("2026-03-01"))


def test_calendar_quarterly_from_may_10_first_period_runs_to_jul_1() -> None:
    s = calendar_aligned("2026-05-10", BillingCycle.QUARTERLY)
    assert s.period(0) == Period(D("2026-05-10"), D("2026-07-01"))
    assert s.full_period(0) == Period(D("2026-04-01"), D("2026-07-01"))
    assert s.period(1) == Period(D("2026-07-01"), D("2026-10-01"))
    assert s.period(2) == Period(D("2026-10-01"), D("2027-01-01"))


def test_calendar_yearly_from_may_10_first_period_runs_to_jan_1() -> None:
    s = calendar_aligned("2026-05-10", BillingCycle.YEARLY)
    assert s.period(0) == Period(D("2026-05-10"), D("2027-01-01"))
    assert s.full_period(0) == Period(D("2026-01-01"), D("2027-01-01"))
    assert s.period(1) == Period(D("2027-01-01"), D("2028-01-01"))


def test_calendar_alignment_starting_on_a_boundary_has_a_full_first_period() -> None:
    s = calendar_aligned("2026-04-01", BillingCycle.QUARTERLY)
    assert s.period(0) == s.full_period(0) == Period(D("2026-04-01"), D("2026-07-01"))


# --- index_of / period_containing on the boundaries ----------------------------------------------


@pytest.mark.parametrize(
    ("day", "index"),
    [
        ("2026-01-31", 0),
        ("2026-02-27", 0),
        ("2026-02-28", 1),
        ("2026-03-30", 1),
        ("2026-03-31", 2),
        ("2026-04-29", 2),
        ("2026-04-30", 3),
        ("2027-01-31", 12),
    ],
)
def test_index_of_a_day_in_the_jan_31_monthly_schedule(day: str, index: int) -> None:
    s = anniversary("2026-01-31", BillingCycle.MONTHLY)
    assert s.index_of(D(day)) == index
    assert D(day) in s.period_containing(D(day))


@pytest.mark.parametrize(
    ("day", "period_start", "period_end"),
    [
        ("2026-05-10", "2026-05-10", "2026-07-01"),
        ("2026-06-30", "2026-05-10", "2026-07-01"),
        ("2026-07-01", "2026-07-01", "2026-10-01"),
        ("2026-12-31", "2026-10-01", "2027-01-01"),
        ("2027-01-01", "2027-01-01", "2027-04-01"),
    ],
)
def test_period_containing_in_a_calendar_quarterly_schedule(
    day: str, period_start: str, period_end: str
) -> None:
    s = calendar_aligned("2026-05-10", BillingCycle.QUARTERLY)
    assert s.period_containing(D(day)) == Period(D(period_start), D(period_end))


def test_full_period_containing_the_first_day_of_a_calendar_schedule_is_the_whole_month() -> None:
    s = calendar_aligned("2026-01-15", BillingCycle.MONTHLY)
    assert s.full_period_containing(D("2026-01-20")) == Period(D("2026-01-01"), D("2026-02-01"))


def test_index_of_a_day_before_the_start_is_refused() -> None:
    s = calendar_aligned("2026-01-15", BillingCycle.MONTHLY)
    with pytest.raises(ValueError):
        s.index_of(D("2026-01-10"))


def test_yearly_feb_29_period_containing_feb_28_2032_is_the_2031_period() -> None:
    s = anniversary("2028-02-29", BillingCycle.YEARLY)
    assert s.period_containing(D("2032-02-28")) == Period(D("2031-02-28"), D("2032-02-29"))
    assert s.period_containing(D("2032-02-29")) == Period(D("2032-02-29"), D("2033-02-28"))


# --- local dates in the vendor's time zone -------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "local"),
    [
        ("2026-03-31T22:30:00", "2026-04-01"),  # CEST, UTC+2 (SPEC § 2 example)
        ("2026-03-31T21:59:59", "2026-03-31"),
        ("2026-01-31T23:30:00", "2026-02-01"),  # CET, UTC+1
        ("2026-01-31T22:59:59", "2026-01-31"),
        # spring forward on Sunday 2026-03-29
        ("2026-03-28T22:59:59", "2026-03-28"),
        ("2026-03-28T23:00:00", "2026-03-29"),
        ("2026-03-29T21:59:59", "2026-03-29"),
        ("2026-03-29T22:00:00", "2026-03-30"),
        # fall back on Sunday 2026-10-25
        ("2026-10-24T21:59:59", "2026-10-24"),
        ("2026-10-24T22:00:00", "2026-10-25"),
        ("2026-10-25T22:59:59", "2026-10-25"),
        ("2026-10-25T23:00:00", "2026-10-26"),
    ],
)
def test_local_date_in_berlin(instant: str, local: str) -> None:
    assert local_date(utc(instant), BERLIN) == D(local)


def test_local_date_in_another_zone() -> None:
    assert local_date(utc("2026-04-01T03:30:00"), "America/New_York") == D("2026-03-31")


def test_local_date_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError):
        local_date(datetime(2026, 3, 31, 22, 30), BERLIN)


@pytest.mark.parametrize(
    ("day", "instant"),
    [
        ("2026-04-01", "2026-03-31T22:00:00"),
        ("2026-02-01", "2026-01-31T23:00:00"),
        ("2026-03-29", "2026-03-28T23:00:00"),
        ("2026-03-30", "2026-03-29T22:00:00"),
        ("2026-10-25", "2026-10-24T22:00:00"),
        ("2026-10-26", "2026-10-25T23:00:00"),
    ],
)
def test_start_of_local_day_in_berlin(day: str, instant: str) -> None:
    start = start_of_local_day(D(day), BERLIN)
    assert start == utc(instant)
    assert start.utcoffset() == timedelta(0)


def test_dst_switch_days_have_23_and_25_hours() -> None:
    spring = start_of_local_day(D("2026-03-30"), BERLIN) - start_of_local_day(
        D("2026-03-29"), BERLIN
    )
    autumn = start_of_local_day(D("2026-10-26"), BERLIN) - start_of_local_day(
        D("2026-10-25"), BERLIN
    )
    assert spring == timedelta(hours=23)
    assert autumn == timedelta(hours=25)


def test_start_of_local_day_round_trips_and_the_instant_before_is_the_previous_day() -> None:
    for day in ["2026-03-29", "2026-10-25", "2026-04-01", "2028-02-29"]:
        start = start_of_local_day(D(day), BERLIN)
        assert local_date(start, BERLIN) == D(day)
        assert local_date(start - timedelta(microseconds=1), BERLIN) == D(day) - timedelta(days=1)
