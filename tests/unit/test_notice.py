"""Notice deadlines and contract end dates (SPEC § 5; BGB §§ 187, 188, 309 Nr. 9).

All expected dates are computed by hand from the SPEC rules:
deadline = r + notice (months clamped to the month's last day, weeks = 7·w days, days = r + n);
X = earliest date allowed by ``notice_to`` that is not before the deadline, the last day of the
minimum term, or a later date the customer asked for.
"""

from datetime import date, timedelta

import pytest

from tenure.domain.calendar import BillingAlignment, BillingCycle, BillingSchedule
from tenure.domain.notice import (
    ContractTerms,
    Notice,
    NoticeTo,
    NoticeUnit,
    TermPolicy,
)

D = date.fromisoformat
MONTHS = NoticeUnit.MONTHS
WEEKS = NoticeUnit.WEEKS
DAYS = NoticeUnit.DAYS


def policy(
    notice: Notice,
    to: NoticeTo,
    minimum: int = 0,
    renewal: int | None = None,
) -> TermPolicy:
    return TermPolicy(
        minimum_term_months=minimum, renewal_months=renewal, notice=notice, notice_to=to
    )


def terms(start: str, pol: TermPolicy, *, consumer: bool = False) -> ContractTerms:
    return ContractTerms(start=D(start), policy=pol, consumer=consumer)


def schedule(
    start: str,
    cycle: BillingCycle = BillingCycle.MONTHLY,
    alignment: BillingAlignment = BillingAlignment.ANNIVERSARY,
) -> BillingSchedule:
    return BillingSchedule.for_contract(D(start), cycle, alignment)


def end(
    t: ContractTerms, received: str, sched: BillingSchedule, requested: str | None = None
) -> date:
    return t.end_date(D(received), sched, D(requested) if requested else None)


# --- the notice deadline: BGB §§ 187(1), 188(2),(3) ----------------------------------------------


@pytest.mark.parametrize(
    ("received", "months", "deadline"),
    [
        ("2024-11-30", 3, "2025-02-28"),
        ("2026-03-31", 3, "2026-06-30"),
        ("2026-04-01", 3, "2026-07-01"),
        ("2023-11-30", 3, "2024-02-29"),
        ("2026-01-31", 1, "2026-02-28"),
        ("2026-01-15", 1, "2026-02-15"),
        ("2026-12-31", 2, "2027-02-28"),
        ("2026-08-31", 6, "2027-02-28"),
        ("2026-02-28", 1, "2026-03-28"),  # same day number, not "month end to month end"
    ],
)
def test_months_notice_ends_on_the_same_day_number_clamped_to_the_month_end(
    received: str, months: int, deadline: str
) -> None:
    assert Notice(months, MONTHS).deadline(D(received)) == D(deadline)


def test_three_months_notice_received_on_30_november_2024_ends_on_28_february_2025() -> None:
    assert Notice(3, MONTHS).deadline(D("2024-11-30")) == D("2025-02-28")


@pytest.mark.parametrize(
    ("received", "weeks", "deadline"),
    [
        ("2026-03-02", 6, "2026-04-13"),
        ("2026-12-28", 1, "2027-01-04"),
        ("2026-02-01", 4, "2026-03-01"),
    ],
)
def test_weeks_notice_is_seven_days_per_week(received: str, weeks: int, deadline: str) -> None:
    assert Notice(weeks, WEEKS).deadline(D(received)) == D(deadline)
    assert D(deadline) - D(received) == timedelta(days=7 * weeks)


@pytest.mark.parametrize(
    ("received", "days", "deadline"),
    [
        ("2026-01-31", 30, "2026-03-02"),
        ("2028-01-31", 30, "2028-03-01"),
        ("2026-12-25", 14, "2027-01-08"),
        ("2026-05-05", 0, "2026-05-05"),
    ],
)
def test_days_notice_is_received_plus_n(received: str, days: int, deadline: str) -> None:
    assert Notice(days, DAYS).deadline(D(received)) == D(deadline)


