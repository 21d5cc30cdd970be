"""Every list pages with an opaque cursor: walking the pages gives the whole list once, in its
order, with its filters; a cursor from elsewhere is a 422 problem. (Keyset paging on the SQL
stores: tests/integration/test_sql_storage.py.)"""

from __future__ import annotations

import base64
from typing import Any

from tests.api.test_api import Api


def walk(api: Api, path: str, limit: int) -> list[dict[str, Any]]:
    """All items of a list, page by page; every page but the last is full."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        sep = "&" if "?" in path else "?"
        url = f"{path}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = api.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["data"]
        if not body["has_more"]:
            assert body["next_cursor"] is None
            return items
        assert len(body["data"]) == limit
        cursor = body["next_cursor"]


def test_customers_and_contracts_page_in_id_order_with_filters(api: Api) -> None:
    pairs = [api.customer_and_contract() for _ in range(5)]
    _, ended = pairs[0]
    api.post(f"/v1/contracts/{ended}/cancellations", {"kind": "ordinary"})

    customers = [c["id"] for c in walk(api, "/v1/customers", 2)]
    assert customers == sorted(c for c, _ in pairs)
    contracts = [c["id"] for c in walk(api, "/v1/contracts", 2)]
    assert contracts == sorted(c for _, c in pairs)
    pending = walk(api, "/v1/contracts?status=cancellation_pending", 1)
    assert [c["id"] for c in pending] == [ended]
    one = walk(api, f"/v1/contracts?customer={pairs[3][0]}", 3)
    assert [c["id"] for c in one] == [pairs[3][1]]


def test_invoices_page_in_issue_order_with_type_and_date_filters(api: Api) -> None:
    contracts = [api.customer_and_contract()[1] for _ in range(4)]
    booking = api.post(f"/v1/contracts/{contracts[0]}/addons", {"addon": "extra_user"}).json()
    api.tenure.billing.run()
    api.post(f"/v1/contracts/{contracts[0]}/addons/{booking['id']}/withdraw")  # a credit note

    everything = api.tenure.queries.documents(api.vendor)
    assert [d["number"] for d in walk(api, "/v1/invoices", 2)] == [d.number for d in everything]
    notes = walk(api, "/v1/invoices?type=credit_note", 1)
    assert [n["number"] for n in notes] == ["KR-2026-000001"]
    later = walk(api, "/v1/invoices?issued_from=2026-02-04", 2)
    assert later == []
    of_one = walk(api, f"/v1/invoices?contract={contracts[0]}", 1)
    assert [d["number"] for d in of_one] == [
        d.number for d in everything if d.draft.contract_id == contracts[0]
    ]


def test_the_audit_trail_pages_oldest_first(api: Api) -> None:
    for _ in range(3):
        api.customer_and_contract()
    entries = walk(api, "/v1/audit", 2)
    assert entries == api.get("/v1/audit?limit=100").json()["data"]
    assert len(entries) == len(api.tenure.queries.audit(api.vendor))  # none in memory, 6+ on SQL


def test_a_cursor_from_elsewhere_is_a_422_problem(api: Api) -> None:
    api.customer_and_contract()

    def token(key: str) -> str:
        return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")

    odd_keys = ['"\\ud800"', "[1e400]", "[100000000000000000000]", '["\\ud800"]', "[null]"]
    for path in ("/v1/invoices", "/v1/customers", "/v1/contracts", "/v1/audit"):
        for cursor in ("bm9wZQ", "WzEsMiwzXQ", "o99999999999", "eyJhIjoxfQ", *map(token, odd_keys)):
            response = api.get(f"{path}?cursor={cursor}")
            assert response.status_code == 422, (path, cursor, response.text)
            assert response.json()["code"] == "invalid_cursor"
    assert api.get("/v1/customers?cursor=a%20b").json()["code"] == "validation_error"
