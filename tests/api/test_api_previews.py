"""Previews (plan change, upcoming invoice), catalog, audit and test clocks over the API."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.api.test_api import Api

TIERS = Path(__file__).resolve().parents[2] / "examples" / "catalogs" / "cloudcrm-tiers.yaml"


def test_a_plan_change_preview_shows_prorations_and_changes_nothing(api: Api) -> None:
    upload = api.client.post(
        "/v1/catalog",
        content=TIERS.read_bytes(),
        headers={**api.headers(), "Content-Type": "application/yaml"},
    )
    assert upload.status_code == 201, upload.text
    _, contract = api.customer_and_contract()
    api.tenure.billing.run()

    preview = api.post(f"/v1/contracts/{contract}/plan?preview=true", {"plan": "enterprise"})
    body = preview.json()
    assert preview.status_code == 200, preview.text
    assert body["effective_on"] == "now"
    assert {p["kind"] for p in body["prorations"]} == {"credit", "proration"}
    assert body["next_invoice"][0]["object"] == "invoice"
    assert api.get(f"/v1/contracts/{contract}").json()["plan"] == "business"  # unchanged


def test_the_upcoming_invoice_is_computed_not_issued(api: Api) -> None:
    _, contract = api.customer_and_contract()
    api.tenure.billing.run()
    upcoming = api.get(f"/v1/contracts/{contract}/upcoming-invoice").json()
    (document,) = upcoming["documents"]
    assert (document["issue_date"], document["net_total"]) == ("2026-03-03", "49.00")
    assert "number" not in document
    assert len(api.get("/v1/invoices").json()["data"]) == 1


def test_a_bad_catalog_upload_lists_every_problem(api: Api) -> None:
    response = api.client.post(
        "/v1/catalog",
        content=b"vendor: {name: X}\nplans: 3\n",
        headers={**api.headers(), "Content-Type": "application/yaml"},
    )
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["errors"]]
    assert "vendor.address" in fields
    assert api.get("/v1/catalog").json()["plans"][0]["id"] == "business"


def test_test_clocks_over_the_api(api: Api) -> None:
    clock = api.post("/v1/test_clocks", {"frozen_at": "2026-01-15T00:00:00+01:00"}).json()
    customer = api.post(
        "/v1/customers",
        {
            "name": "Sandbox",
            "country": "DE",
            "email": "s@k.example",
            "test_clock": clock["id"],
            "address": "Kundenweg 1, 10115 Berlin",
        },
    ).json()
    contract = api.post("/v1/contracts", {"customer": customer["id"], "plan": "business"}).json()
    assert contract["start"] == "2026-01-15"
    to = {"to": "2026-03-20T12:00:00+01:00"}
    path = f"/v1/test_clocks/{clock['id']}/advance"
    advanced = api.post(path, to, **{"Idempotency-Key": "adv-1"}).json()
    assert len(advanced["documents"]) == 3
    # An advance commits day by day (it holds no lock for its whole length); its response is
    # recorded afterwards and replayed, and nothing is billed twice.
    assert api.post(path, to, **{"Idempotency-Key": "adv-1"}).json() == advanced
    assert api.get(f"/v1/invoices?contract={contract['id']}").json()["data"] == []  # live only
    sandbox = api.get(f"/v1/invoices?contract={contract['id']}&livemode=false").json()["data"]
    assert len(sandbox) == 3


def test_the_audit_log_is_readable(api: Api) -> None:
    api.customer_and_contract()
    entries = api.get("/v1/audit").json()["data"]
    assert all({"at", "actor", "action"} <= set(e) for e in entries)


def test_an_unreachable_database_is_a_503_problem_with_retry_after() -> None:
    from fastapi.testclient import TestClient

    from tenure.adapters.sql import SqlStore
    from tenure.bootstrap import bootstrap
    from tenure.entrypoints.api import create_app
    from tenure.services.clock import ManualClock

    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    store = SqlStore("postgresql+psycopg://postgres@127.0.0.1:1/none", clock, migrate=False)
    client = TestClient(create_app(bootstrap(store, clock)))
    response = client.get("/v1/customers", headers={"Authorization": "Bearer tenure_sk_a_b"})
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"
    assert response.headers["Retry-After"] == "1"
    store.dispose()
