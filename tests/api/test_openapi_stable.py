"""The API's operations do not change by accident: every (method, path) and its operationId
(clients generated from the schema name their methods after it) match
``openapi_operations.json``, which was generated from the app before its routes were split by
feature. A deliberate new, renamed or removed operation updates that file in the same commit."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tenure.adapters.memory import InMemoryStore
from tenure.bootstrap import bootstrap
from tenure.entrypoints.api import create_app
from tenure.services.clock import ManualClock

EXPECTED = Path(__file__).with_name("openapi_operations.json")
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def operations(schema: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {
        (method.upper(), path): operation["operationId"]
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


def test_the_operations_and_their_ids_are_the_committed_ones() -> None:
    clock = ManualClock(datetime(2026, 2, 3, 9, 0, tzinfo=UTC))
    schema = create_app(bootstrap(InMemoryStore(), clock)).openapi()
    expected = {
        (o["method"], o["path"]): o["operationId"]
        for o in json.loads(EXPECTED.read_text(encoding="utf-8"))
    }

    actual = operations(schema)

    assert sorted(actual.keys() - expected.keys()) == [], "operations not in the fixture"
    assert sorted(expected.keys() - actual.keys()) == [], "operations gone from the API"
    assert {k: v for k, v in actual.items() if expected[k] != v} == {}, "operationIds changed"


def test_operation_ids_are_unique() -> None:
    ids = [o["operationId"] for o in json.loads(EXPECTED.read_text(encoding="utf-8"))]
    assert len(ids) == len(set(ids))
