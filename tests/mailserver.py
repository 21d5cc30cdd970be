"""A real SMTP server on loopback for tests (aiosmtpd): it keeps what it receives, and can be
told to answer a transaction with an error code."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


class Mailbox:
    """The aiosmtpd handler: every accepted message, parsed; ``answer`` (e.g. "451 try later")
    replaces the 250 of the next DATA commands while set."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.answer: str | None = None
        self._arrived = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.answer is not None:
            return self.answer
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._arrived:
            self.messages.append(message)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self._arrived.notify_all()
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """The messages once ``count`` have arrived (AssertionError after ``timeout``)."""
        until = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                left = until - time.monotonic()
                assert left > 0, f"{len(self.messages)} of {count} messages arrived"
                self._arrived.wait(left)
            return list(self.messages)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[Mailbox, str]]:
    """A running loopback SMTP server and its ``TENURE_SMTP_URL``."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, f"smtp+insecure://127.0.0.1:{port}"
    finally:
        controller.stop()
