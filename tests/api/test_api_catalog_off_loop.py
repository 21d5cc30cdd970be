"""A catalog upload is parsed and stored off the event loop: while a large upload is being read,
a real server keeps answering other requests (security review #14 point 2)."""

from __future__ import annotations

import socket
import statistics
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import uvicorn

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.adapters.memory import InMemoryStore
from tenure.bootstrap import bootstrap
from tenure.entrypoints.api import create_app
from tenure.entrypoints.api.hardening import MAX_BODY_BYTES
from tenure.services.clock import ManualClock

CATALOG = Path(__file__).resolve().parents[2] / "examples" / "catalogs" / "cloudcrm.yaml"


@pytest.fixture
def server() -> Iterator[tuple[str, str]]:
    services = bootstrap(InMemoryStore(), ManualClock(datetime(2026, 3, 3, 9, tzinfo=UTC)))
    vendor = services.vendors.create(load_catalog_file(CATALOG))
    key = services.api_keys.create(vendor).secret
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(services), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(url + "/health", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.05)
    yield url, key
    instance.should_exit = True
    thread.join(timeout=10)


def _big_yaml() -> bytes:
    """Just under the body cap: a mapping of many small entries that PyYAML parses in pure
    Python for seconds (and that the catalog then refuses as an unknown key)."""
    lines, size = [], 0
    for n in range(10**6):
        line = f"  k{n}: {{a: {n}, b: [1, 2, 3]}}\n"
        if size + len(line) > MAX_BODY_BYTES - 200:
            break
        lines.append(line)
        size += len(line)
    return ("vendor: {name: X}\nplans: {}\njunk:\n" + "".join(lines)).encode()


def test_health_answers_while_a_large_catalog_is_parsed(server: tuple[str, str]) -> None:
    url, key = server
    body = _big_yaml()
    result: dict[str, object] = {}

    def upload() -> None:
        started = time.monotonic()
        answer = httpx.post(
            url + "/v1/catalog",
            content=body,
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/yaml"},
            timeout=300,
        )
        result["status"], result["seconds"] = answer.status_code, time.monotonic() - started

    uploading = threading.Thread(target=upload)
    uploading.start()
    time.sleep(0.3)  # the upload is being read and parsed
    latencies = []
    with httpx.Client(timeout=30) as client:
        while uploading.is_alive() and len(latencies) < 50:
            started = time.monotonic()
            assert client.get(url + "/health").status_code == 200
            latencies.append(time.monotonic() - started)
            time.sleep(0.05)
    uploading.join()

    assert result["status"] == 422  # parsed to the end, then refused as a catalog
    assert float(result["seconds"]) > 1.0, "the upload was too quick to show anything"  # type: ignore[arg-type]
    assert len(latencies) >= 5
    # The event loop stays free: health answers in milliseconds, not after the parse (the
    # parse holds the GIL in turns, and the test suite loads the machine: a bound on the worst
    # answer far below the parse's length, not a speed test).
    assert statistics.median(latencies) < 0.1, latencies
    assert max(latencies) < float(result["seconds"]) / 4, latencies  # type: ignore[arg-type]