def test_deadline_on_a_sunday_is_not_moved_to_monday() -> None:
    # § 193 BGB does not apply to notice periods: 2026-03-01 + 14 days = Sunday 2026-03-15.
    deadline = Notice(14, DAYS).deadline(D("2026-03-01"))
    assert deadline == D("2026-03-15")
    assert deadline.weekday() == 6
    assert Notice(1, MONTHS).deadline(D("2026-02-15")) == D("2026-03-15")


def test_end_date_on_a_sunday_stays_on_the_sunday() -> None:
    t = terms("2026-01-01", policy(Notice(14, DAYS), NoticeTo.ANY_DAY))
    assert end(t, "2026-03-01", schedule("2026-01-01")) == D("2026-03-15")


def test_negative_notice_is_refused() -> None:
    with pytest.raises(ValueError):
        Notice(-1, DAYS)


# --- quarter_end (the SPEC example) --------------------------------------------------------------

QUARTERLY_3M = policy(Notice(3, MONTHS), NoticeTo.QUARTER_END)


def test_three_months_to_quarter_end_received_on_31_march_ends_on_30_june() -> None:
    t = terms("2025-01-01", QUARTERLY_3M)
    assert end(t, "2026-03-31", schedule("2025-01-01")) == D("2026-06-30")


def test_three_months_to_quarter_end_received_on_1_april_ends_on_30_september() -> None:
    t = terms("2025-01-01", QUARTERLY_3M)
    assert end(t, "2026-04-01", schedule("2025-01-01")) == D("2026-09-30")


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2026-01-01", "2026-06-30"),
        ("2026-03-30", "2026-06-30"),
        ("2026-06-30", "2026-09-30"),
        ("2026-07-01", "2026-12-31"),
        ("2026-09-30", "2026-12-31"),
        ("2026-12-31", "2027-03-31"),
    ],
)
def test_three_months_to_quarter_end(received: str, expected: str) -> None:
    t = terms("2025-01-01", QUARTERLY_3M)
    assert end(t, received, schedule("2025-01-01")) == D(expected)


# --- month_end, year_end, any_day ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2026-01-27", "2026-02-28"),
        ("2026-01-28", "2026-02-28"),
        ("2026-01-31", "2026-02-28"),
        ("2026-02-01", "2026-03-31"),
        ("2026-03-31", "2026-04-30"),
        ("2028-01-31", "2028-02-29"),
    ],
)
def test_one_month_to_month_end(received: str, expected: str) -> None:
    t = terms("2025-01-01", policy(Notice(1, MONTHS), NoticeTo.MONTH_END))
    assert end(t, received, schedule("2025-01-01")) == D(expected)


def test_three_months_to_year_end_received_on_30_september_ends_on_31_december() -> None:
    t = terms("2025-01-01", policy(Notice(3, MONTHS), NoticeTo.YEAR_END))
    assert end(t, "2026-09-30", schedule("2025-01-01")) == D("2026-12-31")


def test_three_months_to_year_end_received_on_1_october_ends_a_year_later() -> None:
    t = terms("2025-01-01", policy(Notice(3, MONTHS), NoticeTo.YEAR_END))
    assert end(t, "2026-10-01", schedule("2025-01-01")) == D("2027-12-31")


@pytest.mark.parametrize(
    ("notice", "received", "expected"),
    [
        (Notice(14, DAYS), "2026-03-01", "2026-03-15"),
        (Notice(2, WEEKS), "2026-03-01", "2026-03-15"),
        (Notice(1, MONTHS), "2026-01-31", "2026-02-28"),
        (Notice(0, DAYS), "2026-05-05", "2026-05-05"),
    ],
)
def test_any_day_ends_on_the_deadline_itself(notice: Notice, received: str, expected: str) -> None:
    t = terms("2025-01-01", policy(notice, NoticeTo.ANY_DAY))
    assert end(t, received, schedule("2025-01-01")) == D(expected)


# --- period_end ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2026-03-10", "2026-04-14"),
        ("2026-03-14", "2026-04-14"),  # last possible day for the period ending 04-14
        ("2026-03-15", "2026-05-14"),  # one day late
    ],
)
def test_one_month_to_period_end_of_a_monthly_plan_from_the_15th_ends_on_a_14th(
    received: str, expected: str
) -> None:
    t = terms("2026-01-15", policy(Notice(1, MONTHS), NoticeTo.PERIOD_END))
    assert end(t, received, schedule("2026-01-15")) == D(expected)


