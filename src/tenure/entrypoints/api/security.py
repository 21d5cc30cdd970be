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


def tenure_of(request: Request) -> Tenure:
    app: Tenure = request.app.state.tenure
    return app


def caller(request: Request, authorization: Annotated[str | None, Header()] = None) -> Caller:
    if not authorization or not authorization.startswith("Bearer "):
        raise ApiProblem(401, "authentication_required", "send `Authorization: Bearer <API key>`")
    try:
        record = tenure_of(request).authenticate(authorization.removeprefix("Bearer ").strip())
    except DomainError as exc:
        raise ApiProblem(401, "invalid_api_key", exc.message) from None
    if request.method not in ("GET", "HEAD", "OPTIONS") and record.scope is Scope.READ_ONLY:
        raise ApiProblem(403, "insufficient_scope", "this API key is read-only")
    return Caller(record.vendor_id, record.scope, record.id)


Authenticated = Annotated[Caller, Depends(caller)]
App = Annotated[Tenure, Depends(tenure_of)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=255)]


def idempotent(
    app: Tenure,
    who: Caller,
    key: str | None,
    request_body: Any,
    run: Callable[[], dict[str, Any]],
) -> dict[str, Any]:
    """Run ``run`` once per Idempotency-Key: a retry returns the first response; the same key
    with another body is refused; a retry while the first is still running gets 409."""
    if key is None:
        return run()
    fingerprint = hashlib.sha256(
        json.dumps(jsonable_encoder(request_body), sort_keys=True).encode()
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
            raise ApiProblem(earlier.status, earlier.body["code"], earlier.body["detail"])
        return dict(earlier.body)
    try:
        result = jsonable_encoder(run())
    except DomainError as exc:
        _store(app, who, key, status_of(exc), {"code": exc.code, "detail": exc.message})
        raise
    except BaseException:
        with app.uow_factory() as uow:
            uow.release_idempotency_key(who.vendor_id, key)
            uow.commit()
        raise
    _store(app, who, key, 200, result)
    return dict(result)


def _store(app: Tenure, who: Caller, key: str, status: int, body: Any) -> None:
    with app.uow_factory() as uow:
        uow.store_idempotent_response(who.vendor_id, key, status, body)
        uow.commit()
