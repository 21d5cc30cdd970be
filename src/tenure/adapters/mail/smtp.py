"""Sending e-mail over SMTP (smtplib), configured by one URL.

* ``smtp://user:pass@host:587``: submission; STARTTLS when the server offers it, and required
  (with a verified certificate) when a password is set and the host is not loopback.
* ``smtps://user:pass@host:465``: implicit TLS.
* ``smtp+insecure://host:1025``: no TLS at all, for a loopback or test server; a password is only
  accepted for a loopback host.

User and password are percent-decoded (``%40`` for ``@``). Outcomes follow the port
(:mod:`tenure.services.mail`): a 5xx answer to MAIL FROM, RCPT TO or DATA raises
:class:`MailRejected`; a connection that breaks during DATA raises :class:`DeliveryUncertain`;
everything else (4xx, refused connection, timeout, TLS, a failed login) raises ``OSError``.

A mailer keeps its connection open between sends (``reuse=True``, the default) and checks it with
NOOP before reusing it; sends through one mailer are serialized, so give each delivery thread its
own mailer."""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from tenure.services.mail import DeliveryUncertain, MailRejected

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

#: Default ports per scheme.
PORTS = {"smtp": 587, "smtps": 465, "smtp+insecure": 25}
#: Seconds for connecting and for each answer of the server.
DEFAULT_TIMEOUT = 30.0
#: Seconds a kept-open connection may idle before it is replaced instead of reused.
IDLE_LIMIT = 60.0


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """A parsed SMTP URL."""

    scheme: str
    host: str
    port: int
    username: str | None
    password: str | None

    @property
    def loopback(self) -> bool:
        return _is_loopback(self.host)

    def __str__(self) -> str:
        user = f"{self.username}:***@" if self.username else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{user}{host}:{self.port}"

    __repr__ = __str__


def parse_smtp_url(url: str) -> SmtpSettings:
    """The settings in ``url``; ``ValueError`` saying what is wrong (never echoing the
    password)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"SMTP URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in PORTS:
        raise ValueError(
            f"SMTP URL: unknown scheme {parts.scheme!r}; use smtp:// (STARTTLS), smtps:// "
            "(implicit TLS) or smtp+insecure:// (no TLS, for loopback test servers)"
        )
    if not parts.hostname:
        raise ValueError("SMTP URL: no host, e.g. smtp://user:password@mail.example.com:587")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError("SMTP URL: no path, query or fragment allowed after host:port")
    username = unquote(parts.username) if parts.username is not None else None
    password = unquote(parts.password) if parts.password is not None else None
    if password is not None and not username:
        raise ValueError("SMTP URL: a password needs a user name (user:password@host)")
    if username and password is None:
        raise ValueError("SMTP URL: a user name needs a password (user:password@host)")
    settings = SmtpSettings(scheme, parts.hostname, port or PORTS[scheme], username, password)
    if scheme == "smtp+insecure" and password is not None and not settings.loopback:
        raise ValueError(
            "SMTP URL: smtp+insecure:// would send the password in clear to a host that is not "
            "loopback; use smtp:// (STARTTLS) or smtps://"
        )
    return settings


class _Tracked(smtplib.SMTP):
    """Records whether the message was handed over (DATA begun), to tell a lost answer from a
    connection that broke before the server could have accepted anything."""

    data_started = False

    def data(self, msg: ReadableBuffer | str) -> tuple[int, bytes]:
        self.data_started = True
        return super().data(msg)


class _TrackedSsl(_Tracked, smtplib.SMTP_SSL):
    pass


class SmtpMailer:
    """The ``Mailer`` port over SMTP."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        reuse: bool = True,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.settings = parse_smtp_url(url)
        self.timeout = timeout
        self.reuse = reuse
        self._ssl = ssl_context
        self._lock = threading.Lock()
        self._smtp: _Tracked | None = None
        self._last_used = 0.0

    def __repr__(self) -> str:
        return f"SmtpMailer({self.settings})"

    def __enter__(self) -> SmtpMailer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, message: EmailMessage) -> None:
        with self._lock:
            smtp = self._connection()
            smtp.data_started = False
            try:
                refused = smtp.send_message(message)
            except smtplib.SMTPRecipientsRefused as exc:
                raise _refused(exc.recipients) from exc
            except smtplib.SMTPResponseException as exc:
                text = _text(exc.smtp_error)
                if exc.smtp_code >= 500:
                    raise MailRejected(f"{exc.smtp_code} {text}", code=exc.smtp_code) from exc
                raise OSError(f"SMTP server answered {exc.smtp_code} {text}") from exc
            except smtplib.SMTPNotSupportedError as exc:
                raise MailRejected(f"the server cannot take this message: {exc}") from exc
            except OSError as exc:  # disconnects, timeouts, resets
                self._drop()
                if smtp.data_started:
                    raise DeliveryUncertain(
                        f"connection lost after the message was handed over: {exc!r}"
                    ) from exc
                raise
            finally:
                self._last_used = time.monotonic()
                if not self.reuse:
                    self._quit()
            if refused:  # some recipients took it, so it is never sent again
                raise MailRejected(f"some recipients refused: {_describe(refused)}")

    def close(self) -> None:
        """Ends a kept-open connection (QUIT)."""
        with self._lock:
            self._quit()

    def _connection(self) -> _Tracked:
        if self._smtp is not None:
            if time.monotonic() - self._last_used < IDLE_LIMIT and _alive(self._smtp):
                return self._smtp
            self._drop()
        self._smtp = self._open()
        return self._smtp

    def _open(self) -> _Tracked:
        s = self.settings
        smtp: _Tracked
        if s.scheme == "smtps":
            smtp = _TrackedSsl(s.host, s.port, timeout=self.timeout, context=self._tls())
        else:
            smtp = _Tracked(s.host, s.port, timeout=self.timeout)
        try:
            smtp.ehlo()
            if s.scheme == "smtp":
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=self._tls())
                    smtp.ehlo()
                elif s.password is not None and not s.loopback:
                    raise ConnectionError(
                        f"{s.host} offers no STARTTLS; refusing to send the password in clear"
                    )
            if s.username and s.password is not None:
                smtp.login(s.username, s.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _tls(self) -> ssl.SSLContext:
        """The TLS context: the given one, else the system's trust store (certificate and host
        name verified), loaded once (loading it takes longer than an SMTP transaction)."""
        if self._ssl is None:
            self._ssl = ssl.create_default_context()
        return self._ssl

    def _quit(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()


def mailer_from_url(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> SmtpMailer:
    """The mailer (a ``Mailer``) for an SMTP URL (``TENURE_SMTP_URL``); ``ValueError`` for a
    bad URL."""
    return SmtpMailer(url, timeout=timeout)


def _refused(recipients: dict[str, tuple[int, bytes]]) -> OSError:
    """The error when every recipient was refused: permanent when every refusal is 5xx."""
    codes = [code for code, _ in recipients.values()]
    if all(code >= 500 for code in codes):
        return MailRejected(f"recipient refused: {_describe(recipients)}", code=max(codes))
    return OSError(f"recipient deferred: {_describe(recipients)}")


def _describe(recipients: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(
        f"{address}: {code} {_text(text)}" for address, (code, text) in recipients.items()
    )


def _text(answer: bytes | str) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else answer


def _alive(smtp: smtplib.SMTP) -> bool:
    try:
        return smtp.noop()[0] == 250
    except (OSError, smtplib.SMTPException):
        return False


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
