"""Webhook secrets (issue 14.5): a secret is never stored with an idempotent response (a retry
with the same Idempotency-Key gets ``secret: null``), and a rotation signs with the new and the
previous secret for 24 hours, verified with the ``standardwebhooks`` package."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from tests.api.test_api import Api
from tests.integration.test_webhooks import Receiver


@pytest.fixture
def receivers() -> Iterator[list[Receiver]]:
    made = [Receiver(), Receiver()]
    yield made
    for r in made:
        r.close()


def test_a_retried_registration_does_not_return_the_secret_again(api: Api) -> None:
    body = {"url": "http://127.0.0.1:9/hooks", "event_types": ["addon.booked"]}
    first = api.post("/v1/webhook_endpoints", body, **{"Idempotency-Key": "reg-1"})
    assert first.status_code == 201, first.text
    assert first.json()["secret"].startswith("whsec_")

    again = api.post("/v1/webhook_endpoints", body, **{"Idempotency-Key": "reg-1"})
    assert again.json()["id"] == first.json()["id"]  # replayed, not registered twice
    assert again.json()["secret"] is None
    assert first.json()["secret"] not in again.text


def test_a_rotation_shows_the_new_secret_once_and_a_retry_does_not_rotate_again(
    api: Api, store_kind: str
) -> None:
    created = api.post("/v1/webhook_endpoints", {"url": "http://127.0.0.1:9/hooks"}).json()
    path = f"/v1/webhook_endpoints/{created['id']}/rotate_secret"

    rotated = api.post(path, **{"Idempotency-Key": "rot-1"})
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["secret"]
    assert new.startswith("whsec_")
    assert new != created["secret"]
    until = api.clock.now() + timedelta(hours=24)
    assert rotated.json()["previous_secret_until"] == until.isoformat().replace("+00:00", "Z")

    again = api.post(path, **{"Idempotency-Key": "rot-1"})
    assert (again.json()["secret"], again.json()["previous_secret_until"]) == (
        None,
        rotated.json()["previous_secret_until"],
    )
    assert "secret" not in api.get(f"/v1/webhook_endpoints/{created['id']}").json()
    audit = api.get("/v1/audit").text  # (the in-memory store keeps no audit trail)
    assert ("webhook_endpoint.secret_rotated" in audit) is (store_kind != "memory")
    assert new not in audit
    assert created["secret"] not in audit
    assert api.post("/v1/webhook_endpoints/we_nope/rotate_secret").status_code == 404


def test_during_the_overlap_both_secrets_verify_and_after_it_only_the_new(
    api: Api, receivers: list[Receiver]
) -> None:
    # standardwebhooks checks the timestamp against the real time: the clock runs up to now.
    now = datetime.now(UTC).replace(microsecond=0)
    overlap_over, in_overlap = receivers
    api.clock.advance_to(now - timedelta(hours=25))
    _, contract = api.customer_and_contract()
    old = api.post("/v1/webhook_endpoints", {"url": overlap_over.url}).json()
    new = api.post(f"/v1/webhook_endpoints/{old['id']}/rotate_secret").json()
    api.clock.advance_to(now - timedelta(hours=1))
    old2 = api.post("/v1/webhook_endpoints", {"url": in_overlap.url}).json()
    new2 = api.post(f"/v1/webhook_endpoints/{old2['id']}/rotate_secret").json()

    api.clock.advance_to(now)
    api.post(f"/v1/contracts/{contract}/addons", {"addon": "extra_user"})
    services = api.client.app.state.services  # type: ignore[attr-defined]
    services.bus.dispatch()
    services.webhooks.deliver_due()

    (headers, body), *_ = in_overlap.received
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(new2["secret"]).verify(body, headers)
    Webhook(old2["secret"]).verify(body, headers)  # a receiver not yet switched still verifies

    (headers, body), *_ = overlap_over.received
    assert len(headers["webhook-signature"].split(" ")) == 1
    Webhook(new["secret"]).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old["secret"]).verify(body, headers)
