"""Status codes and problems as docs/api.md states them (issue #15, point 11): malformed JSON is
400 ``malformed_json``, a body in another media type 415 ``unsupported_media_type``, every
create 201 with a ``Location`` where the object can be read, actions 200, and a value the
database refuses names its field."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import DBAPIError

from tenure.adapters.sql.engine import make_engine
from tenure.adapters.sql.session import translated
from tenure.adapters.sql.tables import idempotency_keys
from tenure.services.errors import InvalidStoredValue
from tests.api.test_api import Api

CATALOGS = Path(__file__).resolve().parents[2] / "examples" / "catalogs"
CUSTOMER = b'{"name": "Muster GmbH", "country": "DE", "email": "m@k.example", "address": "Weg 1"}'


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
    body = {"name": "Neu GmbH", "country": "DE", "email": "n@k.example", "address": "Weg 1"}
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


@pytest.mark.parametrize(
    ("column", "value"),
    [("fingerprint", "f" * 65), ("key", "k\u0000"), ("status", 2**40)],
)
def test_postgresql_names_the_column_of_a_value_it_refuses(
    postgres_url: str, column: str, value: object
) -> None:
    """PostgreSQL's message names the type (``character varying(64)``), never the column: the
    adapter finds the refused parameter (too long, NUL, out of range) and names it."""
    engine = make_engine(postgres_url)
    row = {"vendor_id": "ven_x", "key": "k", "fingerprint": "f", "status": 200, "body": None}
    row["created_at"] = datetime(2026, 2, 3, tzinfo=UTC)
    try:
        with engine.connect() as conn, pytest.raises(DBAPIError) as refused:
            conn.execute(idempotency_keys.insert(), {**row, column: value})
    finally:
        engine.dispose()

    error = translated(refused.value)

    assert isinstance(error, InvalidStoredValue)
    assert error.field == column


def test_a_refused_value_is_a_problem_naming_its_field(api: Api) -> None:
    def refuse() -> None:
        raise InvalidStoredValue("the database refused a value", "vat_id")

    api.client.app.add_api_route("/v1/refusing", refuse, methods=["GET"])  # type: ignore[attr-defined]
    response = api.get("/v1/refusing")

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert response.json()["errors"] == [
        {"field": "vat_id", "message": "the database refused this value"}
    ]
