"""The entitlement timeline (the read model behind ``GET /v1/customers/{id}/entitlements``): a
contract's entitlements as spans of UTC instants, which must agree with
``Contract.entitlements(at)`` at every instant.

CloudCRM from 2026-01-15 (Europe/Berlin, UTC+1 in winter): plan users 3, storage_gb 10;
extra_user adds 1 user per unit.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenure.domain.calendar import local_date
from tenure.domain.contract import Contract, EntitlementGrant, Entitlements, entitlements_at
from tenure.domain.errors import DomainError
from tests.unit.conftest import Sandbox, catalog_file

START = date(2026, 1, 15)
FEATURES = ("contacts", "leads", "deals", "reports", "email_sync")
MICROSECOND = timedelta(microseconds=1)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_new_contract_grants_its_plan_from_local_midnight_of_its_start_open_ended(
    sandbox, cloudcrm
):
    crm = sandbox(cloudcrm, plan="business", start=START, vat_id="DE129273398")

    assert crm.contract.entitlement_timeline() == (
        EntitlementGrant(
            utc("2026-01-14T23:00"), None, Entitlements({"users": 3, "storage_gb": 10}, FEATURES)
        ),
    )


def test_a_booking_and_a_cancellation_split_the_timeline_where_they_take_effect(sandbox, cloudcrm):
    crm = sandbox(cloudcrm, plan="business", start=START, vat_id="DE129273398")
    crm.at("2026-02-03T10:00")
    booking = crm.book("extra_user", 2)
    crm.cancel_addon(booking)  # runs to the end of the paid period, 2026-02-14
    crm.cancel(requested_end=date(2026, 3, 14))

    plan = Entitlements({"users": 3, "storage_gb": 10}, FEATURES)
    with_users = Entitlements({"users": 5, "storage_gb": 10}, FEATURES)
    assert crm.contract.entitlement_timeline() == (
        EntitlementGrant(utc("2026-01-14T23:00"), utc("2026-02-03T09:00"), plan),
        # booked at 10:00 Berlin = 09:00 UTC, usable at once, through 2026-02-14 local
        EntitlementGrant(utc("2026-02-03T09:00"), utc("2026-02-14T23:00"), with_users),
        # the contract's last day is 2026-03-14; 2026-03-15 begins at 23:00 UTC the day before
        EntitlementGrant(utc("2026-02-14T23:00"), utc("2026-03-14T23:00"), plan),
    )
    assert crm.entitlements().limits == {"users": 5, "storage_gb": 10}


def test_a_withdrawn_booking_leaves_the_timeline_and_an_ended_contract_has_none(sandbox, cloudcrm):
    crm = sandbox(cloudcrm, plan="business", start=START, vat_id="DE129273398")
    crm.at("2026-02-03T10:00")
    crm.withdraw(crm.book("extra_user", 2))
    assert [g.entitlements.limits["users"] for g in crm.contract.entitlement_timeline()] == [3]

    crm.cancel(requested_end=date(2026, 2, 14))
    crm.at("2026-02-20T00:00")
    assert crm.contract.entitlement_timeline() == ()
    assert crm.entitlements() == Entitlements({}, ())


def test_entitlements_at_reads_a_timeline_with_half_open_spans():
    grant = Entitlements({"users": 1}, ())
    timeline = (EntitlementGrant(utc("2026-01-01T00:00"), utc("2026-02-01T00:00"), grant),)

    assert entitlements_at(timeline, utc("2026-01-01T00:00")) == grant
    assert entitlements_at(timeline, utc("2026-02-01T00:00") - MICROSECOND) == grant
    assert entitlements_at(timeline, utc("2026-02-01T00:00")) == Entitlements({}, ())
    assert entitlements_at(timeline, utc("2025-12-31T23:59")) == Entitlements({}, ())


# --- property: the timeline agrees with the aggregate at every instant ---------------------------

ADDONS = ("extra_user", "extra_storage")
Step = tuple[str, int, int]
steps = st.lists(
    st.tuples(
        st.sampled_from(
            ["wait", "wait", "book", "cancel_addon", "withdraw", "cancel", "terminate", "revoke"]
        ),
        st.integers(0, 90),
        st.integers(0, 23),
    ),
    max_size=12,
)


def play(crm: Sandbox, bookings: list[str], step: Step) -> None:
    """One step of a random history; ``a`` and ``b`` are its two numbers."""
    kind, a, b = step
    today = local_date(crm.clock.now(), crm.zone)
    try:
        if kind == "wait":
            crm.at(crm.clock.now() + timedelta(days=a % 41, hours=b))
        elif kind == "book":
            bookings.append(crm.book(ADDONS[a % 2], 1 + b % 4))
        elif kind in ("cancel_addon", "withdraw") and bookings:
            target = bookings[a % len(bookings)]
            (crm.cancel_addon if kind == "cancel_addon" else crm.withdraw)(target)
        elif kind == "cancel":
            crm.cancel(requested_end=today + timedelta(days=a))
        elif kind == "terminate":
            crm.cancel_extraordinary(reason="property test")
            crm.decide(accept=True, end_date=today + timedelta(days=a))
        elif kind == "revoke":
            crm.revoke()
    except DomainError:
        pass  # a refused step changes nothing; the next one goes on from the same state


def probe_instants(contract: Contract, now: datetime) -> list[datetime]:
    """Each span's edges, a microsecond either side, and instants spread over the timeline."""
    edges = {g.valid_from for g in contract.entitlement_timeline()} | {
        g.valid_until for g in contract.entitlement_timeline() if g.valid_until is not None
    }
    instants = {now, now - timedelta(days=400), now + timedelta(days=400)}
    for edge in edges:
        instants |= {edge - MICROSECOND, edge, edge + MICROSECOND}
    instants |= {now + timedelta(hours=7 * k) for k in range(-200, 200)}
    return sorted(instants)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start_offset=st.integers(0, 400), history=steps)
def test_the_timeline_agrees_with_the_aggregate_at_every_instant(
    start_offset: int, history: list[Step]
) -> None:
    crm = Sandbox(
        catalog_file("cloudcrm"),
        plan="business",
        start=date(2026, 1, 1) + timedelta(days=start_offset),  # across both DST changes
        customer_type="consumer",
    )
    bookings: list[str] = []
    for step in history:
        play(crm, bookings, step)
        contract = crm.contract
        timeline = contract.entitlement_timeline()
        for at in probe_instants(contract, crm.clock.now()):
            assert entitlements_at(timeline, at) == contract.entitlements(at), at
        for earlier, later in itertools.pairwise(timeline):
            assert earlier.valid_until is not None
            assert earlier.valid_until <= later.valid_from
