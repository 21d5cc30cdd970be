"""The service layer as one object: each feature's use cases, wired to one :class:`Context`.

Only :func:`tenure.bootstrap.bootstrap` builds it (and :meth:`Services.joined`, which rebuilds
it around a caller's open transaction)."""

from __future__ import annotations

from collections.abc import Callable

from tenure.services.addons import Addons
from tenure.services.api_keys import ApiKeys
from tenure.services.billing import Billing
from tenure.services.cancellations import Cancellations
from tenure.services.catalog import Vendors
from tenure.services.clock import Clock
from tenure.services.context import Context
from tenure.services.contracts import Contracts
from tenure.services.customers import Customers, TaxIdentity
from tenure.services.document_files import DocumentFiles, DocumentRenderer
from tenure.services.emails import Emails
from tenure.services.mail import Composer, Mailer
from tenure.services.messagebus import MessageBus
from tenure.services.queries import Queries
from tenure.services.test_clocks import TestClocks
from tenure.services.unit_of_work import UnitOfWork
from tenure.services.usage import Usage
from tenure.services.webhook_rules import Targets, WebhookSettings
from tenure.services.webhooks import Sender, Webhooks


class Services:
    """Every use case of tenure, by feature: ``services.contracts.start(...)``,
    ``services.billing.run()``, ``services.queries.documents(...)``."""

    def __init__(
        self,
        ctx: Context,
        sender: Sender,
        bus: MessageBus,
        targets: Targets,
        webhook_settings: WebhookSettings,
        tax_identity: TaxIdentity,
        renderer: DocumentRenderer,
        composer: Composer,
        mailer: Mailer,
        sandbox_mailer: Mailer | None = None,
    ) -> None:
        self.ctx = ctx
        self.sender = sender
        self.renderer, self.composer = renderer, composer
        self.mailer, self.sandbox_mailer = mailer, sandbox_mailer
        self.targets = targets
        self.webhook_settings = webhook_settings
        self.tax_identity = tax_identity
        #: Runs the event handlers after commit (wired by the bootstrap).
        self.bus = bus
        self.vendors = Vendors(ctx)
        self.customers = Customers(ctx, tax_identity)
        self.contracts = Contracts(ctx)
        self.addons = Addons(ctx)
        self.cancellations = Cancellations(ctx)
        self.usage = Usage(ctx)
        self.billing = Billing(ctx)
        self.test_clocks = TestClocks(ctx, self.billing)
        self.api_keys = ApiKeys(ctx)
        self.queries = Queries(ctx)
        self.webhooks = Webhooks(ctx, sender, targets, webhook_settings)
        self.document_files = DocumentFiles(ctx, renderer)
        self.emails = Emails(ctx, composer, mailer, self.document_files, sandbox_mailer)

    @property
    def uow_factory(self) -> Callable[[], UnitOfWork]:
        return self.ctx.uow_factory

    @property
    def clock(self) -> Clock:
        return self.ctx.clock

    @property
    def in_caller_transaction(self) -> bool:
        return self.ctx.in_caller_transaction

    def joined(self, uow: UnitOfWork) -> Services:
        """These services with every use case run inside the open ``uow``, each as a
        savepoint: what they commit becomes durable only when ``uow`` commits. The API runs a
        request with an Idempotency-Key so, to store its response in the same transaction."""
        return Services(
            self.ctx.joined(uow),
            self.sender,
            self.bus,
            self.targets,
            self.webhook_settings,
            self.tax_identity,
            self.renderer,
            self.composer,
            self.mailer,
            self.sandbox_mailer,
        )
