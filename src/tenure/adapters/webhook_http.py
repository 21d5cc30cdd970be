"""Webhook deliveries over HTTP (httpx, imported with the first delivery: a command that sends
no webhook, like most of the CLI's, does not pay for importing it)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx


class HttpSender:
    """POSTs a signed webhook; a connection problem raises OSError for the retry logic."""

    def __init__(self, timeout: float = 10.0) -> None:
        self._timeout = timeout
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    def _http(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                import httpx

                self._client = httpx.Client(timeout=self._timeout, follow_redirects=False)
            return self._client

    def post(self, url: str, headers: dict[str, str], body: bytes) -> int:
        import httpx

        try:
            return self._http().post(url, headers=headers, content=body).status_code
        except httpx.HTTPError as exc:
            raise ConnectionError(str(exc) or type(exc).__name__) from exc

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None
