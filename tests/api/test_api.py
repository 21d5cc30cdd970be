"""The vendor API through HTTP (FastAPI's test client), on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.bootstrap import bootstrap
from tenure.entrypoints.api import create_app
from tenure.services.access import Scope
from tenure.services.clock import ManualClock
from tenure.services.webhook_rules import WebhookSettings

CATALOGS = Path(__file__).resolve().parents[2] / "examples" / "catalogs"
NOW = datetime(2026, 2, 3, 9, 0, tzinfo=UTC)


#: The test receivers listen on loopback: the API tests allow private webhook targets unless a
#: test passes its own settings.
LOOPBACK_RECEIVERS = WebhookSettings(allow_private=True)


class Api:
    def __init__(self, store_factory: Any, webhooks: WebhookSettings = LOOPBACK_RECEIVERS) -> None:
        self.clock = ManualClock(NOW)
        self.tenure = bootstrap(store_factory(self.clock), self.clock, webhooks=webhooks)
        self.vendor = self.tenure.vendors.create(load_catalog_file(CATALOGS / "cloudcrm.yaml"))
        self.key = self.tenure.api_keys.create(self.vendor).secret
        self.client = TestClient(create_app(self.tenure))

    def headers(self, key: str | None = None, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.key}", **extra}

    def post(self, path: str, body: Any = None, key: str | None = None, **headers: str) -> Any:
        return self.client.post(path, json=body, headers=self.headers(key, **headers))

    def get(self, path: str, key: str | None = None) -> Any:
        return self.client.get(path, headers=self.headers(key))

    def customer_and_contract(self) -> tuple[str, str]:
        customer = self.post(
            "/v1/customers",
            {
                "name": "Muster GmbH",
                "country": "DE",
                "email": "billing@muster.example",
                "address": "Kundenweg 1, 10115 Berlin",
            },
        ).json()
        contract = self.post(
            "/v1/contracts", {"customer": customer["id"], "plan": "business"}
        ).json()
        return customer["id"], contract["id"]


def test_without_a_key_the_answer_is_401_problem_json(api: Api) -> None:
    response = api.client.get("/v1/customers")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "authentication_required"
    assert api.get("/v1/customers", key="tenure_sk_nope_nope").json()["code"] == "invalid_api_key"


def test_a_read_only_key_reads_but_cannot_write(api: Api) -> None:
    read_only = api.tenure.api_keys.create(api.vendor, Scope.READ_ONLY).secret
    assert read_only.startswith("tenure_rk_")
    assert api.get("/v1/customers", key=read_only).status_code == 200
    refused = api.post(
        "/v1/customers",
        {"name": "X", "country": "DE", "email": "x@y.z", "address": "Kundenweg 1, 10115 Berlin"},
        key=read_only,
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_scope")


def test_a_revoked_key_is_refused(api: Api) -> None:
    key = api.tenure.api_keys.create(api.vendor)
    api.tenure.api_keys.revoke(api.vendor, key.record.id)
    assert api.get("/v1/customers", key=key.secret).status_code == 401


def test_booking_changes_the_entitlements_at_once(api: Api) -> None:
    customer, contract = api.customer_and_contract()
    before = api.get(f"/v1/customers/{customer}/entitlements").json()
    booked = api.post(f"/v1/contracts/{contract}/addons", {"addon": "extra_user", "quantity": 2})
    after = api.get(f"/v1/customers/{customer}/entitlements").json()

    assert booked.status_code == 201, booked.text
    assert booked.json()["withdrawal_last_day"] == "2026-02-17"
    assert (before["limits"]["users"], after["limits"]["users"]) == (3, 5)


def test_another_vendors_key_sees_404_never_403(api: Api) -> None:
    customer, contract = api.customer_and_contract()
    other = api.tenure.vendors.create(load_catalog_file(CATALOGS / "redconnect.yaml"))
    other_key = api.tenure.api_keys.create(other).secret
    for path in (
        f"/v1/customers/{customer}",
        f"/v1/contracts/{contract}",
        f"/v1/contracts/{contract}/entitlements",
        "/v1/invoices/RE-2026-000001",
    ):
        response = api.get(path, key=other_key)
        assert response.status_code == 404, path
    assert api.get("/v1/customers", key=other_key).json()["data"] == []
    booked = api.post(f"/v1/contracts/{contract}/addons", {"addon": "extra_user"}, key=other_key)
    assert booked.status_code == 404


def test_validation_errors_list_every_bad_field(api: Api) -> None:
    response = api.post(
        "/v1/customers", {"name": "", "country": "Germany", "email": "nope", "colour": "red"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    fields = {"name", "country", "email", "colour", "address"}  # the address is required
    assert {e["field"] for e in body["errors"]} == fields


def test_a_refused_step_is_409_with_the_domain_code(api: Api) -> None:
    _, contract = api.customer_and_contract()
    response = api.post(f"/v1/contracts/{contract}/cancellations/revoke")
    assert response.status_code == 409
    assert response.json()["code"] == "no_pending_cancellation"


def test_a_retry_with_the_same_idempotency_key_returns_the_first_response(api: Api) -> None:
    body = {
        "name": "Einmal GmbH",
        "country": "DE",
        "email": "e@k.example",
        "address": "Kundenweg 1, 10115 Berlin",
    }
    first = api.post("/v1/customers", body, **{"Idempotency-Key": "k-1"})
    again = api.post("/v1/customers", body, **{"Idempotency-Key": "k-1"})
    other = api.post("/v1/customers", {**body, "name": "Zweimal"}, **{"Idempotency-Key": "k-1"})

    assert first.json() == again.json()
    assert len(api.get("/v1/customers").json()["data"]) == 1
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")


def test_usage_batches_are_idempotent_per_event(api: Api) -> None:
    catalog = load_catalog_file(CATALOGS / "redconnect.yaml")
    vendor = api.tenure.vendors.create(catalog)
    key = api.tenure.api_keys.create(vendor).secret
    customer = api.post(
        "/v1/customers",
        {
            "name": "Praxis",
            "country": "DE",
            "email": "p@x.example",
            "address": "Kundenweg 1, 10115 Berlin",
        },
        key=key,
    ).json()
    contract = api.post(
        "/v1/contracts", {"customer": customer["id"], "plan": "plus", "seats": 2}, key=key
    ).json()
    events = [
        {"contract": contract["id"], "metric": "sms", "quantity": "1", "id": f"e{i}"}
        for i in range(5)
    ]
    first = api.post("/v1/usage/batch", {"events": events}, key=key).json()
    again = api.post(
        "/v1/usage/batch", {"events": [*events, {**events[0], "quantity": "2"}]}, key=key
    ).json()
    assert first["accepted"] == 5
    assert (again["accepted"], again["refused"]) == (5, 1)
    assert again["results"][-1]["code"] == "idempotency_key_reused"


def test_invoices_are_listed_with_cursor_pagination(api: Api) -> None:
    for _ in range(3):
        api.customer_and_contract()
    api.tenure.billing.run()
    first = api.get("/v1/invoices?limit=2").json()
    second = api.get(f"/v1/invoices?limit=2&cursor={first['next_cursor']}").json()
    assert [len(first["data"]), first["has_more"], len(second["data"]), second["has_more"]] == [
        2,
        True,
        1,
        False,
    ]
    number = second["data"][0]["number"]
    assert api.get(f"/v1/invoices/{number}").json()["gross_total"] == "58.31"


def test_health_and_openapi(api: Api) -> None:
    assert api.client.get("/health").json()["status"] == "ok"
    assert api.client.get("/ready").json()["status"] == "ready"
    assert api.client.get("/openapi.json").json()["openapi"].startswith("3.1")
