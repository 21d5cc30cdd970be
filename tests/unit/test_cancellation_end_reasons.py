"""Why a cancellation ends later than asked (issue #15, point 9a; SPEC § 5, BGB § 312k(5)): a
requested end date that no rule allows is not refused, the declaration holds for the next possible
date, and the cancellation names the rule that moved it (``adjusted_reason``) in its reply, in the
contract as displayed and in its event.

RED connect basis: 29.00 a month, 3 months' notice to a quarter end, no minimum term.
"""

from __future__ import annotations

from datetime import date

import pytest

from tenure.domain import events as ev
from tenure.domain.cancellation import CancellationStatus


@pytest.fixture
def praxis(sandbox, redconnect):
    return sandbox(redconnect, plan="basis", start=date(2026, 1, 1))


@pytest.mark.parametrize(
    ("requested", "end", "reason"),
    [
        (date(2026, 3, 1), date(2026, 6, 30), "requested_end_in_past"),
        (date(2026, 3, 9), date(2026, 6, 30), "requested_end_in_past"),
        (date(2026, 3, 10), date(2026, 6, 30), "notice_period"),  # today: notice runs to 06-10
        (date(2026, 4, 30), date(2026, 6, 30), "notice_period"),
        (date(2026, 8, 15), date(2026, 9, 30), "quarter_end"),  # allowed only at quarter ends
        (date(2026, 9, 30), date(2026, 9, 30), None),  # granted as asked
        (None, date(2026, 6, 30), None),  # nothing asked: the earliest possible
    ],
)
def test_a_moved_end_date_names_its_reason(praxis, requested, end, reason):
    praxis.at("2026-03-10T10:00")

    cancellation = praxis.cancel(requested_end=requested)

    assert cancellation.status is CancellationStatus.CONFIRMED
    assert (cancellation.effective_end, cancellation.adjusted_reason) == (end, reason)
    (listed,) = praxis.contract.cancellations  # stored and shown with the contract
    assert listed.adjusted_reason == reason
    (received,) = [e for e in praxis.events if isinstance(e, ev.CancellationReceived)]
    assert (received.effective_end, received.adjusted_reason) == (end, reason)


def test_a_request_inside_the_minimum_term_says_minimum_term(sandbox, annual):
    longterm = sandbox(annual, plan="longterm", start=date(2026, 1, 1))  # 24 months
    longterm.at("2026-02-10T10:00")

    cancellation = longterm.cancel(requested_end=date(2026, 6, 30))

    assert cancellation.effective_end == date(2027, 12, 31)
    assert cancellation.adjusted_reason == "minimum_term"


def test_a_request_between_term_ends_says_term_end(sandbox, annual):
    yearly = sandbox(annual, plan="annual", start=date(2026, 1, 1))  # 30 days to a term end
    yearly.at("2026-02-10T10:00")

    cancellation = yearly.cancel(requested_end=date(2027, 3, 31))

    assert cancellation.effective_end == date(2027, 12, 31)
    assert cancellation.adjusted_reason == "term_end"


def test_an_accepted_termination_for_cause_asked_for_a_past_day_says_so(praxis):
    praxis.at("2026-03-10T10:00")
    praxis.cancel_extraordinary("Praxis wird geschlossen", requested_end=date(2026, 3, 11))
    praxis.at("2026-03-12T10:00")

    accepted = praxis.decide(accept=True)

    assert (accepted.effective_end, accepted.adjusted_reason) == (
        date(2026, 3, 12),
        "requested_end_in_past",
    )
    (event,) = [e for e in praxis.events if isinstance(e, ev.CancellationAccepted)]
    assert event.adjusted_reason == "requested_end_in_past"
