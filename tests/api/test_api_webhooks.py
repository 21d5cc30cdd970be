"""Webhook endpoints over the API: registration shows the secret once; the delivery log."""

from __future__ import annotations

from tests.api.test_api import Api


def test_registering_an_endpoint_shows_its_secret_once(api: Api) -> None:
    created = api.post(
        "/v1/webhook_endpoints",
        {"url": "http://127.0.0.1:9/hooks", "event_types": ["addon.booked"]},
    )
    assert created.status_code == 201, created.text
    assert created.json()["secret"].startswith("whsec_")
    listed = api.get("/v1/webhook_endpoints").json()["data"]
    assert [e["id"] for e in listed] == [created.json()["id"]]
    assert "secret" not in listed[0]


def test_the_delivery_log_lists_what_was_sent(api: Api) -> None:
    endpoint = api.post("/v1/webhook_endpoints", {"url": "http://127.0.0.1:9/hooks"}).json()
    _, contract = api.customer_and_contract()
    api.post(f"/v1/contracts/{contract}/addons", {"addon": "extra_user"})
    services = api.client.app.state.services  # type: ignore[attr-defined]
    services.bus.dispatch()
    services.webhooks.deliver_due()  # port 9 refuses: the attempt fails and is retried later

    log = api.get(f"/v1/webhook_endpoints/{endpoint['id']}/deliveries").json()["data"]
    booked = next(d for d in log if d["event_type"] == "addon.booked")
    assert (booked["status"], booked["attempts"]) == ("pending", 1)
    assert booked["last_error"]
    again = api.post(f"/v1/webhook_deliveries/{booked['id']}/redeliver")
    assert again.json()["status"] == "pending"


def test_a_bad_url_and_a_foreign_endpoint_are_refused(api: Api) -> None:
    assert api.post("/v1/webhook_endpoints", {"url": "ftp://x"}).status_code == 422
    assert api.get("/v1/webhook_endpoints/we_nope/deliveries").status_code == 404


def test_the_delivery_log_is_paged(api: Api) -> None:
    endpoint = api.post("/v1/webhook_endpoints", {"url": "http://127.0.0.1:9/hooks"}).json()
    _, contract = api.customer_and_contract()
    for addon in ("extra_user", "extra_storage"):
        api.post(f"/v1/contracts/{contract}/addons", {"addon": addon})
    api.client.app.state.services.bus.dispatch()  # type: ignore[attr-defined]
    path = f"/v1/webhook_endpoints/{endpoint['id']}/deliveries"
    everything = [d["id"] for d in api.get(path).json()["data"]]
    assert len(everything) == 3  # contract started, two add-ons booked

    seen, cursor = [], None
    while True:
        chunk = api.get(f"{path}?limit=2" + (f"&cursor={cursor}" if cursor else "")).json()
        assert len(chunk["data"]) <= 2
        seen += [d["id"] for d in chunk["data"]]
        if not chunk["has_more"]:
            break
        cursor = chunk["next_cursor"]
    assert seen == everything
