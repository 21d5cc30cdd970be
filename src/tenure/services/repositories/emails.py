"""The e-mails tenure sends to customers: one record per (event, template, recipient), its state
and its delivery log (see :mod:`tenure.services.emails`)."""

from __future__ import annotations

import abc
import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tenure.services.paging import Page, offset_page


class EmailStatus(enum.Enum):
    """pending: waiting for (another) attempt; sending: an attempt is under way (its Message-ID
    is on record); sent: the mail server accepted it; failed: refused for good or out of retries;
    unknown: an attempt was cut off (the worker died) after the message may have been handed to
    the server, so it is never sent again on its own (at most once); suppressed: a sandbox
    customer's mail, composed and logged but not sent to a real recipient."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNKNOWN = "unknown"
    SUPPRESSED = "suppressed"


@dataclass(frozen=True, slots=True)
class EmailRecord:
    id: str
    vendor_id: str
    customer_id: str
    livemode: bool
    #: The outbox message (event) the mail is about: (event, template, recipient) is unique.
    event_sequence: int
    event_name: str
    template: str
    recipient: str
    locale: str
    #: The Message-ID header: fixed when the mail is queued, the same on every attempt.
    message_id: str
    #: The template's values, captured when the event was handled (encoded, see
    #: :mod:`tenure.services.mail_context`).
    context: dict[str, Any]
    #: Numbers of the documents whose PDF and XML go with the mail.
    attachments: tuple[str, ...]
    status: EmailStatus
    attempts: int
    next_attempt_at: datetime | None
    created_at: datetime
    subject: str | None = None
    sent_at: datetime | None = None
    last_error: str | None = None


class EmailRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, record: EmailRecord) -> bool:
        """Queue ``record`` unless one for the same (vendor, event, template, recipient) exists;
        returns whether it was added."""

    @abc.abstractmethod
    def get(self, vendor_id: str, email_id: str) -> EmailRecord | None: ...

    @abc.abstractmethod
    def next_due(self, now: datetime) -> EmailRecord | None:
        """The oldest e-mail that is pending and due by ``now``, or sending with a lease run out
        by ``now``; locked (PostgreSQL: concurrent workers skip it)."""

    @abc.abstractmethod
    def update(self, record: EmailRecord) -> None:
        """Store the record's state (same id)."""

    @abc.abstractmethod
    def update_if(self, record: EmailRecord, expected: EmailRecord) -> bool:
        """Store ``record`` only if the stored one still has ``expected``'s status, attempts and
        next attempt (the caller's lease); returns whether it was stored."""

    @abc.abstractmethod
    def for_customer(self, vendor_id: str, customer_id: str) -> list[EmailRecord]:
        """A customer's e-mails, oldest first."""

    def page(
        self, vendor_id: str, customer_id: str, after: str | None, limit: int
    ) -> Page[EmailRecord]:
        """A customer's e-mails, oldest first (in memory by offset; SQL pages by key)."""
        return offset_page(self.for_customer(vendor_id, customer_id), after, limit)
