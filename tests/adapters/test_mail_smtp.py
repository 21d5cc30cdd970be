"""Sending through a real SMTP server on loopback (aiosmtpd) (issue #9): the message arrives with
its headers, language and attachments intact; a 5xx answer is a permanent MailRejected, a 4xx
answer, a refused connection and a timeout are transient OSErrors; a connection lost after the
message was handed over is DeliveryUncertain; connections are reused; STARTTLS with AUTH (a
self-signed certificate made by the openssl command) and implicit TLS work; bad URLs are refused
with a clear message."""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tenure.adapters.mail import smtp as smtp_module
from tenure.adapters.mail.compose import TemplateComposer
from tenure.adapters.mail.smtp import SmtpMailer, mailer_from_url, parse_smtp_url
from tenure.services.mail import DeliveryUncertain, MailRejected

from .mail_samples import PDF, XML, outgoing


class Recorder:
    """An aiosmtpd handler that keeps what it receives, or answers as told."""

    def __init__(self) -> None:
        self.received: list[Any] = []
        self.peers: list[tuple[str, int]] = []
        self.tls: list[bool] = []
        self.logins: list[tuple[bytes, bytes]] = []
        self.rcpt_answer: str | None = None
        self.data_answer: str | None = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, _: Any):
        if self.rcpt_answer:
            return self.rcpt_answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_answer:
            return self.data_answer
        self.received.append(envelope)
        self.peers.append(session.peer)
        self.tls.append(session.ssl is not None)
        return "250 Message accepted for delivery"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any):
        assert isinstance(data, LoginPassword)
        self.logins.append((data.login, data.password))
        return AuthResult(
            success=(data.login, data.password) == (b"us@er", b"p:ss/w0rd"), handled=False
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def server(recorder: Recorder) -> Iterator[int]:
    """A plain SMTP server on loopback; yields its port."""
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a self-signed certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost"),
            *("-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def trusting(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


@pytest.fixture(scope="module")
def invoice() -> EmailMessage:
    return TemplateComposer().compose(outgoing("invoice_issued", "zh"))


def received(recorder: Recorder, index: int = 0) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(recorder.received[index].content)


def test_the_message_arrives_intact(server: int, recorder: Recorder, invoice: EmailMessage) -> None:
    SmtpMailer(f"smtp+insecure://127.0.0.1:{server}").send(invoice)

    envelope = recorder.received[0]
    assert envelope.mail_from == "rechnung@cloudcrm.example"
    assert envelope.rcpt_tos == ["buchhaltung@muster-soehne.de"]
    message = received(recorder)
    for header in ("From", "To", "Reply-To", "Subject", "Date", "Message-ID", "Auto-Submitted"):
        assert message[header] == invoice[header]
    assert message["Subject"] == "您的发票 RE-2026-000042"
    assert message["Content-Language"] == "zh-Hans"
    assert message.get_content_type() == "multipart/mixed"
    text = message.get_body(("plain",))
    assert text is not None
    assert "随附您的发票 RE-2026-000042" in text.get_content()
    attachments = [
        (a.get_filename(), a.get_content_type(), a.get_content())
        for a in message.iter_attachments()
    ]
    assert attachments == [(a.filename, a.content_type, a.data) for a in (PDF, XML)]


def test_a_mailer_reuses_its_connection(
    server: int, recorder: Recorder, invoice: EmailMessage
) -> None:
    with SmtpMailer(f"smtp+insecure://127.0.0.1:{server}") as mailer:
        mailer.send(invoice)
        mailer.send(invoice)
        recorder.rcpt_answer = "550 5.1.1 Mailbox unavailable"
        with pytest.raises(MailRejected):
            mailer.send(invoice)
        recorder.rcpt_answer = None
        mailer.send(invoice)  # still the same connection after a refusal

    assert len(recorder.received) == 3
    assert len(set(recorder.peers)) == 1


def test_a_mailer_without_reuse_connects_per_message(
    server: int, recorder: Recorder, invoice: EmailMessage
) -> None:
    mailer = SmtpMailer(f"smtp+insecure://127.0.0.1:{server}", reuse=False)
    mailer.send(invoice)
    mailer.send(invoice)

    assert len(set(recorder.peers)) == 2


def test_a_dropped_kept_connection_is_replaced(
    server: int, recorder: Recorder, invoice: EmailMessage
) -> None:
    with SmtpMailer(f"smtp+insecure://127.0.0.1:{server}") as mailer:
        mailer.send(invoice)
        assert mailer._smtp is not None
        assert mailer._smtp.sock is not None
        mailer._smtp.sock.shutdown(socket.SHUT_RDWR)  # as when the server times it out
        mailer.send(invoice)

    assert len(set(recorder.peers)) == 2


@pytest.mark.parametrize(
    ("at", "answer"),
    [
        ("rcpt", "550 5.1.1 <buchhaltung@muster-soehne.de>: Recipient address rejected"),
        ("rcpt", "553 5.7.1 Relaying denied"),
        ("data", "552 5.3.4 Message size exceeds fixed limit"),
        ("data", "554 5.7.1 Message rejected as spam"),
    ],
)
def test_a_5xx_answer_is_a_permanent_rejection(
    server: int, recorder: Recorder, invoice: EmailMessage, at: str, answer: str
) -> None:
    setattr(recorder, f"{at}_answer", answer)

    with pytest.raises(MailRejected) as refused:
        SmtpMailer(f"smtp+insecure://127.0.0.1:{server}").send(invoice)

    assert refused.value.code == int(answer[:3])
    assert answer[4:] in str(refused.value)


@pytest.mark.parametrize(
    ("at", "answer"),
    [
        ("rcpt", "450 4.2.1 Mailbox busy, try again later"),
        ("data", "451 4.3.0 Temporary local problem, try again later"),
        ("data", "421 4.7.0 Too many connections"),
    ],
)
def test_a_4xx_answer_is_transient(
    server: int, recorder: Recorder, invoice: EmailMessage, at: str, answer: str
) -> None:
    setattr(recorder, f"{at}_answer", answer)

    with pytest.raises(OSError, match=answer[:3]) as failed:
        SmtpMailer(f"smtp+insecure://127.0.0.1:{server}").send(invoice)

    assert not isinstance(failed.value, MailRejected)


def test_a_refused_connection_is_transient(invoice: EmailMessage) -> None:
    with pytest.raises(OSError) as failed:
        SmtpMailer(f"smtp+insecure://127.0.0.1:{free_port()}", timeout=2).send(invoice)

    assert not isinstance(failed.value, MailRejected | DeliveryUncertain)


def test_a_silent_server_times_out(invoice: EmailMessage) -> None:
    with socket.socket() as silent:  # accepts connections (backlog) but never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        mailer = SmtpMailer(f"smtp+insecure://127.0.0.1:{silent.getsockname()[1]}", timeout=0.3)
        with pytest.raises(OSError, match="timed out") as failed:
            mailer.send(invoice)

    assert not isinstance(failed.value, MailRejected)


@pytest.mark.parametrize(("drop_at", "uncertain"), [(b"RCPT", False), (b".", True)])
def test_a_connection_lost_after_the_message_is_uncertain(
    invoice: EmailMessage, drop_at: bytes, uncertain: bool
) -> None:
    port = dropping_server(drop_at)

    with pytest.raises(OSError) as failed:
        SmtpMailer(f"smtp+insecure://127.0.0.1:{port}", timeout=5).send(invoice)

    assert isinstance(failed.value, DeliveryUncertain) is uncertain
    assert not isinstance(failed.value, MailRejected)


def dropping_server(drop_at: bytes) -> int:
    """A one-shot SMTP server that hangs up, without answering, on the line starting with
    ``drop_at`` (``b"."``: the end of the message, after DATA)."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        with listener, connection, connection.makefile("rwb") as stream:
            answer(stream, b"220 fake ESMTP")
            in_data = False
            for line in stream:
                if in_data:
                    if line != b".\r\n":
                        continue
                    if drop_at == b".":
                        break
                    in_data = False
                    answer(stream, b"250 OK")
                elif line.upper().startswith(drop_at):
                    break
                else:
                    in_data = line.upper().startswith(b"DATA")
                    answer(stream, b"354 go ahead" if in_data else b"250 OK")
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    threading.Thread(target=serve, daemon=True).start()
    return int(listener.getsockname()[1])


def answer(stream: Any, line: bytes) -> None:
    stream.write(line + b"\r\n")
    stream.flush()


def test_auth_over_starttls(
    recorder: Recorder, certificate: tuple[Path, Path], invoice: EmailMessage
) -> None:
    controller = Controller(
        recorder,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=server_tls(certificate),
        require_starttls=True,
        authenticator=recorder.authenticate,
        auth_required=True,
    )
    controller.start()
    try:
        url = f"smtp://us%40er:p%3Ass%2Fw0rd@127.0.0.1:{controller.port}"
        SmtpMailer(url, ssl_context=trusting(certificate)).send(invoice)
        with pytest.raises(OSError, match="535") as failed:
            SmtpMailer(
                f"smtp://us%40er:wrong@127.0.0.1:{controller.port}",
                ssl_context=trusting(certificate),
            ).send(invoice)
    finally:
        controller.stop()

    assert recorder.logins[0] == (b"us@er", b"p:ss/w0rd")
    assert recorder.tls == [True]
    assert received(recorder)["Message-ID"] == invoice["Message-ID"]
    # A wrong password is the operator's to fix, not the message's fault: retry, not reject.
    assert not isinstance(failed.value, MailRejected)


def test_an_untrusted_certificate_is_refused(
    recorder: Recorder, certificate: tuple[Path, Path], invoice: EmailMessage
) -> None:
    controller = Controller(
        recorder, hostname="127.0.0.1", port=free_port(), tls_context=server_tls(certificate)
    )
    controller.start()
    try:
        with pytest.raises(ssl.SSLCertVerificationError):
            SmtpMailer(f"smtp://127.0.0.1:{controller.port}").send(invoice)
    finally:
        controller.stop()


def test_implicit_tls(
    recorder: Recorder, certificate: tuple[Path, Path], invoice: EmailMessage
) -> None:
    controller = Controller(
        recorder, hostname="127.0.0.1", port=free_port(), ssl_context=server_tls(certificate)
    )
    controller.start()
    try:
        SmtpMailer(f"smtps://localhost:{controller.port}", ssl_context=trusting(certificate)).send(
            invoice
        )
    finally:
        controller.stop()

    assert received(recorder)["Subject"] == invoice["Subject"]


def test_a_password_is_never_sent_without_starttls_to_a_remote_host(
    server: int, recorder: Recorder, invoice: EmailMessage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(smtp_module, "_is_loopback", lambda _: False)

    with pytest.raises(ConnectionError, match="offers no STARTTLS"):
        SmtpMailer(f"smtp://user:secret@127.0.0.1:{server}").send(invoice)
    assert recorder.received == []


def test_urls() -> None:
    assert str(parse_smtp_url("smtp://u%40x:p%3A@mail.example.com")) == (
        "smtp://u@x:***@mail.example.com:587"
    )
    settings = parse_smtp_url("smtps://u%40x:p%3Aw@mail.example.com")
    assert (settings.port, settings.username, settings.password) == (465, "u@x", "p:w")
    assert parse_smtp_url("smtp+insecure://localhost").port == 25
    assert parse_smtp_url("SMTP://[::1]:2525/").loopback
    assert "secret" not in repr(mailer_from_url("smtp://user:secret@mail.example.com:587"))


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://mail.example.com", "unknown scheme 'http'"),
        ("mail.example.com:587", "unknown scheme"),
        ("smtp://:587", "no host"),
        ("smtp://mail.example.com:99999", "out of range"),
        ("smtp://mail.example.com:587/inbox", "no path"),
        ("smtp://mail.example.com?tls=1", "no path, query"),
        ("smtp://user@mail.example.com", "needs a password"),
        ("smtp://:secret@mail.example.com", "needs a user name"),
        ("smtp+insecure://user:secret@mail.example.com", "in clear"),
    ],
)
def test_bad_urls_are_refused_clearly(url: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem) as refused:
        mailer_from_url(url)

    assert "secret" not in str(refused.value)
