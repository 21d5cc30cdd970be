"""Review findings on the API and storage, kept as regression tests: usage stays with its
vendor, Idempotency-Keys are bound to their operation and never stuck, database-refused values
and absurd dates are clean problems, not 500s."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.bootstrap import bootstrap
from tenure.domain.customer import CustomerType
from tenure.entrypoints.api.security import Caller, Idempotency, idempotent
from tenure.services.access import Scope
from tenure.services.application import Services
from tenure.services.clock import ManualClock
from tenure.services.context import SequentialIds
from tests.api.test_api import Api

CATALOGS = Path(__file__).resolve().parents[2] / "examples" / "catalogs"


def test_usage_is_billed_to_its_own_vendor_even_with_equal_contract_ids(
    store_factory: Any,
) -> None:
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    store = store_factory(clock)
    apps = [bootstrap(store, clock, SequentialIds()) for _ in range(2)]
    ids = []
    for app in apps:  # both vendors get contract ctr_000002
        vendor = app.vendors.create(
            load_catalog_file(CATALOGS / "redconnect.yaml"), f"ven_{uuid.uuid4().hex[:8]}"
        )
        customer = app.customers.create(
            vendor,
            type=CustomerType.BUSINESS,
            name="P",
            country="DE",
            email="p@x.example",
            address="Kundenweg 1, 10115 Berlin",
        )
        ids.append((vendor, app.contracts.start(vendor, customer.id, "plus").id))
    (va, ca), (vb, cb) = ids
    assert ca == cb
    apps[1].usage.record(vb, cb, "sms", Decimal(1000), "b-usage")
    clock.advance_to(datetime(2026, 2, 1, 9, tzinfo=UTC))

    apps[0].billing.run(until=date(2026, 2, 1), vendor_id=va)
    apps[1].billing.run(until=date(2026, 2, 1), vendor_id=vb)

    def usage_lines(app: Services, vendor: str) -> list[str]:
        return [
            x.item
            for d in app.queries.documents(vendor)
            for x in d.lines
            if x.kind.value == "usage"
        ]

    assert usage_lines(apps[0], va) == []
    assert usage_lines(apps[1], vb) == ["metric:sms"]


def test_an_idempotency_key_is_bound_to_its_operation(api: Api) -> None:
    _, contract = api.customer_and_contract()
    booking = api.post(f"/v1/contracts/{contract}/addons", {"addon": "extra_user"}).json()["id"]
    headers = {"Idempotency-Key": "k-op"}
    cancelled = api.post(f"/v1/contracts/{contract}/addons/{booking}/cancel", **headers)
    withdrawn = api.post(f"/v1/contracts/{contract}/addons/{booking}/withdraw", **headers)
    assert cancelled.status_code == 200
    assert (withdrawn.status_code, withdrawn.json()["code"]) == (422, "idempotency_key_reused")


def test_a_request_that_fails_after_its_use_case_leaves_no_trace_and_its_retry_runs_once(
    api: Api,
) -> None:
    """The use case, the claim of the key and the stored response are one transaction: a crash
    between the use case and storing its response (here: the presenter fails) undoes the use
    case too, so the retry creates the customer exactly once (decision 0008)."""
    who = Caller(api.vendor, Scope.FULL, "key")
    idem = Idempotency("k-crash", "POST /v1/customers")
    body = {"name": "Absturz GmbH"}

    def create(app: Services) -> dict[str, Any]:
        customer = app.customers.create(
            api.vendor,
            type=CustomerType.BUSINESS,
            name="Absturz GmbH",
            country="DE",
            email="a@k.example",
            address="Kundenweg 1, 10115 Berlin",
        )
        return {"id": customer.id}

    def create_then_crash(app: Services) -> dict[str, Any]:
        create(app)
        raise RuntimeError("the process dies before the response is stored")

    with pytest.raises(RuntimeError):
        idempotent(api.tenure, who, idem, body, create_then_crash)
    assert api.tenure.queries.customers(api.vendor) == []

    first = idempotent(api.tenure, who, idem, body, create)
    replayed = idempotent(api.tenure, who, idem, body, create_then_crash)  # not run again
    assert replayed == first
    assert [c.id for c in api.tenure.queries.customers(api.vendor)] == [first["id"]]


def test_a_refused_request_is_replayed_as_the_same_refusal_and_changed_nothing(api: Api) -> None:
    _, contract = api.customer_and_contract()
    headers = {"Idempotency-Key": "k-refused"}
    first = api.post(f"/v1/contracts/{contract}/addons", {"addon": "nope"}, **headers)
    again = api.post(f"/v1/contracts/{contract}/addons", {"addon": "nope"}, **headers)
    assert first.status_code == again.status_code == 404
    assert first.json() == again.json()
    assert first.json()["code"] == "unknown_addon"
    with api.tenure.uow_factory() as uow:  # replayed from the stored refusal, not run again
        stored = uow.idempotency.claim(api.vendor, "k-refused", "", api.clock.now())
    assert stored is not None
    assert (stored.status, stored.body["code"]) == (404, "unknown_addon")
    assert api.get(f"/v1/contracts/{contract}").json()["addons"] == []


def test_a_key_left_claimed_by_an_earlier_version_is_taken_over_after_a_minute(
    api: Api,
) -> None:
    """A process of the earlier claim-then-run protocol may still be running for a while."""
    body = {
        "name": "Spät GmbH",
        "country": "DE",
        "email": "s@k.example",
        "address": "Kundenweg 1, 10115 Berlin",
    }
    # The fields the client sent, without the defaults it left out (so an optional field
    # added by a later release does not change the fingerprint of the same request).
    fingerprint = hashlib.sha256(
        json.dumps(["POST /v1/customers", body], sort_keys=True).encode()
    ).hexdigest()
    with api.tenure.uow_factory() as uow:  # the old protocol committed its claim first
        uow.idempotency.claim(api.vendor, "k-old", fingerprint, api.clock.now())
        uow.commit()
    early = api.post("/v1/customers", body, **{"Idempotency-Key": "k-old"})
    assert (early.status_code, early.json()["code"]) == (409, "idempotency_key_in_use")
    api.clock.advance_to(api.clock.now() + timedelta(seconds=61))
    late = api.post("/v1/customers", body, **{"Idempotency-Key": "k-old"})
    assert late.status_code == 201, late.text


def test_a_value_the_database_refuses_is_a_problem_not_a_500(api: Api) -> None:
    for response in (
        api.get("/v1/contracts/a%00b"),
        api.post(
            "/v1/customers",
            {
                "name": "a\u0000b",
                "country": "DE",
                "email": "n@k.example",
                "address": "Kundenweg 1, 10115 Berlin",
            },
        ),
    ):
        assert response.status_code in (404, 422, 200), response.text
        assert response.status_code != 500


def test_a_quote_for_an_end_centuries_ahead_is_refused_cleanly(api: Api) -> None:
    _, contract = api.customer_and_contract()
    response = api.get(f"/v1/contracts/{contract}/cancellation-quote?requested_end=9999-12-31")
    assert (response.status_code, response.json()["code"]) == (409, "invalid_date")
