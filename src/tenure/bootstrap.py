"""The one place where tenure is wired: a store, a clock, an id source and the adapters become
:class:`~tenure.services.application.Services`. The CLI, ``tenure serve``, the API, ``tenure
simulate``, the benchmarks and the tests all start here."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol, cast

from tenure.adapters.documents import FacturXRenderer
from tenure.adapters.vat_ids import StdnumTaxIdentity
from tenure.adapters.webhook_http import HttpSender
from tenure.adapters.webhook_targets import TargetPolicy
from tenure.services.application import Services
from tenure.services.clock import Clock, SystemClock
from tenure.services.context import Context, IdGenerator, random_ids
from tenure.services.document_files import DocumentRenderer
from tenure.services.errors import InvalidSetting
from tenure.services.mail import Composer, Mailer, OutgoingMail
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
    mail: MailSettings | None = None,
    renderer: DocumentRenderer | None = None,
) -> Services:
    """tenure on ``store``: ``clock`` (default: the store's, else the system clock), ``ids``
    (random, or ``SequentialIds()`` for reproducible runs), the webhook ``sender`` (default:
    HTTP) and the operator's ``webhooks`` settings (default: from the environment,
    ``TENURE_WEBHOOK_*``; see :mod:`tenure.services.webhook_rules`), the ``mail`` transports
    (default: :meth:`MailSettings.from_env`) and the document ``renderer`` (default: Factur-X
    and XRechnung); customers' countries and VAT IDs are checked with pycountry and
    python-stdnum; the message bus gets its handlers."""
    clock = clock or getattr(store, "clock", None) or SystemClock()
    settings = webhooks or WebhookSettings.from_env(os.environ)
    targets = TargetPolicy(allow_private=settings.allow_private)
    ctx = Context(store.unit_of_work, clock, ids)
    bus = MessageBus(store.unit_of_work)
    mail = mail or MailSettings.from_env(os.environ)
    services = Services(
        ctx,
        sender or HttpSender(targets),
        bus,
        targets,
        settings,
        StdnumTaxIdentity(),
        renderer or FacturXRenderer(),
        mail.composer,
        mail.mailer,
        mail.sandbox,
    )
    # Event handlers, run after commit from the outbox (the data lifecycle will subscribe here
    # too): webhooks, documents to render, e-mails to send.
    bus.subscribe(None, services.webhooks.on_event)
    bus.subscribe(None, services.document_files.on_event)
    bus.subscribe(None, services.emails.on_event)
    return services


@dataclass(frozen=True)
class MailSettings:
    """How e-mail leaves: ``mailer`` for live customers, ``sandbox`` for sandbox customers (None:
    their mails are only logged), composed by ``composer``; ``description`` says where mail goes
    (for the start-up banner)."""

    composer: Composer
    mailer: Mailer
    sandbox: Mailer | None
    description: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> MailSettings:
        """``TENURE_SMTP_URL`` (``smtp://user:pass@host:587`` with STARTTLS, ``smtps://`` with
        implicit TLS): live mail goes there and sandbox mail is only logged. Without it, every
        mail is written as an ``.eml`` file to ``TENURE_MAIL_DIR`` (default ``./tenure-mail``),
        which ``tenure mail list|show`` reads: nothing leaves the machine. The composer and the
        mailers are built when first used (Jinja2 and the catalogs take a fifth of a second,
        which a command that sends nothing should not pay)."""
        composer = _OnFirstUse(_template_composer)
        url = env.get("TENURE_SMTP_URL", "").strip()
        if url:
            from tenure.adapters.mail.smtp import parse_smtp_url

            try:  # a bad URL is refused at start, not at the first mail
                parse_smtp_url(url)
            except ValueError as exc:
                raise InvalidSetting(f"TENURE_SMTP_URL: {exc}") from None
            smtp = _OnFirstUse(lambda: _smtp_mailer(url))
            return cls(composer, smtp, None, f"SMTP {_without_password(url)}")
        folder = Path(env.get("TENURE_MAIL_DIR", "tenure-mail")).resolve()
        files = _OnFirstUse(lambda: _folder_mailer(folder))
        return cls(composer, files, files, f"files in {folder} (no TENURE_SMTP_URL set)")


class _OnFirstUse:
    """A composer or mailer made by ``make`` when first used (thread-safe)."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make, self._made, self._lock = make, None, threading.Lock()

    def _target(self) -> Any:
        with self._lock:
            if self._made is None:
                self._made = self._make()
            return self._made

    def compose(self, mail: OutgoingMail) -> EmailMessage:
        return cast(EmailMessage, self._target().compose(mail))

    def send(self, message: EmailMessage) -> None:
        self._target().send(message)


def _template_composer() -> Composer:
    from tenure.adapters.mail.compose import TemplateComposer

    return TemplateComposer()


def _smtp_mailer(url: str) -> Mailer:
    from tenure.adapters.mail.smtp import mailer_from_url

    # A short timeout per SMTP step, so an attempt ends well within the workers' shutdown wait.
    return mailer_from_url(url, timeout=10.0)


def _folder_mailer(folder: Path) -> Mailer:
    from tenure.adapters.mail.files import FolderMailer

    return FolderMailer(folder)


def _without_password(url: str) -> str:
    """``smtp://user:***@host:587``: a URL fit for a log line."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}{sep}{credentials.split(':', 1)[0]}:***@{host}"
