"""Usage and billing runs (SPEC §§ 2–4, 7): usage in arrears, idempotent usage keys, consolidated
invoices without empty ones, gap-free numbers per vendor and year, calendar and month-end period
bounds, VAT on real invoices, one transaction per use case, and the events and e-mails recorded.

RED connect plus: 19.00 per seat and month (calendar months), SMS 0.10 each.
CloudCRM business: 49.00 a month from the start date (anniversary).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tenure.domain.charges import LineKind
from tenure.domain.customer import CustomerType
from tenure.domain.errors import DomainError
from tenure.domain.invoicing import DocumentType
from tenure.domain.tax import NOT_TAXABLE_NOTE_BUSINESS, REVERSE_CHARGE_NOTE, TaxCategory


@pytest.fixture
def plus(sandbox, redconnect):
    return sandbox(redconnect, plan="plus", start=date(2026, 1, 1), seats=3)


@pytest.fixture
def crm(sandbox, cloudcrm):
    return sandbox(cloudcrm, plan="business", start=date(2026, 1, 15), vat_id="DE129273398")


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    return caught.value.code


# ---------------------------------------------------------------------- usage


def test_usage_is_billed_in_arrears_for_the_period_it_happened_in(plus):
    plus.at("2026-01-20T10:00")
    plus.usage("sms", 120, "evt-1")

    plus.at("2026-02-01T00:00")

    assert all(x.kind is not LineKind.USAGE for x in plus.document("RE-2026-000001").lines)
    feb = plus.document("RE-2026-000002")
    usage = plus.line(feb, "metric:sms", "usage")
    assert (usage.period.start, usage.period.last_day) == (date(2026, 1, 1), date(2026, 1, 31))
    # 120 × 0.10 = 12.00
    assert (usage.quantity, usage.unit_price, usage.net) == (
        Decimal(120),
        Decimal("0.10"),
        Decimal("12.00"),
    )
    plus.line(feb, "plan:plus", "recurring", net="57.00", start=date(2026, 2, 1))  # 3 × 19.00
    # 57.00 + 12.00 = 69.00; VAT 13.11
    assert (feb.draft.net_total, feb.draft.gross_total) == (Decimal("69.00"), Decimal("82.11"))


def test_usage_belongs_to_the_period_of_its_local_date(plus):
    plus.at("2026-01-31T23:59")
    plus.usage("sms", 80, "late-january")
    plus.at("2026-01-31T23:30:00Z")  # 2026-02-01 00:30 in Berlin
    plus.usage("sms", 50, "early-february")

    plus.at("2026-03-01T00:00")

    jan = plus.line(plus.document("RE-2026-000002"), "metric:sms", "usage")
    feb = plus.line(plus.document("RE-2026-000003"), "metric:sms", "usage")
    assert (jan.period.start, jan.quantity, jan.net) == (date(2026, 1, 1), 80, Decimal("8.00"))
    assert (feb.period.start, feb.quantity, feb.net) == (date(2026, 2, 1), 50, Decimal("5.00"))


def test_usage_retried_with_the_same_key_is_counted_once(plus):
    plus.at("2026-01-20T10:00")
    first = plus.usage("sms", 120, "evt-1")
    plus.at("2026-01-21T10:00")

    again = plus.usage("sms", 120, "evt-1")

    assert again == first
    plus.at("2026-02-01T00:00")
    usage = plus.line(plus.document("RE-2026-000002"), "metric:sms", "usage")
    assert (usage.quantity, usage.net) == (Decimal(120), Decimal("12.00"))


def test_the_same_key_with_other_usage_is_refused(plus):
    plus.at("2026-01-20T10:00")
    plus.usage("sms", 120, "evt-1")
    before = plus.snapshot()

    assert refused(plus.usage, "sms", 121, "evt-1") == "idempotency_key_reused"
    assert plus.snapshot() == before


def test_usage_of_a_metric_the_plan_does_not_bill_is_refused(sandbox, redconnect):
    basis = sandbox(redconnect, plan="basis", start=date(2026, 1, 1))
    basis.at("2026-01-20T10:00")
    assert refused(basis.usage, "sms", 10, "evt-1") == "metric_not_in_plan"


def test_usage_of_an_unknown_metric_is_refused(plus):
    assert refused(plus.usage, "fax", 10, "evt-1") == "unknown_metric"


def test_usage_must_be_positive(plus):
    assert refused(plus.usage, "sms", 0, "evt-0") == "invalid_quantity"


# ---------------------------------------------------------------------- invoices


def test_a_day_with_nothing_to_bill_issues_no_invoice(sandbox, redconnect):
    sb = sandbox(redconnect, plan="basis", start=date(2026, 1, 1))
    sb.at("2026-03-10T10:00")
    sb.cancel()  # → 06-30, a period end: the settlement on 07-01 has nothing to bill

    sb.through(date(2026, 12, 31))

    assert sb.issued_on(date(2026, 7, 1)) == []
    assert sb.numbers() == [f"RE-2026-00000{n}" for n in range(1, 7)]


def test_pending_items_wait_for_the_next_regular_invoice(crm):
    crm.at("2026-02-03T10:00")
    crm.book("extra_user", 2)
    crm.at("2026-02-14T23:59")
    assert crm.numbers() == ["RE-2026-000001"]
    crm.at("2026-02-15T00:00")
    assert crm.numbers() == ["RE-2026-000001", "RE-2026-000002"]


def test_invoice_numbers_are_gap_free_and_restart_each_year(sandbox, cloudcrm):
    sb = sandbox(cloudcrm, plan="business", start=date(2026, 11, 15))
    sb.at("2026-12-10T10:00")
    booking = sb.book("extra_user", 1)
    sb.at("2026-12-20T10:00")
    (credit_note,) = sb.withdraw(booking)  # invoiced on 12-15, withdrawn inside 14 days

    sb.through(date(2027, 2, 15))

    assert credit_note.number == "KR-2026-000001"
    assert [(d.issue_date, d.number) for d in sb.documents] == [
        (date(2026, 11, 15), "RE-2026-000001"),
        (date(2026, 12, 15), "RE-2026-000002"),
        (date(2026, 12, 20), "KR-2026-000001"),
        (date(2027, 1, 15), "RE-2027-000001"),
        (date(2027, 2, 15), "RE-2027-000002"),
    ]


def test_each_vendor_has_its_own_number_series(crm, cloudcrm):
    other_vendor = crm.app.vendors.create(cloudcrm, "ven_other")
    customer = crm.app.customers.create(
        other_vendor,
        type=CustomerType.BUSINESS,
        name="Andere GmbH",
        country="DE",
        email="a@b.de",
        address="Kundenweg 1, 10115 Berlin",
    )
    contract = crm.app.contracts.start(other_vendor, customer.id, "business")
    crm.app.billing.run(until=date(2026, 1, 15), vendor_id=other_vendor)

    (theirs,) = crm.app.queries.documents(other_vendor, contract.id)
    assert theirs.number == "RE-2026-000001"
    assert crm.numbers() == ["RE-2026-000001"]


def test_first_calendar_aligned_period_is_prorated(sandbox, redconnect):
    sb = sandbox(redconnect, plan="basis", start=date(2026, 1, 15))
    sb.at("2026-02-01T00:00")

    first = sb.document("RE-2026-000001")
    assert first.issue_date == date(2026, 1, 15)
    # [01-15, 02-01) = 17 of 31 days: 29.00 × 17/31 = 493/31 = 15.903… → 15.90
    sb.line(
        first,
        "plan:basis",
        "recurring",
        net="15.90",
        start=date(2026, 1, 15),
        last=date(2026, 1, 31),
    )
    second = sb.document("RE-2026-000002")
    sb.line(
        second,
        "plan:basis",
        "recurring",
        net="29.00",
        start=date(2026, 2, 1),
        last=date(2026, 2, 28),
    )


def test_periods_anchored_on_january_31_clamp_to_each_month_end(sandbox, cloudcrm):
    sb = sandbox(cloudcrm, plan="business", start=date(2026, 1, 31))

    sb.through(date(2026, 4, 30))

    bounds = [
        (d.issue_date, d.lines[0].period.start, d.lines[0].period.last_day, d.lines[0].net)
        for d in sb.documents
    ]
    assert bounds == [
        (date(2026, 1, 31), date(2026, 1, 31), date(2026, 2, 27), Decimal("49.00")),
        (date(2026, 2, 28), date(2026, 2, 28), date(2026, 3, 30), Decimal("49.00")),
        (date(2026, 3, 31), date(2026, 3, 31), date(2026, 4, 29), Decimal("49.00")),
        (date(2026, 4, 30), date(2026, 4, 30), date(2026, 5, 30), Decimal("49.00")),
    ]


# ---------------------------------------------------------------------- VAT on real invoices


def test_eu_business_with_vat_id_gets_reverse_charge(sandbox, cloudcrm):
    sb = sandbox(
        cloudcrm, plan="business", start=date(2026, 1, 15), country="AT", vat_id="ATU13585627"
    )

    (invoice,) = sb.documents
    assert invoice.lines[0].vat_rate == 0
    assert invoice.lines[0].tax_category is TaxCategory.REVERSE_CHARGE
    assert (invoice.draft.vat_total, invoice.draft.gross_total) == (Decimal(0), Decimal("49.00"))
    assert invoice.draft.tax_note == REVERSE_CHARGE_NOTE
    assert "Reverse charge" in invoice.draft.tax_note


def test_eu_consumer_pays_the_vat_of_their_country(sandbox, cloudcrm):
    sb = sandbox(
        cloudcrm, plan="business", start=date(2026, 1, 15), country="FR", customer_type="consumer"
    )

    (invoice,) = sb.documents
    assert invoice.lines[0].vat_rate == 20
    # 49.00 × 20 % = 9.80
    assert (invoice.draft.vat_total, invoice.draft.gross_total) == (
        Decimal("9.80"),
        Decimal("58.80"),
    )
    assert invoice.draft.tax_note is None


def test_business_outside_the_eu_is_not_taxed_here_with_a_note(sandbox, cloudcrm):
    sb = sandbox(cloudcrm, plan="business", start=date(2026, 1, 15), country="US")

    (invoice,) = sb.documents
    assert invoice.lines[0].vat_rate == 0
    assert invoice.lines[0].tax_category is TaxCategory.NOT_SUBJECT
    assert (invoice.draft.vat_total, invoice.draft.gross_total) == (Decimal(0), Decimal("49.00"))
    assert invoice.draft.tax_note == NOT_TAXABLE_NOTE_BUSINESS


def test_domestic_customer_pays_german_vat(crm):
    (invoice,) = crm.documents
    assert invoice.lines[0].vat_rate == 19
    # 49.00 × 19 % = 9.31
    assert (invoice.draft.vat_total, invoice.draft.gross_total) == (
        Decimal("9.31"),
        Decimal("58.31"),
    )


# ---------------------------------------------------------------------- one transaction each


def test_refused_use_cases_leave_no_change_behind(crm):
    crm.at("2026-02-03T10:00")
    booking = crm.book("extra_user", 2)
    crm.at("2026-02-20T10:00")
    crm.cancel_addon(booking)  # runs to 03-14
    crm.cancel()

    refusals = [
        (lambda: crm.cancel_addon(booking), "addon_already_cancelled"),
        (lambda: crm.withdraw(booking), "withdrawal_period_expired"),
        (lambda: crm.book("extra_user", 0), "invalid_quantity"),
        (lambda: crm.book("extra_unicorn", 1), "unknown_addon"),
        (lambda: crm.change_plan("business"), "plan_unchanged"),
        (lambda: crm.cancel(), "cancellation_already_pending"),
        # an ordinary notice does not block a termination for cause; this one lacks a reason
        (lambda: crm.cancel_extraordinary(None), "reason_required"),
        (lambda: crm.usage("sms", 1, "k"), "unknown_metric"),
        (lambda: crm.decide(accept=True), "cancellation_not_pending_review"),
    ]
    for call, code in refusals:
        before = crm.snapshot()
        assert refused(call) == code
        assert crm.snapshot() == before, code


def test_a_successful_use_case_commits_its_change_and_its_events_together(crm):
    crm.at("2026-02-03T10:00")
    events_before = len(crm.events)

    crm.book("extra_user", 2)

    assert [e.name for e in crm.events[events_before:]] == ["addon.booked"]
    assert crm.contract.version > 0


# ---------------------------------------------------------------------- events and e-mails


def test_events_and_emails_are_recorded_at_the_instant_they_happen(crm):
    crm.at("2026-02-03T10:00")
    booking = crm.book("extra_user", 2)
    crm.at("2026-02-15T08:00")
    crm.withdraw(booking)  # inside the window (02-17), after the 02-15 invoice

    # the order of e-mails sent at the same instant is free
    emails = sorted((e.at, e.template, e.to) for e in crm.emails)
    customer = "billing@kunde.example"

    def utc(*args):
        return datetime(*args, tzinfo=UTC)

    assert emails == [
        (utc(2026, 1, 14, 23, 0), "contract_confirmation", customer),
        (utc(2026, 1, 14, 23, 0), "invoice_issued", customer),
        (utc(2026, 2, 3, 9, 0), "addon_booking_confirmation", customer),
        (utc(2026, 2, 14, 23, 0), "invoice_issued", customer),  # 00:00 in Berlin
        (utc(2026, 2, 15, 7, 0), "credit_note_issued", customer),
        (utc(2026, 2, 15, 7, 0), "withdrawal_confirmation", customer),
    ]
    issued = [e for e in crm.events if e.name == "document.issued"]
    assert [(e.number, e.document_type, e.refers_to) for e in issued] == [
        ("RE-2026-000001", "invoice", None),
        ("RE-2026-000002", "invoice", None),
        ("KR-2026-000001", "credit_note", "RE-2026-000002"),
    ]
    assert crm.document("KR-2026-000001").type is DocumentType.CREDIT_NOTE


def test_an_invoice_carries_seller_and_buyer_as_printed_by_ustg_14(sandbox, cloudcrm):
    sb = sandbox(cloudcrm, plan="business", start=date(2026, 1, 15), vat_id="DE129273398")
    (invoice,) = sb.documents
    seller, buyer = invoice.draft.seller, invoice.draft.buyer
    assert (seller.name, seller.address, seller.vat_id, seller.country) == (
        "CloudCRM GmbH",
        "Musterstraße 1, 10115 Berlin, DE",
        "DE123456788",
        "DE",
    )
    assert (buyer.name, buyer.address, buyer.vat_id) == (
        "Kunde",
        "Kundenweg 1, 10115 Berlin",
        "DE129273398",
    )
    line = invoice.lines[0]
    assert (line.period.start, line.period.last_day, line.quantity) == (  # type: ignore[union-attr]
        date(2026, 1, 15),
        date(2026, 2, 14),
        Decimal(1),
    )


def test_a_one_time_fee_waits_for_the_next_invoice_and_a_credit_reduces_it(sandbox, cloudcrm):
    sb = sandbox(cloudcrm, plan="business", start=date(2026, 1, 15))
    sb.at("2026-01-20T10:00")
    sb.app.contracts.add_one_time_charge(
        sb.vendor_id, sb.contract_id, "Einrichtung", Decimal("99.00")
    )
    sb.app.contracts.add_one_time_charge(sb.vendor_id, sb.contract_id, "Kulanz", Decimal("-10.00"))
    assert sb.numbers() == ["RE-2026-000001"]  # never an invoice of its own
    sb.through(date(2026, 2, 15))

    february = sb.issued_on(date(2026, 2, 15))[0]
    assert sb.line(february, "one_time", "one_time").net == Decimal("99.00")
    assert sb.line(february, "one_time", "credit").net == Decimal("-10.00")
    assert february.draft.net_total == Decimal("138.00")  # 49.00 + 99.00 - 10.00


@pytest.mark.parametrize("amount", ["0.00", "1.005"])
def test_a_one_time_charge_needs_a_whole_cent_amount(sandbox, cloudcrm, amount):
    sb = sandbox(cloudcrm, plan="business", start=date(2026, 1, 15))
    assert (
        refused(
            lambda: sb.app.contracts.add_one_time_charge(
                sb.vendor_id, sb.contract_id, "x", Decimal(amount)
            )
        )
        == "invalid_quantity"
    )


# ---------------------------------------------------------------------- usage time and units


def test_usage_reported_later_is_billed_in_the_period_it_happened_in(plus):
    plus.at("2026-02-01T00:10")  # January is invoiced at 00:00; February runs
    plus.usage("sms", 30, "feb", occurred_at="2026-02-01T00:05")
    # Reported on 02-01 but happened on 01-31 in Berlin: January's usage is already invoiced.
    assert refused(plus.usage, "sms", 5, "jan", occurred_at="2026-01-31T23:59") == (
        "usage_period_invoiced"
    )

    plus.at("2026-02-20T10:00")
    record = plus.usage("sms", 40, "late", occurred_at="2026-02-03T08:00:00Z")
    assert (record.occurred_at, record.occurred_on) == (
        datetime(2026, 2, 3, 8, 0, tzinfo=UTC),
        date(2026, 2, 3),
    )
    plus.at("2026-03-01T00:00")

    usage = plus.line(plus.document("RE-2026-000003"), "metric:sms", "usage")
    assert (usage.period.start, usage.quantity, usage.net) == (
        date(2026, 2, 1),
        Decimal(70),
        Decimal("7.00"),
    )


def test_usage_in_the_future_is_refused_beyond_five_minutes_of_clock_skew(plus):
    plus.at("2026-01-20T10:00")
    before = plus.snapshot()

    assert refused(plus.usage, "sms", 1, "ahead", occurred_at="2026-01-20T10:06") == (
        "usage_in_future"
    )
    assert plus.snapshot() == before
    assert plus.usage("sms", 1, "skew", occurred_at="2026-01-20T10:04").occurred_on == date(
        2026, 1, 20
    )


def test_usage_before_the_contract_started_is_refused(plus):
    plus.at("2026-01-20T10:00")
    assert refused(plus.usage, "sms", 1, "early", occurred_at="2025-12-31T23:00") == (
        "usage_before_contract_start"
    )


def test_usage_without_a_time_zone_is_refused(plus):
    plus.at("2026-01-20T10:00")
    naive = datetime(2026, 1, 20, 9, 0)
    assert refused(plus.usage, "sms", 1, "naive", occurred_at=naive) == "invalid_date"


def test_a_retry_must_name_the_same_instant(plus):
    plus.at("2026-01-20T10:00")
    first = plus.usage("sms", 3, "evt", occurred_at="2026-01-19T10:00")

    assert plus.usage("sms", 3, "evt") == first  # no instant: the retry of the first
    assert plus.usage("sms", 3, "evt", occurred_at="2026-01-19T10:00") == first
    assert refused(plus.usage, "sms", 3, "evt", occurred_at="2026-01-19T11:00") == (
        "idempotency_key_reused"
    )


def test_usage_between_the_end_and_the_final_invoice_is_still_billed(sandbox, redconnect):
    praxis = sandbox(redconnect, plan="plus", start=date(2026, 1, 1))
    praxis.at("2026-01-10T10:00")
    praxis.cancel(requested_end=date(2026, 6, 30))  # not before 06-30 (quarter end)
    praxis.at("2026-06-30T23:59:59")
    # The final settlement runs at 00:00 on 07-01; reported at 23:59:59 for 23:58.
    praxis.usage("sms", 7, "last", occurred_at="2026-06-30T23:58")
    praxis.at("2026-07-01T00:00")

    (final,) = praxis.issued_on(date(2026, 7, 1))
    assert praxis.line(final, "metric:sms", "usage").quantity == Decimal(7)
    assert refused(praxis.usage, "sms", 1, "after", occurred_at="2026-06-30T23:59") == (
        "contract_ended"
    )


@pytest.mark.parametrize("quantity", ["0.5", "1.25", "2.0001"])
def test_a_metric_counted_in_whole_units_refuses_fractions(plus, quantity):
    plus.at("2026-01-20T10:00")
    assert refused(plus.usage, "sms", quantity, "half") == "fractional_quantity"
    assert plus.usage("sms", "2.000", "two").quantity == Decimal(2)  # a whole number stands


def test_a_metric_with_decimals_takes_fractions_up_to_them(sandbox, variant):
    gb = variant(
        "redconnect",
        {
            "sms: {name: {de: SMS-Versand, en: SMS sent}, unit: SMS}": (
                "sms: {name: {de: Datenvolumen, en: Data}, unit: GB, decimals: 3}"
            )
        },
    )
    data = sandbox(gb, plan="plus", start=date(2026, 1, 1))
    data.at("2026-01-20T10:00")

    assert data.usage("sms", "1.5", "a").quantity == Decimal("1.5")
    assert data.usage("sms", "0.125", "b").quantity == Decimal("0.125")
    assert refused(data.usage, "sms", "0.0625", "c") == "fractional_quantity"
