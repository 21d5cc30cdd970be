"""Plan and seat changes (SPEC § 3 "Plan change"): a new recurring price that is higher or equal
takes effect at once with a prorated credit of the old plan and a prorated charge of the new one
for [d, E); a lower one takes effect at the next period start without prorations. Add-ons the new
plan does not offer end with the old plan.

CloudCRM tiers (examples/catalogs/cloudcrm-tiers.yaml) from 2026-01-15: the change on 02-03 falls
in [01-15, 02-15), 31 days, of which [02-03, 02-15) are 12. RED connect plus (19.00 per seat,
calendar months) from 2026-01-01: a change on 01-20 leaves [01-20, 02-01), 12 of 31 days.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tenure.domain.booking import BookingStatus
from tenure.domain.charges import LineKind
from tenure.domain.contract import ScheduledChange
from tenure.domain.errors import DomainError

START = date(2026, 1, 15)


@pytest.fixture
def crm(sandbox, tiers):
    sb = sandbox(tiers, plan="business", start=START, vat_id="DE129273398")
    sb.at("2026-01-20T10:00")
    return sb


def refused(call, *args) -> str:
    with pytest.raises(DomainError) as caught:
        call(*args)
    return caught.value.code


def pending(sb) -> list[tuple[str, date, date, Decimal]]:
    return sorted(
        (p.charge.item, p.charge.period.start, p.charge.period.last_day, p.charge.net)
        for p in sb.contract.pending
    )


# ---------------------------------------------------------------------- upgrades


def test_upgrade_takes_effect_at_once_with_prorated_credit_and_charge(crm):
    crm.at("2026-02-03T10:00")

    assert crm.change_plan("enterprise") is None

    assert crm.contract.plan.id == "enterprise"
    assert crm.entitlements().limits["users"] == 50
    feb_3, feb_14 = date(2026, 2, 3), date(2026, 2, 14)
    # old plan: 49.00 × 12/31 = 18.967… → 18.97 credited; new: 99.00 × 12/31 = 38.322… → 38.32
    assert pending(crm) == [
        ("plan:business", feb_3, feb_14, Decimal("-18.97")),
        ("plan:enterprise", feb_3, feb_14, Decimal("38.32")),
    ]


def test_upgrade_prorations_land_on_the_next_invoice_with_the_new_plan(crm):
    crm.at("2026-02-03T10:00")
    crm.change_plan("enterprise")
    crm.at("2026-02-15T00:00")

    feb = crm.document("RE-2026-000002")
    crm.line(feb, "plan:enterprise", "recurring", net="99.00", start=date(2026, 2, 15))
    crm.line(feb, "plan:enterprise", net="38.32", start=date(2026, 2, 3), last=date(2026, 2, 14))
    crm.line(feb, "plan:business", net="-18.97", start=date(2026, 2, 3), last=date(2026, 2, 14))
    assert len(feb.lines) == 3
    # 99.00 + 38.32 − 18.97 = 118.35; VAT 19 % = 22.4865 → 22.49
    assert feb.draft.net_total == Decimal("118.35")
    assert feb.draft.vat_total == Decimal("22.49")
    assert feb.draft.gross_total == Decimal("140.84")
    assert crm.contract.pending == []


def test_a_plan_at_the_same_price_counts_as_an_upgrade(crm):
    crm.at("2026-02-03T10:00")

    assert crm.change_plan("business_plus") is None

    assert crm.contract.plan.id == "business_plus"
    assert crm.entitlements().limits["users"] == 5
    assert pending(crm) == [
        ("plan:business", date(2026, 2, 3), date(2026, 2, 14), Decimal("-18.97")),
        ("plan:business_plus", date(2026, 2, 3), date(2026, 2, 14), Decimal("18.97")),
    ]


# ---------------------------------------------------------------------- downgrades


def test_downgrade_is_scheduled_for_the_next_period_without_prorations(crm):
    crm.at("2026-02-03T10:00")

    change = crm.change_plan("starter")

    assert change == ScheduledChange(
        crm.contract.catalog.plans["starter"], 1, effective_on=date(2026, 2, 15)
    )
    assert crm.contract.plan.id == "business"
    assert crm.contract.pending == []
    assert crm.entitlements().limits["users"] == 3


def test_scheduled_downgrade_is_applied_at_the_next_period_start(crm):
    crm.at("2026-02-03T10:00")
    crm.change_plan("starter")
    crm.at("2026-02-15T00:00")

    assert crm.contract.plan.id == "starter"
    assert crm.contract.scheduled_change is None
    feb = crm.document("RE-2026-000002")
    assert [(x.kind, x.item, x.net) for x in feb.lines] == [
        (LineKind.RECURRING, "plan:starter", Decimal("29.00"))
    ]
    assert (feb.lines[0].period.start, feb.lines[0].period.last_day) == (
        date(2026, 2, 15),
        date(2026, 3, 14),
    )


def test_changing_back_to_the_current_plan_cancels_a_scheduled_downgrade(crm):
    crm.at("2026-02-03T10:00")
    crm.change_plan("starter")
    crm.at("2026-02-05T10:00")

    assert crm.change_plan("business") is None

    assert crm.contract.scheduled_change is None
    assert crm.contract.pending == []
    crm.at("2026-02-15T00:00")
    assert crm.contract.plan.id == "business"
    assert crm.document("RE-2026-000002").draft.net_total == Decimal("49.00")


def test_changing_to_the_current_plan_with_nothing_scheduled_is_refused(crm):
    before = crm.snapshot()
    assert refused(crm.change_plan, "business") == "plan_unchanged"
    assert crm.snapshot() == before


def test_changing_to_a_plan_with_another_billing_cycle_is_refused(crm):
    before = crm.snapshot()
    assert refused(crm.change_plan, "business_quarterly") == "billing_cycle_change_not_supported"
    assert crm.snapshot() == before


def test_changing_to_an_unknown_plan_is_refused(crm):
    assert refused(crm.change_plan, "platinum") == "unknown_plan"


# ---------------------------------------------------------------------- add-ons and plan changes


def test_addons_not_offered_by_the_new_plan_end_with_the_old_plan_on_upgrade(crm):
    users = crm.book("extra_user", 1)  # 01-20: 5.90 × 26/31 = 4.948… → 4.95 pending
    storage = crm.book("extra_storage", 1)  # the same
    crm.at("2026-02-03T10:00")

    crm.change_plan("enterprise")  # enterprise offers extra_storage only

    booking = crm.contract.booking(users)
    assert booking.status is BookingStatus.ENDED
    assert booking.ends_on == date(2026, 2, 2)
    assert crm.contract.booking(storage).status is BookingStatus.ACTIVE
    assert crm.entitlements().limits == {"users": 50, "storage_gb": 110}
    # the unused rest of the user add-on is credited: 5.90 × 12/31 = 2.283… → 2.28
    assert ("addon:extra_user", date(2026, 2, 3), date(2026, 2, 14), Decimal("-2.28")) in (
        pending(crm)
    )

    crm.at("2026-02-15T00:00")
    feb = crm.document("RE-2026-000002")
    assert sorted(x.net for x in feb.lines if x.item == "addon:extra_user") == [
        Decimal("-2.28"),
        Decimal("4.95"),
    ]
    crm.line(feb, "addon:extra_storage", "recurring", net="5.90")
    # 99.00 + 5.90 + 4.95 + 4.95 − 18.97 + 38.32 − 2.28 = 131.87; VAT 25.0553 → 25.06
    assert feb.draft.net_total == Decimal("131.87")
    assert feb.draft.vat_total == Decimal("25.06")


def test_addons_not_offered_by_the_new_plan_end_with_the_old_plan_on_downgrade(crm):
    users = crm.book("extra_user", 1)
    crm.at("2026-02-03T10:00")
    crm.change_plan("starter")  # starter offers no add-ons

    crm.at("2026-02-14T23:59")
    assert crm.contract.booking(users).status is BookingStatus.ACTIVE
    assert crm.entitlements().limits["users"] == 4

    crm.at("2026-02-15T00:00")
    booking = crm.contract.booking(users)
    assert booking.status is BookingStatus.ENDED
    assert booking.ends_on == date(2026, 2, 14)
    feb = crm.document("RE-2026-000002")
    # starter 29.00 + the user add-on's proration [01-20, 02-15) 4.95; no recurring add-on line
    assert sorted((x.kind.value, x.item, x.net) for x in feb.lines) == [
        ("proration", "addon:extra_user", Decimal("4.95")),
        ("recurring", "plan:starter", Decimal("29.00")),
    ]
    assert feb.draft.net_total == Decimal("33.95")


# ---------------------------------------------------------------------- seats


@pytest.fixture
def praxis(sandbox, redconnect):
    def start(seats: int):
        sb = sandbox(redconnect, plan="plus", start=date(2026, 1, 1), seats=seats)
        sb.at("2026-01-20T10:00")
        return sb

    return start


def test_seat_increase_takes_effect_at_once_with_prorations(praxis):
    sb = praxis(3)

    assert sb.change_plan("plus", 5) is None

    assert sb.contract.seats == 5
    assert sb.entitlements().limits["seats"] == 5
    jan_20, jan_31 = date(2026, 1, 20), date(2026, 1, 31)
    # 3 × 19.00 × 12/31 = 684/31 = 22.064… → 22.06; 5 × 19.00 × 12/31 = 1140/31 = 36.774… → 36.77
    assert pending(sb) == [
        ("plan:plus", jan_20, jan_31, Decimal("-22.06")),
        ("plan:plus", jan_20, jan_31, Decimal("36.77")),
    ]
    sb.at("2026-02-01T00:00")
    feb = sb.document("RE-2026-000002")
    recurring = sb.line(feb, "plan:plus", "recurring")
    assert (recurring.quantity, recurring.unit_price, recurring.net) == (
        Decimal(5),
        Decimal("19.00"),
        Decimal("95.00"),
    )
    # 95.00 + 36.77 − 22.06 = 109.71; VAT 20.8449 → 20.84
    assert feb.draft.net_total == Decimal("109.71")
    assert feb.draft.gross_total == Decimal("130.55")


def test_seat_decrease_takes_effect_at_the_next_period(praxis):
    sb = praxis(5)

    change = sb.change_plan("plus", 2)

    assert change is not None
    assert (change.seats, change.effective_on) == (2, date(2026, 2, 1))
    assert sb.contract.seats == 5
    assert sb.contract.pending == []
    sb.at("2026-02-01T00:00")
    assert sb.contract.seats == 2
    feb = sb.document("RE-2026-000002")
    assert [(x.kind, x.quantity, x.net) for x in feb.lines] == [
        (LineKind.RECURRING, Decimal(2), Decimal("38.00"))
    ]


def test_same_seat_count_is_refused_as_unchanged(praxis):
    sb = praxis(3)
    assert refused(sb.change_plan, "plus", 3) == "plan_unchanged"


def test_seats_on_a_plan_not_sold_per_seat_are_refused(crm):
    assert refused(crm.change_plan, "enterprise", 3) == "seats_not_applicable"
