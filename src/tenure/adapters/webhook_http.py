"""Webhook deliveries over HTTP (httpx), only to targets the :class:`TargetPolicy` allows.

Each attempt has one overall deadline (:data:`DEADLINE`, 10 s: connect, send, the answer's
headers and the part of its body that is read, together), not a timeout per read, so a receiver
that trickles its answer byte by byte is cut off at the deadline. Of the answer at most
:data:`ANSWER_LIMIT` bytes (4 KiB) are kept, as an excerpt for the delivery log; the connection
is then closed, never read to its end (the network read stops within one buffer, 64 KiB, of the
limit). The posts run on an event loop owned by the sender (one thread), so any number of
delivery threads may post at once."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import weakref
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tenure.adapters.webhook_targets import TargetPolicy, pinned
from tenure.services.webhook_rules import EndpointUrlNotAllowed, SenderAnswer

if TYPE_CHECKING:  # httpx is imported when the first webhook is sent: a CLI command sends none
    import httpx

#: Seconds one attempt may take in all (connect, send, headers, body).
DEADLINE = 10.0
#: Bytes of the receiver's answer that are read at most (the rest is never read).
ANSWER_LIMIT = 4096


class TargetRefused(ConnectionError):
    """The endpoint's host resolves, at delivery time, to an address webhooks may not go to."""


class HttpSender:
    """POSTs a signed webhook; a connection problem or the deadline raises OSError for the retry
    logic.

    Unless ``targets`` allows every target, the host is resolved and checked before each
    attempt and the connection goes to the checked address (``Host`` header and TLS server name
    stay the endpoint's host), so a DNS answer that changes between the check and the connect
    (DNS rebinding) cannot redirect the POST. No redirects are followed and no proxy from the
    environment is used."""

    def __init__(self, targets: TargetPolicy, deadline: float = DEADLINE) -> None:
        self._targets = targets
        self.deadline = deadline
        self._started = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: httpx.AsyncClient | None = None

    def _start(self) -> tuple[asyncio.AbstractEventLoop, httpx.AsyncClient]:
        """The sender's event loop and client, started on the first post (most processes that
        bootstrap tenure never post); the loop stops when the sender is garbage collected."""
        with self._started:
            if self._loop is None or self._client is None:
                loop = asyncio.new_event_loop()
                threading.Thread(
                    target=_run, args=(loop,), name="tenure-webhook-http", daemon=True
                ).start()
                weakref.finalize(self, _stop, loop)
                self._client = asyncio.run_coroutine_threadsafe(self._make_client(), loop).result()
                self._loop = loop
            return self._loop, self._client

    async def _make_client(self) -> httpx.AsyncClient:
        import httpx

        return httpx.AsyncClient(
            # A backstop only: the deadline (asyncio.timeout, in _post) ends an attempt first.
            timeout=httpx.Timeout(self.deadline + 5),
            follow_redirects=False,
            trust_env=False,
            limits=httpx.Limits(max_connections=None, max_keepalive_connections=20),
        )

    def post(self, url: str, headers: dict[str, str], body: bytes) -> SenderAnswer:
        try:
            addresses = self._targets.addresses(url)
        except EndpointUrlNotAllowed as exc:
            raise TargetRefused(f"{exc.code}: {exc}") from exc
        extensions: dict[str, Any] = {}
        if addresses is not None:
            host = urlsplit(url).hostname
            url, host_header = pinned(url, addresses[0])
            headers = {**headers, "host": host_header}
            if url.startswith("https://"):
                extensions["sni_hostname"] = host
        loop, client = self._start()
        coroutine = self._post(client, url, headers, body, extensions)
        answer: SenderAnswer = asyncio.run_coroutine_threadsafe(coroutine, loop).result()
        return answer

    async def _post(
        self,
        client: httpx.AsyncClient,
        url: str,
        headers: dict[str, str],
        body: bytes,
        extensions: dict[str, Any],
    ) -> SenderAnswer:
        import httpx

        try:
            async with asyncio.timeout(self.deadline):
                request = client.build_request(
                    "POST", url, headers=headers, content=body, extensions=extensions
                )
                response = await client.send(request, stream=True)
                try:
                    excerpt = await _first_bytes(response, ANSWER_LIMIT)
                finally:
                    await response.aclose()  # unread: the connection is closed, not reused
        except TimeoutError:
            raise TimeoutError(
                f"no complete answer within the deadline of {self.deadline:g} s"
            ) from None
        except httpx.HTTPError as exc:
            raise ConnectionError(str(exc) or type(exc).__name__) from exc
        return SenderAnswer(response.status_code, excerpt.decode("utf-8", "replace"))

    def close(self) -> None:
        with self._started:
            loop, client, self._loop, self._client = self._loop, self._client, None, None
        if loop is None or client is None:
            return
        asyncio.run_coroutine_threadsafe(client.aclose(), loop).result()
        _stop(loop)


def _run(loop: asyncio.AbstractEventLoop) -> None:
    """The sender's thread: its event loop, until stopped (close, or the sender collected)."""
    try:
        loop.run_forever()
    finally:
        loop.close()


def _stop(loop: asyncio.AbstractEventLoop) -> None:
    with contextlib.suppress(RuntimeError):  # closed already
        loop.call_soon_threadsafe(loop.stop)


async def _first_bytes(response: httpx.Response, limit: int) -> bytes:
    """At most ``limit`` bytes of the answer's body, as sent (never decompressed)."""
    read = b""
    async for chunk in response.aiter_raw():
        read += chunk[: limit - len(read)]
        if len(read) >= limit:
            break
    return read
