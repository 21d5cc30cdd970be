"""The example webhook receiver, run as a process, accepts what tenure signs and refuses the rest.

It verifies with the ``standardwebhooks`` package, so this also checks tenure's signatures
against an implementation nobody here wrote.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tenure.services.webhooks import new_secret, sign

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "webhook_receiver.py"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def receiver() -> Iterator[tuple[str, str]]:
    secret, port = new_secret(), _free_port()
    process = subprocess.Popen([sys.executable, str(EXAMPLE), str(port), secret])
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                httpx.get(url, timeout=0.2)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield url, secret
    finally:
        process.terminate()
        process.wait(timeout=5)


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    return httpx.post(url, content=body, headers=headers, timeout=5).status_code


def _headers(
    secret: str, body: bytes, *, at: int | None = None, msg: str = "msg_1"
) -> dict[str, str]:
    timestamp = int(time.time()) if at is None else at
    return {
        "webhook-id": msg,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, msg, timestamp, body),
    }


BODY = json.dumps({"type": "invoice.issued", "data": {"number": "RE-2026-000001"}}).encode()


def test_a_delivery_signed_by_tenure_is_accepted(receiver: tuple[str, str]) -> None:
    url, secret = receiver
    assert _post(url, BODY, _headers(secret, BODY)) == 204


def test_a_tampered_body_is_refused(receiver: tuple[str, str]) -> None:
    url, secret = receiver
    headers = _headers(secret, BODY)
    assert _post(url, BODY.replace(b"000001", b"000002"), headers) == 400


def test_a_replayed_old_delivery_is_refused(receiver: tuple[str, str]) -> None:
    url, secret = receiver
    assert _post(url, BODY, _headers(secret, BODY, at=int(time.time()) - 3600)) == 400


def test_a_signature_made_with_another_secret_is_refused(receiver: tuple[str, str]) -> None:
    url, _ = receiver
    assert _post(url, BODY, _headers(new_secret(), BODY)) == 400


def test_one_valid_signature_among_several_is_accepted(receiver: tuple[str, str]) -> None:
    """While a secret rotates, the header carries one signature per secret."""
    url, secret = receiver
    headers = _headers(secret, BODY)
    other = _headers(new_secret(), BODY)["webhook-signature"]
    headers["webhook-signature"] = f"{other} {headers['webhook-signature']}"
    assert _post(url, BODY, headers) == 204


def test_missing_headers_are_refused(receiver: tuple[str, str]) -> None:
    url, _ = receiver
    assert _post(url, BODY, {}) == 400
