"""Issue #15, points 9 and 10 through HTTP: a cancellation says why its end moved, usage carries
its own instant and its metric's unit, and a catalog upload reports (and guards) what it does to
running contracts. On memory, SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from tenure.adapters.catalog_yaml import load_catalog_file
from tests.api.test_api import CATALOGS, Api

YAML = {"Content-Type": "application/yaml"}


def _redconnect(api: Api) -> tuple[str, str]:
    """A RED connect vendor's key and a plus contract (started 2026-02-03, NOW)."""
    vendor = api.tenure.vendors.create(load_catalog_file(CATALOGS / "redconnect.yaml"))
    key = api.tenure.api_keys.create(vendor).secret
    customer = api.post(
        "/v1/customers",
        {"name": "Praxis", "country": "DE", "email": "p@x.example", "address": "Weg 1"},
        key=key,
    ).json()
    contract = api.post(
        "/v1/contracts", {"customer": customer["id"], "plan": "plus", "seats": 2}, key=key
    ).json()
    return key, contract["id"]


def test_a_cancellation_with_a_past_end_says_why_it_ends_later(api: Api) -> None:
    _, contract = api.customer_and_contract()

    reply = api.post(
        f"/v1/contracts/{contract}/cancellations", {"requested_end": "2026-01-31"}
    ).json()

    assert reply["status"] == "confirmed"
    assert (reply["requested_end"], reply["effective_end"]) == ("2026-01-31", "2026-03-02")
    assert reply["adjusted_reason"] == "requested_end_in_past"
    (listed,) = api.get(f"/v1/contracts/{contract}").json()["cancellations"]
    assert listed["adjusted_reason"] == "requested_end_in_past"


def test_usage_takes_its_instant_and_refuses_what_cannot_be(api: Api) -> None:
    key, contract = _redconnect(api)
    event: dict[str, Any] = {"contract": contract, "metric": "sms", "quantity": "3"}

    ok = api.post("/v1/usage", {**event, "id": "a", "occurred_at": "2026-02-03T08:30:00Z"}, key)
    future = api.post("/v1/usage", {**event, "id": "b", "occurred_at": "2026-02-03T10:00Z"}, key)
    early = api.post("/v1/usage", {**event, "id": "c", "occurred_at": "2026-02-01T10:00Z"}, key)
    naive = api.post("/v1/usage", {**event, "id": "d", "occurred_at": "2026-02-03T08:00"}, key)
    half = api.post("/v1/usage", {**event, "id": "e", "quantity": "0.5"}, key)

    assert ok.status_code == 201, ok.text
    assert (ok.json()["occurred_at"], ok.json()["occurred_on"]) == (
        "2026-02-03T08:30:00Z",
        "2026-02-03",
    )
    assert (future.status_code, future.json()["code"]) == (422, "usage_in_future")
    assert (early.status_code, early.json()["code"]) == (409, "usage_before_contract_start")
    assert naive.status_code == 422  # an instant without an offset is not an instant
    assert (half.status_code, half.json()["code"]) == (422, "fractional_quantity")
    batch = api.post(
        "/v1/usage/batch",
        {
            "events": [
                {**event, "id": "f", "occurred_at": "2026-02-03T08:45:00+01:00"},
                {**event, "id": "g", "quantity": "1.5"},
            ]
        },
        key,
    ).json()
    assert [r.get("code") or r["occurred_at"] for r in batch["results"]] == [
        "2026-02-03T07:45:00Z",
        "fractional_quantity",
    ]


def test_a_catalog_upload_previews_and_guards_running_contracts(api: Api) -> None:
    _, contract = api.customer_and_contract()
    text = (CATALOGS / "cloudcrm.yaml").read_text(encoding="utf-8")
    renamed = text.replace("  business:\n", "  business2026:\n")

    def upload(body: str, query: str = "") -> Any:
        return api.client.post(f"/v1/catalog{query}", content=body, headers=api.headers(**YAML))

    preview = upload(renamed, "?dry_run=true")
    refused = upload(renamed)
    stored = upload(renamed, "?allow_grandfathering=true")

    assert preview.status_code == 200, preview.text
    impact = preview.json()["impact"]
    assert (preview.json()["dry_run"], preview.json()["version"]) == (True, None)
    assert [n.split(" ", 1)[0] for n in preview.json()["notices"]] == [
        "vendor.email",
        "vendor.phone",
        "vendor.iban",
    ]  # the example vendor has no contact or account: valid, with notices
    assert impact["plans_removed"] == [{"plan": "business", "contracts": 1}]
    assert impact["contracts"] == [
        {
            "contract": contract,
            "plan": "business",
            "outcome": "grandfathered",
            "reason": "plan_removed",
        }
    ]
    assert (refused.status_code, refused.json()["code"]) == (409, "catalog_strands_contracts")
    assert (stored.json()["dry_run"], stored.json()["version"]) == (False, 2)
    assert [p["id"] for p in api.get("/v1/catalog").json()["plans"]] == ["business2026"]
    # The grandfathered contract changes to a plan of the newest version.
    change = api.post(f"/v1/contracts/{contract}/plan", {"plan": "business2026"})
    assert change.status_code in (200, 201), change.text
    prices = upload(renamed.replace('price: "49.00"', 'price: "59.00"'), "?dry_run=true")
    assert prices.json()["impact"]["price_changes"] == [
        {"item": "plan:business2026", "old": "49.00", "new": "59.00", "contracts": 1}
    ]
