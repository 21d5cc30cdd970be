"""Webhook deliveries over HTTP (httpx), only to targets the :class:`TargetPolicy` allows."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx

from tenure.adapters.webhook_targets import TargetPolicy, pinned
from tenure.services.webhook_rules import EndpointUrlNotAllowed


class TargetRefused(ConnectionError):
    """The endpoint's host resolves, at delivery time, to an address webhooks may not go to."""


class HttpSender:
    """POSTs a signed webhook; a connection problem raises OSError for the retry logic.

    Unless ``targets`` allows every target, the host is resolved and checked before each
    attempt and the connection goes to the checked address (``Host`` header and TLS server name
    stay the endpoint's host), so a DNS answer that changes between the check and the connect
    (DNS rebinding) cannot redirect the POST. No redirects are followed and no proxy from the
    environment is used."""

    def __init__(self, targets: TargetPolicy, timeout: float = 10.0) -> None:
        self._targets = targets
        self._client = httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False)

    def post(self, url: str, headers: dict[str, str], body: bytes) -> int:
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
        try:
            response = self._client.post(url, headers=headers, content=body, extensions=extensions)
            return response.status_code
        except httpx.HTTPError as exc:
            raise ConnectionError(str(exc) or type(exc).__name__) from exc

    def close(self) -> None:
        self._client.close()
