"""Authentication by per-vendor API keys (``Authorization: Bearer tenure_sk_…``) and
``Idempotency-Key`` handling for every POST."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.encoders import jsonable_encoder

from tenure.domain.errors import DomainError
from tenure.entrypoints.api.problems import ApiProblem, status_of
from tenure.services.access import Scope
from tenure.services.use_cases import Tenure


@dataclass(frozen=True, slots=True)
class Caller:
    vendor_id: str
    scope: Scope
    key_id: str


def _tenure(request: Request) -> Tenure:
    app: Tenure = request.app.state.tenure
    return app


async def tenure_of(request: Request) -> Tenure:
    """The application (async: it does no I/O, so FastAPI need not hand it to a worker thread)."""
    return _tenure(request)


def caller(request: Request, authorization: Annotated[str | None, Header()] = None) -> Caller:
    if not authorization or not authorization.startswith("Bearer "):
        raise ApiProblem(401, "authentication_required", "send `Authorization: Bearer <API key>`")
    try:
        record = _tenure(request).authenticate(authorization.removeprefix("Bearer ").strip())
    except DomainError as exc:
        raise ApiProblem(401, "invalid_api_key", exc.message) from None
    if request.method not in ("GET", "HEAD", "OPTIONS") and record.scope is Scope.READ_ONLY:
        raise ApiProblem(403, "insufficient_scope", "this API key is read-only")
    return Caller(record.vendor_id, record.scope, record.id)


Authenticated = Annotated[Caller, Depends(caller)]
App = Annotated[Tenure, Depends(tenure_of)]


@dataclass(frozen=True, slots=True)
class Idempotency:
    """The request's Idempotency-Key (None: not sent) and the operation it was sent to."""

    key: str | None
    operation: str


async def idempotency(
    request: Request,
    key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=255)] = None,
) -> Idempotency:
    return Idempotency(key, f"{request.method} {request.url.path}")


IdempotencyKey = Annotated[Idempotency, Depends(idempotency)]


def idempotent(
    app: Tenure,
    who: Caller,
    idem: Idempotency,
    request_body: Any,
    run: Callable[[], dict[str, Any]],
) -> dict[str, Any]:
    """Run ``run`` once per Idempotency-Key: a retry returns the first response (or refusal);
    the same key on another operation or with another body is refused (422); a retry while the
    first still runs gets 409. The fingerprint covers method, path (with its ids, from
    ``idem``) and ``request_body`` (the parsed body, or None)."""
    key = idem.key
    if key is None:
        return run()
    fingerprint = hashlib.sha256(
        json.dumps([idem.operation, jsonable_encoder(request_body)], sort_keys=True).encode()
    ).hexdigest()
    with app.uow_factory() as uow:
        earlier = uow.claim_idempotency_key(who.vendor_id, key, fingerprint, app.clock.now())
        uow.commit()
    if earlier is not None:
        if earlier.fingerprint != fingerprint:
            raise ApiProblem(
                422,
                "idempotency_key_reused",
                "this Idempotency-Key was used with a different request",
            )
        if earlier.status is None:
            raise ApiProblem(409, "idempotency_key_in_use", "the first request is still running")
        if earlier.status >= 400:
            body = dict(earlier.body)
            raise ApiProblem(earlier.status, body.pop("code"), body.pop("detail"), **body)
        return dict(earlier.body)
    try:
        result = jsonable_encoder(run())
    except DomainError as exc:
        fields = {k: str(v) for k, v in exc.details.items() if v is not None}
        _store_or_release(
            app,
            who,
            key,
            status_of(exc),
            {"code": exc.code, "detail": exc.message, **({"details": fields} if fields else {})},
        )
        raise
    except BaseException:
        _release(app, who, key)
        raise
    _store_or_release(app, who, key, 200, result)
    return dict(result)


def _store_or_release(app: Tenure, who: Caller, key: str, status: int, body: Any) -> None:
    try:
        with app.uow_factory() as uow:
            uow.store_idempotent_response(who.vendor_id, key, status, body)
            uow.commit()
    except BaseException:
        # The outcome could not be recorded: free the key rather than block retries forever
        # (a retry then runs again; see docs/decisions/0008-api-conventions.md).
        _release(app, who, key)
        raise


def _release(app: Tenure, who: Caller, key: str) -> None:
    with app.uow_factory() as uow:
        uow.release_idempotency_key(who.vendor_id, key)
        uow.commit()
