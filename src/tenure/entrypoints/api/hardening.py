"""HTTP hardening of the vendor API (security review, issue #14 points 2 and 10).

- Every answer carries ``X-Content-Type-Options: nosniff``; API answers (``/v1``) also
  ``Cache-Control: no-store`` (they hold customer data and must not sit in shared caches).
- Request bodies are capped at :data:`MAX_BODY_BYTES`: a larger ``Content-Length`` is refused
  at once with a 413 problem, and a body sent without one is counted as it arrives and cut off
  there.
- Failed authentications are limited per client address (:class:`FailedAuthentications`), so a
  key cannot be guessed at line speed.
"""

from __future__ import annotations

import json
import time
from typing import Any

from fastapi import HTTPException
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The largest request body the API reads (a catalog is a few kilobytes; usage batches are
#: limited to 1,000 events).
MAX_BODY_BYTES = 1_048_576
#: Failed authentications one client address may make per minute before it gets 429s.
FAILED_AUTH_PER_MINUTE = 30

PROBLEM_TYPE = "https://tenure.dev/problems/"


def problem_body(status: int, code: str, title: str, detail: str) -> bytes:
    return json.dumps(
        {
            "type": PROBLEM_TYPE + code,
            "title": title,
            "status": status,
            "detail": detail,
            "code": code,
        }
    ).encode()


class Hardening:
    """ASGI middleware: security headers on every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope["path"].startswith("/v1")

        async def send_hardened(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in (b"server", b"x-content-type-options")
                ]
                headers.append((b"x-content-type-options", b"nosniff"))
                if api:
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        length = _content_length(scope)
        if length is not None and length > MAX_BODY_BYTES:
            await _too_large(send_hardened)
            return
        received = 0

        async def receive_capped() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY_BYTES:
                    raise BodyTooLarge
            return message

        await self.app(scope, receive_capped, send_hardened)


class BodyTooLarge(HTTPException):
    """Raised while a body streams in past the cap; an HTTP exception, so that FastAPI passes it
    on (instead of calling it a parse error) and the problem handlers answer 413."""

    def __init__(self) -> None:
        super().__init__(413, f"a request body may have at most {MAX_BODY_BYTES} bytes")


async def _too_large(send: Send) -> None:
    """The 413 problem for a declared length over the cap (a body that turns out too long as it
    streams is cut off by FastAPI's ``max_body_size`` and answered by the problem handlers)."""
    body = problem_body(
        413,
        "request_too_large",
        "request too large",
        f"a request body may have at most {MAX_BODY_BYTES} bytes",
    )
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class FailedAuthentications:
    """A moving one-minute window of failed authentications per client address (the ``limits``
    library, in memory: one process's count; behind a proxy, the proxy's address)."""

    def __init__(self, per_minute: int = FAILED_AUTH_PER_MINUTE) -> None:
        self._item = RateLimitItemPerMinute(per_minute)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def blocked(self, client: str) -> int | None:
        """Seconds until ``client`` may try again, or None if it may now."""
        if self._limiter.test(self._item, client):
            return None
        reset: Any = self._limiter.get_window_stats(self._item, client).reset_time
        return max(1, int(reset - time.time()) + 1)

    def failed(self, client: str) -> None:
        self._limiter.hit(self._item, client)
