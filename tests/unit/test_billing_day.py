"""The documents of a billing day (SPEC §§ 3, 4, 7): the contract drafts them the same way for
the real billing day and for a preview, takes the seller, the buyer and the VAT from its vendor and
customer, issues them under the number the storage's series gives, and counts each stored change
in its version.

CloudCRM business: 49.00 a month from the start date (anniversary); extra user 5.90.
RED connect plus: 19.00 per seat and month (calendar months), SMS 0.10 each.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tenure.domain.calendar import start_of_local_day
from tenure.domain.cancellation import CancellationKind
from tenure.domain.catalog import Catalog
from tenure.domain.charges import LineKind
from tenure.domain.contract import Contract
from tenure.domain.customer import Customer, CustomerType
from tenure.domain.events import DocumentIssued
from tenure.domain.invoicing import (
    Document,
    DocumentDraft,
    DocumentType,
    NumberSeries,
    Party,
    number_series,
)
from tenure.domain.tax import (
    NOT_TAXABLE_NOTE_BUSINESS,
    REVERSE_CHARGE_NOTE,
    TaxCategory,
    TaxTreatment,
)
from tests.unit.conftest import Sandbox, catalog_file

D = date.fromisoformat
BERLIN = "Europe/Berlin"
CLOUDCRM, TIERS, REDCONNECT = (
    catalog_file(n) for n in ("cloudcrm", "cloudcrm-tiers", "redconnect")
)

# ---------------------------------------------------------------------- preview = billing day


def _renewal(sandbox) -> tuple[Sandbox, date]:
    sb = sandbox(CLOUDCRM, plan="business", start=D("2026-01-15"), vat_id="DE129273398")
    sb.at("2026-02-03T10:00")
    return sb, D("2026-02-15")


def _addon_mid_period(sandbox) -> tuple[Sandbox, date]:
    sb = sandbox(CLOUDCRM, plan="business", start=D("2026-01-15"), vat_id="DE129273398")
    sb.at("2026-02-03T10:00")
    sb.book("extra_user", 2)  # prorated 02-03..02-14 as a pending item
    return sb, D("2026-02-15")


def _usage_in_arrears(sandbox) -> tuple[Sandbox, date]:
    sb = sandbox(REDCONNECT, plan="plus", start=D("2026-01-01"), seats=3)
    sb.at("2026-01-20T10:00")
    sb.usage("sms", 120, "evt-1")
    sb.at("2026-01-31T23:30")
    sb.usage("sms", 7, "evt-2")
    return sb, D("2026-02-01")


def _oss_consumer(sandbox) -> tuple[Sandbox, date]:
    sb = sandbox(
        CLOUDCRM, plan="business", start=D("2026-01-15"), customer_type="consumer", country="AT"
    )
    sb.at("2026-02-03T10:00")
    sb.book("extra_storage", 1)
    return sb, D("2026-02-15")


def _reverse_charge(sandbox) -> tuple[Sandbox, date]:
    sb = sandbox(
        CLOUDCRM, plan="business", start=D("2026-01-15"), country="AT", vat_id="ATU13585627"
    )
    sb.at("2026-02-03T10:00")
    sb.book("extra_user", 1)
    return sb, D("2026-02-15")


def _downgrade_at_period_end(sandbox) -> tuple[Sandbox, date]:
    sb = sandbox(TIERS, plan="enterprise", start=D("2026-01-15"), vat_id="DE129273398")
    sb.at("2026-02-03T10:00")
    assert sb.change_plan("business") is not None  # scheduled for 02-15
    return sb, D("2026-02-15")


CASES: dict[str, Callable[..., tuple[Sandbox, date]]] = {
    "monthly-renewal": _renewal,
    "addon-booked-mid-period": _addon_mid_period,
    "usage-in-arrears": _usage_in_arrears,
    "oss-consumer-in-austria": _oss_consumer,
    "reverse-charge-business": _reverse_charge,
    "downgrade-at-period-end": _downgrade_at_period_end,
}

#: What the day's invoice of each case shows, so that each case covers what it is named for.
SHOWS: dict[str, Callable[[DocumentDraft], bool]] = {
    "monthly-renewal": lambda d: [x.item for x in d.lines] == ["plan:business"],
    "addon-booked-mid-period": lambda d: LineKind.PRORATION in {x.kind for x in d.lines},
    "usage-in-arrears": lambda d: (
        [x.quantity for x in d.lines if x.kind is LineKind.USAGE] == [Decimal(127)]
    ),
    "oss-consumer-in-austria": lambda d: (
        {(x.vat_rate, x.tax_category) for x in d.lines} == {(Decimal(20), TaxCategory.STANDARD)}
    ),
    "reverse-charge-business": lambda d: (
        d.tax_note == REVERSE_CHARGE_NOTE and d.buyer.vat_id == "ATU13585627"
    ),
    "downgrade-at-period-end": lambda d: {x.item for x in d.lines} == {"plan:business"},
}


@pytest.mark.parametrize("case", CASES)
def test_the_preview_of_a_billing_day_is_what_that_day_issues(case, sandbox):
    sb, day = CASES[case](sandbox)

    preview = sb.app.billing.preview_next_invoice(sb.vendor_id, sb.contract_id)
    sb.at(start_of_local_day(day, sb.zone))
    issued = sb.issued_on(day)

    assert [d.type for d in preview] == [DocumentType.INVOICE]
    assert SHOWS[case](preview[0])
    # Numbers aside (a preview has none), the drafts are equal field by field: lines, parties,
    # tax note, issue and billing date; so are the totals derived from them.
    assert preview == [d.draft for d in issued]
    assert [(p.net_total, p.vat_total, p.gross_total) for p in preview] == [
        (d.draft.net_total, d.draft.vat_total, d.draft.gross_total) for d in issued
    ]


def test_the_events_of_a_change_reach_the_outbox_in_the_order_the_contract_recorded_them(sandbox):
    sb = sandbox(CLOUDCRM, plan="business", start=D("2026-01-15"))
    sb.at("2026-02-03T10:00")
    booking = sb.book("extra_user", 2)
    sb.at("2026-02-15T08:00")
    before = len(sb.events)

    (credit_note,) = sb.withdraw(booking)  # inside the window, after the 02-15 invoice

    events = sb.events[before:]
    assert [e.name for e in events] == ["addon.withdrawn", "document.issued"]
    assert isinstance(events[1], DocumentIssued)
    assert events[1].number == credit_note.number


# ---------------------------------------------------------------------- the contract, directly


def customer(country: str = "DE", *, consumer: bool = False, vat_id: str | None = None) -> Customer:
    return Customer(
        id="cus_1",
        type=CustomerType.CONSUMER if consumer else CustomerType.BUSINESS,
        name="Kunde",
        country=country,
        email="billing@kunde.example",
        vat_id=vat_id,
        address="Kundenweg 1",
    )


def contract(
    catalog: Catalog, buyer: Customer | None = None, start: str = "2026-01-15"
) -> Contract:
    return Contract(
        id="ctr_1",
        catalog=catalog,
        customer=buyer or customer(),
        plan=catalog.plans["business"],
        seats=1,
        start=D(start),
    )


@pytest.mark.parametrize(
    ("buyer", "expected"),
    [
        (customer("DE", consumer=True), ("19", TaxCategory.STANDARD, None, "DE")),
        (customer("AT", consumer=True), ("20", TaxCategory.STANDARD, None, "AT")),
        (
            customer("AT", consumer=True, vat_id="ATU12345678"),
            ("20", TaxCategory.STANDARD, None, "AT"),
        ),
        (
            customer("AT", vat_id="ATU12345678"),
            ("0", TaxCategory.REVERSE_CHARGE, REVERSE_CHARGE_NOTE, "AT"),
        ),
        (customer("AT"), ("20", TaxCategory.STANDARD, None, "AT")),
        (
            customer("CH", vat_id="CHE123"),
            ("0", TaxCategory.NOT_SUBJECT, NOT_TAXABLE_NOTE_BUSINESS, "CH"),
        ),
    ],
)
def test_the_tax_treatment_comes_from_the_vendor_and_the_customer(cloudcrm, buyer, expected):
    rate, category, note, country = expected
    assert contract(cloudcrm, buyer).tax_treatment(D("2026-03-01")) == TaxTreatment(
        Decimal(rate), category, note, country
    )


def test_the_tax_treatment_takes_the_rate_of_the_day(cloudcrm):
    domestic = contract(cloudcrm, customer("DE"), start="2020-06-01")
    assert domestic.tax_treatment(D("2020-06-30")).rate == Decimal(19)
    assert domestic.tax_treatment(D("2020-07-01")).rate == Decimal(16)


def test_seller_and_buyer_are_printed_from_the_vendor_and_the_customer(cloudcrm):
    vendor = replace(cloudcrm.vendor, tax_number="27/123/45678")
    buyer = customer("AT", vat_id="ATU12345678")

    assert Party.seller(vendor) == Party(
        name="CloudCRM GmbH",
        address="Musterstraße 1, 10115 Berlin, DE",
        country="DE",
        vat_id="DE123456788",
        tax_number="27/123/45678",
        payment_terms_days=14,
    )
    assert Party.buyer(buyer) == Party(
        name="Kunde",
        address="Kundenweg 1",
        country="AT",
        vat_id="ATU12345678",
        email="billing@kunde.example",
        id=buyer.id,
        locale=buyer.locale,
    )


def test_a_billing_day_drafts_the_invoice_with_the_contracts_parties_and_tax(cloudcrm):
    c = contract(cloudcrm, customer("AT", vat_id="ATU12345678"))

    (invoice,) = c.bill_day(D("2026-01-15"), cloudcrm, [], None)

    assert (invoice.type, invoice.contract_id, invoice.issue_date, invoice.billing_date) == (
        DocumentType.INVOICE,
        "ctr_1",
        D("2026-01-15"),
        D("2026-01-15"),
    )
    assert (invoice.seller, invoice.buyer) == (Party.seller(c.vendor), Party.buyer(c.customer))
    assert invoice.tax_note == REVERSE_CHARGE_NOTE
    assert [(x.item, x.net, x.vat_rate) for x in invoice.lines] == [
        ("plan:business", Decimal("49.00"), Decimal(0))
    ]
    assert c.processed_through == D("2026-01-15")


def test_a_due_day_without_an_invoice_drafts_nothing_and_a_preview_goes_on_to_the_billing_day(
    cloudcrm,
):
    c = contract(cloudcrm)
    at = datetime(2026, 1, 15, 9, tzinfo=UTC)
    booking = c.book_addon(cloudcrm.addons["extra_user"], 1, at)
    c.cancel_addon(booking.id, at)  # not paid for yet: it ends today, due again tomorrow
    assert c.bill_day(D("2026-01-15"), cloudcrm, [], None)

    assert c.next_due_date() == D("2026-01-16")
    preview = copy.deepcopy(c)
    assert c.bill_day(D("2026-01-16"), cloudcrm, [], None) == []
    assert c.next_due_date() == D("2026-02-15")

    (invoice,) = preview.preview_next_documents(cloudcrm, lambda _: [])
    assert invoice.issue_date == D("2026-02-15")
    assert c.bill_day(D("2026-02-15"), cloudcrm, [], None) == [invoice]


def test_a_preview_stops_at_the_next_billing_day_even_when_it_bills_nothing(variant):
    free = variant("cloudcrm", {'price: "49.00"': 'price: "0.00"'})
    c = contract(free)
    assert c.bill_day(D("2026-01-15"), free, [], None) == []
    c.cancel(
        kind=CancellationKind.ORDINARY,
        at=datetime(2026, 1, 20, 9, tzinfo=UTC),
        requested_end=D("2026-04-14"),
    )

    assert c.preview_next_documents(free, lambda _: []) == []
    assert c.processed_through == D("2026-02-15")


def test_a_preview_asks_for_the_usage_of_its_billing_day_and_refers_to_no_invoice(cloudcrm):
    c = contract(cloudcrm)
    c.bill_day(D("2026-01-15"), cloudcrm, [], None)
    asked: list[date] = []
    c.add_one_time_charge("Kulanz", Decimal("-100.00"), datetime(2026, 1, 20, 9, tzinfo=UTC))

    drafts = c.preview_next_documents(cloudcrm, lambda day: asked.append(day) or [])

    assert asked == [D("2026-02-15")]
    assert [(d.type, d.refers_to) for d in drafts] == [
        (DocumentType.INVOICE, None),
        (DocumentType.CREDIT_NOTE, None),
    ]


def test_issue_numbers_the_draft_and_records_document_issued(cloudcrm):
    c = contract(cloudcrm)
    (draft,) = c.bill_day(D("2026-01-15"), cloudcrm, [], None)
    c.pull_events()
    now = datetime(2026, 1, 15, 10, 30, tzinfo=UTC)

    document, issued_at = c.issue(draft, "RE-2026-000007", now)

    assert document == Document("RE-2026-000007", draft)
    assert issued_at == now
    assert c.pull_events() == [
        DocumentIssued(
            contract_id="ctr_1",
            occurred_at=now,
            number="RE-2026-000007",
            document_type="invoice",
            issue_date=D("2026-01-15"),
            gross_total="58.31",  # 49.00 + 19 % VAT 9.31
            refers_to=None,
        )
    ]


def test_a_document_billed_ahead_is_issued_when_its_day_begins_in_the_vendors_zone(cloudcrm):
    c = contract(cloudcrm)
    (draft,) = c.bill_day(D("2026-01-15"), cloudcrm, [], None)
    c.pull_events()
    day_start = datetime(2026, 1, 14, 23, tzinfo=UTC)  # 00:00 in Berlin
    assert day_start == start_of_local_day(D("2026-01-15"), BERLIN)

    _, issued_at = c.issue(draft, "RE-2026-000001", datetime(2026, 1, 14, 12, tzinfo=UTC))

    assert issued_at == day_start
    (event,) = c.pull_events()
    assert event.occurred_at == day_start


def test_a_credit_note_names_the_invoice_it_corrects(cloudcrm):
    c = contract(cloudcrm)
    (invoice,) = c.bill_day(D("2026-01-15"), cloudcrm, [], None)
    credit = replace(invoice, type=DocumentType.CREDIT_NOTE, refers_to="RE-2026-000001")
    c.pull_events()

    c.issue(credit, "KR-2026-000001", datetime(2026, 1, 20, tzinfo=UTC))

    (event,) = c.pull_events()
    assert isinstance(event, DocumentIssued)
    assert (event.document_type, event.refers_to) == ("credit_note", "RE-2026-000001")


def test_a_contract_issues_only_its_own_drafts(cloudcrm):
    c = contract(cloudcrm)
    (draft,) = c.bill_day(D("2026-01-15"), cloudcrm, [], None)
    with pytest.raises(ValueError):
        c.issue(
            replace(draft, contract_id="ctr_2"), "RE-2026-000001", datetime(2026, 1, 15, tzinfo=UTC)
        )


def test_invoices_and_credit_notes_have_their_own_series_per_year(cloudcrm):
    c = contract(cloudcrm)
    (invoice,) = c.bill_day(D("2026-01-15"), cloudcrm, [], None)
    credit = replace(invoice, type=DocumentType.CREDIT_NOTE, issue_date=D("2027-01-02"))

    assert c.number_series(invoice) == NumberSeries("RE", 2026)
    assert c.number_series(credit) == NumberSeries("KR", 2027)
    assert number_series(replace(cloudcrm.vendor, invoice_prefix="INV"), invoice).prefix == "INV"
    assert NumberSeries("KR", 2027).number(5) == "KR-2027-000005"


def test_finishing_a_change_counts_it_once_and_hands_over_its_events(cloudcrm):
    c = contract(cloudcrm)
    assert c.version == 0

    events = c.finish_change()

    assert [e.name for e in events] == ["contract.started"]
    assert c.version == 1
    assert c.events == []
    c.book_addon(cloudcrm.addons["extra_user"], 1, datetime(2026, 1, 20, 9, tzinfo=UTC))
    assert [e.name for e in c.finish_change()] == ["addon.booked"]
    assert c.version == 2


def test_pulling_events_without_a_change_keeps_the_version(cloudcrm):
    c = contract(cloudcrm)
    assert [e.name for e in c.pull_events()] == ["contract.started"]
    assert c.version == 0
