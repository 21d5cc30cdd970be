"""Live and sandbox mode through the API: ``livemode`` on every object, lists live by default and
sandbox with ``livemode=false``, single objects found in either mode (issue #15, point 1)."""

from __future__ import annotations

from typing import Any

from tests.api.test_api import Api


def sandbox_customer_and_contract(api: Api) -> tuple[dict[str, Any], dict[str, Any]]:
    clock = api.post("/v1/test_clocks", {"frozen_at": "2026-01-14T23:00:00Z", "name": "t"}).json()
    assert clock["livemode"] is False
    customer = api.post(
        "/v1/customers",
        {
            "name": "Sandbox",
            "country": "DE",
            "email": "s@x.example",
            "address": "Weg 1",
            "test_clock": clock["id"],
        },
    ).json()
    contract = api.post("/v1/contracts", {"customer": customer["id"], "plan": "business"}).json()
    api.post(f"/v1/test_clocks/{clock['id']}/advance", {"to": "2026-02-20T12:00:00Z"})
    return customer, contract


def ids(api: Api, path: str) -> list[str]:
    response = api.get(path)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["data"]]


def test_objects_say_their_mode_and_lists_are_live_by_default(api: Api) -> None:
    live_customer, live_contract = api.customer_and_contract()
    api.tenure.billing.run(vendor_id=api.vendor)
    sandbox, sandbox_contract = sandbox_customer_and_contract(api)

    assert api.get(f"/v1/customers/{live_customer}").json()["livemode"] is True
    assert sandbox["livemode"] is False
    assert sandbox_contract["livemode"] is False
    assert api.get(f"/v1/contracts/{live_contract}").json()["livemode"] is True
    assert api.get(f"/v1/contracts/{sandbox_contract['id']}").json()["livemode"] is False

    assert ids(api, "/v1/customers") == [live_customer]
    assert ids(api, "/v1/customers?livemode=true") == [live_customer]
    assert ids(api, "/v1/customers?livemode=false") == [sandbox["id"]]
    assert ids(api, "/v1/contracts") == [live_contract]
    assert ids(api, "/v1/contracts?livemode=false") == [sandbox_contract["id"]]

    live_invoices = api.get("/v1/invoices").json()["data"]
    assert [(i["number"], i["livemode"]) for i in live_invoices] == [("RE-2026-000001", True)]
    sandbox_invoices = api.get("/v1/invoices?livemode=false").json()["data"]
    assert [(i["number"], i["livemode"]) for i in sandbox_invoices] == [
        ("TEST-RE-2026-000001", False),
        ("TEST-RE-2026-000002", False),
    ]
    shown = api.get("/v1/invoices/TEST-RE-2026-000002").json()
    assert (shown["number"], shown["livemode"]) == ("TEST-RE-2026-000002", False)
    upcoming = api.get(f"/v1/contracts/{sandbox_contract['id']}/upcoming-invoice").json()
    assert [d["livemode"] for d in upcoming["documents"]] == [False]


def test_a_booking_says_its_mode(api: Api) -> None:
    _, contract = sandbox_customer_and_contract(api)
    booking = api.post(
        f"/v1/contracts/{contract['id']}/addons", {"addon": "extra_user", "quantity": 1}
    ).json()
    assert (booking["object"], booking["livemode"]) == ("booking", False)
    _, live = api.customer_and_contract()
    booked = api.post(f"/v1/contracts/{live}/addons", {"addon": "extra_user", "quantity": 1})
    assert booked.json()["livemode"] is True


def test_livemode_must_be_a_boolean(api: Api) -> None:
    response = api.get("/v1/customers?livemode=maybe")
    assert (response.status_code, response.json()["code"]) == (422, "validation_error")


def test_webhook_payloads_say_their_mode(api: Api) -> None:
    endpoint = api.post("/v1/webhook_endpoints", {"url": "http://127.0.0.1:9/hooks"}).json()
    _, live = api.customer_and_contract()
    _, sandbox = sandbox_customer_and_contract(api)
    api.tenure.bus.dispatch()

    payloads = [d.payload for d in api.tenure.webhooks.deliveries(api.vendor, endpoint["id"])]
    modes = {(p["data"]["contract_id"], p["type"], p["livemode"]) for p in payloads}
    assert (live, "contract.started", True) in modes
    assert (sandbox["id"], "contract.started", False) in modes
    assert (sandbox["id"], "document.issued", False) in modes
    assert all(livemode == (contract == live) for contract, _, livemode in modes)
