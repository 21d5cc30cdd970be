"""Idempotency-Keys expire after 24 hours (as Stripe's do): a retry within the day gets the
recorded answer, a key reused after it runs as a new request, and the worker's purge deletes the
expired records of every vendor (security review #14 point 7)."""

from __future__ import annotations

from datetime import timedelta

from tenure.services.repositories.idempotency import IDEMPOTENCY_KEY_TTL
from tests.api.test_api import Api

BODY = {
    "name": "Muster GmbH",
    "country": "DE",
    "email": "billing@muster.example",
    "address": "Musterstraße 1, 10115 Berlin",
}


def _customers(api: Api) -> int:
    return len(api.get("/v1/customers").json()["data"])


def test_a_key_counts_for_a_day_and_is_then_new_and_purged(api: Api) -> None:
    first = api.post("/v1/customers", BODY, **{"Idempotency-Key": "k-1"}).json()
    api.clock.advance_to(api.clock.now() + IDEMPOTENCY_KEY_TTL - timedelta(minutes=1))
    assert api.post("/v1/customers", BODY, **{"Idempotency-Key": "k-1"}).json() == first
    assert _customers(api) == 1

    api.clock.advance_to(api.clock.now() + timedelta(minutes=2))
    other = {**BODY, "name": "Zweite GmbH"}  # expired: even another body is a new request
    second = api.post("/v1/customers", other, **{"Idempotency-Key": "k-1"}).json()
    assert second["id"] != first["id"]
    assert _customers(api) == 2

    api.post("/v1/customers", BODY, **{"Idempotency-Key": "k-2"})
    api.clock.advance_to(api.clock.now() + IDEMPOTENCY_KEY_TTL + timedelta(seconds=1))
    assert api.tenure.api_keys.purge_idempotency_keys() >= 2  # the shared test DB: others too
    assert api.tenure.api_keys.purge_idempotency_keys() == 0
