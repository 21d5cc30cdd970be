"""Where webhooks may go: a URL's host is resolved and every address it resolves to must be
globally routable. Loopback (127.0.0.0/8, ::1), private (RFC 1918, fc00::/7), shared
(100.64.0.0/10), link-local (169.254.0.0/16 with the cloud metadata address 169.254.169.254,
fe80::/10), multicast, unspecified and reserved addresses are refused (IPv4-mapped IPv6
addresses as their IPv4 address), and so is plain ``http``: a receiver must speak https.

The operator setting ``allow_private`` (``TENURE_WEBHOOK_ALLOW_PRIVATE=1``) turns the check off,
http included, for development and tests with a receiver on loopback.

The same check runs when an endpoint is registered or changed (:meth:`TargetPolicy.check`) and
before every delivery (:meth:`TargetPolicy.addresses`): DNS may have changed since, so the HTTP
adapter connects to the address that was checked, never resolving the name a second time."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import SplitResult, urlsplit

from tenure.services.webhook_rules import EndpointUrlNotAllowed, InvalidWebhookUrl

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: host, port -> the addresses it resolves to (raises OSError when it does not resolve).
Resolver = Callable[[str, int], list[IPAddress]]

_REFUSED = (
    ("is_loopback", "loopback"),
    ("is_unspecified", "unspecified"),
    ("is_link_local", "link-local"),
    ("is_multicast", "multicast"),
    ("is_private", "private"),
    ("is_reserved", "reserved"),
)


def system_resolver(host: str, port: int) -> list[IPAddress]:
    """The addresses ``host`` resolves to, in the resolver's order, without repeats (OSError
    also for a name that cannot be looked up, e.g. a label over 63 characters)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except ValueError as exc:  # UnicodeError from the IDNA codec, an embedded NUL
        raise OSError(f"{host!r} is not a valid host name ({exc})") from exc
    found = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    return list(dict.fromkeys(found))


def refusal(address: IPAddress) -> str | None:
    """Why webhooks may not go to ``address`` (``"loopback"``, ...), or None."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for attribute, kind in _REFUSED:
        if getattr(address, attribute):
            return kind
    return None if address.is_global else "non-global"


class TargetPolicy:
    """The check of webhook targets (the services' ``Targets`` port)."""

    def __init__(self, allow_private: bool, resolver: Resolver = system_resolver) -> None:
        self.allow_private = allow_private
        self._resolve = resolver

    def check(self, url: str) -> None:
        """Raise EndpointUrlNotAllowed unless webhooks may go to ``url``; a host that does not
        resolve is refused too (it cannot be checked)."""
        try:
            self.addresses(url)
        except OSError as exc:
            host = urlsplit(url).hostname
            raise EndpointUrlNotAllowed(
                f"{host} does not resolve ({exc})", url=url, reason="unresolvable"
            ) from exc

    def addresses(self, url: str) -> list[IPAddress] | None:
        """The checked addresses to connect to for ``url``, or None when every target is
        allowed (connect as usual). Raises EndpointUrlNotAllowed, or OSError when the host does
        not resolve."""
        if self.allow_private:
            return None
        parts = _parts(url)
        if parts.scheme != "https":
            raise EndpointUrlNotAllowed(
                f"{url!r}: webhooks go over https only", url=url, reason="not_https"
            )
        host = parts.hostname or ""
        found = self._resolve(host, parts.port or 443)
        if not found:
            raise OSError(f"{host} resolves to no address")
        for address in found:
            kind = refusal(address)
            if kind is not None:
                raise EndpointUrlNotAllowed(
                    f"{host} resolves to {address}, a {kind} address: webhooks may not go there",
                    url=url,
                    address=str(address),
                    reason=kind,
                )
        return found


def _parts(url: str) -> SplitResult:
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a port out of range
    except ValueError as exc:
        raise InvalidWebhookUrl(f"{url!r} is not a valid URL ({exc})", url=url) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidWebhookUrl(f"{url!r} is not an http(s) URL", url=url)
    return parts


def pinned(url: str, address: IPAddress) -> tuple[str, str]:
    """``url`` with its host replaced by ``address``, and the ``Host`` header it needs."""
    parts = urlsplit(url)
    userinfo, _, hostport = parts.netloc.rpartition("@")
    ip = f"[{address}]" if address.version == 6 else str(address)
    netloc = ip if parts.port is None else f"{ip}:{parts.port}"
    if userinfo:
        netloc = f"{userinfo}@{netloc}"
    return parts._replace(netloc=netloc).geturl(), hostport
