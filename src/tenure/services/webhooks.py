"""Webhooks: vendors register endpoints and choose event types; every event in the outbox becomes
one delivery per matching endpoint, signed per the Standard Webhooks scheme (HMAC-SHA256; headers
``webhook-id``, ``webhook-timestamp``, ``webhook-signature``), retried with exponential backoff,
logged, and redeliverable by hand. Retries go on for about 15 hours, so a receiver that is down
for an hour loses nothing."""

from __future__ import annotations

import threading
import weakref
from dataclasses import replace
from datetime import timedelta
from typing import Any, Protocol

from tenure.domain.events import WebhookEndpointDisabled
from tenure.services.context import Context, UseCases, retrying
from tenure.services.encoding import dumps, event_payload
from tenure.services.errors import (
    ERROR_LENGTH,
    UnknownDelivery,
    UnknownWebhookEndpoint,
    describe,
)
from tenure.services.paging import Page, page_size
from tenure.services.repositories.outbox import OutboxMessage
from tenure.services.repositories.webhooks import Delivery, WebhookEndpoint
from tenure.services.unit_of_work import UnitOfWork
from tenure.services.webhook_rules import (
    ALL_EVENTS,
    EndpointDisabled,
    SenderAnswer,
    Targets,
    WebhookSettings,
    check_scheme,
    subscription,
)
from tenure.services.webhook_signing import new_secret, sign, signatures

#: Pause before attempt n+1 after n failed attempts; after the last one the delivery is failed
#: (and can still be redelivered by hand).
RETRY_DELAYS = [
    timedelta(seconds=5),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=30),
] + [timedelta(hours=1)] * 14


#: How long a rotated-out secret keeps signing deliveries (next to the new one).
SECRET_OVERLAP = timedelta(hours=24)
#: How long a leased delivery stays off the due list: longer than any attempt (the sender's
#: deadline is 10 s), so only a worker that died mid-attempt lets it fall due again.
LEASE = timedelta(seconds=60)


class Sender(Protocol):
    def post(self, url: str, headers: dict[str, str], body: bytes) -> SenderAnswer:
        """POST within one overall deadline and return the status and the start of the body;
        raise OSError (or a subclass, TimeoutError at the deadline) when no answer came."""
        ...