@pytest.mark.parametrize(
    ("received", "expected"),
    [("2026-05-10", "2026-06-30"), ("2026-05-31", "2026-06-30"), ("2026-06-01", "2026-09-30")],
)
def test_period_end_of_a_calendar_aligned_quarterly_plan(received: str, expected: str) -> None:
    t = terms("2026-05-10", policy(Notice(1, MONTHS), NoticeTo.PERIOD_END))
    sched = schedule("2026-05-10", BillingCycle.QUARTERLY, BillingAlignment.CALENDAR)
    assert end(t, received, sched) == D(expected)


# --- term_end with minimum term and renewals -----------------------------------------------------

ANNUAL = policy(Notice(30, DAYS), NoticeTo.TERM_END, minimum=12, renewal=12)


def annual_terms(*, consumer: bool = False) -> ContractTerms:
    return terms("2026-01-15", ANNUAL, consumer=consumer)


def test_annual_plan_cancelled_30_days_before_term_end_ends_with_the_first_term() -> None:
    t = annual_terms()
    assert end(t, "2026-12-15", schedule("2026-01-15", BillingCycle.YEARLY)) == D("2027-01-14")


def test_annual_plan_cancelled_one_day_late_renews_for_twelve_months() -> None:
    t = annual_terms()
    assert end(t, "2026-12-16", schedule("2026-01-15", BillingCycle.YEARLY)) == D("2028-01-14")


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2026-02-01", "2027-01-14"),
        ("2027-12-15", "2028-01-14"),
        ("2027-12-16", "2029-01-14"),
    ],
)
def test_annual_plan_terms_end_on_the_14th_of_january(received: str, expected: str) -> None:
    t = annual_terms()
    assert end(t, received, schedule("2026-01-15", BillingCycle.YEARLY)) == D(expected)


def test_term_last_day_on_or_after() -> None:
    t = annual_terms()
    assert t.minimum_term_last_day == D("2027-01-14")
    assert t.term_last_day_on_or_after(D("2026-01-15")) == D("2027-01-14")
    assert t.term_last_day_on_or_after(D("2027-01-14")) == D("2027-01-14")
    assert t.term_last_day_on_or_after(D("2027-01-15")) == D("2028-01-14")
    assert t.term_last_day_on_or_after(D("2030-06-01")) == D("2031-01-14")


def test_renewing_terms_without_a_minimum_term_start_with_the_first_renewal() -> None:
    t = terms("2026-01-15", policy(Notice(1, MONTHS), NoticeTo.TERM_END, minimum=0, renewal=12))
    sched = schedule("2026-01-15")
    assert t.minimum_term_last_day is None
    assert end(t, "2026-11-01", sched) == D("2027-01-14")
    assert end(t, "2026-12-14", sched) == D("2027-01-14")
    assert end(t, "2026-12-15", sched) == D("2028-01-14")


def test_renewal_terms_are_counted_from_the_start_not_stepped() -> None:
    # Start Jan 31, monthly terms: each term ends the day before start + k months.
    t = terms("2026-01-31", policy(Notice(0, DAYS), NoticeTo.TERM_END, minimum=1, renewal=1))
    assert t.term_last_day_on_or_after(D("2026-02-28")) == D("2026-03-30")
    assert t.term_last_day_on_or_after(D("2026-04-01")) == D("2026-04-29")
    assert t.term_last_day_on_or_after(D("2026-05-01")) == D("2026-05-30")


def test_term_end_without_renewal_ends_with_the_minimum_term_when_in_time() -> None:
    t = terms("2026-01-15", policy(Notice(1, MONTHS), NoticeTo.TERM_END, minimum=12))
    assert end(t, "2026-11-01", schedule("2026-01-15")) == D("2027-01-14")


