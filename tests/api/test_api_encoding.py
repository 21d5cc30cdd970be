"""Every API reply encodes its values one way (``tenure.services.encoding``), whether it is read,
sent without an Idempotency-Key, or recorded and replayed with one."""

from __future__ import annotations

from tests.api.test_api import Api


def test_an_instant_reads_the_same_with_and_without_an_idempotency_key(api: Api) -> None:
    body = {"url": "http://127.0.0.1:9/hooks"}
    keyed = api.post("/v1/webhook_endpoints", body, **{"Idempotency-Key": "we-1"}).json()
    replayed = api.post("/v1/webhook_endpoints", body, **{"Idempotency-Key": "we-1"}).json()
    plain = api.post("/v1/webhook_endpoints", body).json()
    listed = {e["id"]: e for e in api.get("/v1/webhook_endpoints").json()["data"]}

    assert keyed == {**replayed, "secret": keyed["secret"]}  # (a replay withholds the secret)
    assert keyed["created_at"] == plain["created_at"] == listed[keyed["id"]]["created_at"]
    assert keyed["created_at"] == "2026-02-03T09:00:00Z"


def test_a_notice_reply_matches_the_contract_it_changed(api: Api) -> None:
    _, contract = api.customer_and_contract()
    notice = api.post(
        f"/v1/contracts/{contract}/cancellations", {}, **{"Idempotency-Key": "cn-1"}
    ).json()
    listed = api.get(f"/v1/contracts/{contract}").json()["cancellations"][0]

    assert notice["received_at"] == listed["received_at"] == "2026-02-03T09:00:00Z"
    assert (notice["received_on"], notice["effective_end"]) == (
        listed["received_on"],
        listed["effective_end"],
    )
