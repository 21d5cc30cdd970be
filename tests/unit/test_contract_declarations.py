"""Several cancellation declarations on one contract: an ordinary notice and a termination for
cause (BGB § 314) can stand side by side; the earliest confirmed end wins."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tenure.domain.cancellation import CancellationStatus
from tenure.domain.contract import ContractStatus
from tenure.domain.errors import CancellationAlreadyPending


def test_termination_for_cause_can_follow_an_ordinary_notice(sandbox, cloudcrm):
    sb = sandbox(cloudcrm, plan="business", start=date(2026, 1, 15))
    sb.at("2026-02-20T10:00")
    ordinary = sb.cancel(requested_end=date(2026, 6, 14))
    extraordinary = sb.cancel_extraordinary("Datenschutzverstoß", requested_end=date(2026, 3, 1))

    assert ordinary.status is CancellationStatus.CONFIRMED
    assert extraordinary.status is CancellationStatus.PENDING_REVIEW
    assert sb.contract.end_date == date(2026, 6, 14)  # nothing decided yet


def test_an_accepted_termination_for_cause_ends_before_the_ordinary_notice(sandbox, cloudcrm):
    sb = sandbox(cloudcrm, plan="business", start=date(2026, 1, 15))
    sb.at("2026-02-20T10:00")
    sb.cancel(requested_end=date(2026, 6, 14))
    sb.cancel_extraordinary("Datenschutzverstoß", requested_end=date(2026, 3, 1))
    sb.decide(accept=True)

    assert sb.contract.end_date == date(2026, 3, 1)
    assert sb.contract.status is ContractStatus.CANCELLATION_PENDING


def test_a_rejected_termination_for_cause_leaves_the_ordinary_notice_standing(sandbox, cloudcrm):
    sb = sandbox(cloudcrm, plan="business", start=date(2026, 1, 15))
    sb.at("2026-02-20T10:00")
    sb.cancel(requested_end=date(2026, 6, 14))
    sb.cancel_extraordinary("Datenschutzverstoß")
    sb.decide(accept=False, reason="Kein wichtiger Grund")

    assert sb.contract.end_date == date(2026, 6, 14)
    assert [c.status for c in sb.contract.cancellations] == [
        CancellationStatus.CONFIRMED,
        CancellationStatus.REJECTED,
    ]


def test_revocation_withdraws_the_newest_declaration_first(sandbox, cloudcrm):
    sb = sandbox(cloudcrm, plan="business", start=date(2026, 1, 15))
    sb.at("2026-02-20T10:00")
    sb.cancel(requested_end=date(2026, 6, 14))
    sb.cancel_extraordinary("Datenschutzverstoß", requested_end=date(2026, 3, 1))
    sb.decide(accept=True)

    sb.revoke()  # withdraws the termination for cause; the ordinary notice stands
    assert sb.contract.end_date == date(2026, 6, 14)
    sb.revoke()
    assert sb.contract.end_date is None
    assert sb.contract.status is ContractStatus.ACTIVE


def test_a_second_ordinary_notice_is_refused_while_one_stands(sandbox, cloudcrm):
    sb = sandbox(cloudcrm, plan="business", start=date(2026, 1, 15))
    sb.at("2026-02-20T10:00")
    sb.cancel()
    sb.cancel_extraordinary("Datenschutzverstoß")
    with pytest.raises(CancellationAlreadyPending) as refused:
        sb.cancel()
    assert refused.value.code == "cancellation_already_pending"


def test_moving_the_end_later_bills_the_days_that_were_left_out(sandbox, variant):
    # month_end notice on an anniversary contract from the 15th: notice on 2026-02-20 ends the
    # contract on 2026-02-28, so the period billed on 2026-02-15 covers only 02-15..02-28.
    # Revoking on 2026-02-25 must charge 02-28+1 .. 03-14 again: 49.00 × 14/28 = 24.50.
    catalog = variant("cloudcrm", {"notice_to: period_end": "notice_to: month_end"})
    sb = sandbox(catalog, plan="business", start=date(2026, 1, 15))
    sb.at("2026-02-10T10:00")
    sb.cancel()
    assert sb.contract.end_date == date(2026, 2, 28)
    sb.at("2026-02-25T10:00")
    sb.revoke()
    sb.through(date(2026, 3, 15))

    march = sb.issued_on(date(2026, 3, 15))[0]
    gap = sb.line(march, "plan:business", "proration")
    assert (gap.period.start, gap.period.last_day, gap.net) == (
        date(2026, 3, 1),
        date(2026, 3, 14),
        Decimal("24.50"),
    )


def test_consumer_without_notice_ends_on_the_day_and_gets_the_prepaid_rest_back(sandbox, cloudcrm):
    # CloudCRM: no minimum term, no notice. A consumer's contract ends on any day (SPEC § 5,
    # decision 0004): notice on 2026-02-20 ends it on 2026-02-20. The period 02-15..03-14 was
    # billed in advance (28 days); 02-21..03-14 are 22 unused days: 49.00 × 22/28 = 38.50,
    # VAT 19 % = 7.315 → 7.32. The final settlement is all credit, so it is a credit note that
    # names the invoice of that period.
    sb = sandbox(cloudcrm, plan="business", start=date(2026, 1, 15), customer_type="consumer")
    sb.at("2026-02-20T10:00")
    assert sb.cancel().effective_end == date(2026, 2, 20)
    sb.through(date(2026, 2, 21))

    assert sb.contract.status is ContractStatus.ENDED
    assert sb.numbers() == ["RE-2026-000001", "RE-2026-000002", "KR-2026-000001"]
    credit = sb.document("KR-2026-000001")
    assert credit.refers_to == "RE-2026-000002"
    line = sb.line(credit, "plan:business", "credit")
    assert (line.period.start, line.period.last_day) == (date(2026, 2, 21), date(2026, 3, 14))
    assert (credit.draft.net_total, credit.draft.vat_total) == (Decimal("-38.50"), Decimal("-7.32"))