def test_term_end_without_renewal_falls_back_to_billing_period_ends_after_the_minimum_term() -> (
    None
):
    t = terms("2026-01-15", policy(Notice(1, MONTHS), NoticeTo.TERM_END, minimum=12))
    assert t.term_last_day_on_or_after(D("2027-04-01")) is None
    # deadline 2027-04-01 lies in the monthly period 2027-03-15 .. 2027-04-15
    assert end(t, "2027-03-01", schedule("2026-01-15")) == D("2027-04-14")
    # with yearly billing the period 2027-01-15 .. 2028-01-15 ends on 2028-01-14
    assert end(t, "2027-03-01", schedule("2026-01-15", BillingCycle.YEARLY)) == D("2028-01-14")


# --- minimum term floor, requested dates ---------------------------------------------------------


def test_minimum_term_is_a_floor_for_the_end_date() -> None:
    t = terms("2026-01-15", policy(Notice(1, MONTHS), NoticeTo.MONTH_END, minimum=24))
    assert t.minimum_term_last_day == D("2028-01-14")
    assert end(t, "2026-06-01", schedule("2026-01-15")) == D("2028-01-31")


def test_minimum_term_floor_then_next_quarter_end() -> None:
    t = terms("2026-01-15", policy(Notice(3, MONTHS), NoticeTo.QUARTER_END, minimum=24))
    assert end(t, "2026-06-01", schedule("2026-01-15")) == D("2028-03-31")


def test_minimum_term_ending_on_an_allowed_day_is_the_end_date() -> None:
    t = terms("2026-01-01", policy(Notice(3, MONTHS), NoticeTo.QUARTER_END, minimum=12))
    assert end(t, "2026-02-01", schedule("2026-01-01")) == D("2026-12-31")


@pytest.mark.parametrize(
    ("requested", "expected"),
    [
        ("2026-08-15", "2026-09-30"),
        ("2026-12-31", "2026-12-31"),
        ("2026-06-30", "2026-06-30"),
        ("2026-07-01", "2026-09-30"),
    ],
)
def test_requested_later_end_date_gives_the_first_allowed_date_on_or_after_it(
    requested: str, expected: str
) -> None:
    t = terms("2025-01-01", QUARTERLY_3M)
    assert end(t, "2026-03-31", schedule("2025-01-01"), requested) == D(expected)


@pytest.mark.parametrize("requested", ["2026-04-15", "2026-03-31", "2020-01-01"])
def test_requested_too_early_end_date_gives_the_earliest_possible(requested: str) -> None:
    t = terms("2025-01-01", QUARTERLY_3M)
    assert end(t, "2026-03-31", schedule("2025-01-01"), requested) == D("2026-06-30")


def test_requested_date_with_any_day_is_taken_as_is() -> None:
    t = terms("2025-01-01", policy(Notice(14, DAYS), NoticeTo.ANY_DAY))
    assert end(t, "2026-06-01", schedule("2025-01-01"), "2026-07-04") == D("2026-07-04")


def test_requested_date_with_term_end_gives_the_end_of_the_term_running_then() -> None:
    t = annual_terms()
    sched = schedule("2026-01-15", BillingCycle.YEARLY)
    assert end(t, "2026-06-01", sched, "2027-06-01") == D("2028-01-14")


def test_earliest_end_is_end_date_without_a_request() -> None:
    t = terms("2025-01-01", QUARTERLY_3M)
    assert t.earliest_end(D("2026-04-01"), schedule("2025-01-01")) == D("2026-09-30")


# --- consumers vs businesses (BGB § 309 Nr. 9, contracts from 2022-03-01) ------------------------

LONG_PLAN = policy(Notice(3, MONTHS), NoticeTo.TERM_END, minimum=36, renewal=12)


def test_business_follows_a_36_month_minimum_term_as_written() -> None:
    t = terms("2026-01-15", LONG_PLAN)
    assert t.minimum_term_months == 36
    assert t.renewal_months == 12
    assert end(t, "2026-06-01", schedule("2026-01-15")) == D("2029-01-14")


