"""Withdrawal from the whole contract (SPEC § 6; BGB §§ 312g, 355, 356, 356a): within the
window counted from the start (the start not counted), for consumers and for businesses where
the vendor grants it; the contract ends at once, its bookings with it, pending items go, and
everything invoiced is credited in full by credit notes naming their invoices; no further
invoice. CloudCRM contract from 2026-01-15, monthly, 49.00 net."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tenure.domain import events as ev
from tenure.domain.booking import BookingStatus
from tenure.domain.contract import ContractStatus
from tenure.domain.errors import DomainError
from tenure.domain.invoicing import DocumentType

START = date(2026, 1, 15)


def refused(call, *args) -> str:
    with pytest.raises(DomainError) as caught:
        call(*args)
    return caught.value.code


def withdraw(box):
    return box.app.contracts.withdraw(box.vendor_id, box.contract_id)


@pytest.fixture
def consumer(sandbox, cloudcrm):
    return sandbox(cloudcrm, plan="business", start=START, customer_type="consumer")


def test_the_window_is_14_days_from_the_start_not_counting_it(consumer):
    assert consumer.contract.withdrawal_last_day == date(2026, 1, 29)


def test_a_withdrawal_ends_the_contract_at_once_and_credits_every_invoice(consumer):
    consumer.at("2026-01-20T10:00")
    booking = consumer.book("extra_user", 2)  # a pending proration
    consumer.at("2026-01-29T23:59")  # the last day, Berlin time

    (credit_note,) = withdraw(consumer)

    contract = consumer.contract
    assert contract.status is ContractStatus.WITHDRAWN
    assert contract.end_date == date(2026, 1, 29)
    assert contract.booking(booking).status is BookingStatus.WITHDRAWN
    assert contract.pending == []  # the add-on's proration is never invoiced
    assert contract.next_due_date() is None
    assert consumer.entitlements().limits == {}
    (invoice,) = [d for d in consumer.documents if d.type is DocumentType.INVOICE]
    assert credit_note.refers_to == invoice.number
    assert credit_note.draft.gross_total == -invoice.draft.gross_total  # in full
    assert any(isinstance(e, ev.ContractWithdrawn) for e in consumer.events)


def test_the_day_after_the_window_it_is_refused(consumer):
    consumer.at("2026-01-30T00:00")
    assert refused(withdraw, consumer) == "withdrawal_period_expired"
    assert consumer.contract.status is ContractStatus.ACTIVE


def test_a_business_customer_only_where_the_vendor_grants_it(sandbox, cloudcrm, variant):
    granted = sandbox(cloudcrm, plan="business", start=START)  # CloudCRM grants it
    granted.at("2026-01-20T10:00")
    withdraw(granted)
    assert granted.contract.status is ContractStatus.WITHDRAWN

    strict = variant(
        "cloudcrm", {"withdrawal_for_business: true": "withdrawal_for_business: false"}
    )
    refused_box = sandbox(strict, plan="business", start=START)
    refused_box.at("2026-01-20T10:00")
    assert refused(withdraw, refused_box) == "withdrawal_not_available"


def test_nothing_more_happens_to_a_withdrawn_contract(consumer):
    consumer.at("2026-01-20T10:00")
    withdraw(consumer)
    assert refused(withdraw, consumer) == "contract_ended"
    assert refused(consumer.book, "extra_user") == "contract_ended"
    consumer.through(date(2026, 4, 30))  # no further invoice, ever
    assert [d.type for d in consumer.documents] == [
        DocumentType.INVOICE,
        DocumentType.CREDIT_NOTE,
    ]


def test_what_an_add_on_withdrawal_credited_is_not_credited_twice(consumer):
    consumer.at("2026-01-15T10:00")
    booking = consumer.book("extra_user", 1)
    consumer.at("2026-01-16T10:00")
    consumer.withdraw(booking)  # nothing invoiced for it yet: its pending item goes
    consumer.at("2026-01-17T10:00")
    (credit_note,) = withdraw(consumer)
    (invoice,) = [d for d in consumer.documents if d.type is DocumentType.INVOICE]
    assert credit_note.draft.net_total == -invoice.draft.net_total
    assert credit_note.draft.net_total == Decimal("-49.00")
