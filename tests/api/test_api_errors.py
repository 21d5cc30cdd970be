"""Status codes and problems as docs/api.md states them (issue #15, point 11): malformed JSON is
400 ``malformed_json``, a body in another media type 415 ``unsupported_media_type``, every
create 201 with a ``Location`` where the object can be read, actions 200, and a value the
database refuses names its field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tenure.adapters.catalog_yaml import load_catalog_text
from tests.api.test_api import Api

CATALOGS = Path(__file__).resolve().parents[2] / "examples" / "catalogs"
CUSTOMER = b'{"name": "Muster GmbH", "country": "DE", "email": "m@k.example"}'


def _post(api: Api, path: str, content: bytes, content_type: str | None) -> Any:
    extra = {"Content-Type": content_type} if content_type else {}
    return api.client.post(path, content=content, headers=api.headers(**extra))


@pytest.mark.parametrize("content", [b'{"name": "x",', b"garbage{", b'{"a": 1}}', b"\xff\xfe"])
def test_malformed_json_is_400_malformed_json_without_a_bogus_field(
    api: Api, content: bytes
) -> None:
    response = _post(api, "/v1/customers", content, "application/json")

    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "malformed_json"
    assert "errors" not in body
    assert api.get("/v1/customers").json()["data"] == []


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_a_json_body_in_another_media_type_is_415(api: Api, content_type: str | None) -> None:
    response = _post(api, "/v1/customers", CUSTOMER, content_type)

    assert response.status_code == 415, response.text
    assert response.json()["code"] == "unsupported_media_type"
    assert "application/json" in response.json()["detail"]


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "application/x+json"]
)
def test_json_media_types_are_read(api: Api, content_type: str) -> None:
    assert _post(api, "/v1/customers", CUSTOMER, content_type).status_code == 201


def test_a_catalog_is_uploaded_as_yaml_and_refused_in_another_media_type(api: Api) -> None:
    text = (CATALOGS / "cloudcrm.yaml").read_bytes()

    refused = _post(api, "/v1/catalog", text, "application/json")
    uploaded = _post(api, "/v1/catalog", text, "text/yaml")

    assert (refused.status_code, refused.json()["code"]) == (415, "unsupported_media_type")
    assert uploaded.status_code == 201, uploaded.text


def test_creates_answer_201_with_the_location_to_read_them(api: Api) -> None:
    body = {"name": "Neu GmbH", "country": "DE", "email": "n@k.example"}
    customer = api.post("/v1/customers", body, **{"Idempotency-Key": "c-201"})
    replayed = api.post("/v1/customers", body, **{"Idempotency-Key": "c-201"})
    contract = api.post("/v1/contracts", {"customer": customer.json()["id"], "plan": "business"})

    for created in (customer, replayed, contract):
        assert created.status_code == 201, created.text
        location = created.headers["location"]
        assert api.get(location).json()["id"] == created.json()["id"]
    assert replayed.headers["location"] == customer.headers["location"]


def test_every_create_answers_201_and_actions_answer_200(api: Api) -> None:
    _, contract = api.customer_and_contract()
    created = {
        "booking": api.post(f"/v1/contracts/{contract}/addons", {"addon": "extra_user"}),
        "booking 2": api.post(f"/v1/contracts/{contract}/addons", {"addon": "extra_storage"}),
        "notice": api.post(f"/v1/contracts/{contract}/cancellations", {}),
        "test clock": api.post("/v1/test_clocks", {"frozen_at": "2026-01-01T00:00:00Z"}),
        "endpoint": api.post("/v1/webhook_endpoints", {"url": "http://127.0.0.1:9/"}),
        "catalog": _post(
            api, "/v1/catalog", (CATALOGS / "cloudcrm.yaml").read_bytes(), "application/yaml"
        ),
    }
    booking, other = (created[b].json()["id"] for b in ("booking", "booking 2"))
    clock = created["test clock"].json()["id"]
    actions = {
        "revoke": api.post(f"/v1/contracts/{contract}/cancellations/revoke"),
        "cancel add-on": api.post(f"/v1/contracts/{contract}/addons/{booking}/cancel"),
        "advance": api.post(f"/v1/test_clocks/{clock}/advance", {"to": "2026-01-02T00:00:00Z"}),
        "withdraw": api.post(f"/v1/contracts/{contract}/addons/{other}/withdraw"),
    }

    assert {name: r.status_code for name, r in created.items()} == dict.fromkeys(created, 201)
    assert {name: r.status_code for name, r in actions.items()} == dict.fromkeys(actions, 200)


def test_the_openapi_document_names_201_for_creates(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    assert "Location" in paths["/v1/customers"]["post"]["responses"]["201"]["headers"]
    assert "200" not in paths["/v1/contracts"]["post"]["responses"]
    assert "201" in paths["/v1/usage"]["post"]["responses"]
    assert "200" in paths["/v1/test_clocks/{clock_id}/advance"]["post"]["responses"]


def test_a_value_the_database_refuses_names_its_field(api: Api, store_kind: str) -> None:
    """A catalog may name an add-on longer than the bookings' column (64 characters):
    PostgreSQL refuses to store the booking, and the problem says which field it refused;
    SQLite and memory store it."""
    addon = "extra_" + "u" * 70
    text = (CATALOGS / "cloudcrm.yaml").read_text(encoding="utf-8").replace("extra_user", addon)
    vendor = api.tenure.vendors.create(load_catalog_text(text, "long-ids"))
    key = api.tenure.api_keys.create(vendor).secret
    customer = api.post(
        "/v1/customers", {"name": "L", "country": "DE", "email": "l@k.example"}, key=key
    ).json()
    contract = api.post(
        "/v1/contracts", {"customer": customer["id"], "plan": "business"}, key=key
    ).json()

    booked = api.post(f"/v1/contracts/{contract['id']}/addons", {"addon": addon}, key=key)

    if store_kind != "postgresql":
        assert booked.status_code == 201, booked.text
        return
    assert booked.status_code == 422, booked.text
    body = booked.json()
    assert body["code"] == "invalid_input"
    assert [e["field"] for e in body["errors"]] == ["addon"]
    assert api.get(f"/v1/contracts/{contract['id']}", key=key).json()["addons"] == []
