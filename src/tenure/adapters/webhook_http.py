"""Webhook deliveries over HTTP (httpx)."""

from __future__ import annotations

import httpx


class HttpSender:
    """POSTs a signed webhook; a connection problem raises OSError for the retry logic."""

    def __init__(self, timeout: float = 10.0) -> None:
        self._client = httpx.Client(timeout=timeout, follow_redirects=False)

    def post(self, url: str, headers: dict[str, str], body: bytes) -> int:
        try:
            return self._client.post(url, headers=headers, content=body).status_code
        except httpx.HTTPError as exc:
            raise ConnectionError(str(exc) or type(exc).__name__) from exc

    def close(self) -> None:
        self._client.close()
