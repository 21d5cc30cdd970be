"""E-mails per second: composing tenure's mails and sending them through an SMTP server on
loopback (aiosmtpd, which accepts and discards them), one process, one thread.

    python bench/mail_bench.py          # 300 mails per case
    python bench/mail_bench.py 1000

Cases: composing alone (the Jinja2 templates, Babel formatting and the MIME message); compose +
send with a new SMTP connection per mail (connect, EHLO, MAIL, RCPT, DATA, QUIT) and over one
reused connection (NOOP, MAIL, RCPT, DATA); and compose + write to the ``.eml`` folder of the
embedded default. Each for a cancellation confirmation (no attachment, about 10 KB) and an
invoice mail with a 60 KB PDF and a 20 KB XML attached (about 120 KB). The server runs on its own
event loop thread in the same process, so the figures include its share of the CPU: a lower
bound for what a separate mail server would allow.
"""

from __future__ import annotations

import email.policy
import os
import smtplib
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.adapters.mail_samples import context  # noqa: E402

from tenure.adapters.mail.compose import TemplateComposer  # noqa: E402
from tenure.adapters.mail.files import FolderMailer  # noqa: E402
from tenure.adapters.mail.smtp import SmtpMailer  # noqa: E402
from tenure.services.mail import Attachment, OutgoingMail  # noqa: E402

ATTACHMENTS = (
    Attachment("RE-2026-000042.pdf", "application/pdf", os.urandom(60_000)),
    Attachment("RE-2026-000042.xml", "application/xml", b"<x>" + b"0123456789" * 2_000 + b"</x>"),
)


class Sink:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return "250 OK"


def mail(template: str, number: int) -> OutgoingMail:
    invoice = template == "invoice_issued"
    return OutgoingMail(
        template=template,
        locale=("de", "en", "zh")[number % 3],
        to="buchhaltung@muster-soehne.de",
        sender="rechnung@cloudcrm.example",
        sender_name="CloudCRM GmbH",
        reply_to=None,
        message_id=f"<em_{number:08d}@tenure.invalid>",
        context=context(template),
        attachments=ATTACHMENTS if invoice else (),
    )


def rate(count: int, step: Callable[[int], None]) -> float:
    step(-1)  # warm-up: compiled templates, first connection
    began = time.perf_counter()
    for number in range(count):
        step(number)
    return count / (time.perf_counter() - began)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    composer = TemplateComposer()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    url = f"smtp+insecure://127.0.0.1:{port}"
    try:
        with tempfile.TemporaryDirectory() as folder:
            for template in ("cancellation_confirmation", "invoice_issued"):
                size = len(composer.compose(mail(template, 0)).as_bytes())
                print(f"{template} ({size / 1000:.0f} KB), {count} mails each:")
                per_mail = SmtpMailer(url, reuse=False)
                reused = SmtpMailer(url)
                files = FolderMailer(Path(folder) / template)
                raw = smtplib.SMTP("127.0.0.1", port)
                ready = composer.compose(mail(template, 0)).as_bytes(policy=email.policy.SMTP)
                cases = {
                    # The baseline: the same bytes, composed once, sent with the standard
                    # library over one connection (what the transport alone costs).
                    "baseline: smtplib, same bytes, one connection": (
                        lambda _n, r=raw, b=ready: r.sendmail("a@x.example", ["b@x.example"], b)
                    ),
                    "compose only": lambda n, t=template: composer.compose(mail(t, n)),
                    "compose + SMTP, new connection per mail": (
                        lambda n, t=template, m=per_mail: m.send(composer.compose(mail(t, n)))
                    ),
                    "compose + SMTP, one reused connection": (
                        lambda n, t=template, m=reused: m.send(composer.compose(mail(t, n)))
                    ),
                    "compose + .eml folder": (
                        lambda n, t=template, m=files: m.send(composer.compose(mail(t, n)))
                    ),
                }
                for name, step in cases.items():
                    print(f"  {name:<42} {rate(count, step):8.0f} mails/s")
                reused.close()
                raw.quit()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