def test_consumer_minimum_term_is_capped_at_24_months() -> None:
    t = terms("2026-01-15", LONG_PLAN, consumer=True)
    assert t.minimum_term_months == 24
    assert t.minimum_term_last_day == D("2028-01-14")
    assert end(t, "2026-06-01", schedule("2026-01-15")) == D("2028-01-14")


def test_consumer_minimum_term_of_24_months_or_less_is_kept() -> None:
    pol = policy(Notice(1, MONTHS), NoticeTo.TERM_END, minimum=24, renewal=12)
    assert terms("2026-01-15", pol, consumer=True).minimum_term_months == 24
    pol = policy(Notice(1, MONTHS), NoticeTo.TERM_END, minimum=12, renewal=12)
    assert terms("2026-01-15", pol, consumer=True).minimum_term_months == 12


def test_consumer_contract_runs_on_indefinitely_after_the_minimum_term() -> None:
    assert terms("2026-01-15", LONG_PLAN, consumer=True).renewal_months is None


def test_consumer_notice_one_month_before_the_minimum_term_ends_ends_with_it() -> None:
    t = terms("2026-01-15", LONG_PLAN, consumer=True)
    assert end(t, "2027-12-14", schedule("2026-01-15")) == D("2028-01-14")


def test_consumer_notice_after_the_minimum_term_ends_one_month_later_on_any_day() -> None:
    t = terms("2026-01-15", LONG_PLAN, consumer=True)
    assert end(t, "2027-12-15", schedule("2026-01-15")) == D("2028-01-15")
    assert end(t, "2028-05-20", schedule("2026-01-15")) == D("2028-06-20")


def test_business_on_the_same_plan_is_bound_to_the_36_month_term() -> None:
    t = terms("2026-01-15", LONG_PLAN)
    assert end(t, "2027-12-15", schedule("2026-01-15")) == D("2029-01-14")


def test_consumer_notice_is_capped_at_one_month() -> None:
    pol = policy(Notice(3, MONTHS), NoticeTo.MONTH_END)
    sched = schedule("2026-01-15")
    assert end(terms("2026-01-15", pol), "2026-03-10", sched) == D("2026-06-30")
    assert end(terms("2026-01-15", pol, consumer=True), "2026-03-10", sched) == D("2026-04-10")


def test_consumer_six_weeks_notice_is_capped_at_one_month() -> None:
    pol = policy(Notice(6, WEEKS), NoticeTo.ANY_DAY)
    sched = schedule("2026-01-15")
    assert end(terms("2026-01-15", pol), "2026-02-01", sched) == D("2026-03-15")
    assert end(terms("2026-01-15", pol, consumer=True), "2026-02-01", sched) == D("2026-03-01")


def test_consumer_keeps_a_shorter_notice_than_the_law_allows() -> None:
    pol = policy(Notice(14, DAYS), NoticeTo.ANY_DAY)
    t = terms("2026-01-15", pol, consumer=True)
    assert end(t, "2026-03-01", schedule("2026-01-15")) == D("2026-03-15")


def test_consumer_requested_later_date_after_the_minimum_term_is_taken_as_is() -> None:
    t = terms("2026-01-15", LONG_PLAN, consumer=True)
    sched = schedule("2026-01-15")
    assert end(t, "2026-06-01", sched, "2028-06-10") == D("2028-06-10")


def test_consumer_requested_date_inside_the_minimum_term_gives_its_last_day() -> None:
    t = terms("2026-01-15", LONG_PLAN, consumer=True)
    sched = schedule("2026-01-15")
    assert end(t, "2026-06-01", sched, "2027-06-01") == D("2028-01-14")


def test_consumer_never_ends_later_than_a_business_customer_on_the_same_plan() -> None:
    # Yearly terms billed monthly, calendar-aligned, one week's notice to the term end.
    # Business: deadline 2027-05-08, the term ends 2027-05-09. The consumer protections of
    # § 309 Nr. 9 only ever help the consumer; they must not replace the plan's term ends by the
    # (here: month-end) billing period ends and so push the consumer to 2027-05-31.
    pol = policy(Notice(1, WEEKS), NoticeTo.TERM_END, minimum=0, renewal=12)
    sched = schedule("2026-05-10", BillingCycle.MONTHLY, BillingAlignment.CALENDAR)
    business = end(terms("2026-05-10", pol), "2027-05-01", sched)
    consumer = end(terms("2026-05-10", pol, consumer=True), "2027-05-01", sched)
    assert business == D("2027-05-09")
    assert consumer <= business


