"""Extreme catalog uploads over the API are 422 catalog problems, never 500s (security review,
issue #14 points 4 and 9), and the current version stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.test_api import Api

CATALOG = (
    Path(__file__).resolve().parents[2] / "examples" / "catalogs" / "cloudcrm.yaml"
).read_text()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('price: "49.00"', "price: " + "9" * 5000),
        ('price: "49.00"', "price: 1e999999"),
        ("notice: {days: 0}", "notice: {months: 1000000}"),
        ("notice: {days: 0}", "notice: {days: 1e15}"),
        ("minimum_term_months: 0", "minimum_term_months: 100000000"),
        ("extra_user", "x" * 101),
    ],
)
def test_an_extreme_catalog_is_refused_with_its_problem(api: Api, old: str, new: str) -> None:
    assert old in CATALOG
    before = api.get("/v1/catalog").json()
    response = api.client.post(
        "/v1/catalog",
        content=CATALOG.replace(old, new).encode(),
        headers={**api.headers(), "Content-Type": "application/yaml"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_catalog"
    assert len(response.content) < 5000
    assert api.get("/v1/catalog").json() == before
