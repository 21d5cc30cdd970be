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
from tenure.services.errors import UnknownEmail
from tenure.services.mail import (
    Attachment,
    Composer,
    DeliveryUncertain,
    Mailer,
    MailRejected,
    OutgoingMail,
)
from tenure.services.mail_context import decode, encode, mail_context
from tenure.services.notifications import emails_for
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
#: Characters of an error kept in ``last_error``.
ERROR_LENGTH = 300
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
        """Message bus handler: queue the event's mails (in the dispatch transaction)."""
        event = message.event
        if not isinstance(event, ev.ContractEvent):
            return
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
        """Worker step: send the oldest due mail; returns whether there was one."""
        record = self._lease()
        if record is None:
            return False
        if record.status is not EmailStatus.SENDING:
            return True  # an attempt cut off earlier: now recorded as unknown
        try:
            message = self._compose(record)
        except Exception as exc:  # a bug or a missing file: retried, never half-sent
            LOG.exception("composing e-mail %s failed", record.id)
            self._finish(record, None, f"{type(exc).__name__}: {exc}", permanent=False)
            return True
        mailer = self.mailer if record.livemode else self.sandbox
        if mailer is None:
            self._finish(record, message, None, suppressed=True)
            return True
        try:
            mailer.send(message)
        except DeliveryUncertain as exc:
            self._finish(record, message, f"{type(exc).__name__}: {exc}", uncertain=True)
        except MailRejected as exc:
            self._finish(record, message, f"{type(exc).__name__}: {exc}", permanent=True)
        except OSError as exc:
            self._finish(record, message, f"{type(exc).__name__}: {exc}", permanent=False)
        else:
            self._finish(record, message, None)
        return True

    def emails(
        self, vendor_id: str, customer_id: str, after: str | None = None, limit: int = 20
    ) -> Page[EmailRecord]:
        """A customer's e-mails, oldest first: the delivery log."""
        with self._reading() as uow:
            uow.customers.get(vendor_id, customer_id)  # UnknownCustomer
            return uow.emails.page(vendor_id, customer_id, after, page_size(limit))

    def email(self, vendor_id: str, email_id: str) -> EmailRecord:
        with self._reading() as uow:
            record = uow.emails.get(vendor_id, email_id)
        if record is None:
            raise UnknownEmail(f"no e-mail {email_id!r}")
        return record

    def message(self, vendor_id: str, email_id: str) -> EmailMessage:
        """The mail as it is (or was) sent: composed again from what was recorded."""
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
        """Take the oldest due mail: pending → sending (its Message-ID on record, committed
        before the mail server sees it); a ``sending`` mail whose lease ran out → unknown."""
        with self._uow() as uow:
            now = self.ctx.clock.now()
            record = uow.emails.next_due(now)
            if record is None:
                return None
            if record.status is EmailStatus.SENDING:
                cut_off = replace(
                    record,
                    status=EmailStatus.UNKNOWN,
                    next_attempt_at=None,
                    last_error=(
                        "the attempt was cut off after the mail may have reached the mail "
                        "server; not sent again (at most once)"
                    ),
                )
                uow.emails.update(cut_off)
                uow.commit()
                return cut_off
            leased = replace(
                record,
                status=EmailStatus.SENDING,
                attempts=record.attempts + 1,
                next_attempt_at=now + LEASE,
            )
            uow.emails.update(leased)
            uow.commit()
            return leased

    @retrying
    def _finish(
        self,
        leased: EmailRecord,
        message: EmailMessage | None,
        error: str | None,
        permanent: bool = False,
        suppressed: bool = False,
        uncertain: bool = False,
    ) -> None:
        now = self.ctx.clock.now()
        error = error[:ERROR_LENGTH] if error is not None else None
        subject = str(message["Subject"]) if message is not None else leased.subject
        if error is None:
            status = EmailStatus.SUPPRESSED if suppressed else EmailStatus.SENT
            done = replace(
                leased, status=status, next_attempt_at=None, sent_at=now, last_error=None
            )
        elif uncertain:  # the server may have it: never sent again on its own
            done = replace(
                leased, status=EmailStatus.UNKNOWN, next_attempt_at=None, last_error=error
            )
        elif permanent or leased.attempts > len(RETRY_DELAYS):
            done = replace(
                leased, status=EmailStatus.FAILED, next_attempt_at=None, last_error=error
            )
        else:
            delay = RETRY_DELAYS[leased.attempts - 1]
            done = replace(
                leased,
                status=EmailStatus.PENDING,
                next_attempt_at=now + delay,
                last_error=error,
            )
        with self._uow() as uow:
            uow.emails.update(replace(done, subject=subject))
            uow.commit()


def _domain(address: str | None) -> str:
    return address.rsplit("@", 1)[1] if address and "@" in address else "tenure.invalid"


def _message_id(email_id: str, sender: str | None) -> str:
    """``<em_…@vendor-domain>``: unique, and the same on every attempt."""
    return f"<{email_id}@{_domain(sender)}>"
