"""E-mail to customers: each event's mails (see :mod:`tenure.services.notifications`) are queued
when the message bus hands the event over, after the change committed, and a worker sends them.

Sent at most once per (event, template, recipient): the queue refuses a second record for the
same three; an attempt first records the mail as ``sending`` with its Message-ID and commits, then
hands it to the mail server, then records ``sent``. A worker that dies between the server's
acceptance and that last step leaves the mail ``sending``; when its lease runs out it becomes
``unknown`` and is never sent again on its own (the log shows it, with its Message-ID to search
the mail server's log for). A transient failure (connection refused, a 4xx answer) is retried
with backoff; a permanent refusal (5xx) fails the mail at once.

Sandbox customers' mails never reach a real mail server: they go to the ``sandbox`` mailer (the
embedded default's mail folder) or are only logged (``suppressed``).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from email.message import EmailMessage

from tenure.domain import events as ev
from tenure.services.context import Context, UseCases, retrying
from tenure.services.document_files import DocumentFiles
from tenure.services.errors import EmailNotResendable, UnknownEmail, describe
from tenure.services.mail import (
    Attachment,
    Composer,
    DeliveryUncertain,
    Mailer,
    MailRejected,
    OutgoingMail,
)
from tenure.services.mail_context import decode, encode, mail_context
from tenure.services.notifications import TEMPLATES, emails_for
from tenure.services.paging import Page, page_size
from tenure.services.repositories.document_files import FileFormat
from tenure.services.repositories.emails import EmailRecord, EmailStatus
from tenure.services.repositories.outbox import OutboxMessage
from tenure.services.unit_of_work import UnitOfWork

LOG = logging.getLogger("tenure.mail")

#: Pause before attempt n+1 after n transient failures; after the last one the mail is failed.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
)
#: How long an attempt holds a mail (far longer than an SMTP transaction takes).
LEASE = timedelta(minutes=2)
#: Pause before composing again after composing failed (a document that cannot be rendered
#: yet): never counted as an attempt, since nothing was sent.
COMPOSE_RETRY = timedelta(minutes=5)
#: The documents' files that go with an ``invoice_issued`` / ``credit_note_issued`` mail.
ATTACHED = (FileFormat.PDF, FileFormat.CII)


class Emails(UseCases):
    """Queueing mails from events, sending them through ``mailer``, and their log."""

    def __init__(
        self,
        ctx: Context,
        composer: Composer,
        mailer: Mailer,
        files: DocumentFiles,
        sandbox: Mailer | None = None,
    ) -> None:
        super().__init__(ctx)
        self.composer = composer
        self.mailer = mailer
        self.sandbox = sandbox
        self.files = files

    def on_event(self, uow: UnitOfWork, message: OutboxMessage) -> None:
        """Message bus handler: queue the event's mails (in the dispatch transaction, as a
        savepoint). Preparing them never fails the event: a mail that cannot be prepared (a
        bug, data the templates cannot show) is logged and audited (``email.not_prepared``)
        and the event's webhooks and documents go on; raising would hold them all back."""
        event = message.event
        if not isinstance(event, ev.ContractEvent) or not (
            type(event) in TEMPLATES or isinstance(event, ev.DocumentIssued)
        ):
            return  # no mail: load nothing (the dispatch transaction holds the write lock)
        try:
            with uow:
                self._queue(uow, message, event)
                uow.commit()
        except Exception as exc:
            LOG.exception(
                "the e-mails of %s (outbox %d) could not be prepared", event.name, message.sequence
            )
            after = {"event": event.name, "contract": event.contract_id, "error": describe(exc)}
            uow.audit.record(
                message.vendor_id, "email.not_prepared", "event", str(message.sequence), None, after
            )

    def _queue(self, uow: UnitOfWork, message: OutboxMessage, event: ev.ContractEvent) -> None:
        contract = uow.contracts.get(message.vendor_id, event.contract_id, lock=False)
        customer = uow.customers.get(message.vendor_id, contract.customer.id)
        mails = emails_for(event, customer)
        if not mails:
            return
        context = encode(mail_context(uow, message.vendor_id, event, contract, customer))
        attachments = (event.number,) if isinstance(event, ev.DocumentIssued) else ()
        now = self.ctx.clock.now()
        for mail in mails:
            email_id = self.ctx.ids("em")
            uow.emails.add(
                EmailRecord(
                    id=email_id,
                    vendor_id=message.vendor_id,
                    customer_id=customer.id,
                    livemode=event.livemode,
                    event_sequence=message.sequence,
                    event_name=event.name,
                    template=mail.template,
                    recipient=mail.to,
                    locale=customer.locale,
                    message_id=_message_id(email_id, contract.vendor.email),
                    context=context,
                    attachments=attachments,
                    status=EmailStatus.PENDING,
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
            )

    def deliver_next(self) -> bool:
        """Worker step: send the oldest due mail; returns whether there was one.

        (1) A short transaction leases the mail (still ``pending``, its next attempt moved
        :data:`LEASE` ahead). (2) With no transaction open, it is composed, attachments rendered
        if need be: a failure here is retried later and never uses up an attempt, since nothing
        was sent. (3) A short transaction records it ``sending`` (its Message-ID is on record)
        if the lease is still ours. (4) SMTP. (5) The outcome, again only if the attempt is still
        ours. Only a worker dying in (4) leaves the mail ``sending``: it then becomes
        ``unknown``, never sent again on its own."""
        leased = self._lease()
        if leased is None:
            return False
        if leased.status is not EmailStatus.PENDING:
            return True  # an attempt cut off earlier, now recorded as unknown
        try:
            message = self._compose(leased)
        except Exception as exc:  # a bug, or a document that cannot be rendered yet
            LOG.exception("composing e-mail %s failed; retried later", leased.id)
            self._retry_later(leased, describe(exc))
            return True
        mailer = self.mailer if leased.livemode else self.sandbox
        if mailer is None:  # a sandbox mail where mail would leave the machine
            self._suppress(leased, message)
            return True
        sending = self._start_sending(leased, message)
        if sending is None:
            return True  # the lease ran out meanwhile and another worker has the mail
        try:
            mailer.send(message)
        except DeliveryUncertain as exc:
            self._finish(sending, describe(exc), uncertain=True)
        except MailRejected as exc:
            self._finish(sending, describe(exc), permanent=True)
        except OSError as exc:
            self._finish(sending, describe(exc))
        else:
            self._finish(sending, None)
        return True

    @retrying
    def resend(self, vendor_id: str, email_id: str) -> EmailRecord:
        """Send a ``failed`` or ``unknown`` mail again, on the vendor's word (an ``unknown`` one
        may then arrive twice: check the mail server's log for its Message-ID first). A mail
        that is pending, being sent or sent is refused (:class:`EmailNotResendable`)."""
        with self._uow() as uow:
            record = _found(uow, vendor_id, email_id)
            if record.status not in (EmailStatus.FAILED, EmailStatus.UNKNOWN):
                raise EmailNotResendable(
                    f"e-mail {email_id!r} is {record.status.value}; only a failed or unknown "
                    "one can be sent again",
                    status=record.status.value,
                )
            again = replace(
                record, status=EmailStatus.PENDING, next_attempt_at=self.ctx.clock.now()
            )
            uow.emails.update(again)
            uow.audit.record(
                vendor_id,
                "email.resent",
                "email",
                email_id,
                {"status": record.status.value},
                {"status": "pending"},
            )
            uow.commit()
            return again

    def emails(
        self, vendor_id: str, customer_id: str, after: str | None = None, limit: int = 20
    ) -> Page[EmailRecord]:
        """A page of a customer's e-mails, oldest first: the delivery log."""
        with self._reading() as uow:
            uow.customers.get(vendor_id, customer_id)  # UnknownCustomer
            return uow.emails.page(vendor_id, customer_id, after, page_size(limit))

    def log(self, vendor_id: str, customer_id: str) -> list[EmailRecord]:
        """All of a customer's e-mails, oldest first."""
        with self._reading() as uow:
            uow.customers.get(vendor_id, customer_id)  # UnknownCustomer
            return uow.emails.for_customer(vendor_id, customer_id)

    def email(self, vendor_id: str, email_id: str) -> EmailRecord:
        with self._reading() as uow:
            return _found(uow, vendor_id, email_id)

    def message(self, vendor_id: str, email_id: str) -> EmailMessage:
        """The mail composed again from what was recorded: the template values captured when
        the event was handled and the stored document files (templates may have changed)."""
        return self._compose(self.email(vendor_id, email_id))

    def _compose(self, record: EmailRecord) -> EmailMessage:
        with self._reading() as uow:
            vendor = uow.vendors.catalog(record.vendor_id).vendor
        attachments = tuple(
            Attachment(file.filename, file.format.media_type, file.content)
            for number in record.attachments
            for file in (self.files.file(record.vendor_id, number, f) for f in ATTACHED)
        )
        sent_at = record.sent_at or self.ctx.clock.now()
        return self.composer.compose(
            OutgoingMail(
                template=record.template,
                locale=record.locale,
                to=record.recipient,
                sender=vendor.email or f"no-reply@{_domain(None)}",
                sender_name=vendor.name,
                reply_to=vendor.reply_to,
                message_id=record.message_id,
                context={**decode(record.context), "sent_at": sent_at},
                attachments=attachments,
            )
        )

    @retrying
    def _lease(self) -> EmailRecord | None:
        """Take the oldest due mail for one attempt (a ``pending`` one, its next attempt moved
        :data:`LEASE` ahead); a ``sending`` one whose lease ran out becomes ``unknown``."""
        with self._uow() as uow:
            now = self.ctx.clock.now()
            record = uow.emails.next_due(now)
            if record is None:
                return None
            if record.status is EmailStatus.SENDING:
                changed = replace(
                    record,
                    status=EmailStatus.UNKNOWN,
                    next_attempt_at=None,
                    last_error=(
                        "the attempt was cut off after the mail may have reached the mail "
                        "server; not sent again (at most once)"
                    ),
                )
            else:
                changed = replace(record, next_attempt_at=now + LEASE)
            uow.emails.update(changed)
            uow.commit()
            return changed

    @retrying
    def _start_sending(self, leased: EmailRecord, message: EmailMessage) -> EmailRecord | None:
        """Record the attempt (``sending``, attempts + 1) before the mail server sees the mail,
        if the lease is still ours."""
        with self._uow() as uow:
            sending = replace(
                leased,
                status=EmailStatus.SENDING,
                attempts=leased.attempts + 1,
                next_attempt_at=self.ctx.clock.now() + LEASE,
                subject=str(message["Subject"]),
            )
            if not uow.emails.update_if(sending, leased):
                return None
            uow.commit()
            return sending

    @retrying
    def _retry_later(self, leased: EmailRecord, error: str) -> None:
        with self._uow() as uow:
            later = replace(
                leased,
                next_attempt_at=self.ctx.clock.now() + COMPOSE_RETRY,
                last_error=error,
            )
            uow.emails.update_if(later, leased)
            uow.commit()

    @retrying
    def _suppress(self, leased: EmailRecord, message: EmailMessage) -> None:
        with self._uow() as uow:
            now = self.ctx.clock.now()
            suppressed = replace(
                leased,
                status=EmailStatus.SUPPRESSED,
                next_attempt_at=None,
                sent_at=now,
                subject=str(message["Subject"]),
            )
            uow.emails.update_if(suppressed, leased)
            uow.commit()

    @retrying
    def _finish(
        self,
        sending: EmailRecord,
        error: str | None,
        permanent: bool = False,
        uncertain: bool = False,
    ) -> None:
        """Record the attempt's outcome, unless the attempt is no longer ours (its lease ran
        out and it was marked unknown: then the outcome now known replaces that)."""
        now = self.ctx.clock.now()
        if error is None:
            done = replace(sending, status=EmailStatus.SENT, next_attempt_at=None, sent_at=now)
            done = replace(done, last_error=None)
        elif uncertain:  # the server may have it: never sent again on its own
            done = replace(
                sending, status=EmailStatus.UNKNOWN, next_attempt_at=None, last_error=error
            )
        elif permanent or sending.attempts > len(RETRY_DELAYS):
            done = replace(
                sending, status=EmailStatus.FAILED, next_attempt_at=None, last_error=error
            )
        else:
            done = replace(
                sending,
                status=EmailStatus.PENDING,
                next_attempt_at=now + RETRY_DELAYS[sending.attempts - 1],
                last_error=error,
            )
        with self._uow() as uow:
            if not uow.emails.update_if(done, sending):
                cut_off = replace(sending, status=EmailStatus.UNKNOWN, next_attempt_at=None)
                uow.emails.update_if(done, cut_off)
            uow.commit()


def _found(uow: UnitOfWork, vendor_id: str, email_id: str) -> EmailRecord:
    """The vendor's e-mail, or :class:`UnknownEmail` (also for another vendor's)."""
    record = uow.emails.get(vendor_id, email_id)
    if record is None:
        raise UnknownEmail(f"no e-mail {email_id!r}")
    return record


def _domain(address: str | None) -> str:
    return address.rsplit("@", 1)[1] if address and "@" in address else "tenure.invalid"


def _message_id(email_id: str, sender: str | None) -> str:
    """``<em_…@vendor-domain>``: unique, and the same on every attempt."""
    return f"<{email_id}@{_domain(sender)}>"
