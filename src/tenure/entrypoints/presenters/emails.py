"""A customer's e-mails: the delivery log."""

from __future__ import annotations

from typing import Any

from tenure.services.encoding import plain_dict
from tenure.services.repositories.emails import EmailRecord


def email_dict(e: EmailRecord) -> dict[str, Any]:
    """One e-mail: what it is about, where it went, and how its delivery went (``status``:
    pending, sending, sent, failed, unknown, suppressed)."""
    return plain_dict(
        {
            "id": e.id,
            "object": "email",
            "livemode": e.livemode,
            "customer": e.customer_id,
            "event": e.event_name,
            "template": e.template,
            "to": e.recipient,
            "locale": e.locale,
            "subject": e.subject,
            "message_id": e.message_id,
            "attachments": list(e.attachments),
            "status": e.status,
            "attempts": e.attempts,
            "next_attempt_at": e.next_attempt_at,
            "created_at": e.created_at,
            "sent_at": e.sent_at,
            "last_error": e.last_error,
        }
    )
