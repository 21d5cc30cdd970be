"""HTTP hardening (security review #14 points 2 and 10): security headers, a cap on request
bodies answered with a 413 problem, and a limit on failed authentications per address."""

from __future__ import annotations

from collections.abc import Iterator

from tenure.entrypoints.api.hardening import FAILED_AUTH_PER_MINUTE, MAX_BODY_BYTES
from tests.api.test_api import Api


def test_api_answers_are_not_sniffed_or_cached(api: Api) -> None:
    answer = api.get("/v1/customers")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "no-store"
    refused = api.client.get("/v1/customers")  # a problem answer too
    assert refused.status_code == 401
    assert refused.headers["cache-control"] == "no-store"
    health = api.client.get("/health")
    assert health.headers["x-content-type-options"] == "nosniff"


def test_a_body_over_the_cap_is_refused_with_413_before_it_is_read(api: Api) -> None:
    big = b'{"name": "' + b"x" * MAX_BODY_BYTES + b'"}'
    answer = api.client.post(
        "/v1/customers", content=big, headers=api.headers(**{"Content-Type": "application/json"})
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "request_too_large"
    assert api.get("/v1/customers").json()["data"] == []


def test_a_body_without_length_is_cut_off_at_the_cap(api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536

    answer = api.client.post(
        "/v1/catalog", content=chunks(), headers=api.headers(**{"Content-Type": "application/yaml"})
    )
    assert answer.status_code == 413, answer.text
    assert answer.json()["code"] == "request_too_large"


def test_failed_authentications_are_limited_per_address(api: Api) -> None:
    for _ in range(FAILED_AUTH_PER_MINUTE):
        assert api.get("/v1/customers", key="tenure_sk_nope_nope").status_code == 401
    blocked = api.get("/v1/customers", key="tenure_sk_nope_nope")
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "too_many_failed_authentications"
    assert 1 <= int(blocked.headers["retry-after"]) <= 60
    # While blocked, even a valid key from that address waits: guessing gains nothing.
    assert api.get("/v1/customers").status_code == 429


def test_a_json_body_without_length_is_cut_off_at_the_cap(api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "'
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536

    answer = api.client.post(
        "/v1/customers",
        content=chunks(),
        headers=api.headers(**{"Content-Type": "application/json"}),
    )
    assert answer.status_code == 413, answer.text
