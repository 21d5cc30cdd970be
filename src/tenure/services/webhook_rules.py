"""What a webhook endpoint may subscribe to and where it may point, and the operator's settings
for webhooks.

* Event types: the published list is :data:`tenure.domain.events.EVENT_DESCRIPTIONS`
  (``GET /v1/event_types``, docs/api.md). An endpoint subscribes to some of them, or to all with
  ``["*"]`` (also what an omitted list means); ``[]``, an unknown type, or ``*`` next to other types
  is refused.
* Targets: only ``http``/``https`` URLs; the :class:`Targets` port (the HTTP adapter) refuses
  hosts that resolve to loopback, private, link-local, multicast, unspecified or reserved
  addresses, and plain ``http``, unless the operator allows private targets
  (``TENURE_WEBHOOK_ALLOW_PRIVATE=1``, for development and tests with a receiver on loopback).
* An endpoint whose deliveries fail without a success for ``disable_after`` (default 3 days,
  ``TENURE_WEBHOOK_DISABLE_AFTER_DAYS``) is disabled, and ``webhook_endpoint.disabled`` tells
  the vendor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from tenure.domain.errors import DomainError
from tenure.domain.events import EVENT_DESCRIPTIONS
from tenure.services.errors import InvalidSetting

#: The subscription to every event type.
ALL_EVENTS = "*"


class InvalidWebhookUrl(DomainError):
    code = "invalid_webhook_url"
    status = 422


class EndpointUrlNotAllowed(DomainError):
    """The URL points where webhooks may not go (a private address, plain http)."""

    code = "endpoint_url_not_allowed"
    status = 422


class UnknownEventType(DomainError):
    code = "unknown_event_type"
    status = 422


class InvalidEventTypes(DomainError):
    """An empty subscription, or ``*`` next to other types."""

    code = "invalid_event_types"
    status = 422


class EndpointDisabled(DomainError):
    code = "webhook_endpoint_disabled"


@dataclass(frozen=True, slots=True)
class SenderAnswer:
    """A receiver's answer to one attempt: its HTTP status and the start of its body (the
    sender reads only a few KiB of it)."""

    status: int
    excerpt: str = ""


class Targets(Protocol):
    """Where webhooks may go (implemented by the HTTP adapter, which applies the same check
    again when it connects)."""

    def check(self, url: str) -> None:
        """Raise :class:`EndpointUrlNotAllowed` unless webhooks may be sent to ``url``."""
        ...


@dataclass(frozen=True, slots=True)
class WebhookSettings:
    """The operator's webhook settings (see the module's documentation)."""

    allow_private: bool = False
    disable_after: timedelta = timedelta(days=3)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WebhookSettings:
        """From ``TENURE_WEBHOOK_ALLOW_PRIVATE`` (``1``/``true``/``yes``) and
        ``TENURE_WEBHOOK_DISABLE_AFTER_DAYS`` (whole days, at least 1); raises InvalidSetting
        (a ValueError) for a value that is neither."""
        allow = env.get("TENURE_WEBHOOK_ALLOW_PRIVATE", "").strip().lower()
        if allow not in ("", "0", "false", "no", "1", "true", "yes"):
            raise InvalidSetting(f"TENURE_WEBHOOK_ALLOW_PRIVATE={allow!r}: use 1 or 0")
        days_text = env.get("TENURE_WEBHOOK_DISABLE_AFTER_DAYS", "3").strip()
        if not days_text.isdigit() or int(days_text) < 1:
            raise InvalidSetting(
                f"TENURE_WEBHOOK_DISABLE_AFTER_DAYS={days_text!r}: a whole number of days >= 1"
            )
        return cls(allow in ("1", "true", "yes"), timedelta(days=int(days_text)))


def check_scheme(url: str) -> None:
    if not url.startswith(("https://", "http://")):
        raise InvalidWebhookUrl(f"{url!r} is not an http(s) URL", url=url)


def subscription(event_types: Iterable[str]) -> tuple[str, ...]:
    """The event types an endpoint subscribes to, checked against the published list, without
    repeats, in the given order."""
    chosen = tuple(dict.fromkeys(event_types))
    if not chosen:
        raise InvalidEventTypes('no event types: give some, or ["*"] for all')
    if ALL_EVENTS in chosen and len(chosen) > 1:
        raise InvalidEventTypes('"*" (every event type) stands alone')
    unknown = [e for e in chosen if e != ALL_EVENTS and e not in EVENT_DESCRIPTIONS]
    if unknown:
        raise UnknownEventType(
            f"unknown event type(s) {', '.join(unknown)}; see GET /v1/event_types",
            event_types=", ".join(unknown),
        )
    return chosen