def test_consumer_after_the_minimum_term_keeps_a_shorter_plan_notice_to_any_day() -> None:
    # SPEC § 5: notice of at most one month (the plan's one week stands), and after the minimum
    # term (none here) to any day, whatever the plan's notice_to says: 2027-05-01 + 7 days.
    pol = policy(Notice(1, WEEKS), NoticeTo.TERM_END, minimum=0, renewal=12)
    sched = schedule("2026-05-10", BillingCycle.MONTHLY, BillingAlignment.CALENDAR)
    assert end(terms("2026-05-10", pol, consumer=True), "2027-05-01", sched) == D("2027-05-08")


# --- consumer contracts before 2022-03-01: the old § 309 Nr. 9 -----------------------------------

OLD_PLAN = policy(Notice(6, MONTHS), NoticeTo.TERM_END, minimum=36, renewal=24)


def test_old_consumer_contract_caps_minimum_term_at_24_and_renewals_at_12_months() -> None:
    t = terms("2021-01-15", OLD_PLAN, consumer=True)
    assert t.minimum_term_months == 24
    assert t.renewal_months == 12
    assert t.minimum_term_last_day == D("2023-01-14")


def test_old_consumer_contract_notice_capped_at_three_months_last_possible_day() -> None:
    t = terms("2021-01-15", OLD_PLAN, consumer=True)
    assert end(t, "2022-10-14", schedule("2021-01-15", BillingCycle.YEARLY)) == D("2023-01-14")


def test_old_consumer_contract_one_day_late_renews_for_one_year() -> None:
    t = terms("2021-01-15", OLD_PLAN, consumer=True)
    sched = schedule("2021-01-15", BillingCycle.YEARLY)
    assert end(t, "2022-10-15", sched) == D("2024-01-14")
    assert end(t, "2023-10-15", sched) == D("2025-01-14")


def test_old_consumer_contract_with_18_month_renewals_never_ends_later_than_business() -> None:
    # Terms as written: 2021-01-15 .. 2022-01-14, then 18-month renewals ending 2023-07-14,
    # 2025-01-14. Notice received 2023-01-01 (deadline 2023-02-01): a business leaves on
    # 2023-07-14. Shortening the renewals to 12 months for a consumer (old § 309 Nr. 9 b) must not
    # push the consumer to 2024-01-14, later than the plan itself allows.
    pol = policy(Notice(1, MONTHS), NoticeTo.TERM_END, minimum=12, renewal=18)
    sched = schedule("2021-01-15")
    business = end(terms("2021-01-15", pol), "2023-01-01", sched)
    consumer = end(terms("2021-01-15", pol, consumer=True), "2023-01-01", sched)
    assert business == D("2023-07-14")
    assert consumer <= business


def test_old_business_contract_follows_the_plan() -> None:
    t = terms("2021-01-15", OLD_PLAN)
    sched = schedule("2021-01-15", BillingCycle.YEARLY)
    assert end(t, "2023-10-15", sched) == D("2026-01-14")


def test_consumer_contract_concluded_on_1_march_2022_gets_the_new_rules() -> None:
    pol = policy(Notice(3, MONTHS), NoticeTo.TERM_END, minimum=12, renewal=12)
    t = terms("2022-03-01", pol, consumer=True)
    assert t.renewal_months is None
    assert end(t, "2023-02-10", schedule("2022-03-01")) == D("2023-03-10")


def test_consumer_contract_concluded_on_28_february_2022_keeps_the_old_rules() -> None:
    pol = policy(Notice(3, MONTHS), NoticeTo.TERM_END, minimum=12, renewal=12)
    t = terms("2022-02-28", pol, consumer=True)
    assert t.renewal_months == 12
    assert t.minimum_term_last_day == D("2023-02-27")
    assert end(t, "2023-02-10", schedule("2022-02-28")) == D("2024-02-27")
