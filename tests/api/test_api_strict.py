"""Strict request bodies (issue #15, point 8; decision 0008): booleans and strings are not
numbers, numbers are not dates, unknown fields and NUL characters are refused naming their
field, and an operation that takes no body refuses one instead of ignoring it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_api import Api


def _refused_field(response: Any) -> str:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "validation_error"
    assert len(body["errors"]) == 1, body
    return str(body["errors"][0]["field"])


@pytest.mark.parametrize("quantity", [True, "2", 2.0, None])
def test_a_quantity_of_an_add_on_is_a_json_integer(api: Api, quantity: Any) -> None:
    _, contract = api.customer_and_contract()

    response = api.post(
        f"/v1/contracts/{contract}/addons", {"addon": "extra_user", "quantity": quantity}
    )

    assert _refused_field(response) == "quantity"
    assert api.get(f"/v1/contracts/{contract}").json()["addons"] == []


def test_seats_are_a_json_integer(api: Api) -> None:
    customer, _ = api.customer_and_contract()
    for seats in ("3", True, 3.0):
        response = api.post(
            "/v1/contracts", {"customer": customer, "plan": "business", "seats": seats}
        )
        assert _refused_field(response) == "seats"


def test_a_usage_quantity_is_a_decimal_string_or_number_but_not_a_boolean(api: Api) -> None:
    _, contract = api.customer_and_contract()
    event = {"contract": contract, "metric": "api_calls", "id": "e-1"}

    assert _refused_field(api.post("/v1/usage", {**event, "quantity": True})) == "quantity"
    assert _refused_field(api.post("/v1/usage", {**event, "quantity": [1]})) == "quantity"
    # strings and numbers pass the model (the metric is then the catalog's business)
    for quantity in ("1.5", 1.5, 2):
        answer = api.post("/v1/usage", {**event, "quantity": quantity})
        assert answer.json()["code"] != "validation_error", answer.text


def test_dates_and_instants_are_iso_8601_strings_not_numbers(api: Api) -> None:
    _, contract = api.customer_and_contract()
    # 1798761600 is 2027-01-01T00:00:00Z in Unix seconds: lax parsing took it for that date
    notice = api.post(f"/v1/contracts/{contract}/cancellations", {"requested_end": 1798761600})
    clock = api.post("/v1/test_clocks", {"frozen_at": 1798761600})

    assert _refused_field(notice) == "requested_end"
    assert _refused_field(clock) == "frozen_at"
    assert api.get(f"/v1/contracts/{contract}").json()["cancellations"] == []
    assert api.get("/v1/test_clocks").json()["data"] == []


def test_a_flag_is_not_a_string_and_a_text_is_not_a_number(api: Api) -> None:
    _, contract = api.customer_and_contract()

    assert (
        _refused_field(
            api.post(
                "/v1/customers",
                {"name": 42, "country": "DE", "email": "a@b.example", "address": "Weg 1, Berlin"},
            )
        )
        == "name"
    )
    reason = api.post(f"/v1/contracts/{contract}/cancellations/reject", {"reason": False})
    assert _refused_field(reason) == "reason"


def test_unknown_fields_are_refused_by_name(api: Api) -> None:
    _, contract = api.customer_and_contract()
    response = api.post(f"/v1/contracts/{contract}/addons", {"addon": "extra_user", "qty": 2})
    assert _refused_field(response) == "qty"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/v1/customers",
            {"name": "Null\u0000GmbH", "country": "DE", "email": "n@k.example", "address": "W 1"},
            "name",
        ),
        ("/v1/test_clocks", {"frozen_at": "2026-01-01T00:00:00Z", "name": "a\u0000"}, "name"),
        (
            "/v1/webhook_endpoints",
            {"url": "http://127.0.0.1:9/", "event_types": ["a\u0000"]},
            "event_types",
        ),
    ],
)
def test_a_nul_character_is_refused_naming_its_field_on_every_store(
    api: Api, path: str, body: dict[str, Any], field: str
) -> None:
    """PostgreSQL cannot store NUL; SQLite could: the API refuses it alike everywhere."""
    assert _refused_field(api.post(path, body)) == field


@pytest.mark.parametrize("content", [b"garbage{", b"{}", b'{"reason": "x"}'])
def test_a_body_sent_to_an_operation_that_takes_none_is_refused(api: Api, content: bytes) -> None:
    _, contract = api.customer_and_contract()
    api.post(f"/v1/contracts/{contract}/cancellations", {})
    booking = api.post(f"/v1/contracts/{contract}/addons", {"addon": "extra_user"}).json()["id"]

    for path in (
        f"/v1/contracts/{contract}/cancellations/revoke",
        f"/v1/contracts/{contract}/addons/{booking}/cancel",
        f"/v1/contracts/{contract}/addons/{booking}/withdraw",
        "/v1/webhook_deliveries/whd_nope/redeliver",
    ):
        response = api.client.post(
            path, content=content, headers=api.headers(**{"Content-Type": "application/json"})
        )
        assert (response.status_code, response.json()["code"]) == (422, "unexpected_body"), path

    state = api.get(f"/v1/contracts/{contract}").json()
    assert state["status"] == "cancellation_pending"  # the revoke did not run
    assert [a["status"] for a in state["addons"]] == ["active"]


def test_an_operation_that_takes_no_body_runs_without_one(api: Api) -> None:
    _, contract = api.customer_and_contract()
    api.post(f"/v1/contracts/{contract}/cancellations", {})
    revoked = api.client.post(
        f"/v1/contracts/{contract}/cancellations/revoke", headers=api.headers()
    )
    assert revoked.status_code == 200, revoked.text
