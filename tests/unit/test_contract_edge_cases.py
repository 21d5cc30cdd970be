"""Edge cases found in review: money and dates where several rules meet (an add-on cancelled
after the contract got an end date, a downgrade during a shortened period, a plan change after
the end, a withdrawal after a day whose credits outweighed its charges, and others)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tenure.adapters.catalog_yaml import load_catalog_text
from tenure.domain.booking import BookingStatus
from tenure.domain.contract import ContractStatus
from tenure.domain.errors import DomainError
from tenure.domain.invoicing import DocumentType

SEATS_CATALOG = """
vendor: {name: Seat GmbH, address: "Weg 1, 10115 Berlin, DE", vat_id: DE123456788}
plans:
  seat:
    name: Seat
    price: "10.00"
    per_seat: true
    billing_cycle: monthly
    notice: {months: 1}
    notice_to: month_end
"""


def test_an_addon_cancelled_after_the_contract_got_an_end_is_credited_beyond_that_end(
    sandbox, cloudcrm
):
    sb = sandbox(cloudcrm, plan="business", start=date(2026, 1, 15))
    sb.at("2026-02-03T10:00")
    booking = sb.book("extra_user", 1)
    sb.at("2026-02-21T10:00")
    sb.cancel_extraordinary("Datenpanne")
    sb.decide(accept=True)  # ends at once: 2026-02-21
    sb.cancel_addon(booking)
    sb.through(date(2026, 2, 22))

    # 02-22 .. 03-14 were prepaid: 21 of 28 days. Plan 49.00 × 21/28 = 36.75;
    # add-on 5.90 × 21/28 = 4.425 → 4.43.
    (credit,) = [d for d in sb.documents if d.type is DocumentType.CREDIT_NOTE]
    assert sb.line(credit, "plan:business", "credit").net == Decimal("-36.75")
    assert sb.line(credit, "addon:extra_user", "credit").net == Decimal("-4.43")
    assert sb.contract.bookings[booking].billed_until == date(2026, 2, 21)


def test_a_downgrade_during_a_shortened_period_waits_for_the_real_period_end(sandbox):
    catalog = load_catalog_text(SEATS_CATALOG)
    sb = sandbox(catalog, plan="seat", seats=3, start=date(2026, 1, 15))
    sb.at("2026-02-20T10:00")
    assert sb.cancel().effective_end == date(2026, 3, 31)  # 03-20 deadline → month end
    sb.at("2026-03-20T10:00")
    change = sb.change_plan("seat", 2)
    assert change is not None
    assert change.effective_on == date(2026, 4, 15)  # the grid's period end, not 04-01
    sb.at("2026-03-25T10:00")
    sb.revoke()  # 04-01 .. 04-14 are charged again, at 3 seats: 30.00 × 14/31 = 13.55
    sb.through(date(2026, 4, 1))
    assert sb.contract.seats == 3
    sb.through(date(2026, 4, 15))

    april = sb.issued_on(date(2026, 4, 15))[0]
    assert sb.line(april, "plan:seat", "recurring").quantity == 2
    assert sb.line(april, "plan:seat", "proration").net == Decimal("13.55")


def test_a_scheduled_downgrade_never_touches_an_ended_contract(sandbox, tiers):
    sb = sandbox(tiers, plan="business", start=date(2026, 1, 15))
    sb.at("2026-02-03T10:00")
    sb.change_plan("starter")
    sb.at("2026-02-04T10:00")
    assert sb.cancel().effective_end == date(2026, 2, 14)
    sb.through(date(2026, 3, 20))

    assert (sb.contract.status, sb.contract.plan.id) == (ContractStatus.ENDED, "business")
    assert "plan_change_confirmation" not in [e.template for e in sb.emails]


def test_a_withdrawal_after_a_day_of_more_credits_than_charges_gives_the_money_back(sandbox, tiers):
    sb = sandbox(tiers, plan="business", start=date(2026, 1, 15))
    sb.at("2026-01-15T10:00")
    sb.book("extra_user", 30)
    sb.at("2026-02-16T10:00")
    sb.change_plan("enterprise")  # drops extra_user: its prepaid rest is credited
    sb.at("2026-03-10T10:00")
    storage = sb.book("extra_storage", 1)  # 5.90 × 5/28 = 1.05 to 03-14
    sb.through(date(2026, 3, 15))

    march = sb.issued_on(date(2026, 3, 15))
    assert [d.type for d in march] == [DocumentType.INVOICE, DocumentType.CREDIT_NOTE]
    assert all(x.net > 0 for x in march[0].lines)  # charges stay on the invoice
    assert all(x.net < 0 for x in march[1].lines)  # a credit note carries credits only

    sb.at("2026-03-17T10:00")
    (note,) = sb.withdraw(storage)
    assert note.refers_to == march[0].number
    assert note.draft.net_total == Decimal("-6.95")  # 5.90 recurring + 1.05 proration


def test_a_booking_ended_by_a_plan_change_can_still_be_withdrawn_in_its_window(sandbox, tiers):
    sb = sandbox(tiers, plan="business", start=date(2026, 1, 15))
    sb.at("2026-02-03T10:00")
    booking = sb.book("extra_user", 1)  # 5.90 × 12/31 = 2.28 to 02-14
    sb.at("2026-02-16T10:00")
    sb.change_plan("enterprise")  # ends the booking; 5.90 × 27/28 = 5.69 credited (pending)
    assert sb.contract.bookings[booking].status is BookingStatus.ENDED
    sb.at("2026-02-17T10:00")  # the last day of the window

    (note,) = sb.withdraw(booking)

    # Everything paid comes back once: 5.90 + 2.28 on the credit note, and the pending 5.69
    # credit is dropped so it is not given a second time.
    assert note.draft.net_total == Decimal("-8.18")
    assert [p.charge.source for p in sb.contract.pending].count(booking) == 0


def test_a_booking_dropped_on_its_own_day_does_not_end_before_it_began(sandbox, tiers):
    sb = sandbox(tiers, plan="business", start=date(2026, 1, 15))
    sb.at("2026-02-03T09:00")
    booking = sb.book("extra_user", 1)
    sb.at("2026-02-03T10:00")
    sb.change_plan("enterprise")
    ended = sb.contract.bookings[booking]
    assert ended.ends_on == ended.booked_on == date(2026, 2, 3)


@pytest.mark.parametrize("end", [date(9999, 12, 31), date(2200, 1, 1)])
def test_an_end_date_centuries_ahead_is_refused_not_a_crash(sandbox, cloudcrm, end):
    sb = sandbox(cloudcrm, plan="business", start=date(2026, 1, 15))
    sb.at("2026-02-03T10:00")
    with pytest.raises(DomainError) as refused:
        sb.cancel(requested_end=end)
    assert refused.value.code == "invalid_date"
    sb.cancel_extraordinary("Grund")
    with pytest.raises(DomainError) as refused:
        sb.decide(accept=True, end_date=end)
    assert refused.value.code == "invalid_date"
