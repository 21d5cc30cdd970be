"""Add-on bookings (SPEC § 3 "Booking an add-on", § 6): booking, ordinary cancellation to the end
of the paid period, and withdrawal (Widerruf, BGB § 355) with credit notes.

CloudCRM contract from 2026-01-15 (anniversary, monthly): periods [01-15, 02-15) of 31 days,
[02-15, 03-15) of 28 days, [03-15, 04-15) of 31 days. Plan 49.00, extra_user 5.90 per unit,
plan entitlements users 3, storage_gb 10. All amounts below are worked out by hand.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tenure.domain.booking import BookingStatus
from tenure.domain.charges import LineKind
from tenure.domain.errors import DomainError
from tenure.domain.invoicing import DocumentType

START = date(2026, 1, 15)


@pytest.fixture
def crm(sandbox, cloudcrm):
    return sandbox(cloudcrm, plan="business", start=START, vat_id="DE129273398")


def refused(call, *args) -> str:
    with pytest.raises(DomainError) as caught:
        call(*args)
    return caught.value.code


# ---------------------------------------------------------------------- booking


def test_booked_addon_is_usable_at_once(crm):
    crm.at("2026-02-03T10:00")
    assert crm.entitlements().limits == {"users": 3, "storage_gb": 10}

    crm.book("extra_user", 2)

    assert crm.entitlements().limits == {"users": 5, "storage_gb": 10}


def test_booking_creates_a_prorated_pending_item_for_the_rest_of_the_period(crm):
    crm.at("2026-02-03T10:00")
    booking_id = crm.book("extra_user", 2)

    # [02-03, 02-15) = 12 of 31 days: 2 × 5.90 × 12/31 = 141.60/31 = 4.5677… → 4.57
    (item,) = crm.contract.pending
    assert item.charge.kind is LineKind.PRORATION
    assert item.charge.item == "addon:extra_user"
    assert (item.charge.period.start, item.charge.period.last_day) == (
        date(2026, 2, 3),
        date(2026, 2, 14),
    )
    assert item.charge.net == Decimal("4.57")
    assert crm.contract.booking(booking_id).billed_until == date(2026, 2, 14)
    # a pending item is never its own invoice
    assert crm.numbers() == ["RE-2026-000001"]


def test_booking_is_a_regular_recurring_line_from_the_next_period(crm):
    crm.at("2026-02-03T10:00")
    crm.book("extra_user", 2)
    crm.through(date(2026, 3, 15))

    feb = crm.issued_on(date(2026, 2, 15))[0]
    recurring = crm.line(feb, "addon:extra_user", "recurring")
    assert (recurring.period.start, recurring.period.last_day) == (
        date(2026, 2, 15),
        date(2026, 3, 14),
    )
    assert (recurring.quantity, recurring.unit_price, recurring.net) == (
        Decimal(2),
        Decimal("5.90"),
        Decimal("11.80"),
    )
    crm.line(feb, "addon:extra_user", "proration", net="4.57")
    assert feb.draft.net_total == Decimal("65.37")  # 49.00 + 11.80 + 4.57

    mar = crm.issued_on(date(2026, 3, 15))[0]
    crm.line(mar, "addon:extra_user", "recurring", net="11.80", start=date(2026, 3, 15))
    assert {x.kind for x in mar.lines} == {LineKind.RECURRING}
    assert mar.draft.net_total == Decimal("60.80")


def test_each_booking_is_its_own_row(crm):
    crm.at("2026-02-03T10:00")
    first = crm.book("extra_user", 2)
    crm.at("2026-02-05T10:00")
    second = crm.book("extra_user", 1)

    assert first != second
    assert crm.contract.booking(first).quantity == 2
    assert crm.contract.booking(second).quantity == 1
    assert crm.entitlements().limits["users"] == 6


def test_addon_not_offered_with_the_plan_is_refused(sandbox, annual):
    # the annual catalog has an add-on "seat" that the plan "longterm" does not offer
    sb = sandbox(annual, plan="longterm", start=START)
    sb.at("2026-02-03T10:00")

    assert refused(sb.book, "seat", 1) == "addon_not_in_plan"
    assert sb.contract.bookings == {}


def test_unknown_addon_is_refused(crm):
    crm.at("2026-02-03T10:00")
    assert refused(crm.book, "extra_unicorn", 1) == "unknown_addon"


def test_quantity_zero_is_refused(crm):
    crm.at("2026-02-03T10:00")
    assert refused(crm.book, "extra_user", 0) == "invalid_quantity"
    assert crm.contract.bookings == {}
    assert crm.contract.pending == []


# ---------------------------------------------------------------------- ordinary cancellation


def test_ordinary_cancellation_runs_to_the_end_of_the_paid_period(crm):
    crm.at("2026-02-03T10:00")
    booking_id = crm.book("extra_user", 2)
    crm.at("2026-02-20T10:00")  # the 02-15 invoice paid it up to 03-14

    ends_on = crm.cancel_addon(booking_id)

    booking = crm.contract.booking(booking_id)
    assert ends_on == date(2026, 3, 14)
    assert booking.status is BookingStatus.CANCELLATION_PENDING
    assert booking.ends_on == booking.billed_until == date(2026, 3, 14)
    # no refund: nothing credited, nothing pending
    assert crm.contract.pending == []
    assert [d.type for d in crm.documents] == [DocumentType.INVOICE, DocumentType.INVOICE]
    # usable until then
    crm.at("2026-03-14T23:59")
    assert crm.entitlements().limits["users"] == 5


def test_cancelled_booking_ends_and_is_no_longer_billed(crm):
    crm.at("2026-02-03T10:00")
    booking_id = crm.book("extra_user", 2)
    crm.at("2026-02-20T10:00")
    crm.cancel_addon(booking_id)

    crm.at("2026-03-15T00:00")

    assert crm.contract.booking(booking_id).status is BookingStatus.ENDED
    assert crm.entitlements().limits["users"] == 3
    mar = crm.issued_on(date(2026, 3, 15))[0]
    assert [x.item for x in mar.lines] == ["plan:business"]
    assert mar.draft.net_total == Decimal("49.00")


def test_cancellation_before_the_next_invoice_keeps_the_paid_proration_only(crm):
    crm.at("2026-02-03T10:00")
    booking_id = crm.book("extra_user", 2)
    crm.at("2026-02-05T10:00")

    assert crm.cancel_addon(booking_id) == date(2026, 2, 14)

    crm.at("2026-02-15T00:00")
    feb = crm.issued_on(date(2026, 2, 15))[0]
    addon_lines = [x for x in feb.lines if x.item == "addon:extra_user"]
    assert [(x.kind, x.net) for x in addon_lines] == [(LineKind.PRORATION, Decimal("4.57"))]
    assert crm.contract.booking(booking_id).status is BookingStatus.ENDED


def test_cancelling_a_booking_twice_is_refused(crm):
    crm.at("2026-02-03T10:00")
    booking_id = crm.book("extra_user", 2)
    crm.cancel_addon(booking_id)
    before = crm.snapshot()

    assert refused(crm.cancel_addon, booking_id) == "addon_already_cancelled"
    assert crm.snapshot() == before


# ---------------------------------------------------------------------- withdrawal


def test_withdrawal_window_does_not_count_the_booking_day(crm):
    crm.at("2026-02-03T10:00")
    booking_id = crm.book("extra_user", 2)

    assert crm.contract.booking(booking_id).withdrawal_last_day == date(2026, 2, 17)


def test_withdrawal_on_the_last_day_at_23_59_berlin_is_accepted(crm):
    crm.at("2026-02-03T10:00")
    booking_id = crm.book("extra_user", 2)
    crm.at("2026-02-17T23:59:00+01:00")

    crm.withdraw(booking_id)

    assert crm.contract.booking(booking_id).status is BookingStatus.WITHDRAWN


def test_withdrawal_at_00_00_berlin_the_next_day_is_refused(crm):
    crm.at("2026-02-03T10:00")
    booking_id = crm.book("extra_user", 2)
    crm.at("2026-02-18T00:00:00+01:00")  # still 2026-02-17 in UTC

    assert refused(crm.withdraw, booking_id) == "withdrawal_period_expired"
    assert crm.contract.booking(booking_id).status is BookingStatus.ACTIVE


def test_withdrawal_ends_the_booking_at_once_and_removes_its_pending_item(crm):
    crm.at("2026-02-03T10:00")
    booking_id = crm.book("extra_user", 2)
    crm.at("2026-02-10T09:00")

    credit_notes = crm.withdraw(booking_id)

    assert credit_notes == []  # nothing of it was invoiced yet
    assert crm.contract.booking(booking_id).status is BookingStatus.WITHDRAWN
    assert crm.contract.pending == []
    assert crm.entitlements().limits["users"] == 3
    crm.at("2026-02-15T00:00")
    feb = crm.issued_on(date(2026, 2, 15))[0]
    assert [x.item for x in feb.lines] == ["plan:business"]
    assert feb.draft.net_total == Decimal("49.00")


def test_withdrawal_after_the_booking_was_invoiced_issues_a_credit_note(crm):
    crm.at("2026-02-10T10:00")
    booking_id = crm.book("extra_user", 2)
    crm.at("2026-02-20T10:00")  # last day of the window: 02-24
    invoiced = crm.document("RE-2026-000002")
    # the 02-15 invoice: proration [02-10, 02-15) 2 × 5.90 × 5/31 = 59/31 = 1.903… → 1.90
    # and the recurring line [02-15, 03-15) 2 × 5.90 = 11.80
    crm.line(invoiced, "addon:extra_user", "proration", net="1.90")
    crm.line(invoiced, "addon:extra_user", "recurring", net="11.80")

    (credit_note,) = crm.withdraw(booking_id)

    assert credit_note.type is DocumentType.CREDIT_NOTE
    assert credit_note.number == "KR-2026-000001"
    assert credit_note.refers_to == "RE-2026-000002"
    assert credit_note.issue_date == date(2026, 2, 20)
    assert sorted((x.item, x.period.start, x.net) for x in credit_note.lines) == [
        ("addon:extra_user", date(2026, 2, 10), Decimal("-1.90")),
        ("addon:extra_user", date(2026, 2, 15), Decimal("-11.80")),
    ]
    # VAT on the sum: -13.70 × 19 % = -2.603 → -2.60
    assert (credit_note.draft.net_total, credit_note.draft.vat_total) == (
        Decimal("-13.70"),
        Decimal("-2.60"),
    )
    assert credit_note.draft.gross_total == Decimal("-16.30")
    assert crm.entitlements().limits["users"] == 3
    # the invoice itself is untouched, and the add-on is not billed again
    assert crm.document("RE-2026-000002").draft.net_total == Decimal("62.70")
    crm.at("2026-03-15T00:00")
    assert crm.document("RE-2026-000003").draft.net_total == Decimal("49.00")


def test_withdrawing_twice_is_refused(crm):
    crm.at("2026-02-03T10:00")
    booking_id = crm.book("extra_user", 2)
    crm.withdraw(booking_id)

    assert refused(crm.withdraw, booking_id) == "addon_not_active"


def test_business_customer_gets_no_withdrawal_unless_the_vendor_grants_it(sandbox, annual):
    # annual.yaml: withdrawal_for_business: false
    sb = sandbox(annual, plan="annual", start=date(2026, 1, 1), vat_id="DE129273398")
    sb.at("2026-03-10T10:00")
    booking_id = sb.book("seat", 1)
    sb.at("2026-03-11T10:00")

    assert sb.contract.booking(booking_id).withdrawal_last_day is None
    assert refused(sb.withdraw, booking_id) == "withdrawal_not_available"
    assert sb.contract.booking(booking_id).status is BookingStatus.ACTIVE


def test_consumer_gets_14_days_even_where_business_customers_get_none(sandbox, annual):
    sb = sandbox(annual, plan="annual", start=date(2026, 1, 1), customer_type="consumer")
    sb.at("2026-03-10T10:00")
    booking_id = sb.book("seat", 1)
    # [03-10, 2027-01-01) = 297 of 365 days: 60.00 × 297/365 = 48.8219… → 48.82, pending
    assert [p.charge.net for p in sb.contract.pending] == [Decimal("48.82")]
    sb.at("2026-03-24T23:30")

    assert sb.withdraw(booking_id) == []
    assert sb.contract.booking(booking_id).status is BookingStatus.WITHDRAWN
    assert sb.contract.pending == []


def test_consumer_gets_14_days_even_if_the_vendor_offers_none(sandbox, variant):
    catalog = variant("cloudcrm", {"withdrawal_days: 14": "withdrawal_days: 0"})
    sb = sandbox(catalog, plan="business", start=START, customer_type="consumer")
    sb.at("2026-02-03T10:00")
    on_time = sb.book("extra_user", 1)
    late = sb.book("extra_user", 1)

    assert sb.contract.booking(on_time).withdrawal_last_day == date(2026, 2, 17)
    sb.at("2026-02-17T22:00")
    sb.withdraw(on_time)
    sb.at("2026-02-18T08:00")
    assert refused(sb.withdraw, late) == "withdrawal_period_expired"


def test_business_customer_gets_no_withdrawal_where_the_vendor_offers_none(sandbox, variant):
    catalog = variant("cloudcrm", {"withdrawal_days: 14": "withdrawal_days: 0"})
    sb = sandbox(catalog, plan="business", start=START)
    sb.at("2026-02-03T10:00")
    booking_id = sb.book("extra_user", 1)

    assert refused(sb.withdraw, booking_id) == "withdrawal_not_available"
