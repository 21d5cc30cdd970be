"""Webhook endpoints over the API: registration shows the secret once; changing, disabling and
removing endpoints; the published event types; targets webhooks may not go to; the delivery
log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tenure.domain.events import EVENT_DESCRIPTIONS, EVENT_NAMES
from tenure.services.webhook_rules import WebhookSettings
from tests.api.test_api import Api

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
EVENT_TABLE_START = "<!-- event-types:start -->"
EVENT_TABLE_END = "<!-- event-types:end -->"


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


def test_an_endpoint_can_be_changed(api: Api) -> None:
    endpoint = api.post("/v1/webhook_endpoints", {"url": "http://127.0.0.1:9/hooks"}).json()
    path = f"/v1/webhook_endpoints/{endpoint['id']}"
    changed = api.client.patch(
        path,
        json={"url": "http://127.0.0.1:10/new", "event_types": ["document.issued"]},
        headers=api.headers(),
    )
    assert changed.status_code == 200, changed.text
    got = api.get(path).json()
    assert (got["url"], got["event_types"], got["enabled"]) == (
        "http://127.0.0.1:10/new",
        ["document.issued"],
        True,
    )
    off = api.client.patch(path, json={"enabled": False}, headers=api.headers()).json()
    assert (off["enabled"], off["disabled_reason"], off["url"]) == (
        False,
        "vendor",
        "http://127.0.0.1:10/new",
    )
    unknown = api.client.patch(path, json={"event_types": ["nope"]}, headers=api.headers())
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_event_type")
    missing = api.client.patch("/v1/webhook_endpoints/we_nope", json={}, headers=api.headers())
    assert missing.status_code == 404


def test_a_disabled_endpoint_gets_no_deliveries_and_its_pending_ones_are_cancelled(
    api: Api,
) -> None:
    endpoint = api.post("/v1/webhook_endpoints", {"url": "http://127.0.0.1:9/hooks"}).json()
    _, contract = api.customer_and_contract()
    services = api.tenure
    services.bus.dispatch()  # contract.started waits for the endpoint
    path = f"/v1/webhook_endpoints/{endpoint['id']}"
    api.client.patch(path, json={"enabled": False}, headers=api.headers())
    api.post(f"/v1/contracts/{contract}/addons", {"addon": "extra_user"})
    services.bus.dispatch()

    log = api.get(f"{path}/deliveries").json()["data"]
    assert [(d["event_type"], d["status"]) for d in log] == [("contract.started", "cancelled")]
    refused = api.post(f"/v1/webhook_deliveries/{log[0]['id']}/redeliver")
    assert (refused.status_code, refused.json()["code"]) == (409, "webhook_endpoint_disabled")


def test_a_deleted_endpoint_is_gone_and_its_pending_deliveries_are_never_sent(api: Api) -> None:
    endpoint = api.post("/v1/webhook_endpoints", {"url": "http://127.0.0.1:9/hooks"}).json()
    kept = api.post("/v1/webhook_endpoints", {"url": "http://127.0.0.1:9/kept"}).json()
    api.customer_and_contract()
    services = api.tenure
    services.bus.dispatch()
    (pending,) = services.webhooks.deliveries(api.vendor, endpoint["id"])
    path = f"/v1/webhook_endpoints/{endpoint['id']}"

    deleted = api.client.delete(path, headers=api.headers())
    assert deleted.status_code == 204, deleted.text
    assert api.get(path).status_code == 404
    assert api.get(f"{path}/deliveries").status_code == 404
    assert [e["id"] for e in api.get("/v1/webhook_endpoints").json()["data"]] == [kept["id"]]
    assert api.client.delete(path, headers=api.headers()).status_code == 404
    services.webhooks.deliver_due()
    with services.uow_factory() as uow:
        cancelled = uow.webhooks.delivery(api.vendor, pending.id)
    assert cancelled is not None
    assert (cancelled.status, cancelled.attempts) == ("cancelled", 0)  # never sent
    assert api.post(f"/v1/webhook_deliveries/{pending.id}/redeliver").status_code == 404


def test_event_types_are_checked_against_the_published_list(api: Api) -> None:
    url = "http://127.0.0.1:9/hooks"
    for event_types, code in (
        (["addon.bookd"], "unknown_event_type"),
        ([], "invalid_event_types"),
        (["*", "addon.booked"], "invalid_event_types"),
    ):
        refused = api.post("/v1/webhook_endpoints", {"url": url, "event_types": event_types})
        assert (refused.status_code, refused.json()["code"]) == (422, code), event_types
    every = api.post("/v1/webhook_endpoints", {"url": url}).json()
    assert every["event_types"] == ["*"]
    assert [e["id"] for e in api.get("/v1/webhook_endpoints").json()["data"]] == [every["id"]]


def test_the_event_types_are_published(api: Api) -> None:
    listed = api.get("/v1/event_types").json()["data"]
    assert {e["name"]: e["description"] for e in listed} == EVENT_DESCRIPTIONS
    assert set(EVENT_DESCRIPTIONS) == set(EVENT_NAMES.values())
    assert "webhook_endpoint.disabled" in EVENT_DESCRIPTIONS
    assert all(e["description"] for e in listed)


def test_the_event_types_in_the_api_docs_are_the_published_ones() -> None:
    text = API_DOC.read_text()
    start, end = text.index(EVENT_TABLE_START), text.index(EVENT_TABLE_END)
    documented = text[start + len(EVENT_TABLE_START) : end].strip()
    assert documented == event_types_table(), (
        "docs/api.md's event types differ from tenure.domain.events.EVENT_DESCRIPTIONS; "
        "paste this between the markers:\n" + event_types_table()
    )


def event_types_table() -> str:
    rows = [f"| `{name}` | {text} |" for name, text in EVENT_DESCRIPTIONS.items()]
    return "\n".join(["| event type | what it tells |", "| --- | --- |", *rows])


@pytest.fixture
def guarded(store_factory: Any) -> Api:
    """The API as deployed: private webhook targets refused (the operator's default)."""
    return Api(store_factory, WebhookSettings())


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://127.8.9.10:8443/hooks",
        "https://localhost/hooks",  # a name that resolves to loopback
        "https://10.1.2.3/hooks",
        "https://192.168.0.10/hooks",
        "https://172.16.5.4/hooks",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hooks",
        "https://[fe80::1]/hooks",
        "https://[fd00::1]/hooks",
        "https://[::ffff:127.0.0.1]/hooks",
        "https://224.0.0.1/hooks",
        "https://0.0.0.0/hooks",
        "https://240.0.0.1/hooks",
        "https://100.64.0.1/hooks",
        "http://93.184.215.14/hooks",  # a public address, but plain http
    ],
)
def test_private_and_plain_http_targets_are_refused(guarded: Api, url: str) -> None:
    refused = guarded.post("/v1/webhook_endpoints", {"url": url})
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "endpoint_url_not_allowed"
    assert guarded.get("/v1/webhook_endpoints").json()["data"] == []


def test_a_public_https_target_is_accepted_and_a_change_to_a_private_one_refused(
    guarded: Api,
) -> None:
    created = guarded.post("/v1/webhook_endpoints", {"url": "https://93.184.215.14/hooks"})
    assert created.status_code == 201, created.text
    path = f"/v1/webhook_endpoints/{created.json()['id']}"
    refused = guarded.client.patch(
        path, json={"url": "https://169.254.169.254/"}, headers=guarded.headers()
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "endpoint_url_not_allowed")
    assert guarded.get(path).json()["url"] == "https://93.184.215.14/hooks"


def test_a_host_that_cannot_be_resolved_is_refused_not_a_500(guarded: Api) -> None:
    # A label over 63 characters fails before any lookup (no DNS traffic in the tests).
    refused = guarded.post("/v1/webhook_endpoints", {"url": f"https://{'a' * 70}.example/"})
    assert (refused.status_code, refused.json()["code"]) == (422, "endpoint_url_not_allowed")
