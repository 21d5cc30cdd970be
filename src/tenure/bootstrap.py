"""The one place where tenure is wired: a store, a clock, an id source and the adapters become
:class:`~tenure.services.application.Services`. The CLI, ``tenure serve``, the API, ``tenure
simulate``, the benchmarks and the tests all start here."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Protocol

from tenure.adapters.vat_ids import StdnumTaxIdentity
from tenure.adapters.webhook_http import HttpSender
from tenure.adapters.webhook_targets import TargetPolicy
from tenure.services.application import Services
from tenure.services.clock import Clock, SystemClock
from tenure.services.context import Context, IdGenerator, random_ids
from tenure.services.messagebus import MessageBus
from tenure.services.unit_of_work import UnitOfWork
from tenure.services.webhook_rules import WebhookSettings
from tenure.services.webhooks import Sender


class Store(Protocol):
    """Where the state lives: the in-memory store or an SQL database."""

    @property
    def unit_of_work(self) -> Callable[[], UnitOfWork]: ...


def bootstrap(
    store: Store,
    clock: Clock | None = None,
    ids: IdGenerator = random_ids,
    sender: Sender | None = None,
    webhooks: WebhookSettings | None = None,
) -> Services:
    """tenure on ``store``: ``clock`` (default: the store's, else the system clock), ``ids``
    (random, or ``SequentialIds()`` for reproducible runs), the webhook ``sender`` (default:
    HTTP) and the operator's ``webhooks`` settings (default: from the environment,
    ``TENURE_WEBHOOK_*``; see :mod:`tenure.services.webhook_rules`); customers' countries and
    VAT IDs are checked with pycountry and python-stdnum; the message bus gets its handlers."""
    clock = clock or getattr(store, "clock", None) or SystemClock()
    settings = webhooks or WebhookSettings.from_env(os.environ)
    targets = TargetPolicy(allow_private=settings.allow_private)
    ctx = Context(store.unit_of_work, clock, ids)
    bus = MessageBus(store.unit_of_work)
    services = Services(
        ctx, sender or HttpSender(targets), bus, targets, settings, StdnumTaxIdentity()
    )
    # Event handlers, run after commit from the outbox. E-mail, documents and the data
    # lifecycle subscribe here as they come.
    bus.subscribe(None, services.webhooks.on_event)
    return services
