"""Customers over HTTP on memory, SQLite and PostgreSQL: tax identity refusals as problems,
PATCH and DELETE (idempotent, audited, published), and the parties on invoices."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tenure.adapters.memory import InMemoryStore
from tests.api.test_api import Api

ADDRESS = "Kundenweg 1, 10115 Berlin"
CUSTOMER = {"name": "Muster GmbH", "country": "DE", "email": "b@muster.example", "address": ADDRESS}


def patch(api: Api, path: str, body: Any, **headers: str) -> Any:
    return api.client.patch(path, json=body, headers=api.headers(**headers))


def delete(api: Api, path: str, **headers: str) -> Any:
    return api.client.delete(path, headers=api.headers(**headers))


def outbox_names(api: Api) -> list[str]:
    with api.tenure.uow_factory() as uow:
        return [m.event.name for m in uow.outbox.list(api.vendor)]


def in_memory(api: Api) -> bool:
    return isinstance(getattr(api.tenure.uow_factory, "__self__", None), InMemoryStore)


def audit_actions(api: Api, entity: str) -> list[tuple[str, Any, Any]]:
    entries = api.get(f"/v1/audit?entity={entity}").json()["data"]
    return [(e["action"], e["before"], e["after"]) for e in entries]


def test_tax_identity_refusals_are_problems_naming_the_field(api: Api) -> None:
    cases = [
        ({**CUSTOMER, "country": "ZZ"}, "invalid_country", "country"),
        (
            {**CUSTOMER, "country": "FR", "vat_id": "DE129273398"},
            "vat_id_country_mismatch",
            "vat_id",
        ),
        ({**CUSTOMER, "vat_id": "DE123456789"}, "invalid_vat_id", "vat_id"),
        ({**CUSTOMER, "type": "consumer", "vat_id": "DE129273398"}, "vat_id_not_allowed", "vat_id"),
        ({**CUSTOMER, "address": "  "}, "field_required", "address"),
    ]
    for body, code, field in cases:
        response = api.post("/v1/customers", body)
        assert response.status_code == 422, response.text
        problem = response.json()
        assert (problem["code"], problem["details"]["field"]) == (code, field)
    missing = api.post("/v1/customers", {k: v for k, v in CUSTOMER.items() if k != "address"})
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == ["address"]
    assert api.get("/v1/customers").json()["data"] == []


def test_invoices_name_both_parties_with_every_mandatory_field(api: Api) -> None:
    body = {**CUSTOMER, "vat_id": "DE129273398"}
    customer = api.post("/v1/customers", body).json()
    api.post("/v1/contracts", {"customer": customer["id"], "plan": "business"})
    api.tenure.billing.run()
    (summary,) = api.get("/v1/invoices").json()["data"]
    invoice = api.get(f"/v1/invoices/{summary['number']}").json()

    assert invoice["seller"] == {
        "name": "CloudCRM GmbH",
        "address": "Musterstraße 1, 10115 Berlin, DE",
        "country": "DE",
        "vat_id": "DE123456788",
        "tax_number": None,
        "email": None,
        "buyer_reference": None,
    }
    assert invoice["buyer"] == {
        "name": "Muster GmbH",
        "address": ADDRESS,
        "country": "DE",
        "vat_id": "DE129273398",
        "tax_number": None,
        "email": "b@muster.example",
        "buyer_reference": None,
    }


def test_a_patch_changes_later_documents_only_and_is_audited_and_published(api: Api) -> None:
    customer = api.post("/v1/customers", CUSTOMER).json()
    api.post("/v1/contracts", {"customer": customer["id"], "plan": "business"})
    api.tenure.billing.run()
    api.clock.advance_to(api.clock.now() + timedelta(days=31))

    change = {"name": "Muster AG", "address": "Neue Straße 2, 80331 München", "locale": "en"}
    path = f"/v1/customers/{customer['id']}"
    first = patch(api, path, change, **{"Idempotency-Key": "p-1"})
    again = patch(api, path, change, **{"Idempotency-Key": "p-1"})
    api.tenure.billing.run()

    assert first.status_code == 200, first.text
    assert first.json() == again.json() == {**customer, **change}
    assert api.get(path).json() == {**customer, **change}
    old, new = (
        api.get(f"/v1/invoices/{d['number']}").json()
        for d in api.get("/v1/invoices").json()["data"]
    )
    assert (old["buyer"]["name"], old["buyer"]["address"]) == ("Muster GmbH", ADDRESS)
    assert (new["buyer"]["name"], new["buyer"]["address"]) == (change["name"], change["address"])
    assert outbox_names(api).count("customer.updated") == 1
    if in_memory(api):
        return  # the in-memory store keeps no audit trail
    ((action, before, after),) = audit_actions(api, customer["id"])
    assert action == "customer.updated"
    assert (before["name"], after["name"]) == ("Muster GmbH", "Muster AG")
    assert (before["locale"], after["locale"]) == ("de", "en")


def test_a_patch_is_checked_like_a_creation(api: Api) -> None:
    customer = api.post("/v1/customers", {**CUSTOMER, "vat_id": "DE129273398"}).json()
    path = f"/v1/customers/{customer['id']}"
    for body, code in [
        ({"country": "AT"}, "vat_id_country_mismatch"),
        ({"country": "ZZ"}, "invalid_country"),
        ({"vat_id": "DE123456789"}, "invalid_vat_id"),
        ({"address": None}, "validation_error"),
        ({"type": "consumer"}, "validation_error"),
        ({"test_clock": "clk_x"}, "validation_error"),
    ]:
        response = patch(api, path, body)
        assert (response.status_code, response.json()["code"]) == (422, code), body
    moved = patch(api, path, {"country": "AT", "vat_id": "ATU13585627"}).json()
    assert (moved["country"], moved["vat_id"]) == ("AT", "ATU13585627")
    cleared = patch(api, path, {"vat_id": None}).json()
    assert cleared["vat_id"] is None
    assert patch(api, "/v1/customers/cus_nope", {"name": "X"}).status_code == 404


def test_delete_removes_a_customer_without_contracts_only(api: Api) -> None:
    kept = api.post("/v1/customers", CUSTOMER).json()
    gone = api.post("/v1/customers", {**CUSTOMER, "name": "Weg GmbH"}).json()
    api.post("/v1/contracts", {"customer": kept["id"], "plan": "business"})

    refused = delete(api, f"/v1/customers/{kept['id']}")
    first = delete(api, f"/v1/customers/{gone['id']}", **{"Idempotency-Key": "d-1"})
    again = delete(api, f"/v1/customers/{gone['id']}", **{"Idempotency-Key": "d-1"})
    twice = delete(api, f"/v1/customers/{gone['id']}")

    assert (refused.status_code, refused.json()["code"]) == (409, "customer_has_contracts")
    assert first.status_code == 200, first.text
    assert first.json() == again.json() == {"id": gone["id"], "object": "customer", "deleted": True}
    assert (twice.status_code, twice.json()["code"]) == (404, "unknown_customer")
    assert api.get(f"/v1/customers/{gone['id']}").status_code == 404
    assert [c["id"] for c in api.get("/v1/customers").json()["data"]] == [kept["id"]]
    assert outbox_names(api).count("customer.deleted") == 1
    if in_memory(api):
        return
    ((action, before, after),) = audit_actions(api, gone["id"])
    assert (action, before["name"], after) == ("customer.deleted", "Weg GmbH", None)
