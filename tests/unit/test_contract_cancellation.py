"""Cancelling the contract (SPEC § 5): ordinary notice and its end date, requested end dates,
revocation, extraordinary termination (BGB § 314), consumer protection (BGB § 309 Nr. 9) and what
happens when the contract ends; the confirmation e-mail (§ 8, BGB § 312k(4)).

Most cases use RED connect basis (29.00 a month, calendar months, 3 months' notice to a quarter
end) from 2026-01-01 for a business customer in Germany (19 % VAT).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tenure.domain.cancellation import CancellationKind, CancellationStatus
from tenure.domain.contract import ContractStatus
from tenure.domain.errors import DomainError
from tenure.domain.invoicing import DocumentType

REGISTERED = "praxis@beispiel.example"
#: CloudCRM's plan with 1 month's notice to a month end (instead of none to a period end).
ONE_MONTH_TO_MONTH_END = {
    "notice: {days: 0}\n    notice_to: period_end": "notice: {months: 1}\n    notice_to: month_end"
}


@pytest.fixture
def praxis(sandbox, redconnect):
    return sandbox(redconnect, plan="basis", start=date(2026, 1, 1), email=REGISTERED)


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    return caught.value.code


# ---------------------------------------------------------------------- ordinary notice


def test_notice_received_late_on_march_31_in_berlin_ends_on_june_30(praxis):
    praxis.at("2026-03-31T23:30:00+02:00")

    cancellation = praxis.cancel()

    assert cancellation.received_at == datetime(2026, 3, 31, 21, 30, tzinfo=UTC)
    assert cancellation.received_on == date(2026, 3, 31)
    # 3 months from 03-31 → 06-30, a quarter end
    assert cancellation.effective_end == date(2026, 6, 30)
    assert cancellation.status is CancellationStatus.CONFIRMED
    assert praxis.contract.status is ContractStatus.CANCELLATION_PENDING
    assert praxis.contract.end_date == date(2026, 6, 30)


def test_notice_received_half_an_hour_after_midnight_ends_a_quarter_later(praxis):
    praxis.at("2026-04-01T00:30:00+02:00")  # 2026-03-31T22:30Z, but April 1st in Berlin

    cancellation = praxis.cancel()

    assert cancellation.received_on == date(2026, 4, 1)
    # 3 months from 04-01 → 07-01, the next quarter end is 09-30
    assert cancellation.effective_end == date(2026, 9, 30)


@pytest.mark.parametrize(
    ("requested", "end"),
    [
        (date(2026, 8, 15), date(2026, 9, 30)),  # the first quarter end on or after it
        (date(2026, 9, 30), date(2026, 9, 30)),
        (date(2026, 12, 31), date(2026, 12, 31)),
    ],
)
def test_a_later_requested_end_gives_the_first_allowed_date_on_or_after_it(praxis, requested, end):
    praxis.at("2026-03-10T10:00")
    assert praxis.cancel(requested_end=requested).effective_end == end


def test_a_requested_end_that_is_too_early_gives_the_earliest_possible(praxis):
    praxis.at("2026-03-10T10:00")  # deadline 06-10 → 06-30

    cancellation = praxis.cancel(requested_end=date(2026, 4, 30))

    assert cancellation.effective_end == date(2026, 6, 30)


def test_a_second_cancellation_while_one_is_pending_is_refused(praxis):
    praxis.at("2026-03-10T10:00")
    praxis.cancel()
    praxis.at("2026-03-11T10:00")
    before = praxis.snapshot()

    assert refused(praxis.cancel) == "cancellation_already_pending"
    assert praxis.snapshot() == before


# ---------------------------------------------------------------------- revocation


def test_revocation_while_the_end_is_ahead_makes_the_contract_active_again(praxis):
    praxis.at("2026-02-10T10:00")
    praxis.cancel()  # → 06-30
    praxis.at("2026-03-01T10:00")

    revoked = praxis.revoke()

    assert revoked.status is CancellationStatus.REVOKED
    assert praxis.contract.status is ContractStatus.ACTIVE
    assert praxis.contract.end_date is None
    praxis.at("2026-07-01T10:00")
    assert praxis.contract.status is ContractStatus.ACTIVE
    assert praxis.issued_on(date(2026, 7, 1))[0].draft.net_total == Decimal("29.00")


def test_a_later_cancellation_is_computed_afresh_from_its_own_receipt(praxis):
    praxis.at("2026-02-10T10:00")
    praxis.cancel()  # received 02-10: deadline 05-10 → 06-30
    praxis.at("2026-03-01T10:00")
    praxis.revoke()
    praxis.at("2026-04-02T10:00")

    again = praxis.cancel()

    # received 04-02: deadline 07-02 → 09-30 (not 06-30 from the first notice)
    assert again.received_on == date(2026, 4, 2)
    assert again.effective_end == date(2026, 9, 30)
    assert [c.status for c in praxis.contract.cancellations] == [
        CancellationStatus.REVOKED,
        CancellationStatus.CONFIRMED,
    ]


def test_revocation_after_the_end_is_refused(praxis):
    praxis.at("2026-03-10T10:00")
    praxis.cancel()  # → 06-30
    praxis.at("2026-07-01T10:00")

    assert refused(praxis.revoke) == "cancellation_not_revocable"
    assert praxis.contract.status is ContractStatus.ENDED


def test_revocation_without_a_cancellation_is_refused(praxis):
    assert refused(praxis.revoke) == "no_pending_cancellation"


def test_after_a_revocation_the_rest_of_a_shortened_last_period_is_billed(sandbox, variant):
    # CloudCRM from 01-15 with 1 month's notice to a month end: received 03-10 → 04-30, so the
    # period [04-15, 05-15) (30 days) is billed for [04-15, 04-30] only: 49 × 16/30 = 26.13
    catalog = variant("cloudcrm", ONE_MONTH_TO_MONTH_END)
    sb = sandbox(catalog, plan="business", start=date(2026, 1, 15))
    sb.at("2026-03-10T10:00")
    sb.cancel()
    sb.at("2026-04-20T10:00")
    assert sb.document("RE-2026-000004").draft.net_total == Decimal("26.13")

    sb.revoke()

    sb.at("2026-05-15T00:00")
    may = sb.document("RE-2026-000005")
    # the rest [05-01, 05-15): 49 × 14/30 = 22.866… → 22.87 (26.13 + 22.87 = 49.00)
    sb.line(may, "plan:business", net="22.87", start=date(2026, 5, 1), last=date(2026, 5, 14))
    sb.line(may, "plan:business", "recurring", net="49.00", start=date(2026, 5, 15))
    assert may.draft.net_total == Decimal("71.87")


# ---------------------------------------------------------------------- extraordinary termination


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_extraordinary_termination_needs_a_reason(praxis, reason):
    praxis.at("2026-03-10T10:00")
    before = praxis.snapshot()

    assert refused(praxis.cancel_extraordinary, reason) == "reason_required"
    assert praxis.snapshot() == before


def test_extraordinary_termination_waits_for_review_and_is_not_made_ordinary(praxis):
    praxis.at("2026-03-10T10:00")

    cancellation = praxis.cancel_extraordinary("Praxis wird geschlossen")

    assert cancellation.kind is CancellationKind.EXTRAORDINARY
    assert cancellation.status is CancellationStatus.PENDING_REVIEW
    assert cancellation.reason == "Praxis wird geschlossen"
    assert cancellation.effective_end is None
    assert praxis.contract.status is ContractStatus.ACTIVE
    assert praxis.contract.end_date is None
    # months later, past the date an ordinary notice would have given (06-30), still running
    praxis.at("2026-07-01T10:00")
    assert praxis.contract.status is ContractStatus.ACTIVE
    assert praxis.contract.cancellations[0].status is CancellationStatus.PENDING_REVIEW
    assert len(praxis.issued_on(date(2026, 7, 1))) == 1


def test_accepted_extraordinary_termination_ends_on_the_requested_date(praxis):
    praxis.at("2026-03-10T10:00")
    praxis.cancel_extraordinary("Praxis wird geschlossen", requested_end=date(2026, 3, 20))
    praxis.at("2026-03-12T10:00")

    accepted = praxis.decide(accept=True)

    assert accepted.status is CancellationStatus.CONFIRMED
    assert accepted.effective_end == date(2026, 3, 20)
    assert praxis.contract.end_date == date(2026, 3, 20)
    praxis.at("2026-03-21T10:00")
    assert praxis.contract.status is ContractStatus.ENDED
    # March was paid in full on 03-01; [03-21, 04-01) is credited: 29 × 11/31 = 10.29
    (settlement,) = praxis.issued_on(date(2026, 3, 21))
    assert settlement.type is DocumentType.CREDIT_NOTE
    assert settlement.number == "KR-2026-000001"
    assert settlement.refers_to == "RE-2026-000003"
    (credit,) = settlement.lines
    assert (credit.period.start, credit.period.last_day, credit.net) == (
        date(2026, 3, 21),
        date(2026, 3, 31),
        Decimal("-10.29"),
    )
    assert settlement.draft.vat_total == Decimal("-1.96")  # -10.29 × 19 % = -1.9551


def test_accepted_extraordinary_termination_without_a_date_ends_at_once(praxis):
    praxis.at("2026-03-10T10:00")
    praxis.cancel_extraordinary("Zahlungsverzug des Anbieters")
    praxis.at("2026-03-12T10:00")

    accepted = praxis.decide(accept=True)

    assert accepted.effective_end == date(2026, 3, 12)
    praxis.at("2026-03-13T00:00")
    assert praxis.contract.status is ContractStatus.ENDED
    assert praxis.entitlements().limits == {}


def test_rejected_extraordinary_termination_tells_the_customer_why(praxis):
    praxis.at("2026-03-10T10:00")
    praxis.cancel_extraordinary("Zu teuer")
    praxis.at("2026-03-12T10:00")

    rejected = praxis.decide(accept=False, reason="Kein wichtiger Grund im Sinne des § 314 BGB")

    assert rejected.status is CancellationStatus.REJECTED
    assert rejected.decision_reason == "Kein wichtiger Grund im Sinne des § 314 BGB"
    assert praxis.contract.status is ContractStatus.ACTIVE
    assert praxis.contract.end_date is None
    told = [(e.to, e.at) for e in praxis.emails if e.template == "cancellation_rejected"]
    assert told == [(REGISTERED, datetime(2026, 3, 12, 9, 0, tzinfo=UTC))]


def test_rejection_needs_a_reason(praxis):
    praxis.at("2026-03-10T10:00")
    praxis.cancel_extraordinary("Zu teuer")
    assert refused(praxis.decide, accept=False, reason=" ") == "reason_required"


def test_an_ordinary_cancellation_cannot_be_accepted_like_an_extraordinary_one(praxis):
    praxis.at("2026-03-10T10:00")
    praxis.cancel()
    assert refused(praxis.decide, accept=True) == "cancellation_not_pending_review"


# ---------------------------------------------------------------------- the contract ends


def test_when_the_contract_ends_recurring_charges_stop(praxis):
    praxis.at("2026-03-10T10:00")
    praxis.cancel()  # → 06-30
    praxis.through(date(2026, 9, 30))

    assert praxis.contract.status is ContractStatus.ENDED
    assert praxis.contract.next_due_date() is None
    assert [d.issue_date for d in praxis.documents] == [
        date(2026, month, 1) for month in range(1, 7)
    ]
    june = praxis.documents[-1]
    praxis.line(june, "plan:basis", "recurring", net="29.00", last=date(2026, 6, 30))


def test_a_last_period_running_past_the_end_is_billed_only_up_to_the_end(sandbox, variant):
    # CloudCRM from 01-15 (periods from the 15th) with 1 month's notice to a month end:
    # received 03-10 → deadline 04-10 → end 04-30, inside the period [04-15, 05-15) of 30 days
    catalog = variant("cloudcrm", ONE_MONTH_TO_MONTH_END)
    sb = sandbox(catalog, plan="business", start=date(2026, 1, 15))
    sb.at("2026-03-10T10:00")
    assert sb.cancel().effective_end == date(2026, 4, 30)

    sb.through(date(2026, 6, 30))

    last = sb.document("RE-2026-000004")
    # [04-15, 04-30] = 16 of 30 days: 49 × 16/30 = 26.133… → 26.13; VAT 4.9647 → 4.96
    (plan_line,) = last.lines
    assert (plan_line.period.start, plan_line.period.last_day, plan_line.net) == (
        date(2026, 4, 15),
        date(2026, 4, 30),
        Decimal("26.13"),
    )
    assert last.draft.gross_total == Decimal("31.09")
    assert sb.numbers() == [f"RE-2026-00000{n}" for n in range(1, 5)]
    assert sb.contract.status is ContractStatus.ENDED


def test_an_end_inside_a_period_already_billed_credits_the_days_after_it(sandbox, variant):
    # no notice, to a month end: received 03-20 → 03-31, but [03-15, 04-15) was billed on 03-15
    catalog = variant("cloudcrm", {"notice_to: period_end": "notice_to: month_end"})
    sb = sandbox(catalog, plan="business", start=date(2026, 1, 15))
    sb.at("2026-03-20T10:00")
    assert sb.cancel().effective_end == date(2026, 3, 31)

    sb.through(date(2026, 4, 30))

    # [04-01, 04-15) = 14 of 31 days: 49 × 14/31 = 22.129… → 22.13 credited; VAT -4.2047 → -4.20
    (settlement,) = sb.issued_on(date(2026, 4, 1))
    assert settlement.type is DocumentType.CREDIT_NOTE
    assert (settlement.number, settlement.refers_to) == ("KR-2026-000001", "RE-2026-000003")
    sb.line(
        settlement, "plan:business", net="-22.13", start=date(2026, 4, 1), last=date(2026, 4, 14)
    )
    assert settlement.draft.gross_total == Decimal("-26.33")
    assert sb.issued_on(date(2026, 4, 15)) == []


def test_usage_up_to_the_end_is_billed_on_a_final_invoice(sandbox, redconnect):
    sb = sandbox(redconnect, plan="plus", start=date(2026, 1, 1), seats=2)
    sb.at("2026-03-10T10:00")
    sb.cancel()  # → 06-30
    sb.at("2026-06-30T22:00")
    sb.usage("sms", 30, "last-day")

    sb.at("2026-07-01T10:00")

    (final,) = sb.issued_on(date(2026, 7, 1))
    assert final.type is DocumentType.INVOICE
    assert final.number == "RE-2026-000007"
    (usage,) = final.lines
    assert (usage.item, usage.period.start, usage.period.last_day) == (
        "metric:sms",
        date(2026, 6, 1),
        date(2026, 6, 30),
    )
    # 30 × 0.10 = 3.00; VAT 0.57
    assert (usage.quantity, usage.net) == (Decimal(30), Decimal("3.00"))
    assert final.draft.gross_total == Decimal("3.57")
    assert refused(sb.usage, "sms", 5, "too-late") == "contract_ended"


def test_entitlements_end_with_the_contract(praxis):
    praxis.at("2026-03-10T10:00")
    praxis.cancel()  # → 06-30
    praxis.at("2026-06-30T23:59")
    assert praxis.entitlements().limits == {"participants": 2}

    praxis.at("2026-07-01T00:00")

    assert praxis.entitlements().limits == {}
    assert praxis.entitlements().features == ()


def test_confirmation_goes_out_at_the_instant_of_receipt_to_both_addresses(praxis):
    praxis.at("2026-03-31T23:30:00+02:00")

    praxis.cancel(email="kuendigung@praxis.example")

    confirmations = [
        (e.to, e.at) for e in praxis.emails if e.template == "cancellation_confirmation"
    ]
    received = datetime(2026, 3, 31, 21, 30, tzinfo=UTC)
    assert sorted(confirmations) == [
        ("kuendigung@praxis.example", received),
        (REGISTERED, received),
    ]


# ---------------------------------------------------------------------- consumers (§ 309 Nr. 9)


def test_consumer_minimum_term_is_capped_at_24_months(sandbox, variant):
    catalog = variant("annual", {"minimum_term_months: 24": "minimum_term_months: 36"})
    consumer = sandbox(catalog, plan="longterm", start=date(2026, 1, 1), customer_type="consumer")
    business = sandbox(catalog, plan="longterm", start=date(2026, 1, 1))
    consumer.at("2027-11-15T10:00")
    business.at("2027-11-15T10:00")

    # consumer: 1 month (capped) → 12-15, not before the end of month 24 → 2027-12-31
    assert consumer.cancel().effective_end == date(2027, 12, 31)
    # business: 3 months → 2028-02-15, minimum term of 36 months → 2028-12-31
    assert business.cancel().effective_end == date(2028, 12, 31)


def test_consumer_notice_is_capped_at_one_month_before_the_term_ends(sandbox, annual):
    # "longterm": 24 months, 3 months' notice to the term end, renews by 12 months
    consumer = sandbox(annual, plan="longterm", start=date(2026, 1, 1), customer_type="consumer")
    business = sandbox(annual, plan="longterm", start=date(2026, 1, 1))
    consumer.at("2027-11-20T10:00")
    business.at("2027-11-20T10:00")

    assert consumer.cancel().effective_end == date(2027, 12, 31)  # 1 month → 12-20
    assert business.cancel().effective_end == date(2028, 12, 31)  # 3 months → too late


def test_consumer_after_the_minimum_term_ends_with_one_month_to_any_day(sandbox, annual):
    sb = sandbox(annual, plan="longterm", start=date(2026, 1, 1), customer_type="consumer")
    sb.at("2028-02-10T10:00")

    # 1 month from 02-10 → 03-10, any day (not the plan's term end, not a period end)
    assert sb.cancel().effective_end == date(2028, 3, 10)

    sb.through(date(2028, 3, 31))
    march = sb.document("RE-2028-000003")
    # [03-01, 03-10] = 10 of 31 days: 15.00 × 10/31 = 4.838… → 4.84
    sb.line(march, "plan:longterm", "recurring", net="4.84", last=date(2028, 3, 10))
    assert sb.contract.status is ContractStatus.ENDED


def test_consumer_keeps_a_plan_notice_shorter_than_one_month_after_the_minimum_term(
    sandbox, annual
):
    # "annual": 12 months, 30 days' notice to the term end. After the minimum term a consumer's
    # contract runs on indefinitely and can be ended to any day with the plan's notice, which may
    # not exceed one month (§ 309 Nr. 9 b: "höchstens einem Monat"); 30 days is shorter and stays.
    sb = sandbox(annual, plan="annual", start=date(2026, 1, 1), customer_type="consumer")
    sb.at("2027-03-10T10:00")

    # 03-10 + 30 days = 04-09
    assert sb.cancel().effective_end == date(2027, 4, 9)


def test_revocation_on_the_last_day_itself_is_still_in_time(praxis):
    # Decision 0006: the contract ends at the end of its last day X, so X itself is in time.
    praxis.at("2026-03-10T10:00")
    praxis.cancel()  # → 06-30
    praxis.at("2026-06-30T23:30")

    assert praxis.revoke().status is CancellationStatus.REVOKED
    praxis.at("2026-07-01T10:00")
    assert praxis.contract.status is ContractStatus.ACTIVE
    assert praxis.issued_on(date(2026, 7, 1))[0].draft.net_total == Decimal("29.00")


def test_a_fixed_term_that_runs_out_without_notice_renews(sandbox, annual):
    # annual: 12 months from 2026-01-15, renewed by 12 months: the new term ends 2028-01-14.
    sb = sandbox(annual, plan="annual", start=date(2026, 1, 15))
    sb.through(date(2027, 1, 15))

    renewed = [e for e in sb.events if e.name == "contract.term_renewed"]
    assert [e.term_last_day for e in renewed] == [date(2028, 1, 14)]  # type: ignore[attr-defined]
    assert [d.issue_date for d in sb.documents] == [date(2026, 1, 15), date(2027, 1, 15)]
