"""Errors as RFC 9457 problem details (``application/problem+json``) with a stable ``code``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from tenure.adapters.yaml_source import InputError
from tenure.domain.errors import DomainError
from tenure.services.errors import (
    ConcurrencyConflict,
    InvalidStoredValue,
    StorageError,
    StoreUnavailable,
)

PROBLEM_TYPE = "https://tenure.dev/problems/"


class FieldError(BaseModel):
    field: str
    message: str
    type: str | None = None


class Problem(BaseModel):
    """RFC 9457 problem details; ``code`` is stable and machine-readable."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] | None = None
    details: dict[str, str] | None = None


#: Where the OpenAPI document keeps the shared schemas (see :func:`add_problem_schemas`).
SCHEMAS = "#/components/schemas/"


def _documented(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": SCHEMAS + "Problem"}}},
    }


def add_problem_schemas(document: dict[str, Any]) -> dict[str, Any]:
    """Put ``Problem`` and ``FieldError`` under ``components/schemas`` of an OpenAPI document,
    where the error responses refer to them."""
    schema = Problem.model_json_schema(ref_template=SCHEMAS + "{model}")
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(schema.pop("$defs", {}))
    schemas["Problem"] = schema
    return document


#: Error responses of every API operation, as documented in the OpenAPI schema.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _documented("A request that cannot be read (`malformed_json`, bad headers)"),
    401: _documented("Missing, unknown or revoked API key"),
    403: _documented("The API key may only read"),
    404: _documented("No such object for this vendor"),
    409: _documented(
        "A rule of the contract refused the request (see `code`), or concurrent updates of "
        "the same object kept winning over the retries"
    ),
    415: _documented("A body sent with a media type the operation does not read"),
    503: _documented("The database is unreachable or stayed busy; retry after `Retry-After`"),
    413: _documented("The request body is larger than the API reads (`request_too_large`)"),
    429: _documented("Too many failed authentications from this address; see `Retry-After`"),
    422: _documented(
        "Invalid input (every bad field is listed), a cursor from another list, or an "
        "Idempotency-Key reused with a different request"
    ),
}


class ApiProblem(Exception):
    """A problem raised by the HTTP layer itself (auth, scope, idempotency)."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.extra = status, code, detail, extra
        self.headers = headers or {}


def problem(status: int, code: str, detail: str, **extra: Any) -> JSONResponse:
    body = {
        "type": PROBLEM_TYPE + code,
        "title": code.replace("_", " "),
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status, media_type="application/problem+json", headers=headers)


def status_of(error: DomainError) -> int:
    """The HTTP status of a refusal: each error class carries its own (``DomainError.status``)."""
    return error.status


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiProblem)
    async def _api(_: Request, exc: ApiProblem) -> JSONResponse:
        response = problem(exc.status, exc.code, exc.detail, **exc.extra)
        response.headers.update(exc.headers)
        return response

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        fields = {k: str(v) for k, v in exc.details.items() if v is not None}
        return problem(
            status_of(exc), exc.code, exc.message, **({"details": fields} if fields else {})
        )

    @app.exception_handler(InputError)
    async def _input(_: Request, exc: InputError) -> JSONResponse:
        return problem(
            422,
            "invalid_catalog",
            "the catalog is not valid",
            errors=[{"field": p.split(":")[0], "message": p} for p in exc.problems],
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        if unreadable := [e for e in exc.errors() if e["type"] == "json_invalid"]:
            reason = unreadable[0].get("ctx", {}).get("error", "JSON decode error")
            at = unreadable[0]["loc"][-1]
            return problem(
                400, "malformed_json", f"the request body is not valid JSON: {reason} (at {at})"
            )
        errors = [
            {
                # the field's path in the body or query; "body" for the body as a whole
                "field": ".".join(str(x) for x in e["loc"] if x not in ("body", "query", "path"))
                or str(e["loc"][0]),
                "message": e["msg"],
                "type": e["type"],
            }
            for e in exc.errors()
        ]
        return problem(422, "validation_error", f"{len(errors)} invalid field(s)", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {
            400: "bad_request",
            404: "not_found",
            405: "method_not_allowed",
            413: "request_too_large",
        }
        response = problem(
            exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail)
        )
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(StorageError)
    async def _storage(_: Request, exc: StorageError) -> JSONResponse:
        # The database refused a value the schema let through (PostgreSQL: a text longer than
        # its column: 422, naming the field where it can be told), or it is unreachable or,
        # on SQLite, stayed locked past the busy timeout (503).
        field = exc.field if isinstance(exc, InvalidStoredValue) else None
        errors = [{"field": field, "message": "the database refused this value"}]
        response = problem(
            exc.status, exc.code, exc.detail, **({"errors": errors} if field else {})
        )
        if isinstance(exc, StoreUnavailable):
            response.headers["Retry-After"] = "1"
        return response

    @app.exception_handler(ConcurrencyConflict)
    async def _conflict(_: Request, exc: ConcurrencyConflict) -> JSONResponse:
        return problem(409, "concurrent_update", str(exc))