class Webhooks(UseCases):
    """Registration, fan-out from the outbox (a message bus handler), and delivery with
    retries through ``sender``."""

    def __init__(
        self, ctx: Context, sender: Sender, targets: Targets, settings: WebhookSettings
    ) -> None:
        super().__init__(ctx)
        self.sender = sender
        self.targets = targets
        self.settings = settings
        # The endpoints of each vendor, kept for the dispatch transaction that read them.
        self._in_flight: set[str] = set()  # endpoints with an attempt running in this process
        self._in_flight_lock = threading.Lock()
        self._endpoints: weakref.WeakKeyDictionary[UnitOfWork, dict[str, list[WebhookEndpoint]]] = (
            weakref.WeakKeyDictionary()
        )

    def create_endpoint(
        self, vendor_id: str, url: str, event_types: tuple[str, ...] = (ALL_EVENTS,)
    ) -> WebhookEndpoint:
        """Register ``url`` for ``event_types`` (``("*",)``: all); refuses an URL webhooks may
        not go to and event types that are not published (see :mod:`.webhook_rules`)."""
        chosen = subscription(event_types)
        self._check_url(url)
        endpoint = WebhookEndpoint(
            self.ctx.ids("we"), vendor_id, url, new_secret(), chosen, self.ctx.clock.now()
        )
        with self._uow() as uow:
            uow.vendors.catalog(vendor_id)
            uow.webhooks.add_endpoint(endpoint)
            uow.audit.record(vendor_id, "webhook_endpoint.created", *_audited(None, endpoint))
            uow.commit()
        return endpoint

    def rotate_secret(self, vendor_id: str, endpoint_id: str) -> WebhookEndpoint:
        """A new signing secret (returned here only). The replaced one keeps signing deliveries
        for :data:`SECRET_OVERLAP`, next to the new one, so the receiver can switch without
        losing a webhook; rotating again within the overlap drops the older secret."""
        secret = new_secret()
        with self._uow() as uow:
            before = uow.webhooks.endpoint(vendor_id, endpoint_id)
            until = self.ctx.clock.now() + SECRET_OVERLAP
            uow.webhooks.rotate_secret(vendor_id, endpoint_id, secret, before.secret, until)
            entity = ("webhook_endpoint", endpoint_id)
            after = {"previous_secret_until": until.isoformat()}  # never a secret
            uow.audit.record(vendor_id, "webhook_endpoint.secret_rotated", *entity, None, after)
            uow.commit()
        return replace(
            before, secret=secret, previous_secret=before.secret, previous_secret_until=until
        )

    def endpoints(self, vendor_id: str) -> list[WebhookEndpoint]:
        with self._reading() as uow:
            return uow.webhooks.endpoints(vendor_id)

    def endpoint(self, vendor_id: str, endpoint_id: str) -> WebhookEndpoint:
        with self._reading() as uow:
            return uow.webhooks.endpoint(vendor_id, endpoint_id)

    def update_endpoint(
        self,
        vendor_id: str,
        endpoint_id: str,
        *,
        url: str | None = None,
        event_types: tuple[str, ...] | None = None,
        enabled: bool | None = None,
    ) -> WebhookEndpoint:
        """Change what is given. Disabling cancels the pending deliveries (they are never
        sent; redeliver them by hand after enabling again); enabling starts a new failure
        streak."""
        chosen = subscription(event_types) if event_types is not None else None
        if url is not None:
            self._check_url(url)
        with self._uow() as uow:
            before = uow.webhooks.endpoint(vendor_id, endpoint_id)
            after = replace(before, url=url or before.url, event_types=chosen or before.event_types)
            if enabled is True:
                after = replace(after, enabled=True, failing_since=None, disabled_reason=None)
            elif enabled is False and before.enabled:
                after = replace(after, enabled=False, disabled_reason="vendor")
                uow.webhooks.cancel_pending(vendor_id, endpoint_id)
            uow.webhooks.update_endpoint(after)
            uow.audit.record(vendor_id, "webhook_endpoint.changed", *_audited(before, after))
            uow.commit()
            return after

    def delete_endpoint(self, vendor_id: str, endpoint_id: str) -> None:
        """Remove the endpoint; its pending deliveries are cancelled, never sent."""
        with self._uow() as uow:
            before = uow.webhooks.endpoint(vendor_id, endpoint_id)
            uow.webhooks.cancel_pending(vendor_id, endpoint_id)
            uow.webhooks.delete_endpoint(vendor_id, endpoint_id)
            uow.audit.record(vendor_id, "webhook_endpoint.deleted", *_audited(before, None))
            uow.commit()

    def _check_url(self, url: str) -> None:
        check_scheme(url)
        self.targets.check(url)

    def deliveries(self, vendor_id: str, endpoint_id: str) -> list[Delivery]:
        with self._reading() as uow:
            uow.webhooks.endpoint(vendor_id, endpoint_id)  # 404 for another vendor's endpoint
            return uow.webhooks.deliveries(vendor_id, endpoint_id)

    def deliveries_page(
        self, vendor_id: str, endpoint_id: str, *, after: str | None = None, limit: int = 20
    ) -> Page[Delivery]:
        with self._reading() as uow:
            uow.webhooks.endpoint(vendor_id, endpoint_id)  # 404 for another vendor's endpoint
            return uow.webhooks.deliveries_page(vendor_id, endpoint_id, after, page_size(limit))

    def on_event(self, uow: UnitOfWork, message: OutboxMessage) -> None:
        """The message bus's handler: one delivery per endpoint of the vendor that wants the
        event, created in the bus's transaction (see :mod:`tenure.services.messagebus`)."""
        now = self.ctx.clock.now()
        known = self._endpoints.setdefault(uow, {})
        if message.vendor_id not in known:
            known[message.vendor_id] = uow.webhooks.endpoints(message.vendor_id)
        # A random message id (the same on every attempt and for every endpoint of the event):
        # a shared sequence would show a vendor the gaps other vendors' events leave.
        message_id = None
        for endpoint in known[message.vendor_id]:
            if endpoint.wants(message.event.name):
                message_id = message_id or self.ctx.ids("msg")
                uow.webhooks.add_delivery(
                    Delivery(
                        id=self.ctx.ids("wd"),
                        vendor_id=message.vendor_id,
                        endpoint_id=endpoint.id,
                        message_id=message_id,
                        event_name=message.event.name,
                        payload=event_payload(message.event),
                        status="pending",
                        attempts=0,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )

    def deliver_due(self, limit: int = 100) -> int:
        """Attempt the deliveries that are due, one after the other; returns how many were
        attempted (the CLI and tests; ``tenure serve`` runs :meth:`deliver_next` in threads)."""
        attempted = 0
        while attempted < limit and self.deliver_next():
            attempted += 1
        return attempted

    def deliver_next(self) -> bool:
        """Attempt the oldest due delivery whose endpoint has no attempt in flight in this
        process (one attempt per endpoint at a time, so a slow receiver holds one delivery thread
        and the others serve other endpoints); returns whether there was one.

        Never posts with a transaction open: (a) a short transaction leases the delivery (its
        ``attempts`` counts the attempt, ``next_attempt_at`` moves :data:`LEASE` ahead, so a
        worker that dies mid-attempt leaves it due again: at least once); (b) the post, under
        the sender's overall deadline; (c) a short transaction records the outcome if the lease
        is still ours (no redelivery, cancellation or other worker came meanwhile)."""
        with self._in_flight_lock:
            leased = self._lease(tuple(self._in_flight))
            if leased is None:
                return False
            delivery, endpoint = leased
            if endpoint is None:
                return True  # cancelled: the endpoint is gone or disabled
            self._in_flight.add(endpoint.id)
        try:
            status, error = self._post(delivery, endpoint)
            self._record(delivery, status, error)
        finally:
            with self._in_flight_lock:
                self._in_flight.discard(endpoint.id)
        return True

    @retrying
    def _lease(self, busy: tuple[str, ...]) -> tuple[Delivery, WebhookEndpoint | None] | None:
        with self._uow() as uow:
            now = self.ctx.clock.now()
            delivery = uow.webhooks.next_due(now, busy)
            if delivery is None:
                return None
            try:
                endpoint: WebhookEndpoint | None = uow.webhooks.endpoint(
                    delivery.vendor_id, delivery.endpoint_id
                )
            except UnknownWebhookEndpoint:
                endpoint = None
            if endpoint is None or not endpoint.enabled:  # removed or disabled meanwhile
                cancelled = replace(delivery, status="cancelled", next_attempt_at=None)
                uow.webhooks.update_delivery(cancelled)
                uow.commit()
                return cancelled, None
            leased = replace(delivery, attempts=delivery.attempts + 1, next_attempt_at=now + LEASE)
            uow.webhooks.update_delivery(leased)
            uow.commit()
            return leased, endpoint

    def _post(self, delivery: Delivery, endpoint: WebhookEndpoint) -> tuple[int | None, str | None]:
        """Sign and send, with no transaction open; the HTTP status (None: no answer) and the
        error to log (None: a 2xx)."""
        body = dumps(delivery.payload, compact=True).encode()
        now = self.ctx.clock.now()
        timestamp = int(now.timestamp())
        headers = {
            "content-type": "application/json",
            "webhook-id": delivery.message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signatures(
                endpoint.signing_secrets(now), delivery.message_id, timestamp, body
            ),
        }
        try:
            answer = self.sender.post(endpoint.url, headers, body)
        except OSError as exc:
            return None, describe(exc)
        if 200 <= answer.status < 300:
            return answer.status, None
        excerpt = " ".join(answer.excerpt.split())
        return answer.status, (
            f"HTTP {answer.status}: {excerpt}" if excerpt else f"HTTP {answer.status}"
        )[:ERROR_LENGTH]

    @retrying
    def _record(self, leased: Delivery, status: int | None, error: str | None) -> None:
        assert leased.next_attempt_at is not None
        with self._uow() as uow:
            now = self.ctx.clock.now()
            if error is None:
                updated = replace(
                    leased,
                    status="delivered",
                    next_attempt_at=None,
                    last_status=status,
                    last_error=None,
                    delivered_at=now,
                )
            else:
                more = leased.attempts <= len(RETRY_DELAYS)
                updated = replace(
                    leased,
                    status="pending" if more else "failed",
                    next_attempt_at=now + RETRY_DELAYS[leased.attempts - 1] if more else None,
                    last_status=status,
                    last_error=error,
                )
            if not uow.webhooks.update_leased(updated, leased.attempts, leased.next_attempt_at):
                return  # the lease is no longer ours: what replaced it stands
            try:
                endpoint = uow.webhooks.endpoint(leased.vendor_id, leased.endpoint_id)
            except UnknownWebhookEndpoint:
                endpoint = None
            if endpoint is not None:
                self._streak(uow, endpoint, failed=error is not None)
            uow.commit()

    def _streak(self, uow: UnitOfWork, endpoint: WebhookEndpoint, *, failed: bool) -> None:
        """Track the endpoint's run of failed attempts; a run longer than the operator's
        ``disable_after`` disables it, cancels its pending deliveries and publishes
        ``webhook_endpoint.disabled`` (to the vendor's other endpoints, and audited)."""
        now = self.ctx.clock.now()
        vendor_id, since = endpoint.vendor_id, endpoint.failing_since
        if not failed:
            if since is not None:
                uow.webhooks.set_failing_since(vendor_id, endpoint.id, None)
            return
        if since is None:
            uow.webhooks.set_failing_since(vendor_id, endpoint.id, now)
            return
        if now - since < self.settings.disable_after:
            return
        if not uow.webhooks.disable_failing(vendor_id, endpoint.id, since):
            return  # the vendor changed it meanwhile: their change stands
        disabled = replace(endpoint, enabled=False, disabled_reason="failing")
        uow.webhooks.cancel_pending(vendor_id, endpoint.id)
        days = self.settings.disable_after.days
        event = WebhookEndpointDisabled(
            occurred_at=now,
            endpoint_id=endpoint.id,
            url=endpoint.url,
            failing_since=since,
            reason=f"every delivery failed for {days} day(s)",
        )
        uow.outbox.publish(vendor_id, [event])
        uow.audit.record(vendor_id, "webhook_endpoint.disabled", *_audited(endpoint, disabled))

    def redeliver(self, vendor_id: str, delivery_id: str) -> Delivery:
        """Send a delivery again now (delivered or failed alike), keeping its webhook-id."""
        with self._uow() as uow:
            delivery = uow.webhooks.delivery(vendor_id, delivery_id)
            if delivery is None:
                raise UnknownDelivery(f"no webhook delivery {delivery_id!r}")
            endpoint = uow.webhooks.endpoint(vendor_id, delivery.endpoint_id)  # 404 if deleted
            if not endpoint.enabled:
                raise EndpointDisabled(
                    f"webhook endpoint {endpoint.id} is disabled; enable it first",
                    endpoint=endpoint.id,
                )
            again = replace(delivery, status="pending", next_attempt_at=self.ctx.clock.now())
            uow.webhooks.update_delivery(again)
            uow.commit()
            return again


def _audited(
    before: WebhookEndpoint | None, after: WebhookEndpoint | None
) -> tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]:
    """The audit entry's entity, id, before and after of an endpoint (never its secret)."""

    def shown(e: WebhookEndpoint | None) -> dict[str, Any] | None:
        if e is None:
            return None
        return {
            "url": e.url,
            "event_types": list(e.event_types),
            "enabled": e.enabled,
            "disabled_reason": e.disabled_reason,
        }

    endpoint = after or before
    assert endpoint is not None
    return "webhook_endpoint", endpoint.id, shown(before), shown(after)


__all__ = [
    "Delivery",
    "Sender",
    "SenderAnswer",
    "WebhookEndpoint",
    "Webhooks",
    "new_secret",
    "sign",
]
