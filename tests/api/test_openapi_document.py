"""The OpenAPI document is valid and usable (issue #15, point 12): the shared problem schemas
live under ``components/schemas`` and every ``$ref`` resolves; ``openapi-spec-validator``
accepts the document, and a real code generator (datamodel-code-generator, over the schemas
*and* the paths, with dangling references an error) turns it into models a client can import
and use on the API's own answers."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from tenure.adapters.memory import InMemoryStore
from tenure.bootstrap import bootstrap
from tenure.entrypoints.api import create_app
from tenure.services.clock import ManualClock
from tests.api.test_api import Api


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    clock = ManualClock(datetime(2026, 2, 3, 9, 0, tzinfo=UTC))
    return create_app(bootstrap(InMemoryStore(), clock)).openapi()


def test_every_reference_points_into_components_schemas(document: dict[str, Any]) -> None:
    text = json.dumps(document)
    refs = set(re.findall(r'"\$ref": "([^"]+)"', text))
    schemas = document["components"]["schemas"]

    assert "$defs" not in text
    assert {"Problem", "FieldError"} <= schemas.keys()
    assert {r for r in refs if not r.startswith("#/components/schemas/")} == set()
    assert {r.rsplit("/", 1)[1] for r in refs} <= schemas.keys()
    problem = document["paths"]["/v1/customers"]["post"]["responses"]["422"]
    assert problem["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }


def test_the_document_is_valid_openapi(document: dict[str, Any]) -> None:
    validate(document)  # raises on any error, dangling references included


def test_a_generated_client_imports_and_reads_the_apis_answers(
    document: dict[str, Any], tmp_path: Path
) -> None:
    api = Api(lambda _clock: InMemoryStore())
    source = tmp_path / "openapi.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    output = tmp_path / "tenure_client.py"
    generated = subprocess.run(
        [
            sys.executable,
            "-m",
            "datamodel_code_generator",
            "--input",
            str(source),
            "--input-file-type",
            "openapi",
            "--openapi-scopes",
            "schemas",
            "paths",
            "parameters",
            "--strict-refs",
            "--set-default-enum-member",
            "--output-model-type",
            "pydantic_v2.BaseModel",
            "--formatters",
            "ruff-format",
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert generated.returncode == 0, generated.stderr
    spec = importlib.util.spec_from_file_location("tenure_client", output)
    assert spec is not None
    assert spec.loader is not None
    client = importlib.util.module_from_spec(spec)
    sys.modules["tenure_client"] = client
    try:
        spec.loader.exec_module(client)
        refused = api.post(
            "/v1/customers", {"name": "", "country": "DE", "email": "x", "address": "Weg 1"}
        )
        problem = client.Problem.model_validate(refused.json())
        assert problem.code == "validation_error"
        assert {e.field for e in problem.errors} == {"name", "email"}
        request = client.CustomerIn(
            name="Neu GmbH", country="DE", email="n@k.example", address="Weg 1"
        )
        created = api.post("/v1/customers", request.model_dump(mode="json", exclude_none=True))
        assert created.status_code == 201, created.text
    finally:
        del sys.modules["tenure_client"]
