"""Errors as RFC 9457 problem details (``application/problem+json``) with a stable ``code``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from tenure.adapters.yaml_source import InputError
from tenure.domain.errors import DomainError
from tenure.services.access import InvalidApiKey
from tenure.services.unit_of_work import ConcurrencyConflict, NotFound

PROBLEM_TYPE = "https://tenure.dev/problems/"


class ApiProblem(Exception):
    """A problem raised by the HTTP layer itself (auth, scope, idempotency)."""

    def __init__(self, status: int, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.extra = status, code, detail, extra


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
    if isinstance(error, NotFound) or error.code.startswith("unknown_"):
        return 404
    if isinstance(error, InvalidApiKey):
        return 401
    return 422


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiProblem)
    async def _api(_: Request, exc: ApiProblem) -> JSONResponse:
        return problem(exc.status, exc.code, exc.detail, **exc.extra)

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
        errors = [
            {
                "field": ".".join(str(x) for x in e["loc"] if x not in ("body", "query", "path")),
                "message": e["msg"],
                "type": e["type"],
            }
            for e in exc.errors()
        ]
        return problem(422, "validation_error", f"{len(errors)} invalid field(s)", errors=errors)

    @app.exception_handler(ConcurrencyConflict)
    async def _conflict(_: Request, exc: ConcurrencyConflict) -> JSONResponse:
        return problem(409, "concurrent_update", str(exc))
