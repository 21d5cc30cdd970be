"""Authentication by per-vendor API keys (``Authorization: Bearer tenure_sk_…``) and
``Idempotency-Key`` handling for every POST."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from pydantic import BaseModel

from tenure.domain.errors import DomainError
from tenure.entrypoints.api.hardening import FailedAuthentications
from tenure.entrypoints.api.problems import ApiProblem, status_of
from tenure.services.access import Scope
from tenure.services.application import Services
from tenure.services.context import retrying
from tenure.services.encoding import dumps, plain_dict
from tenure.services.repositories.idempotency import IdempotentResponse


@dataclass(frozen=True, slots=True)
class Caller:
    vendor_id: str
    scope: Scope
    key_id: str


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def services_of(request: Request) -> Services:
    """The services (async: it does no I/O, so FastAPI need not hand it to a worker thread)."""
    return _services(request)


def caller(request: Request, authorization: Annotated[str | None, Header()] = None) -> Caller:
    failures: FailedAuthentications = request.app.state.failed_authentications
    client = request.client.host if request.client else "-"
    if (wait := failures.blocked(client)) is not None:
        raise ApiProblem(
            429,
            "too_many_failed_authentications",
            f"too many failed authentications from this address; try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    if not authorization or not authorization.startswith("Bearer "):
        raise ApiProblem(401, "authentication_required", "send `Authorization: Bearer <API key>`")
    try:
        record = _services(request).api_keys.authenticate(
            authorization.removeprefix("Bearer ").strip()
        )
    except DomainError as exc:
        failures.failed(client)
        raise ApiProblem(401, "invalid_api_key", exc.message) from None
    if request.method not in ("GET", "HEAD", "OPTIONS") and record.scope is Scope.READ_ONLY:
        raise ApiProblem(403, "insufficient_scope", "this API key is read-only")
    return Caller(record.vendor_id, record.scope, record.id)


Authenticated = Annotated[Caller, Depends(caller)]
ServicesDep = Annotated[Services, Depends(services_of)]


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
    service: Services,
    who: Caller,
    idem: Idempotency,
    request_body: Any,
    run: Callable[[Services], dict[str, Any]],
    *,
    atomic: bool = True,
    withheld: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Run ``run(service)`` once per Idempotency-Key: a retry returns the first response (or
    refusal); the same key on another operation or with another body is refused (422).

    The key is claimed, the use cases run and the response is stored in one transaction (the
    use cases join it, see :meth:`Services.joined`), so a request either happened and can be
    replayed or left no trace; a duplicate sent meanwhile waits for the first and replays it.
    ``atomic=False`` is for long requests that are idempotent by themselves (advancing a test
    clock to an instant): they run in their own transactions and only their response is
    recorded, so they hold no locks for their whole length.
    The fingerprint covers method, path (with its ids, from ``idem``) and ``request_body``.
    The ``withheld`` fields (a secret) are in the first response only: they are stored, and so
    replayed, as ``null``."""
    key = idem.key
    if key is None:
        return run(service)
    fingerprint = _fingerprint(idem.operation, request_body)
    earlier = _run_once(service, who.vendor_id, key, fingerprint, run, atomic, withheld)
    if earlier.fingerprint != fingerprint:
        raise ApiProblem(
            422, "idempotency_key_reused", "this Idempotency-Key was used with a different request"
        )
    if earlier.status is None:  # claimed by a process of an earlier version, still running
        raise ApiProblem(409, "idempotency_key_in_use", "the first request is still running")
    if earlier.status >= 400:
        body = dict(earlier.body)
        raise ApiProblem(earlier.status, body.pop("code"), body.pop("detail"), **body)
    return dict(earlier.body)


def _fingerprint(operation: str, request_body: Any) -> str:
    """SHA-256 of the operation and the fields the client sent (not the defaults it left out),
    as JSON with sorted keys. Fingerprints are stored with their keys: this text must not change,
    or a retry after an upgrade would be refused; leaving defaults out keeps it when a release
    adds an optional field."""
    if isinstance(request_body, BaseModel):
        request_body = request_body.model_dump(mode="json", exclude_unset=True)
    return hashlib.sha256(dumps([operation, request_body], sort_keys=True).encode()).hexdigest()


@retrying
def _run_once(
    service: Services,
    vendor_id: str,
    key: str,
    fingerprint: str,
    run: Callable[[Services], dict[str, Any]],
    atomic: bool,
    withheld: tuple[str, ...],
) -> IdempotentResponse:
    """The key's recorded outcome: the earlier request's, or this one's after running it."""
    try:
        if not atomic:
            if (earlier := _recorded(service, vendor_id, key, fingerprint)) is not None:
                return earlier
            body = plain_dict(run(service))
            kept = _withholding(body, withheld)
            earlier = _record(service, vendor_id, key, fingerprint, 200, kept)
            return earlier or IdempotentResponse(fingerprint, 200, body)
        with service.uow_factory() as uow:
            earlier = uow.idempotency.claim(vendor_id, key, fingerprint, service.clock.now())
            if earlier is not None:
                return earlier
            body = plain_dict(run(service.joined(uow)))
            uow.idempotency.store(vendor_id, key, 200, _withholding(body, withheld))
            uow.commit()
            return IdempotentResponse(fingerprint, 200, body)
    except DomainError as exc:
        # Refused (an atomic request left no trace). Record the refusal so a retry gets it again.
        fields = {k: str(v) for k, v in exc.details.items() if v is not None}
        refusal = {
            "code": exc.code,
            "detail": exc.message,
            **({"details": fields} if fields else {}),
        }
        if earlier := _record(service, vendor_id, key, fingerprint, status_of(exc), refusal):
            return earlier  # another request with this key got in first
        raise


def _withholding(body: dict[str, Any], withheld: tuple[str, ...]) -> dict[str, Any]:
    """The response as stored for replays: the ``withheld`` fields are ``null``."""
    return {k: None if k in withheld else v for k, v in body.items()}


def _recorded(
    service: Services, vendor_id: str, key: str, fingerprint: str
) -> IdempotentResponse | None:
    """What an earlier request recorded for ``key``, if anything (the claim is not kept)."""
    with service.uow_factory() as uow:
        return uow.idempotency.claim(vendor_id, key, fingerprint, service.clock.now())


def _record(
    service: Services, vendor_id: str, key: str, fingerprint: str, status: int, body: Any
) -> IdempotentResponse | None:
    """Record an outcome for ``key``: None once recorded, or the outcome another request
    recorded first (which stands)."""
    with service.uow_factory() as uow:
        earlier = uow.idempotency.claim(vendor_id, key, fingerprint, service.clock.now())
        if earlier is None:
            uow.idempotency.store(vendor_id, key, status, body)
            uow.commit()
        return earlier
