"""The documents of a billing day (SPEC §§ 3, 4, 7): a preview of the next billing day shows the
documents that day then issues.

CloudCRM business: 49.00 a month from the start date (anniversary); extra user 5.90.
RED connect plus: 19.00 per seat and month (calendar months), SMS 0.10 each.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from tenure.domain.calendar import start_of_local_day
from tenure.domain.charges import LineKind
from tenure.domain.invoicing import DocumentDraft, DocumentType
from tenure.domain.tax import REVERSE_CHARGE_NOTE, TaxCategory
from tests.unit.conftest import Sandbox, catalog_file

D = date.fromisoformat
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
        CLOUDCRM, plan="business", start=D("2026-01-15"), country="AT", vat_id="ATU12345678"
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
        d.tax_note == REVERSE_CHARGE_NOTE and d.buyer.vat_id == "ATU12345678"
    ),
    "downgrade-at-period-end": lambda d: {x.item for x in d.lines} == {"plan:business"},
}


@pytest.mark.parametrize("case", CASES)
def test_the_preview_of_a_billing_day_is_what_that_day_issues(case, sandbox):
    sb, day = CASES[case](sandbox)

    preview = sb.app.preview_next_invoice(sb.vendor_id, sb.contract_id)
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
