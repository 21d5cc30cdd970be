"""Review findings on the API and storage, kept as regression tests: usage stays with its
vendor, Idempotency-Keys are bound to their operation and never stuck, database-refused values
and absurd dates are clean problems, not 500s."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.domain.customer import CustomerType
from tenure.services.clock import TestClock
from tenure.services.use_cases import SequentialIds, Tenure
from tests.api.test_api import Api

CATALOGS = Path(__file__).resolve().parents[2] / "examples" / "catalogs"


def test_usage_is_billed_to_its_own_vendor_even_with_equal_contract_ids(
    store_factory: Any,
) -> None:
    clock = TestClock(datetime(2026, 1, 1, tzinfo=UTC))
    store = store_factory(clock)
    apps = [Tenure(store.unit_of_work, clock, SequentialIds()) for _ in range(2)]
    ids = []
    for app in apps:  # both vendors get contract ctr_000002
        vendor = app.create_vendor(
            load_catalog_file(CATALOGS / "redconnect.yaml"), f"ven_{uuid.uuid4().hex[:8]}"
        )
        customer = app.create_customer(
            vendor, type=CustomerType.BUSINESS, name="P", country="DE", email="p@x.example"
        )
        ids.append((vendor, app.start_contract(vendor, customer.id, "plus").id))
    (va, ca), (vb, cb) = ids
    assert ca == cb
    apps[1].record_usage(vb, cb, "sms", Decimal(1000), "b-usage")

    apps[0].run_billing(until=date(2026, 2, 1), vendor_id=va)
    apps[1].run_billing(until=date(2026, 2, 1), vendor_id=vb)

    def usage_lines(app: Tenure, vendor: str) -> list[str]:
        return [x.item for d in app.documents(vendor) for x in d.lines if x.kind.value == "usage"]

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


def test_an_abandoned_idempotency_claim_is_taken_over_by_a_retry(api: Api) -> None:
    with api.tenure.uow_factory() as uow:  # a request that died after claiming its key
        uow.claim_idempotency_key(api.vendor, "k-dead", "whatever", api.clock.now())
        uow.commit()
    body = {"name": "Spät GmbH", "country": "DE", "email": "s@k.example"}
    early = api.post("/v1/customers", body, **{"Idempotency-Key": "k-dead"})
    assert early.status_code in (409, 422)
    api.clock.advance_to(api.clock.now() + timedelta(seconds=61))
    late = api.post("/v1/customers", body, **{"Idempotency-Key": "k-dead"})
    assert late.status_code == 200, late.text


def test_a_value_the_database_refuses_is_a_problem_not_a_500(api: Api) -> None:
    for response in (
        api.get("/v1/contracts/a%00b"),
        api.post("/v1/customers", {"name": "a\u0000b", "country": "DE", "email": "n@k.example"}),
    ):
        assert response.status_code in (404, 422, 200), response.text
        assert response.status_code != 500


def test_a_quote_for_an_end_centuries_ahead_is_refused_cleanly(api: Api) -> None:
    _, contract = api.customer_and_contract()
    response = api.get(f"/v1/contracts/{contract}/cancellation-quote?requested_end=9999-12-31")
    assert (response.status_code, response.json()["code"]) == (409, "invalid_date")
